import { DEFAULTS } from '../defaults.js';
import { UsageError } from '../errors.js';
import type { Project } from '../project.js';
import { InvalidValue, toProjectName, validateChoice, validateLabelVersion } from '../validate.js';
import { asString, commonQuestions, labelsFor, headerLine, previousAnswers } from './common.js';
import { detectCmake, detectMakefile, hasCppSources, libraryInfo, makefileOf, type CppExecutable, type CppFacts } from './cpp-detect.js';
import { DATA_PACKAGES, DISTROLESS_CC_PACKAGES, isBuildOnlyPackage } from './cpp-packages.js';
import type { AnswerValue, Answers, BaseContext, ContextInput, Detection, Question, StackModule } from './types.js';

const RUNTIMES = ['slim', 'distroless', 'scratch'] as const;
type Runtime = (typeof RUNTIMES)[number];

/** The new project: a service (first) and a command-line tool sharing one static library. */
const NEW_PROJECT_TARGETS = ['server', 'cli'];
const NEW_PROJECT_LIBRARY = 'common';
const NEW_PROJECT_VERSION = '0.1.0';

/** Everything in production runs as this numeric user: distroless's `nonroot`, and no entry needed in /etc/passwd elsewhere. */
const PRODUCTION_USER = '65532:65532';

const MAX_NAME = 64;
// CMake target names as projects write them (MyServer, my_tool, app.v2): letters, digits, _ . + -.
const EXECUTABLE_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
// Debian package names (Debian Policy 5.6.1), lower-case.
const DEBIAN_PACKAGE_RE = /^[a-z0-9][a-z0-9+.-]+$/;

function show(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/** `a, b` reads as `a,b`; any other whitespace is part of an item, and no item may hold any. */
function splitList(raw: string): string[] {
  return raw.replace(/,[ \t]+/g, ',').split(',');
}

/** `--targets`: executable names, comma-separated, the first one being the `production` target. */
export function parseExecutableList(raw: string): string[] {
  const items = splitList(raw);
  if (items.some((item) => item === '')) {
    throw new InvalidValue(`must be a comma-separated list of executable names (e.g. server,cli); got ${show(raw)}`);
  }
  for (const item of items) {
    if (item.length > MAX_NAME || !EXECUTABLE_RE.test(item) || item.includes('--')) {
      throw new InvalidValue(`item ${show(item)} must be an executable name: letters, digits, "_", ".", "+" or "-", at most ${MAX_NAME} characters`);
    }
  }
  if (new Set(items).size !== items.length) throw new InvalidValue(`lists a name twice; got ${show(raw)}`);
  return items;
}

/** Spelt out so an empty answer is a choice, not a typo: `--packages none`. */
const NO_PACKAGES = 'none';

/** `--packages`: Debian package names, comma-separated, or `none`. */
export function parsePackageList(raw: string): string[] {
  if (raw === NO_PACKAGES) return [];
  const items = splitList(raw);
  if (items.some((item) => item === '')) {
    throw new InvalidValue(`must be a comma-separated list of Debian packages (e.g. libyaml-cpp-dev,libyaml-cpp0.8) or ${NO_PACKAGES}; got ${show(raw)}`);
  }
  for (const item of items) {
    // `--` appears in no Debian package name and would read as a flag in the Dockerfile header.
    if (!DEBIAN_PACKAGE_RE.test(item) || item.includes('--') || item.length > 100) {
      throw new InvalidValue(`item ${show(item)} must be a Debian package name such as libyaml-cpp-dev (lower-case letters, digits, "+", "-", ".")`);
    }
  }
  return [...new Set(items)];
}

export function parseSwitch(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(text)) return true;
  if (['false', 'no', 'n', '0'].includes(text)) return false;
  throw new InvalidValue(`must be true or false; got ${show(raw)}`);
}

/** Stage suffix and image-name suffix for an executable: `MyServer` → `myserver`. */
export function stageSuffix(executable: string): string {
  const suffix = toProjectName(executable);
  if (!suffix) throw new UsageError(`--targets: cannot derive a stage name from ${show(executable)}; rename the executable or leave it out.`);
  return suffix;
}

