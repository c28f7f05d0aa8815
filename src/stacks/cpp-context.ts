/**
 * The C++ templates' context (templates/cpp): from the answers and the
 * detected facts, the packages to install for the build and at run time, the
 * CMake or make invocations, the runtime image, and one production stage per
 * shipped executable with its checks (static link, distroless, scratch);
 * also the answers the Dockerfile header records. Separate from the
 * questions and detection: this is what gets rendered.
 */
import { DEFAULTS, IMAGES } from '../defaults.js';
import { UsageError } from '../errors.js';
import { attempt, validateLabelVersion } from '../validate.js';
import { asString, labelsFor } from './common.js';
import type { DerivedFields, StackContextInput } from './define.js';
import { libraryInfo, type CppDetection, type CppFacts } from './cpp-detect.js';
import { BUNDLED_DIRS } from './cpp-make.js';
import { DATA_PACKAGES, DISTROLESS_CC_PACKAGES, isBuildOnlyPackage } from './cpp-packages.js';
import { parseTargetsAnswer, stageSuffix, type Runtime } from './cpp-questions.js';
import { checkTargets, newProjectFacts, NEW_PROJECT_LIBRARY, NEW_PROJECT_VERSION } from './cpp-targets.js';
import type { Answers, StackContext } from './types.js';

/** Everything in production runs as this numeric user: distroless's `nonroot`, and no entry needed in /etc/passwd elsewhere. */
const PRODUCTION_USER = '65532:65532';

