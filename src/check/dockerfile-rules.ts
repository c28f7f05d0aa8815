// Checker for the rules in shared/DOCKERFILE-RULES.md.
//
// hadolint and `docker build --check` cannot run on the project's machines, so
// the rules they implement (and the CIS Docker Benchmark items the contract
// names) are re-implemented here on top of dockerfile-ast (structure) and
// dockerfile-utils (its own diagnostics). Each violation carries the public
// rule id so a reader can look it up; where a rule has two public names the
// message names the other one.
//
// The checks are deliberately static and somewhat conservative: they must
// never flag the Dockerfiles the generator is supposed to produce, and they
// must catch each planted fault in test/dockerfile-rules.test.ts. It ships in
// the CLI for `create-multistage check` and is loaded only by that command.

import { cleanPath, ignoredBy, parseDockerignore } from '../dockerignore.js';
import {
  DockerfileParser,
  type Dockerfile,
  type Flag,
  type From,
  type Instruction,
  type Property,
} from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

export interface Violation {
  rule: string;
  message: string;
  line?: number;
}

export interface CheckOptions {
  /** Contents of the .dockerignore next to the Dockerfile. */
  dockerignore?: string;
  /** Stage names that are shipped targets (default: `production` and `production-*`). */
  productionTargets?: string[];
  /** If given, the core stages that must all appear, in this order. */
  expectedStages?: string[];
  /**
   * A Dockerfile we did not generate (`check`): when no stage is named
   * `production`, the last stage is what ships, named or not.
   */
  lastStageShips?: boolean;
}

// ---------------------------------------------------------------------------
// Constants

/** The core stage order of the contract; also checked (for the stages present) when no expectedStages is given. */
const CORE_STAGE_ORDER = ['base', 'dependencies', 'development', 'builder', 'production'];

/** Build args BuildKit defines by itself; they need no ARG before the first FROM. */
const AUTOMATIC_ARGS = new Set([
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'TARGETSTAGE',
  'BUILDKIT_SYNTAX',
]);

/** The rule text of the contract, as given in the brief. */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|_KEY$|^KEY$|API_KEY|CREDENTIAL)/i;

/** Keys defined by the OCI image spec (annotations.md); anything else under the prefix is a typo. */
const OCI_KEYS = new Set([
  'created',
  'authors',
  'url',
  'documentation',
  'source',
  'version',
  'revision',
  'vendor',
  'licenses',
  'ref.name',
  'title',
  'description',
  'base.digest',
  'base.name',
]);
const OCI_PREFIX = 'org.opencontainers.image.';

/** Mount types the contract allows (all exist in the Dockerfile 1.2 frontend). */
const ALLOWED_MOUNT_TYPES = new Set(['cache', 'bind', 'secret', 'ssh', 'tmpfs']);

/**
 * Flags the Dockerfile 1.2 frontend (the test engine's built-in one) knows.
 * Newer ones (`COPY --link/--exclude/--parents`, `ADD --checksum`,
 * `RUN --network/--security`, `HEALTHCHECK --start-interval`) fail or are
 * silently ignored there, so the contract forbids them.
 */
const ALLOWED_FLAGS: Record<string, Set<string>> = {
  FROM: new Set(['platform']),
  RUN: new Set(['mount']),
  COPY: new Set(['from', 'chown', 'chmod']),
  ADD: new Set(['chown', 'chmod']),
  HEALTHCHECK: new Set(['interval', 'timeout', 'start-period', 'retries']),
};

/** Stages whose content (source tree, dev dependencies, toolchains) must never be a production base. */
const NON_RUNTIME_STAGE = /^(builder|dependencies|development|test|build-.+)$/;

/** Commands that are compilers / build tools: they do not belong in a shipped image (CIS 4.3). */
const COMPILERS = new Set([
  'gcc',
  'g++',
  'cc',
  'c++',
  'clang',
  'clang++',
  'cmake',
  'make',
  'ninja',
  'cargo',
  'rustc',
  'javac',
  'mvn',
  'gradle',
  'tsc',
]);

/** apt/apk packages that are toolchains or headers (CIS 4.3). */
const TOOLCHAIN_PACKAGE = /^(build-essential|build-base|gcc(-\d+)?|g\+\+(-\d+)?|clang(-\d+)?|llvm(-\d+)?|cmake|make|ninja-build|ninja|autoconf|automake|libtool|pkg-config|pkgconf|git|golang(-[\d.]+)?(-go)?|rustc|cargo|.+-dev)$/;

/** SDK images: a production image based on one ships the whole toolchain (CIS 4.3). */
const TOOLCHAIN_IMAGE = /^(golang|gcc|rust|maven|gradle|buildpack-deps)$/;

// ---------------------------------------------------------------------------
// Model

interface Stage {
  index: number;
  /** As written after AS (null for an unnamed stage). */
  name: string | null;
  /** Lower-cased name; BuildKit compares stage names case-insensitively. */
  key: string | null;
  from: From;
  /** FROM image after substituting the global ARG defaults; null if a variable is left unresolved. */
  image: string | null;
  /** The earlier stage this one is built FROM, if any. */
  parent: Stage | null;
  /** Instructions after the FROM, up to the next FROM. */
  instructions: Instruction[];
}

interface Model {
  text: string;
  df: Dockerfile;
  /** ARGs before the first FROM: name -> default (null when none given). */
  globalArgs: Map<string, string | null>;
  stages: Stage[];
  production: Stage[];
}

const lineOf = (ins: { getRange(): { start: { line: number } } }): number => ins.getRange().start.line + 1;

function flagsOf(ins: Instruction): Flag[] {
  // From, Run, Copy, Add, Healthcheck, Cmd, Entrypoint, ... are ModifiableInstructions.
  return 'getFlags' in ins && typeof ins.getFlags === 'function' ? ins.getFlags() : [];
}

function propertiesOf(ins: Instruction): Property[] {
  return 'getProperties' in ins && typeof ins.getProperties === 'function' ? ins.getProperties() : [];
}

/** Substitute `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}` from `vars`; unknown variables are left as they are. */
function substitute(value: string, vars: Map<string, string | null>): string {
  return value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (all, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const has = vars.has(name);
    const v = vars.get(name);
    if (op === ':-') return v ? v : word ?? '';
    if (op === '-') return has && v !== null ? v ?? '' : word ?? '';
    if (op === ':+') return v ? word ?? '' : '';
    if (op === '+') return has && v !== null ? word ?? '' : '';
    return has && v !== null && v !== undefined ? v : all;
  });
}

