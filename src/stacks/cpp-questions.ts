/**
 * The questions the C++ stack asks (port, executables, packages, runtime,
 * static link, ./configure options, make install) and the parsers that check
 * their answers, whether typed at a prompt or passed as flags. Separate from
 * the context (cpp-context.ts): these decide what is accepted, not what is
 * rendered. parseSwitch is also the yes/no parser of the Next.js stacks.
 */
import { DEFAULTS } from '../defaults.js';
import { UsageError } from '../errors.js';
import { InvalidValue, toProjectName, validateChoice } from '../validate.js';
import { asString, commonQuestions } from './common.js';
import type { CppDetection, CppFacts } from './cpp-detect.js';
import { NEW_PROJECT_TARGETS } from './cpp-targets.js';
import type { AnswerValue, Question, QuestionContext } from './types.js';

const RUNTIMES = ['slim', 'distroless', 'scratch'] as const;
export type Runtime = (typeof RUNTIMES)[number];

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

export function parseTargetsAnswer(value: AnswerValue | undefined): string[] {
  // '' is the "no default" of a Makefile project accepted with --yes: checkTargets explains what to pass.
  const text = asString(value);
  return text === '' ? [] : parseExecutableList(text);
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

export const questions: Question<CppDetection>[] = [
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