const questions: Question[] = [
  ...commonQuestions(DEFAULTS.cppPort),
  {
    key: 'targets',
    flag: 'targets',
    message: 'Executables to ship, comma-separated (the first is the `production` target)',
    type: 'text',
    parse: parseExecutableList,
    // A Makefile project has no default: only the user knows which binaries `make <name>` builds.
    defaultValue: (ctx) => (ctx.mode === 'new' ? NEW_PROJECT_TARGETS : ''),
  },
  {
    key: 'packages',
    flag: 'packages',
    message: `Extra Debian packages, comma-separated, or ${NO_PACKAGES} (-dev packages and tools are for the build; others are also installed at run time)`,
    type: 'text',
    parse: parsePackageList,
    defaultValue: () => NO_PACKAGES,
  },
  {
    key: 'static',
    flag: 'static',
    message: 'Link fully static (a binary that runs on scratch)?',
    type: 'confirm',
    parse: parseSwitch,
    defaultValue: () => false,
  },
  {
    key: 'runtime',
    flag: 'runtime',
    message: 'Production runtime',
    type: 'select',
    choices: () => [
      { title: 'slim', value: 'slim', description: `debian:${DEFAULTS.debian}-slim with exactly the runtime libraries the binaries need` },
      { title: 'distroless', value: 'distroless', description: `gcr.io/distroless/cc-${DEFAULTS.distroless}: glibc, libstdc++, OpenSSL; no shell` },
      { title: 'scratch', value: 'scratch', description: 'an empty image holding a fully static binary (implies --static)' },
    ],
    parse: (raw) => validateChoice(raw, RUNTIMES),
    defaultValue: (ctx) => (ctx.answers['static'] === true ? 'scratch' : 'slim'),
  },
];

function projectNameFrom(project: Project, facts: CppFacts): string | undefined {
  const pkgName = project.readJson('package.json')?.['name'];
  if (typeof pkgName === 'string' && toProjectName(pkgName)) return toProjectName(pkgName);
  return facts.projectName ? toProjectName(facts.projectName) : undefined;
}

function describeLibraries(keys: string[]): string {
  return keys
    .map((key) => libraryInfo(key))
    .filter((info) => info !== undefined && info.build.length > 0)
    .map((info) => `${info!.name} (${info!.build.filter((p) => p !== 'ca-certificates').join(', ')})`)
    .join(', ');
}

async function detect(project: Project): Promise<Detection> {
  const values: Answers = previousAnswers(project, 'cpp', questions);
  const notes: string[] = [];
  const makefile = makefileOf(project);
  const hasCmake = project.isFile('CMakeLists.txt');
  if (!hasCmake && !makefile) return { existing: false, values, facts: {}, notes };

  const { facts, notes: readNotes } = hasCmake ? detectCmake(project) : detectMakefile(project, makefile!);
  notes.push(...readNotes);
  const name = projectNameFrom(project, facts);
  if (name && values['name'] === undefined) values['name'] = name;

  if (facts.buildSystem === 'cmake') {
    const shipped = facts.executables.filter((e) => !e.test);
    const skipped = facts.executables.filter((e) => e.test);
    if (values['targets'] === undefined && shipped.length > 0) values['targets'] = shipped.map((e) => e.name);
    if (facts.executables.length === 0) notes.push('CMakeLists.txt defines no add_executable(): there is nothing to ship');
    if (skipped.length > 0) notes.push(`not shipping test, benchmark or example executables: ${skipped.map((e) => e.name).join(', ')} (name them with --targets to ship them)`);
  } else {
    const hint = facts.makeAllTargets.length ? ` (its all: target lists ${facts.makeAllTargets.join(' ')})` : '';
    notes.push(`${makefile} project: --targets names the binaries, each built with \`make <name>\` as ./<name>${hint}`);
  }
  const libraries = describeLibraries(facts.libraries);
  if (libraries) notes.push(`libraries: ${libraries}`);
  for (const unknown of facts.unknownPackages) {
    notes.push(`no Debian package known for ${unknown}: add its -dev package and its runtime library with --packages (e.g. --packages libfoo-dev,libfoo1)`);
  }
  if (facts.fetchesSources) notes.push('the build downloads sources at configure time (FetchContent / ExternalProject): git and CA certificates are installed and the build needs network access');
  return { existing: true, values, facts: { cpp: facts }, notes };
}