interface TargetContext {
  name: string;
  outputName: string;
  suffix: string;
  main: boolean;
  buildStage: string;
  stage: string;
  binary: string;
  /** Debian packages installed in this target's slim image. */
  runtimePackages: string[];
  /** scratch: files copied from the dependencies stage for TLS and time zones. */
  caCertificates: boolean;
  timeZones: boolean;
  entrypoint: string[];
  /** HEALTHCHECK CMD (exec form); empty for none. */
  healthcheck: string[];
  /** The main target of a project that serves: ENV PORT, EXPOSE and a probe. */
  service: boolean;
  /** A command that runs to completion: HEALTHCHECK NONE, with the reason, instead of a probe. */
  command: boolean;
  /** Make and autotools: the goal `make` is given ('' for the default goal), where the binary is searched first, where it was found. */
  makeGoal: string;
  searchDirs: string;
  foundAt: string;
  labels: StackContext['labels'];
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** The answers the header records: what differs from the defaults, with scratch's implied --static spelt out. */
export function headerAnswers(answers: Answers, ctx: CppOwnContext): Answers {
  const recorded: Answers = { ...answers };
  if (ctx.linkStatic) recorded['static'] = true;
  else delete recorded['static'];
  if (ctx.extraPackages.length === 0) delete recorded['packages'];
  if (recorded['make-install'] !== true) delete recorded['make-install'];
  return recorded;
}

export function context({ answers, detection, project, mode, images }: StackContextInput<CppDetection>) {
  const name = asString(answers['name']);
  const port = Number(answers['port']);
  const runtime = asString(answers['runtime']) as Runtime;
  const requestedTargets = Array.isArray(answers['targets']) ? answers['targets'] : parseTargetsAnswer(answers['targets']);
  // An array once parsed; the unparsed default `none` when --yes accepted it.
  const extraPackages = Array.isArray(answers['packages']) ? answers['packages'] : [];
  // scratch can only run a fully static binary, so choosing it is choosing --static.
  const linkStatic = answers['static'] === true || runtime === 'scratch';
  const isNew = mode === 'new';
  const facts: CppFacts = (isNew ? undefined : detection.facts) ?? newProjectFacts(requestedTargets);
  const executables = checkTargets(mode, facts, requestedTargets);
  const cmake = facts.buildSystem === 'cmake';
  const autotools = facts.buildSystem === 'autotools';
  const makeFacts = facts.make;
  const configureArgs = Array.isArray(answers['configure-args']) ? answers['configure-args'] : [];
  const makeInstall = autotools ? 'DESTDIR' : answers['make-install'] === true ? (makeFacts?.install ?? '') : '';
  if (answers['make-install'] === true && !makeInstall) throw new UsageError('--make-install: the Makefile has no install rule that takes DESTDIR or PREFIX.');
  // Bundled dependency trees are built by the project but never searched for its binaries.
  const pruneDirs = BUNDLED_DIRS.filter((dir) => project.isDir(dir));

  const suffixes = executables.map((e) => stageSuffix(e.name));
  const clash = suffixes.find((s, i) => suffixes.indexOf(s) !== i);
  if (clash) throw new UsageError(`--targets: two executables map to the same stage name "${clash}"; ship only one of them.`);

  const extraRuntime = extraPackages.filter((p) => !isBuildOnlyPackage(p));
  const libraryInfos = facts.libraries.map((key) => libraryInfo(key)).filter((info) => info !== undefined);
  const staticExtras = linkStatic ? libraryInfos.flatMap((info) => (info.staticExtras ? [info.staticExtras] : [])) : [];
  const staticLinkLibraries = unique(staticExtras.flatMap((extra) => extra.link));
  const buildPackages = unique([...libraryInfos.flatMap((info) => info.build), ...staticExtras.flatMap((extra) => extra.build), ...extraPackages]);
  const basePackages = cmake ? ['g++', 'cmake', 'ninja-build'] : ['g++', 'make'];
  if (autotools && !facts.autotools?.hasConfigure) basePackages.push('autoconf', 'automake', 'libtool');
  // Tools the Makefiles and the bundled dependencies run (pkg-config, autoreconf, perl, tcl...), once.
  for (const tool of makeFacts?.tools ?? []) if (!basePackages.includes(tool) && !buildPackages.includes(tool)) basePackages.push(tool);
  if (facts.fetchesSources) basePackages.push('git', 'ca-certificates');

  const labelsBase = labelsFor(mode, project, name, NEW_PROJECT_VERSION);
  if (!labelsBase.version && facts.projectVersion) {
    // A project() VERSION that is no label value is left out, not an error.
    const version = attempt(() => validateLabelVersion(facts.projectVersion!));
    if (version.ok) labelsBase.version = version.value;
  }

  const targets: TargetContext[] = executables.map((executable, index) => {
    const main = index === 0;
    const suffix = suffixes[index]!;
    const binary = `/usr/local/bin/${executable.outputName}`;
    const linked = executable.links ?? facts.libraries;
    const infos = linked.map((key) => libraryInfo(key)).filter((info) => info !== undefined);
    if (linkStatic) {
      const blocker = infos.find((info) => info.staticLink !== true);
      if (blocker) {
        throw new UsageError(
          `--static: ${executable.name} links ${blocker.name}, which cannot be linked statically from Debian's packages (${blocker.staticLink as string}). Use --runtime slim instead.`,
        );
      }
    }
    const needed = unique([...infos.flatMap((info) => info.runtime), ...extraRuntime]).filter((p) => !linkStatic || DATA_PACKAGES.has(p) || extraRuntime.includes(p));
    if (runtime === 'distroless') {
      const missing = needed.filter((p) => !DISTROLESS_CC_PACKAGES.has(p));
      if (missing.length > 0) {
        throw new UsageError(
          `--runtime distroless: ${executable.name} needs ${missing.join(', ')} at run time, which gcr.io/distroless/cc-${DEFAULTS.distroless} does not have. Use --runtime slim (installs them), or --static with --runtime scratch.`,
        );
      }
    }
    if (runtime === 'scratch') {
      const notData = needed.filter((p) => !DATA_PACKAGES.has(p));
      if (notData.length > 0) throw new UsageError(`--runtime scratch: an empty image cannot hold the packages ${notData.join(', ')}; use --runtime slim.`);
    }
    let healthcheck: string[] = [];
    if (main && executable.selfProbe) healthcheck = [binary, '--healthcheck'];
    // No curl in slim: bash opening a TCP connection to the port is the probe (any TCP server, HTTP or not).
    else if (main && facts.listens !== false && runtime === 'slim') healthcheck = ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`];
    const knownDir = cmake ? '' : executable.dir;
    return {
      name: executable.name,
      outputName: executable.outputName,
      suffix,
      makeGoal: cmake || autotools || makeInstall ? '' : makeFacts?.catchAll || makeFacts?.rootGoals.includes(executable.name) ? executable.name : '',
      searchDirs: unique([knownDir || '.', '.']).join(' '),
      foundAt: cmake ? '' : facts.executables.some((e) => e.name === executable.name) ? (knownDir ? `${knownDir}/${executable.outputName}` : `./${executable.outputName}`) : '',
      main,
      buildStage: `build-${suffix}`,
      stage: main ? 'production' : `production-${suffix}`,
      binary,
      runtimePackages: runtime === 'slim' ? needed : [],
      caCertificates: runtime === 'scratch' && needed.includes('ca-certificates'),
      timeZones: runtime === 'scratch' && needed.includes('tzdata'),
      entrypoint: [binary],
      healthcheck,
      service: main && facts.listens !== false,
      command: !main || facts.listens === false,
      labels: { ...labelsBase, title: main ? name : `${name}-${suffix}` },
    };
  });
  const mainTarget = targets[0]!;

  const usesLibrary = (key: string) => facts.libraries.includes(key) || facts.libraries.some((k) => k.startsWith(`${key}:`));
  // CMake projects cross-compile (see the cross-toolchain partial); a Makefile's compiler is its own business.
  const crossCompile = cmake;
  const configureFlags = ['-DCMAKE_BUILD_TYPE=Release'];
  if (crossCompile) configureFlags.push(`-DCMAKE_TOOLCHAIN_FILE=${TARGET_TOOLCHAIN}`);
  if (facts.usesBuildTesting) configureFlags.push('-DBUILD_TESTING=OFF');
  if (linkStatic) {
    configureFlags.push('-DBUILD_SHARED_LIBS=OFF', '-DCMAKE_EXE_LINKER_FLAGS=-static', `-DCMAKE_PROJECT_INCLUDE=${STATIC_INCLUDE}`);
    if (usesLibrary('openssl')) configureFlags.push('-DOPENSSL_USE_STATIC_LIBS=ON');
    if (usesLibrary('zlib')) configureFlags.push('-DZLIB_USE_STATIC_LIBS=ON');
    if (usesLibrary('boost')) configureFlags.push('-DBoost_USE_STATIC_LIBS=ON');
    // Appended to every link line, after the archives that need them.
    if (staticLinkLibraries.length) configureFlags.push(`"-DCMAKE_CXX_STANDARD_LIBRARIES=${staticLinkLibraries.join(' ')}"`);
  }
  const shippedNames = targets.map((t) => t.name).join(' ');
  // Make projects build the goals the production stages build ('' is the default goal, which builds them all).
  const makeGoals = targets.some((t) => t.makeGoal === '') ? '' : targets.map((t) => t.makeGoal).join(' ');
  // Goals a catch-all rule forwards run one after another: in parallel, each forwarded make would build the bundled dependencies at once.
  const devMake = makeGoals && makeFacts?.catchAll && targets.length > 1 ? targets.map((t) => `make -j"$(nproc)" ${t.makeGoal}`).join(' && ') : `make -j"$(nproc)"${makeGoals ? ` ${makeGoals}` : ''}`;
  const findMain = `"$(find ${mainTarget.searchDirs} ${pruneExpression(pruneDirs)}-name ${mainTarget.outputName} -type f -perm -u+x -print -quit)"`;
  const devCommand = cmake
    ? ['bash', '-c', `cmake --build /build/debug --target ${shippedNames} && exec ${mainTarget.outputName}`]
    : autotools
      ? ['bash', '-c', `make -C /build/debug -j"$(nproc)" && exec /build/debug/${mainTarget.foundAt.replace(/^\.\//, '') || mainTarget.outputName}`]
      : ['bash', '-c', `${devMake} && exec ${findMain}`];
  // Binaries a Makefile leaves in the project root must not reach the context: make would think them up to date.
  const ignoredBinaries = cmake ? [] : unique(targets.flatMap((t) => [t.outputName, t.foundAt.replace(/^\.\//, '')]).filter((file) => file && !project.isDir(file)));

  return {
    name,
    port,
    compose: Boolean(answers['compose']),
    extraTargets: targets.filter((t) => !t.main).map((t) => t.stage),
    labels: mainTarget.labels,
    cmake,
    make: !cmake,
    plainMake: facts.buildSystem === 'make',
    autotools,
    autoreconf: autotools && !facts.autotools?.hasConfigure,
    configureArgs,
    makeInstall,
    makeGoals,
    devMake,
    prune: pruneExpression(pruneDirs),
    pruneDirs,
    optimizationVariable: Boolean(makeFacts?.optimizationVariable),
    delegatesTo: makeFacts?.delegatesTo ?? [],
    bundled: makeFacts?.bundled ?? [],
    // Make and autotools binaries are checked against what the runtime holds: their links are read, not known.
    runtimeCheck: !cmake && runtime === 'slim',
    distrolessCheck: !cmake && runtime === 'distroless',
    distrolessPackages: [...DISTROLESS_CC_PACKAGES],
    // A `test` stage (BUILD_TESTING=ON + ctest) only where CMake defines tests to run.
    hasTests: cmake && facts.definesTests === true,
    builderImage: images.debianSlim(),
    // The public name on purpose: the Dockerfile's comment shows how to put a mirror in front of it.
    builderImagePublic: IMAGES.debianSlim(),
    runtime,
    runtimeImage: runtime === 'distroless' ? images.distrolessCc() : runtime === 'scratch' ? 'scratch' : images.debianSlim(),
    runtimeDescription: runtime === 'distroless' ? 'distroless cc (glibc and libstdc++, no shell)' : runtime === 'scratch' ? 'scratch (an empty image)' : `Debian ${DEFAULTS.debian} slim`,
    slim: runtime === 'slim',
    distroless: runtime === 'distroless',
    scratch: runtime === 'scratch',
    linkStatic,
    staticInclude: STATIC_INCLUDE,
    basePackages,
    buildPackages,
    // Libraries (-dev) for the target architecture; tools and data stay the build machine's.
    targetBuildPackages: crossCompile ? buildPackages.map((p) => (p.endsWith('-dev') ? `${p}:$TARGETARCH` : p)) : buildPackages,
    crossCompile,
    toolchainFile: TARGET_TOOLCHAIN,
    // A runtime stage with RUN steps (slim installing libraries) would run them under emulation for another platform.
    emulatedRuntimeSteps: targets.some((t) => t.runtimePackages.length > 0),
    devPackages: ['gdb'],
    scratchCopies: [...(targets.some((t) => t.caCertificates) ? ['the CA certificates'] : []), ...(targets.some((t) => t.timeZones) ? ['the time zone data'] : [])],
    staticLinkLibraries,
    extraPackages,
    unknownPackages: isNew ? [] : facts.unknownPackages,
    configureFlags,
    targets,
    main: mainTarget,
    extra: targets.filter((t) => !t.main),
    shippedNames,
    devCommand,
    ignoredBinaries,
    user: PRODUCTION_USER,
    cxxStandard: facts.cxxStandard,
    debian: DEFAULTS.debian,
    // New project files
    service: requestedTargets[0] ?? '',
    tool: requestedTargets[1] ?? '',
    library: NEW_PROJECT_LIBRARY,
    version: NEW_PROJECT_VERSION,
    cmakeMinimum: DEFAULTS.cmakeMinimum,
    cppStandard: DEFAULTS.cppStandard,
  };
}

/** `find` arguments that skip the bundled dependency trees (empty when there are none). */
function pruneExpression(dirs: string[]): string {
  if (dirs.length === 0) return '';
  return `\\( ${dirs.map((dir) => `-path ./${dir}`).join(' -o ')} \\) -prune -o `;
}

/** A CMake file included after project(): makes find_package()/find_library() prefer .a archives for a static link. */
const STATIC_INCLUDE = '/usr/local/share/cmake/static-libraries.cmake';

/** The CMake toolchain file the base stage writes: the cross compiler for another --platform, empty for a native build. */
const TARGET_TOOLCHAIN = '/usr/local/share/cmake/target-toolchain.cmake';

/** The C++ templates' context (templates/cpp). */
type CppOwnContext = ReturnType<typeof context>;
export type CppContext = CppOwnContext & DerivedFields;