interface ImageRef {
  name: string;
  tag: string | null;
  digest: string | null;
}

/** Split `registry[:port]/path[:tag][@digest]`; a colon counts as a tag separator only after the last slash. */
function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(':');
  const slash = rest.lastIndexOf('/');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, tag: null, digest };
}

function buildModel(text: string, options: CheckOptions): Model {
  const df = DockerfileParser.parse(text);
  const globalArgs = new Map<string, string | null>();
  for (const arg of df.getInitialARGs()) {
    const p = arg.getProperty();
    if (!p) continue;
    const raw = p.getValue();
    // An ARG default may itself use an earlier global ARG.
    globalArgs.set(p.getName(), raw === null ? null : substitute(raw, globalArgs));
  }

  const stages: Stage[] = [];
  let current: Stage | null = null;
  for (const ins of df.getInstructions()) {
    if (ins.getKeyword() === 'FROM') {
      const from = ins as From;
      const name = from.getBuildStage();
      const rawImage = from.getImage();
      const resolved = rawImage === null ? null : substitute(rawImage, globalArgs);
      const image = resolved !== null && !resolved.includes('$') ? resolved : null;
      const parent = image === null ? null : stages.find((s) => s.key !== null && s.key === image.toLowerCase()) ?? null;
      current = { index: stages.length, name, key: name ? name.toLowerCase() : null, from, image, parent, instructions: [] };
      stages.push(current);
    } else if (current) {
      current.instructions.push(ins);
    }
  }

  const targets = options.productionTargets?.map((t) => t.toLowerCase());
  let production = stages.filter((s) =>
    s.key === null ? false : targets ? targets.includes(s.key) : s.key === 'production' || s.key.startsWith('production-'),
  );
  if (production.length === 0 && options.lastStageShips && stages.length > 0) production = [stages[stages.length - 1]!];
  return { text, df, globalArgs, stages, production };
}

/** The stage itself and every earlier stage it is built FROM, nearest first: what ends up in its image. */
function ancestry(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s && !chain.includes(s); s = s.parent) chain.push(s);
  return chain;
}

// ---------------------------------------------------------------------------
// A small shell tokenizer: good enough to find command words and operators in
// RUN lines (quotes, escapes, comments, && || | ; and subshell parentheses).

interface ShellScript {
  /** Each simple command as its words (quotes removed). */
  commands: string[][];
  /** Control operators in order of appearance. */
  operators: string[];
}

function parseShell(src: string): ShellScript {
  const commands: string[][] = [];
  const operators: string[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (op: string) => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
    operators.push(op);
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '\\' && next !== undefined) {
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i++;
    } else if (c === "'") {
      const j = src.indexOf("'", i + 1);
      const end = j < 0 ? src.length : j;
      word += src.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) {
          word += src[j + 1];
          j += 2;
        } else {
          word += src[j];
          j++;
        }
      }
      inWord = true;
      i = j;
    } else if (c === '#' && !inWord) {
      const j = src.indexOf('\n', i);
      i = j < 0 ? src.length : j - 1;
    } else if (c === '\n' || c === ';') {
      endCommand(c);
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
    } else if (c === '&') {
      const prev = src[i - 1];
      if (prev === '>' || prev === '<' || next === '>') {
        // 2>&1, &> : a redirection, not an operator
        word += c;
        inWord = true;
      } else if (next === '&') {
        endCommand('&&');
        i++;
      } else {
        endCommand('&');
      }
    } else if (c === '|') {
      if (next === '|') {
        endCommand('||');
        i++;
      } else {
        endCommand('|');
      }
    } else if (c === '(' || c === ')') {
      // `$(` and `(` both start a nested command
      if (c === '(' && word.endsWith('$')) word = word.slice(0, -1);
      endCommand(c);
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand('');
  return { commands, operators: operators.filter((o) => o !== '') };
}

const COMMAND_PREFIXES = new Set(['sudo', 'exec', 'time', 'command', 'nohup', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '}', 'env']);

/** The command name (basename) and its arguments, skipping `VAR=x`, `sudo`, `if`, ... prefixes. */
function commandOf(words: string[]): { name: string; args: string[] } | null {
  let k = 0;
  while (k < words.length && (COMMAND_PREFIXES.has(words[k]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!))) k++;
  if (k >= words.length) return null;
  const name = words[k]!.split('/').pop() ?? '';
  return { name, args: words.slice(k + 1) };
}

/** apt-get options that take a separate value. */
const APT_OPTS_WITH_VALUE = new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']);

