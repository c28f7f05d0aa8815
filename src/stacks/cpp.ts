import { DEFAULTS } from '../defaults.js';
import { UsageError } from '../errors.js';
import type { Project } from '../project.js';
import { InvalidValue, toProjectName, validateChoice, validateLabelVersion } from '../validate.js';
import { asString, commonQuestions, labelsFor } from './common.js';
import { defineStack, type DerivedFields, type DetectInput } from './define.js';
import { detectCmake } from './cpp-cmake.js';
import { detectAutotools, detectMakefile, libraryInfo, makefileOf, type CppExecutable, type CppFacts } from './cpp-detect.js';
import { configureAcOf, isAutotools } from './cpp-autotools.js';
import { BUNDLED_DIRS } from './cpp-make.js';
import { DATA_PACKAGES, DISTROLESS_CC_PACKAGES, isBuildOnlyPackage } from './cpp-packages.js';
import { detectSourcePort, hasCppSources } from './cpp-sources.js';
import type { AnswerValue, Answers, ContextInput, Detection, Question, QuestionContext, StackContext } from './types.js';

/** What detection found: a CMake, Make or autotools project's facts, or nothing (a new project). */
export type CppDetection = CppFacts | undefined;

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
      throw new InvalidValue(`item ${show(item)} must be a Debian package name (e.g. libyaml-cpp-dev)`);
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

function flagSaysStatic(raw: string | undefined): boolean {
  try {
    return raw !== undefined && parseSwitch(raw);
  } catch {
    return false; // the static question reports the bad value
  }
}

// One ./configure option: --flag, --flag=value, or VAR=value. No spaces, quotes or shell characters reach the RUN line.
const CONFIGURE_ARG_RE = /^(?:--?[A-Za-z0-9][A-Za-z0-9_-]*(?:=[A-Za-z0-9_./,:+=@%-]*)?|[A-Za-z_][A-Za-z0-9_]*=[A-Za-z0-9_./,:+=@%-]*)$/;

/**
 * `--configure-args`: ./configure options separated by spaces (or by commas
 * before the next option, the form the Dockerfile header records them in).
 */
export function parseConfigureArgs(raw: string): string[] {
  const text = raw.trim();
  if (text === '' || text === NO_PACKAGES) return [];
  const items = text.split(/\s+|,(?=-|[A-Za-z_][A-Za-z0-9_]*=)/).filter((item) => item !== '');
  for (const item of items) {
    if (item.length > 200 || !CONFIGURE_ARG_RE.test(item)) {
      throw new InvalidValue(
        `item ${show(item)} must be a ./configure option such as --enable-foo, --with-bar=/usr or CFLAGS=-O2 (letters, digits and _ . / , : + = @ % -; no spaces, quotes or shell characters)`,
      );
    }
  }
  return items;
}

/** Stage suffix and image-name suffix for an executable: `MyServer` → `myserver`. */
export function stageSuffix(executable: string): string {
  const suffix = toProjectName(executable);
  if (!suffix) throw new UsageError(`--targets: cannot derive a stage name from ${show(executable)}; rename the executable or leave it out.`);
  return suffix;
}

const cppFactsOf = (ctx: QuestionContext<CppDetection>): CppFacts | undefined => ctx.detection.facts;

/** The port: an existing project whose sources name none gets the default under --yes only with a note. */
const portQuestion = (question: Question<CppDetection>): Question<CppDetection> =>
  question.flag !== 'port'
    ? question
    : {
        ...question,
        message: 'Port the server listens on',
        hint: 'HTTP or any TCP protocol',
        defaultNote: (ctx) =>
          ctx.mode === 'existing' && cppFactsOf(ctx)?.listens !== false
            ? `no listening port found in the sources: using ${DEFAULTS.cppPort}; pass --port <n> if the server listens on another one`
            : undefined,
      };