function newProjectFacts(targets: string[]): CppFacts {
  return {
    buildSystem: 'cmake',
    projectName: '',
    projectVersion: NEW_PROJECT_VERSION,
    cxxStandard: DEFAULTS.cppStandard,
    executables: targets.map((name, index) => ({ name, outputName: name, dir: 'apps', test: false, selfProbe: index === 0, links: [] })),
    libraries: [],
    unknownPackages: [],
    // The new CMakeLists.txt includes CTest and adds tests/http_test.cpp under if(BUILD_TESTING).
    usesBuildTesting: true,
    definesTests: true,
    fetchesSources: false,
    makeAllTargets: [],
  };
}

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
  /** A command that runs to completion: HEALTHCHECK NONE, with the reason, instead of a probe. */
  command: boolean;
  labels: BaseContext['labels'];
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function checkTargets(mode: 'new' | 'existing', facts: CppFacts, targets: string[]): CppExecutable[] {
  if (targets.length === 0) {
    const hint = facts.makeAllTargets.length ? ` (e.g. --targets ${facts.makeAllTargets.join(',')})` : ' (e.g. --targets server,cli)';
    throw new UsageError(`--targets is required for a Makefile project: name the binaries \`make <name>\` builds${hint}.`);
  }
  if (mode === 'new') {
    if (targets.length !== 2) throw new UsageError(`--targets for a new project names its two executables, the service and the command-line tool (e.g. server,cli); got ${targets.join(',')}.`);
    if (targets.includes(NEW_PROJECT_LIBRARY)) throw new UsageError(`--targets: "${NEW_PROJECT_LIBRARY}" is the name of the new project's shared library; choose another executable name.`);
    return newProjectFacts(targets).executables;
  }
  if (facts.buildSystem === 'make') {
    return targets.map((name) => ({ name, outputName: name, dir: '', test: false, selfProbe: false, links: null }));
  }
  return targets.map((name) => {
    const found = facts.executables.find((e) => e.name === name);
    if (!found) {
      const known = facts.executables.map((e) => e.name);
      throw new UsageError(`--targets: ${name} is not an add_executable() target of this CMake project (${known.length ? `found: ${known.join(', ')}` : 'none found'}).`);
    }
    return found;
  });
}