function aptSubcommand(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (APT_OPTS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return null;
}

/** Package names in an `apt-get install` / `apk add` argument list, versions and arch stripped. */
function packagesOf(args: string[], sub: string): string[] {
  const after = args.slice(args.indexOf(sub) + 1);
  const out: string[] = [];
  for (let i = 0; i < after.length; i++) {
    const a = after[i]!;
    if (APT_OPTS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    out.push(a.replace(/[=:].*$/, ''));
  }
  return out;
}

/** `set -o pipefail`, `set -euo pipefail`, `set -e -o pipefail`. */
function setsPipefail(cmd: { name: string; args: string[] }): boolean {
  return cmd.name === 'set' && cmd.args.includes('pipefail') && cmd.args.some((a) => /^-[A-Za-z]*o$/.test(a));
}

interface RunInfo {
  ins: Instruction;
  stage: Stage;
  /** Shell form command text (continuations joined); null for exec form (whose commands are still parsed). */
  shell: string | null;
  script: ShellScript;
  commands: { name: string; args: string[] }[];
  mounts: Map<string, string | null>[];
  flags: Flag[];
}

function isJsonArray(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('[')) return false;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

function mountsOf(flags: Flag[]): Map<string, string | null>[] {
  return flags
    .filter((f) => f.getName().toLowerCase() === 'mount')
    .map((f) => {
      const m = new Map<string, string | null>();
      for (const o of f.getOptions()) m.set(o.getName().toLowerCase(), o.getValue());
      if (!m.has('type')) m.set('type', 'bind');
      return m;
    });
}

function runInfos(model: Model): RunInfo[] {
  const out: RunInfo[] = [];
  for (const stage of model.stages) {
    for (const ins of stage.instructions) {
      if (ins.getKeyword() !== 'RUN') continue;
      const content = ins.getArgumentsContent() ?? '';
      const shell = isJsonArray(content) ? null : content;
      let script: ShellScript;
      if (shell !== null) {
        script = parseShell(shell);
      } else {
        // Exec form: one command, unless it is `sh -c '<script>'`.
        const argv = JSON.parse(content) as string[];
        const c = argv.indexOf('-c');
        const isShell = /(^|\/)(sh|bash|ash|dash|zsh)$/.test(argv[0] ?? '');
        script = isShell && c > 0 && argv[c + 1] !== undefined ? parseShell(argv[c + 1]!) : { commands: argv.length ? [argv] : [], operators: [] };
      }
      const commands = script.commands.map(commandOf).filter((c): c is { name: string; args: string[] } => c !== null);
      const flags = flagsOf(ins);
      out.push({ ins, stage, shell, script, commands, mounts: mountsOf(flags), flags });
    }
  }
  return out;
}

/** COPY/ADD sources and destination (shell or JSON form), flags excluded. */
function copyParts(ins: Instruction): { sources: string[]; dest: string | null } {
  const content = (ins.getArgumentsContent() ?? '').trim();
  let parts: string[];
  if (isJsonArray(content)) parts = JSON.parse(content) as string[];
  else parts = ins.getArguments().map((a) => a.getValue());
  if (parts.length === 0) return { sources: [], dest: null };
  return { sources: parts.slice(0, -1), dest: parts[parts.length - 1] ?? null };
}

function flagValue(ins: Instruction, name: string): string | null | undefined {
  const f = flagsOf(ins).find((x) => x.getName().toLowerCase() === name);
  return f ? f.getValue() : undefined;
}

/** Normalise a build-context path the way BuildKit does (no leading `/` or `./`, no trailing `/`). */

const isWholeContext = (src: string): boolean => {
  const c = cleanPath(src);
  return c === '' || c === '*';
};

// ---------------------------------------------------------------------------
// Rules

type Report = (rule: string, message: string, line?: number) => void;

function checkDockerfileUtils(model: Model, report: Report): void {
  // dockerfile-utils 0.16.3 reports nothing on the contract's good files
  // (RUN --mount, COPY --chmod, COPY --from=<image>, --platform=$BUILDPLATFORM
  // and ARG-based FROMs are all accepted), so no code is filtered out. Only
  // errors (1) and warnings (2) count; information and hints do not.
  for (const d of validate(model.text)) {
    if (d.severity !== 1 && d.severity !== 2) continue;
    report('dockerfile-utils', `${d.message} (dockerfile-utils code ${String(d.code)})`, d.range.start.line + 1);
  }
}

function checkSyntaxDirective(model: Model, report: Report): void {
  const first = model.text.split(/\r?\n/, 1)[0] ?? '';
  if (!/^#\s*syntax\s*=\s*docker\/dockerfile:1\s*$/.test(first)) {
    report('SyntaxDirective', `first line must be "# syntax=docker/dockerfile:1", found ${JSON.stringify(first)}`, 1);
  }
}

function checkStageNames(model: Model, report: Report): void {
  const seen = new Map<string, Stage>();
  for (const s of model.stages) {
    if (s.name === null || s.key === null) continue;
    const line = lineOf(s.from);
    if (s.name !== s.key) report('StageNameCasing', `stage name "${s.name}" must be lowercase`, line);
    if (s.key === 'scratch' || s.key === 'context') report('ReservedStageName', `stage name "${s.name}" is reserved`, line);
    const prev = seen.get(s.key);
    if (prev) report('DuplicateStageName', `stage name "${s.name}" is already used on line ${lineOf(prev.from)} (DL3024)`, line);
    else seen.set(s.key, s);
  }
}

function checkFromAsCasing(model: Model, report: Report): void {
  for (const s of model.stages) {
    const kw = s.from.getInstruction();
    const as = s.from.getArguments()[1]?.getValue();
    if (!as || as.toLowerCase() !== 'as') continue;
    const upper = kw === kw.toUpperCase();
    const lower = kw === kw.toLowerCase();
    if ((upper && as !== 'AS') || (lower && as !== 'as')) {
      report('FromAsCasing', `'${as}' and '${kw}' keywords' casing do not match`, lineOf(s.from));
    }
  }
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/**
 * DL3022/DL3023: a `--from` (COPY, or RUN --mount) must be an earlier stage by
 * name or index, or an external image pinned with a tag or digest. A bare
 * word that matches no stage is almost always a misspelt stage name.
 */
function checkFromReference(model: Model, stage: Stage, raw: string, line: number, what: string, report: Report): void {
  const value = substitute(raw, model.globalArgs);
  if (/^\d+$/.test(value)) {
    const idx = Number(value);
    if (idx === stage.index) report('DL3023', `${what} refers to its own stage (${value})`, line);
    else if (idx > stage.index) report('DL3022', `${what} refers to stage ${value}, which is not an earlier stage`, line);
    return;
  }
  const key = value.toLowerCase();
  const target = model.stages.find((s) => s.key === key);
  if (target) {
    if (target === stage) report('DL3023', `${what} refers to its own stage "${value}"`, line);
    else if (target.index > stage.index) report('DL3022', `${what} refers to stage "${value}", defined later (line ${lineOf(target.from)})`, line);
    return;
  }
  if (value.includes('$')) {
    report('DL3022', `${what} uses a variable that cannot be resolved: "${raw}"`, line);
    return;
  }
  const ref = parseImageRef(value);
  if (!ref.tag && !ref.digest) {
    const earlier = model.stages.filter((s) => s.key && s.index < stage.index).map((s) => s.key!);
    const close = earlier.filter((n) => levenshtein(n, key) <= 2);
    const hint = close.length ? ` (did you mean stage "${close[0]}"?)` : '';
    report('DL3022', `${what} names no earlier stage and is not an image with a tag or digest: "${value}"${hint}`, line);
  } else if (ref.tag === 'latest' && !ref.digest) {
    report('DL3022', `${what} uses image "${value}" with the "latest" tag: pin a version (DL3007)`, line);
  }
}

function checkCopyFrom(model: Model, runs: RunInfo[], report: Report): void {
  for (const stage of model.stages) {
    for (const ins of stage.instructions) {
      if (ins.getKeyword() !== 'COPY') continue;
      const from = flagValue(ins, 'from');
      if (from === undefined) continue;
      if (!from) report('DL3022', 'COPY --from has no value', lineOf(ins));
      else checkFromReference(model, stage, from, lineOf(ins), `COPY --from=${from}`, report);
    }
  }
  for (const run of runs) {
    for (const m of run.mounts) {
      const from = m.get('from');
      if (from === undefined) continue;
      if (!from) report('DL3022', 'RUN --mount from= has no value', lineOf(run.ins));
      else checkFromReference(model, run.stage, from, lineOf(run.ins), `RUN --mount=...,from=${from}`, report);
    }
  }
}

function checkInstructionCounts(model: Model, report: Report): void {
  for (const s of model.stages) {
    for (const kw of ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'] as const) {
      const list = s.instructions.filter((i) => i.getKeyword() === kw);
      if (list.length < 2) continue;
      const line = lineOf(list[1]!);
      const label = s.name ?? `#${s.index}`;
      report('MultipleInstructionsDisallowed', `stage ${label} has ${list.length} ${kw} instructions; only the last takes effect`, line);
      if (kw === 'CMD') report('DL4003', `stage ${label} has multiple CMD instructions`, line);
      if (kw === 'ENTRYPOINT') report('DL4004', `stage ${label} has multiple ENTRYPOINT instructions`, line);
    }
  }
  for (const ins of model.df.getInstructions()) {
    if (ins.getKeyword() === 'MAINTAINER') report('DL4000', 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors', lineOf(ins));
  }
}

function checkBaseImages(model: Model, report: Report): void {
  for (const s of model.stages) {
    const line = lineOf(s.from);
    const fromText = [s.from.getRawArgumentsContent() ?? '', ...flagsOf(s.from).map((f) => f.getValue() ?? '')].join(' ');

    // UndefinedArgInFrom / InvalidDefaultArgInFrom
    for (const m of fromText.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
      const name = m[1] ?? m[4] ?? '';
      const op = m[2];
      const fallback = m[3];
      if (AUTOMATIC_ARGS.has(name)) continue;
      if (!model.globalArgs.has(name)) {
        report('UndefinedArgInFrom', `FROM uses $${name}, which no ARG declares before the first FROM`, line);
      } else if (!model.globalArgs.get(name) && !(op && op.endsWith('-') && fallback)) {
        report('InvalidDefaultArgInFrom', `ARG ${name} is used in FROM but has no non-empty default`, line);
      }
    }

    // FromPlatformFlagConstDisallowed / RedundantTargetPlatform
    const platform = s.from.getPlatformFlag();
    if (platform) {
      const v = platform.getValue() ?? '';
      if (!v.includes('$')) report('FromPlatformFlagConstDisallowed', `FROM --platform=${v} is a constant: use $BUILDPLATFORM or leave it out`, line);
      else if (/^\$\{?TARGETPLATFORM\}?$/.test(v)) report('RedundantTargetPlatform', 'FROM --platform=$TARGETPLATFORM is the default and redundant', line);
    }

    // DL3006 / DL3007 on external images
    if (s.parent || s.image === null) continue; // a stage, or unresolvable (reported above)
    if (s.image === '' || s.image.toLowerCase() === 'scratch') continue; // empty: InvalidDefaultArgInFrom says why
    const ref = parseImageRef(s.image);
    if (!ref.tag && !ref.digest) report('DL3006', `image "${s.image}" has no tag: pin a version`, line);
    else if (ref.tag === 'latest') report('DL3007', `image "${s.image}" uses the "latest" tag: pin a version`, line);
  }
}

function checkExecForm(model: Model, report: Report): void {
  for (const ins of model.df.getInstructions()) {
    const kw = ins.getKeyword();
    const content = (ins.getArgumentsContent() ?? '').trim();
    if (kw === 'CMD' || kw === 'ENTRYPOINT') {
      if (!isJsonArray(content)) report('DL3025', `${kw} must use the JSON (exec) form (JSONArgsRecommended): ${content}`, lineOf(ins));
    } else if (kw === 'HEALTHCHECK') {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(content);
      const sub = m?.[1]?.toUpperCase();
      if (sub === 'NONE') continue;
      if (sub !== 'CMD' || !isJsonArray(m?.[2] ?? '')) report('DL3025', `HEALTHCHECK CMD must use the JSON (exec) form (JSONArgsRecommended): ${content}`, lineOf(ins));
    }
  }
}

function isAbsolutePath(p: string): boolean {
  const v = p.trim().replace(/^["']|["']$/g, '');
  return v.startsWith('/') || v.startsWith('$') || /^[A-Za-z]:[\\/]/.test(v);
}

function checkWorkdirAndCopyDest(model: Model, runs: RunInfo[], report: Report): void {
  for (const s of model.stages) {
    for (const ins of s.instructions) {
      if (ins.getKeyword() === 'WORKDIR' && !isAbsolutePath(ins.getArgumentsContent() ?? '')) {
        report('DL3000', `WORKDIR must be absolute (WorkdirRelativePath): ${ins.getArgumentsContent() ?? ''}`, lineOf(ins));
      }
    }
  }

  // DL3045: relative COPY destination before any WORKDIR. A stage built FROM
  // an earlier stage inherits that stage's WORKDIR.
  for (const s of model.stages) {
    let hasWorkdir = ancestry(s)
      .slice(1)
      .some((a) => a.instructions.some((i) => i.getKeyword() === 'WORKDIR'));
    for (const ins of s.instructions) {
      const kw = ins.getKeyword();
      if (kw === 'WORKDIR') hasWorkdir = true;
      if ((kw === 'COPY' || kw === 'ADD') && !hasWorkdir) {
        const { dest } = copyParts(ins);
        if (dest !== null && !isAbsolutePath(dest)) report('DL3045', `${kw} to relative destination "${dest}" before any WORKDIR is set`, lineOf(ins));
      }
    }
  }

  // DL3003: `cd` in RUN; use WORKDIR instead.
  for (const run of runs) {
    if (run.commands.some((c) => c.name === 'cd')) report('DL3003', 'use WORKDIR to switch directories, not `cd` in RUN', lineOf(run.ins));
  }
}

function checkInstructionForms(model: Model, report: Report): void {
  for (const ins of model.df.getInstructions()) {
    const kw = ins.getKeyword();
    if (kw === 'ADD') report('DL3020', 'use COPY instead of ADD (CIS 4.9)', lineOf(ins));
    if (kw === 'ENV' || kw === 'LABEL') {
      for (const p of propertiesOf(ins)) {
        if (p.getAssignmentOperator() === null) {
          report('LegacyKeyValueFormat', `"${kw} ${p.getName()} ..." uses the legacy format: write ${kw} ${p.getName()}=value`, lineOf(ins));
        }
      }
    }
    if (kw === 'EXPOSE') {
      for (const a of ins.getArguments()) {
        const v = a.getValue();
        // Only a port (or range), optionally /tcp|/udp|/sctp in lowercase; never host:port mappings.
        if (!/^(\d+(-\d+)?|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)(\/(tcp|udp|sctp))?$/.test(v)) {
          report('ExposeInvalidFormat', `EXPOSE takes a port and optional lowercase protocol only, found "${v}"`, lineOf(ins));
        }
      }
    }
  }
}

function shellSetsPipefail(ins: Instruction): boolean {
  const content = ins.getArgumentsContent() ?? '';
  if (!isJsonArray(content)) return false;
  const argv = JSON.parse(content) as string[];
  const i = argv.indexOf('pipefail');
  return i > 0 && /^-[A-Za-z]*o$/.test(argv[i - 1]!);
}

function checkPipefail(runs: RunInfo[], report: Report): void {
  for (const run of runs) {
    if (run.shell === null || !run.script.operators.includes('|')) continue;
    if (run.commands.some(setsPipefail)) continue;
    // The SHELL in force: the last one in this stage before the RUN, else the
    // last one in the stages it is built FROM (SHELL is part of the image config).
    let shell: Instruction | null = null;
    const runLine = run.ins.getRange().start.line;
    for (const s of ancestry(run.stage)) {
      const cands = s.instructions.filter((i) => i.getKeyword() === 'SHELL' && (s !== run.stage || i.getRange().start.line < runLine));
      if (cands.length) {
        shell = cands[cands.length - 1]!;
        break;
      }
    }
    if (shell && shellSetsPipefail(shell)) continue;
    report('DL4006', 'RUN with a pipe needs `set -o pipefail` or SHELL ["/bin/bash", "-o", "pipefail", "-c"]', lineOf(run.ins));
  }
}

function checkApt(runs: RunInfo[], report: Report): void {
  for (const run of runs) {
    const line = lineOf(run.ins);
    if (run.commands.some((c) => c.name === 'apt')) report('DL3027', 'use apt-get (or apt-cache), not apt, in scripts', line);

    const apt = run.commands.filter((c) => c.name === 'apt-get').map((c) => ({ ...c, sub: aptSubcommand(c.args) }));
    const hasUpdate = apt.some((c) => c.sub === 'update');
    const installs = apt.filter((c) => c.sub === 'install');

    for (const c of installs) {
      const yes = c.args.some((a) => a === '--yes' || a === '--assume-yes' || a === '-qq' || a === '-q=2' || /^-[a-z]*y[a-z]*$/.test(a));
      if (!yes) report('DL3014', 'apt-get install needs -y', line);
      const noRec = c.args.includes('--no-install-recommends') || c.args.some((a) => /^APT::Install-Recommends=(false|0)$/i.test(a));
      if (!noRec) report('DL3015', 'apt-get install needs --no-install-recommends', line);
    }

    if (hasUpdate) {
      const removesLists = run.commands.some((c) => c.name === 'rm' && c.args.some((a) => a.startsWith('/var/lib/apt/lists')));
      const cachesLists = run.mounts.some((m) => {
        const target = cleanPath(m.get('target') ?? m.get('dst') ?? m.get('destination') ?? '');
        return m.get('type') === 'cache' && (target === 'var/lib/apt' || target === 'var/lib/apt/lists');
      });
      if (!removesLists && !cachesLists) {
        report('DL3009', 'apt-get update leaves /var/lib/apt/lists in the layer: rm -rf /var/lib/apt/lists/* or use a cache mount on /var/lib/apt', line);
      }
    }

    // CIS 4.7: update and install belong to the same RUN, or the install uses stale lists.
    if (hasUpdate && installs.length === 0 && !apt.some((c) => c.sub === 'upgrade' || c.sub === 'dist-upgrade')) {
      report('CIS-4.7', 'apt-get update alone in a RUN: do it in the same RUN as apt-get install', line);
    }
    if (installs.length > 0 && !hasUpdate) {
      report('CIS-4.7', 'apt-get install without apt-get update in the same RUN', line);
    }
  }
}

function checkUser(model: Model, report: Report): void {
  for (const p of model.production) {
    let user: Instruction | null = null;
    let owner: Stage | null = null;
    for (const s of ancestry(p)) {
      const users = s.instructions.filter((i) => i.getKeyword() === 'USER');
      if (users.length) {
        user = users[users.length - 1]!;
        owner = s;
        break;
      }
    }
    const label = p.name ?? `#${p.index}`;
    if (!user || !owner) {
      report('DL3002', `production stage ${label} sets no USER and would run as root (CIS 4.1); add USER <uid>:<gid>`, lineOf(p.from));
      continue;
    }
    const value = (user.getArgumentsContent() ?? '').trim();
    const resolved = substitute(value, model.globalArgs);
    const name = resolved.split(':')[0]!.trim();
    if (name === 'root' || /^0+$/.test(name)) {
      const where = owner === p ? '' : ` (inherited from stage ${owner.name ?? owner.index})`;
      report('DL3002', `production stage ${label} runs as root: USER ${value}${where} (CIS 4.1)`, lineOf(user));
    }
  }
}

function checkSecrets(model: Model, report: Report): void {
  for (const ins of model.df.getInstructions()) {
    const kw = ins.getKeyword();
    if (kw !== 'ARG' && kw !== 'ENV') continue;
    for (const p of propertiesOf(ins)) {
      if (SECRET_NAME.test(p.getName())) {
        report('SecretsUsedInArgOrEnv', `${kw} ${p.getName()} looks like a secret; pass it with RUN --mount=type=secret (CIS 4.10)`, lineOf(ins));
      }
    }
  }
}

/** Whether a dependency install keeps dev dependencies (no --omit=dev / --production / --prod). */
function installsDevDependencies(c: { name: string; args: string[] }): boolean {
  const sub = c.args.find((a) => !a.startsWith('-'));
  const has = (re: RegExp) => c.args.some((a) => re.test(a));
  if (c.name === 'npm' && ['ci', 'install', 'i', 'add'].includes(sub ?? '')) {
    return !(has(/^--omit=dev$/) || has(/^--production$/) || has(/^--only=prod(uction)?$/) || (c.args.includes('--omit') && c.args.includes('dev')));
  }
  if (c.name === 'yarn' && (sub === undefined || sub === 'install')) return !has(/^--production/);
  if (c.name === 'pnpm' && (sub === 'install' || sub === 'i')) return !(has(/^--prod(uction)?$/) || c.args.includes('-P'));
  return false;
}

/** Whether a command compiles or builds (CIS 4.3: only build outputs reach production). */
function buildsSomething(c: { name: string; args: string[] }): boolean {
  if (COMPILERS.has(c.name)) return true;
  const sub = c.args.find((a) => !a.startsWith('-'));
  if (c.name === 'go' && ['build', 'install', 'mod', 'get', 'generate', 'test'].includes(sub ?? '')) return true;
  if ((c.name === 'npm' || c.name === 'pnpm' || c.name === 'yarn') && (sub === 'build' || ((sub === 'run' || sub === 'run-script') && c.args.includes('build')))) return true;
  return false;
}

function checkProductionContents(model: Model, runs: RunInfo[], report: Report): void {
  for (const p of model.production) {
    const label = p.name ?? `#${p.index}`;
    const chain = ancestry(p);
    // Report the nearest offending ancestor only: one cause, one message.
    const bad = chain.slice(1).find((a) => a.key && NON_RUNTIME_STAGE.test(a.key) && !model.production.includes(a));
    if (bad) report('CIS-4.3', `production stage ${label} is built FROM stage "${bad.name}", which carries source, dev dependencies or toolchains`, lineOf(p.from));
    const root = chain[chain.length - 1]!;
    const repo = root.image === null ? '' : parseImageRef(root.image).name.split('/').pop() ?? '';
    if (TOOLCHAIN_IMAGE.test(repo)) {
      report('CIS-4.3', `production stage ${label} is based on the toolchain image "${root.image}"; ship a runtime image (distroless, debian-slim, scratch)`, lineOf(p.from));
    }
    for (const s of chain) {
      const via = s === p ? '' : ` (in stage ${s.name ?? s.index}, which ${label} is built from)`;
      for (const ins of s.instructions) {
        const kw = ins.getKeyword();
        if ((kw === 'COPY' || kw === 'ADD') && flagValue(ins, 'from') === undefined) {
          if (copyParts(ins).sources.some(isWholeContext)) {
            report('CIS-4.3', `production image copies the whole build context${via}: copy build outputs only`, lineOf(ins));
          }
        }
      }
      for (const run of runs.filter((r) => r.stage === s)) {
        for (const c of run.commands) {
          if (buildsSomething(c)) {
            report('CIS-4.3', `production image runs a compiler/build step \`${[c.name, ...c.args].join(' ')}\`${via}`, lineOf(run.ins));
          } else if (installsDevDependencies(c)) {
            // `npm install -g pnpm` puts a package manager, not dev dependencies, into the image: also CIS 4.3, but say so.
            const what = c.args.includes('-g') || c.args.includes('--global') ? 'a global package/package manager' : 'dev dependencies';
            report('CIS-4.3', `production image installs ${what} \`${[c.name, ...c.args].join(' ')}\`${via}`, lineOf(run.ins));
          } else if (c.name === 'apt-get' || c.name === 'apk') {
            const sub = aptSubcommand(c.args);
            if (sub === 'install' || sub === 'add') {
              const tools = packagesOf(c.args, sub).filter((pkg) => TOOLCHAIN_PACKAGE.test(pkg));
              if (tools.length) report('CIS-4.3', `production image installs build tools ${tools.join(', ')}${via}`, lineOf(run.ins));
            }
          }
        }
      }
    }
  }
}

function checkHealthcheck(model: Model, report: Report): void {
  for (const p of model.production) {
    const chain = ancestry(p);
    const root = chain[chain.length - 1]!;
    const baseImage = (root.image ?? '').toLowerCase();
    // Documented exceptions: distroless and scratch have no shell or tool to run a probe.
    if (baseImage === 'scratch' || baseImage.includes('distroless')) continue;
    let found: Instruction | null = null;
    for (const s of chain) {
      const hc = s.instructions.filter((i) => i.getKeyword() === 'HEALTHCHECK');
      if (hc.length) {
        found = hc[hc.length - 1]!;
        break;
      }
    }
    const label = p.name ?? `#${p.index}`;
    if (!found) report('CIS-4.6', `production stage ${label} has no HEALTHCHECK (only distroless/scratch bases are exempt)`, lineOf(p.from));
    else if (/^NONE\b/i.test((found.getArgumentsContent() ?? '').trim()) && !declaredCommand(model, chain, found)) {
      report('CIS-4.6', `production stage ${label} disables HEALTHCHECK (a command that runs to completion may, under a "# CIS-4.6 exception: <reason>" comment, if it EXPOSEs no port)`, lineOf(found));
    }
  }
}

/**
 * A production target that is a command running to completion (a CLI tool)
 * has no process to probe. It may say so explicitly: `HEALTHCHECK NONE`
 * directly under a comment `# CIS-4.6 exception: <reason>`. A stage that
 * EXPOSEs a port is a service and never qualifies.
 */
const HEALTHCHECK_EXCEPTION = /^#\s*CIS-4\.6 exception:\s*\S/;

function declaredCommand(model: Model, chain: Stage[], none: Instruction): boolean {
  if (chain.some((s) => s.instructions.some((i) => i.getKeyword() === 'EXPOSE'))) return false;
  const previousLine = model.text.split(/\r?\n/)[lineOf(none) - 2] ?? '';
  return HEALTHCHECK_EXCEPTION.test(previousLine.trim());
}

function checkOciLabels(model: Model, report: Report): void {
  for (const ins of model.df.getInstructions()) {
    if (ins.getKeyword() !== 'LABEL') continue;
    for (const p of propertiesOf(ins)) {
      const name = p.getName();
      if (name.startsWith(OCI_PREFIX) && !OCI_KEYS.has(name.slice(OCI_PREFIX.length))) {
        report('OCILabels', `unknown OCI label "${name}"`, lineOf(ins));
      }
    }
  }
  for (const p of model.production) {
    let title: string | null | undefined;
    for (const s of ancestry(p).reverse()) {
      for (const ins of s.instructions) {
        if (ins.getKeyword() !== 'LABEL') continue;
        for (const prop of propertiesOf(ins)) if (prop.getName() === `${OCI_PREFIX}title`) title = prop.getValue();
      }
    }
    if (!title) report('OCILabels', `production stage ${p.name ?? p.index} needs a non-empty LABEL ${OCI_PREFIX}title`, lineOf(p.from));
  }
}

function checkStageOrder(model: Model, options: CheckOptions, report: Report): void {
  const required = options.expectedStages !== undefined;
  const core = (options.expectedStages ?? CORE_STAGE_ORDER).map((s) => s.toLowerCase());
  const pos = core.map((n) => model.stages.findIndex((s) => s.key === n));
  if (required) {
    core.forEach((n, i) => {
      if (pos[i]! < 0) report('StageOrder', `expected stage "${n}" is missing`);
    });
  }
  let lastName: string | null = null;
  let last = -1;
  core.forEach((n, i) => {
    const p = pos[i]!;
    if (p < 0) return;
    if (p < last) report('StageOrder', `stage "${n}" must come after "${lastName}" (order: ${core.join(' → ')})`, lineOf(model.stages[p]!.from));
    else {
      last = p;
      lastName = n;
    }
  });
  const builder = core.indexOf('builder');
  if (required && builder >= 0 && pos[builder]! >= 0) {
    for (const s of model.stages.slice(0, pos[builder])) {
      if (s.key === null || !core.includes(s.key)) {
        report('StageOrder', `extra stage "${s.name ?? s.index}" must come after "builder"`, lineOf(s.from));
      }
    }
  }
  for (const t of options.productionTargets ?? []) {
    if (!model.stages.some((s) => s.key === t.toLowerCase())) report('StageOrder', `production target "${t}" is not a stage`);
  }
}

function checkForbiddenSyntax(model: Model, report: Report): void {
  for (const ins of model.df.getInstructions()) {
    const kw = ins.getKeyword();
    const line = lineOf(ins);
    const allowed = ALLOWED_FLAGS[kw];
    const flags = flagsOf(ins);
    if (allowed) {
      for (const f of flags) {
        if (!allowed.has(f.getName().toLowerCase())) report('ForbiddenSyntax', `${kw} --${f.getName()} is newer than the Dockerfile 1.2 frontend the test engine runs`, line);
      }
    }
    if (kw === 'RUN') {
      for (const m of mountsOf(flags)) {
        const type = m.get('type') ?? '';
        if (!ALLOWED_MOUNT_TYPES.has(type)) report('ForbiddenSyntax', `RUN --mount=type=${type} is not one of ${[...ALLOWED_MOUNT_TYPES].join(', ')}`, line);
      }
    }
    if (kw === 'COPY' || kw === 'ADD') {
      const chmod = flagValue(ins, 'chmod');
      if (chmod !== undefined && !/^[0-7]{3,4}$/.test(chmod ?? '')) report('ForbiddenSyntax', `--chmod=${chmod ?? ''} must be an octal mode such as 0755`, line);
    }
    if (kw === 'RUN' || kw === 'COPY' || kw === 'ADD') {
      // `<<<` is a bash here-string, not a Dockerfile heredoc.
      if (/(?<!<)<<(?!<)-?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\1/.test(ins.getRawArgumentsContent() ?? '')) {
        report('ForbiddenSyntax', `heredoc in ${kw} needs a newer frontend than the test engine's`, line);
      }
    }
    // The frontend expands variables in every instruction except the command
    // text of RUN/CMD/ENTRYPOINT/HEALTHCHECK/SHELL, which the shell expands
    // (where ${v#pat} is ordinary shell). Flags (RUN --mount=...) are expanded
    // by the frontend too.
    const shellText = ['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL'].includes(kw);
    const expanded = [...flags.map((f) => f.getValue() ?? ''), shellText ? '' : ins.getRawArgumentsContent() ?? ''].join(' ');
    const sub = /\$\{[A-Za-z_][A-Za-z0-9_]*(#|%|\/|\^|,)/.exec(expanded);
    if (sub) report('ForbiddenSyntax', `"${sub[0]}…" pattern substitution is not supported by older frontends; use :- or :+ only`, line);
  }
}

function checkCopyIgnoredFile(model: Model, runs: RunInfo[], options: CheckOptions, report: Report): void {
  if (options.dockerignore === undefined) return;
  const patterns = parseDockerignore(options.dockerignore);
  const checkSource = (src: string, line: number, what: string) => {
    if (isWholeContext(src) || src.includes('$')) return;
    const path = cleanPath(src);
    const glob = path.split('/').findIndex((seg) => /[*?[]/.test(seg));
    if (glob >= 0) {
      // A glob's matches are unknown here: check the directory it lives in, and
      // the pattern text itself (so `.env*` against an ignored `.env*` is caught).
      const dir = path.split('/').slice(0, glob).join('/');
      const by = (dir && ignoredBy(patterns, dir)) || ignoredBy(patterns, path);
      if (by) report('CopyIgnoredFile', `${what} "${src}" is excluded by .dockerignore pattern "${by}"`, line);
      return;
    }
    const by = ignoredBy(patterns, path);
    if (by) report('CopyIgnoredFile', `${what} "${src}" is excluded by .dockerignore pattern "${by}"`, line);
  };
  for (const s of model.stages) {
    for (const ins of s.instructions) {
      const kw = ins.getKeyword();
      if ((kw !== 'COPY' && kw !== 'ADD') || flagValue(ins, 'from') !== undefined) continue;
      for (const src of copyParts(ins).sources) {
        if (/^[a-z]+:\/\//i.test(src)) continue; // ADD <url>
        checkSource(src, lineOf(ins), kw);
      }
    }
  }
  // Bind mounts without from= read the build context, which .dockerignore filters too.
  for (const run of runs) {
    for (const m of run.mounts) {
      if (m.get('type') !== 'bind' || m.has('from')) continue;
      const src = m.get('source') ?? m.get('src') ?? '';
      checkSource(src, lineOf(run.ins), 'RUN --mount=type=bind source');
    }
  }
}

/**
 * The contract: the .dockerignore keeps out VCS data, local dependencies,
 * build outputs and secrets. Checked with sample paths; "local dependencies"
 * only for Node (node_modules) because Go vendor/ must reach the build and
 * C++ build directory names vary.
 */
function checkDockerignoreCoverage(runs: RunInfo[], options: CheckOptions, report: Report): void {
  if (options.dockerignore === undefined) return;
  const patterns = parseDockerignore(options.dockerignore);
  const samples = ['.git', '.git/config', '.env.local', 'private.pem', 'server.key'];
  const usesNode = runs.some((r) => r.commands.some((c) => ['npm', 'pnpm', 'yarn', 'npx', 'bun'].includes(c.name)));
  // Next.js rules: .env and .env.production are committed build input (NEXT_PUBLIC_*
  // defaults); only .env*.local files are secret. Elsewhere every .env file is.
  if (usesNode) samples.push('node_modules', 'node_modules/left-pad/index.js', '.env.production.local', '.npmrc');
  else samples.push('.env', '.env.production');
  for (const p of samples) {
    if (!ignoredBy(patterns, p)) report('DockerignoreCoverage', `.dockerignore does not exclude "${p}"`);
  }
}

/** Cache mounts must carry an id so projects and stages do not share (and corrupt) one cache. */
function checkCacheMounts(runs: RunInfo[], report: Report): void {
  for (const run of runs) {
    for (const m of run.mounts) {
      if (m.get('type') === 'cache' && !m.get('id')) {
        report('CacheMountId', `cache mount on ${m.get('target') ?? m.get('dst') ?? '?'} has no id=`, lineOf(run.ins));
      }
    }
  }
}

/** A dependency install without a cache mount downloads everything again whenever its layer is rebuilt. */
function checkInstallCacheMounts(runs: RunInfo[], report: Report): void {
  const installer = (c: { name: string; args: string[] }): string | undefined => {
    const sub = c.args.find((a) => !a.startsWith('-'));
    if (c.name === 'npm' && ['ci', 'install', 'i'].includes(sub ?? '')) return `npm ${sub}`;
    if (c.name === 'pnpm' && ['install', 'i', 'fetch'].includes(sub ?? '')) return `pnpm ${sub}`;
    if (c.name === 'yarn' && (sub === undefined || sub === 'install')) return 'yarn install';
    if (c.name === 'bun' && (sub === 'install' || sub === 'i')) return 'bun install';
    if (c.name === 'go' && sub === 'mod' && c.args.includes('download')) return 'go mod download';
    if ((c.name === 'pip' || c.name === 'pip3') && sub === 'install') return `${c.name} install`;
    return undefined;
  };
  for (const run of runs) {
    const install = run.commands.map(installer).find((found) => found !== undefined);
    if (install && !run.mounts.some((m) => m.get('type') === 'cache')) {
      report('InstallCacheMount', `\`${install}\` runs without a cache mount: every rebuild of this layer downloads everything again`, lineOf(run.ins));
    }
  }
}

/** Manifests before source: a dependency install after the whole context was copied re-runs on every source edit. */
function checkManifestsFirst(model: Model, runs: RunInfo[], report: Report): void {
  const isInstall = (c: { name: string; args: string[] }) => {
    const sub = c.args.find((a) => !a.startsWith('-'));
    if (c.name === 'npm') return ['ci', 'install', 'i'].includes(sub ?? '');
    if (c.name === 'pnpm') return ['install', 'i', 'fetch'].includes(sub ?? '');
    if (c.name === 'yarn') return sub === undefined || sub === 'install';
    if (c.name === 'go') return sub === 'mod' && c.args.includes('download');
    return false;
  };
  for (const s of model.stages) {
    let copiedAll: Instruction | null = null;
    for (const a of ancestry(s).slice(1)) {
      for (const ins of a.instructions) {
        if (ins.getKeyword() === 'COPY' && flagValue(ins, 'from') === undefined && copyParts(ins).sources.some(isWholeContext)) copiedAll = ins;
      }
    }
    for (const ins of s.instructions) {
      if ((ins.getKeyword() === 'COPY' || ins.getKeyword() === 'ADD') && flagValue(ins, 'from') === undefined && copyParts(ins).sources.some(isWholeContext)) copiedAll = ins;
      if (ins.getKeyword() !== 'RUN' || !copiedAll) continue;
      const run = runs.find((r) => r.ins === ins);
      if (run?.commands.some(isInstall)) {
        report('ManifestsBeforeSource', `dependency install runs after the whole source was copied (line ${lineOf(copiedAll)}): copy or bind-mount the manifests first`, lineOf(ins));
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Public API

export function checkDockerfile(text: string, options: CheckOptions = {}): Violation[] {
  const violations: Violation[] = [];
  const report: Report = (rule, message, line) => {
    violations.push(line === undefined ? { rule, message } : { rule, message, line });
  };
  const model = buildModel(text, options);
  const runs = runInfos(model);

  checkDockerfileUtils(model, report);
  checkSyntaxDirective(model, report);
  checkStageNames(model, report);
  checkFromAsCasing(model, report);
  checkCopyFrom(model, runs, report);
  checkInstructionCounts(model, report);
  checkBaseImages(model, report);
  checkExecForm(model, report);
  checkWorkdirAndCopyDest(model, runs, report);
  checkInstructionForms(model, report);
  checkPipefail(runs, report);
  checkApt(runs, report);
  checkUser(model, report);
  checkSecrets(model, report);
  checkProductionContents(model, runs, report);
  checkHealthcheck(model, report);
  checkOciLabels(model, report);
  checkStageOrder(model, options, report);
  checkForbiddenSyntax(model, report);
  checkCopyIgnoredFile(model, runs, options, report);
  checkDockerignoreCoverage(runs, options, report);
  checkCacheMounts(runs, report);
  checkInstallCacheMounts(runs, report);
  checkManifestsFirst(model, runs, report);

  // Stable sort by line so a failure message reads top to bottom; file-level findings last.
  return violations
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (a.v.line ?? Infinity) - (b.v.line ?? Infinity) || a.i - b.i)
    .map(({ v }) => v);
}

export function formatViolations(v: Violation[]): string {
  if (v.length === 0) return 'no Dockerfile rule violations';
  const lines = v.map((x) => `  ${x.line !== undefined ? `line ${String(x.line).padStart(3)}` : 'file    '}  [${x.rule}] ${x.message}`);
  return `${v.length} Dockerfile rule violation${v.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}