const questions: Question<CppDetection>[] = [
  ...commonQuestions<CppDetection>(DEFAULTS.cppPort).map(portQuestion),
  {
    flag: 'targets',
    message: 'Executables to ship',
    hint: 'comma-separated; the first is the `production` target',
    type: 'text',
    parse: parseExecutableList,
    // A Makefile project has no default: only the user knows which binaries `make <name>` builds.
    defaultValue: (ctx) => (ctx.mode === 'new' ? NEW_PROJECT_TARGETS : ''),
  },
  {
    flag: 'packages',
    message: 'Extra Debian packages',
    hint: `comma-separated, or ${NO_PACKAGES}; -dev packages and tools are for the build, others also run time`,
    type: 'text',
    parse: parsePackageList,
    defaultValue: () => NO_PACKAGES,
  },
  {
    flag: 'runtime',
    message: 'Production runtime',
    type: 'select',
    choices: () => [
      { title: 'slim', value: 'slim', description: `debian:${DEFAULTS.debian}-slim with exactly the runtime libraries the binaries need` },
      { title: 'distroless', value: 'distroless', description: `gcr.io/distroless/cc-${DEFAULTS.distroless}: glibc, libstdc++, OpenSSL; no shell` },
      { title: 'scratch', value: 'scratch', description: 'an empty image holding a fully static binary (implies --static)' },
    ],
    parse: (raw) => validateChoice(raw, RUNTIMES),
    // Asked before --static, whose flag alone still means "static on scratch".
    defaultValue: (ctx) => (flagSaysStatic(ctx.flags?.['static']) ? 'scratch' : 'slim'),
  },
  {
    flag: 'static',
    message: 'Link fully static?',
    type: 'confirm',
    parse: parseSwitch,
    defaultValue: () => false,
    // scratch has no C library: choosing it is choosing a static link, so it is not asked.
    implied: (ctx) => (ctx.answers['runtime'] === 'scratch' ? { value: true, because: '--runtime scratch, which runs only a fully static binary' } : undefined),
    // Asked after --runtime (which implies it), recorded before it, as headers always have.
    header: { before: 'runtime' },
  },
  {
    flag: 'configure-args',
    message: 'Options for ./configure',
    hint: `space-separated, or ${NO_PACKAGES} (e.g. --enable-foo --without-bar)`,
    type: 'text',
    parse: parseConfigureArgs,
    defaultValue: () => '',
    when: (ctx) => ctx.mode === 'existing' && cppFactsOf(ctx)?.buildSystem === 'autotools',
  },
  {
    flag: 'make-install',
    message: 'Ship what `make install` installs?',
    hint: "the project's own install rule, staged under /staging, instead of the binaries found in the tree",
    type: 'confirm',
    parse: parseSwitch,
    defaultValue: () => false,
    when: (ctx) => ctx.mode === 'existing' && cppFactsOf(ctx)?.buildSystem === 'make' && Boolean(cppFactsOf(ctx)?.make?.install),
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

/** Where a program lands, for the plan: `src/kvd`, or `./kvd`. */
const programPath = (e: CppExecutable): string => (e.dir ? `${e.dir}/${e.outputName}` : `./${e.outputName}`);

function makeNotes(facts: CppFacts, makefile: string): string[] {
  const notes: string[] = [];
  const make = facts.make!;
  const shipped = facts.executables.filter((e) => !e.test);
  const skipped = facts.executables.filter((e) => e.test);
  if (facts.buildSystem === 'autotools') {
    const steps = facts.autotools!.hasConfigure ? './configure' : `autoreconf -fi (no configure script is shipped), then ./configure`;
    notes.push(`autotools project (${facts.autotools!.configureAc || 'configure'}): the builder runs ${steps} --prefix=/usr/local; each target runs make and make install DESTDIR=/staging`);
  } else if (make.delegatesTo.length > 0) {
    const how = make.catchAll ? 'a catch-all rule forwards every goal' : 'its rules run make there';
    notes.push(`${makefile} hands the build to ${make.delegatesTo.map((d) => `${d}/`).join(', ')} (${how})`);
  }
  if (shipped.length > 0) notes.push(`programs: ${shipped.map((e) => `${e.name} (built as ${programPath(e)})`).join(', ')}`);
  else if (facts.buildSystem === 'make') {
    const hint = facts.makeAllTargets.length ? ` (its all: target lists ${facts.makeAllTargets.join(' ')})` : '';
    notes.push(`${makefile} project: no rule that links a program was found; --targets names the binaries \`make <name>\` builds${hint}`);
  }
  if (skipped.length > 0) notes.push(`not shipping test or benchmark programs: ${skipped.map((e) => e.name).join(', ')} (name them with --targets to ship them)`);
  if (make.bundled.length > 0) notes.push(`bundled dependencies, built by the project's own build: ${make.bundled.map((d) => `${d.dir} (${d.build})`).join(', ')}`);
  if (make.tools.length > 0) notes.push(`build tools the Makefiles run: ${make.tools.join(', ')}`);
  if (make.install && facts.buildSystem === 'make') notes.push(`the install rule stages with ${make.install}: --make-install takes the binaries from \`make install ${make.install}=/staging\``);
  return notes;
}

async function detect(project: Project, { previous }: DetectInput): Promise<Detection<CppDetection>> {
  const values: Answers = { ...previous };
  const notes: string[] = [];
  const makefile = makefileOf(project);
  const hasCmake = project.isFile('CMakeLists.txt');
  const autotools = !hasCmake && isAutotools(project);
  if (!hasCmake && !makefile && !autotools) return { existing: false, values, facts: undefined, notes };
  if (hasCmake && (makefile || configureAcOf(project))) {
    const other = configureAcOf(project) ?? makefile!;
    notes.push(`found both CMakeLists.txt and ${other}: using CMake (the ${other} build is not used; delete or rename CMakeLists.txt to build with it)`);
  }

  const { facts, notes: readNotes } = hasCmake ? detectCmake(project) : autotools ? detectAutotools(project) : detectMakefile(project, makefile!);
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
    const shipped = facts.executables.filter((e) => !e.test);
    if (values['targets'] === undefined && shipped.length > 0) values['targets'] = shipped.map((e) => e.name);
    notes.push(...makeNotes(facts, makefile ?? 'Makefile'));
  }
  if (values['port'] === undefined) {
    const port = detectSourcePort(project);
    if (port !== undefined) {
      values['port'] = port;
      notes.push(`port ${port}: the only listening port the sources name`);
    }
  }
  const libraries = describeLibraries(facts.libraries);
  if (libraries) notes.push(`libraries: ${libraries}`);
  for (const unknown of facts.unknownPackages) {
    notes.push(`no Debian package known for ${unknown}: add its -dev package and its runtime library with --packages (e.g. --packages libfoo-dev,libfoo1)`);
  }
  if (facts.fetchesSources) notes.push('the build downloads sources at configure time (FetchContent / ExternalProject): git and CA certificates are installed and the build needs network access');
  return { existing: true, values, facts, notes };
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
  if (facts.buildSystem !== 'cmake') {
    // A program found in the Makefiles carries its directory; any other name is the user's word for what `make <name>` builds.
    return targets.map((name) => facts.executables.find((e) => e.name === name) ?? { name, outputName: name, dir: '', test: false, selfProbe: false, links: null });
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

/** The answers the header records: what differs from the defaults, with scratch's implied --static spelt out. */
function headerAnswers(answers: Answers, ctx: CppOwnContext): Answers {
  const recorded: Answers = { ...answers };
  if (ctx.linkStatic) recorded['static'] = true;
  else delete recorded['static'];
  if (ctx.extraPackages.length === 0) delete recorded['packages'];
  if (recorded['make-install'] !== true) delete recorded['make-install'];
  return recorded;
}

function context({ answers, detection, project, mode }: ContextInput<CppDetection>) {
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
  const devMake =
    makeGoals && makeFacts?.catchAll && targets.length > 1
      ? targets.map((t) => `make -j"$(nproc)" ${t.makeGoal}`).join(' && ')
      : `make -j"$(nproc)"${makeGoals ? ` ${makeGoals}` : ''}`;
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

/** `find` arguments that skip the bundled dependency trees (empty when there are none). */
function pruneExpression(dirs: string[]): string {
  if (dirs.length === 0) return '';
  return `\\( ${dirs.map((dir) => `-path ./${dir}`).join(' -o ')} \\) -prune -o `;
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
  if (isAutotools(project) && !project.isFile('go.mod') && hasCppSources(project)) return true;
  // A Makefile alone could drive any language: count it only next to C/C++ sources and without go.mod.
  return makefileOf(project) !== undefined && !project.isFile('go.mod') && hasCppSources(project);
}

/** The C++ templates' context (templates/cpp). */
type CppOwnContext = ReturnType<typeof context>;
export type CppContext = CppOwnContext & DerivedFields;

export const cpp = defineStack({
  id: 'cpp',
  title: 'C++',
  matches,
  detect,
  questions,
  context,
  headerAnswers,
  nextSteps: (ctx, run) => {
    const { extra, main } = ctx;
    return [
      `${run('docker:dev')}   # debug build in Docker, rebuilt on each start`,
      `${run('docker:build')}   # production image: ${main.outputName}`,
      ...extra.map((t) => `${run(`docker:build:${t.suffix}`)}   # production image: ${t.outputName}`),
    ];
  },
});