function context({ answers, detection, project, mode }: ContextInput): BaseContext {
  const name = asString(answers['name']);
  const port = Number(answers['port']);
  const runtime = asString(answers['runtime']) as Runtime;
  const requestedTargets = Array.isArray(answers['targets']) ? answers['targets'] : parseTargetsAnswer(answers['targets']);
  // An array once parsed; the unparsed default `none` when --yes accepted it.
  const extraPackages = Array.isArray(answers['packages']) ? answers['packages'] : [];
  // scratch can only run a fully static binary, so choosing it is choosing --static.
  const linkStatic = answers['static'] === true || runtime === 'scratch';
  const isNew = mode === 'new';
  const facts: CppFacts = isNew ? newProjectFacts(requestedTargets) : (detection.facts['cpp'] as CppFacts);
  const executables = checkTargets(mode, facts, requestedTargets);
  const cmake = facts.buildSystem === 'cmake';

  const suffixes = executables.map((e) => stageSuffix(e.name));
  const clash = suffixes.find((s, i) => suffixes.indexOf(s) !== i);
  if (clash) throw new UsageError(`--targets: two executables map to the same stage name "${clash}"; ship only one of them.`);

  const extraRuntime = extraPackages.filter((p) => !isBuildOnlyPackage(p));
  const libraryInfos = facts.libraries.map((key) => libraryInfo(key)).filter((info) => info !== undefined);
  const staticExtras = linkStatic ? libraryInfos.flatMap((info) => (info.staticExtras ? [info.staticExtras] : [])) : [];
  const staticLinkLibraries = unique(staticExtras.flatMap((extra) => extra.link));
  const buildPackages = unique([...libraryInfos.flatMap((info) => info.build), ...staticExtras.flatMap((extra) => extra.build), ...extraPackages]);
  const basePackages = cmake ? ['g++', 'cmake', 'ninja-build'] : ['g++', 'make'];
  if (facts.fetchesSources) basePackages.push('git', 'ca-certificates');

  const labelsBase = labelsFor(mode, project, name, NEW_PROJECT_VERSION);
  if (!labelsBase.version && facts.projectVersion) {
    try {
      labelsBase.version = validateLabelVersion(facts.projectVersion);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
    }
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
    // No curl in slim: bash opening a TCP connection to the port is the probe.
    else if (main && runtime === 'slim') healthcheck = ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`];
    return {
      name: executable.name,
      outputName: executable.outputName,
      suffix,
      main,
      buildStage: `build-${suffix}`,
      stage: main ? 'production' : `production-${suffix}`,
      binary,
      runtimePackages: runtime === 'slim' ? needed : [],
      caCertificates: runtime === 'scratch' && needed.includes('ca-certificates'),
      timeZones: runtime === 'scratch' && needed.includes('tzdata'),
      entrypoint: [binary],
      healthcheck,
      command: !main,
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
  const devCommand = cmake
    ? ['bash', '-c', `cmake --build /build/debug --target ${shippedNames} && exec ${mainTarget.outputName}`]
    : ['bash', '-c', `make -j"$(nproc)" ${shippedNames} && exec ./${mainTarget.outputName}`];
  // Binaries a Makefile leaves in the project root must not reach the context: make would think them up to date.
  const ignoredBinaries = cmake ? [] : targets.map((t) => t.outputName).filter((file) => !project.isDir(file));

  // The header records what differs from the defaults, with scratch's implied --static spelt out.
  const headerAnswers: Answers = { ...answers };
  if (linkStatic) headerAnswers['static'] = true;
  else delete headerAnswers['static'];
  if (extraPackages.length === 0) delete headerAnswers['packages'];
  return {
    stack: 'cpp',
    name,
    port,
    compose: Boolean(answers['compose']),
    extraTargets: targets.filter((t) => !t.main).map((t) => t.stage),
    header: headerLine('cpp', headerAnswers, ['name', 'port', 'targets', 'packages', 'static', 'runtime']),
    labels: mainTarget.labels,
    cmake,
    make: !cmake,
    // A `test` stage (BUILD_TESTING=ON + ctest) only where CMake defines tests to run.
    hasTests: cmake && facts.definesTests === true,
    builderImage: `debian:${DEFAULTS.debian}-slim`,
    runtime,
    runtimeImage: runtime === 'distroless' ? `gcr.io/distroless/cc-${DEFAULTS.distroless}:nonroot` : runtime === 'scratch' ? 'scratch' : `debian:${DEFAULTS.debian}-slim`,
    runtimeDescription:
      runtime === 'distroless' ? 'distroless cc (glibc and libstdc++, no shell)' : runtime === 'scratch' ? 'scratch (an empty image)' : `Debian ${DEFAULTS.debian} slim`,
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
    scratchCopies: [
      ...(targets.some((t) => t.caCertificates) ? ['the CA certificates'] : []),
      ...(targets.some((t) => t.timeZones) ? ['the time zone data'] : []),
    ],
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

/** A CMake file included after project(): makes find_package()/find_library() prefer .a archives for a static link. */
const STATIC_INCLUDE = '/usr/local/share/cmake/static-libraries.cmake';

/** The CMake toolchain file the base stage writes: the cross compiler for another --platform, empty for a native build. */
const TARGET_TOOLCHAIN = '/usr/local/share/cmake/target-toolchain.cmake';

function parseTargetsAnswer(value: AnswerValue | undefined): string[] {
  // '' is the "no default" of a Makefile project accepted with --yes: checkTargets explains what to pass.
  const text = asString(value);
  return text === '' ? [] : parseExecutableList(text);
}

function matches(project: Project): boolean {
  if (project.isFile('CMakeLists.txt')) return true;
  // A Makefile alone could drive any language: count it only next to C/C++ sources and without go.mod.
  return makefileOf(project) !== undefined && !project.isFile('go.mod') && hasCppSources(project);
}

export const cpp: StackModule = {
  id: 'cpp',
  title: 'C++',
  matches,
  detect,
  questions,
  context,
  templates: { docker: 'cpp/docker', app: 'cpp/app' },
  nextSteps: (ctx, run) => {
    const extra = ctx['extra'] as TargetContext[];
    const main = ctx['main'] as TargetContext;
    return [
      `${run('docker:dev')}   # debug build in Docker, rebuilt on each start`,
      `${run('docker:build')}   # production image: ${main.outputName}`,
      ...extra.map((t) => `${run(`docker:build:${t.suffix}`)}   # production image: ${t.outputName}`),
    ];
  },
};
