import { parseArgs as nodeParseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { attempt, validateDirectory, valueOr } from './validate.js';
import type { AnyStack } from './stacks/types.js';
import { CI_PROVIDERS, parseCiProvider, type CiProvider } from './ci.js';
import type { RunFlagName } from './run-flags.js';

/** Options that steer the run itself; stack answers travel in `values`. */
export interface CliOptions {
  dir?: string;
  stack?: string;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  json: boolean;
  skipInstall: boolean;
  compose: boolean;
  /** True when --compose was given: it undoes a --no-compose recorded by an earlier run. */
  composeFlag?: boolean;
  scripts: boolean;
  help: boolean;
  version: boolean;
  /** `--kit <spec>`: an organisation starter kit (directory, .tgz or npm package). */
  kit?: string;
  /** `--ci github|gitlab|none`: write docker-bake.hcl and a CI workflow (absent: a previous run's choice, else none). */
  ci?: CiProvider;
  /** Raw values of question flags (`--port 8080` → { port: '8080' }), validated once the stack is known. */
  values: Record<string, string>;
}

/**
 * One row per flag of the run itself (`--stack` included; the stacks' question
 * flags come from their questions). A row without `value` is a switch.
 */
interface Flag {
  name: RunFlagName;
  short?: string;
  /** Placeholder in --help for a flag that takes a value (`<spec>`). */
  value?: string;
  /**
   * What `--flag` without a value says it needs (after "--flag needs a value").
   * Such a flag takes no value starting with '-', not even a lone '-': it names no kit or CI provider.
   */
  needs?: string;
  help: string;
  apply: (options: CliOptions, value: string, stacks: AnyStack[]) => void;
}

const set =
  (patch: Partial<CliOptions>) =>
  (options: CliOptions): void =>
    void Object.assign(options, patch);

export const FLAGS: Flag[] = [
  {
    name: 'stack',
    value: '<id>',
    help: 'detected in existing projects',
    apply: (options, value, stacks) => {
      const ids = stacks.map((s) => s.id);
      if (!ids.includes(value)) throw new UsageError(`--stack must be one of ${ids.join(', ')}; got ${JSON.stringify(value)}.`);
      options.stack = value;
    },
  },
  {
    name: 'kit',
    value: '<spec>',
    needs: ': a directory, a .tgz file or an npm package name',
    help: 'organisation starter kit: a directory, a .tgz or an npm package (default: "multistage": { "kit" } in package.json)',
    apply: (options, value) => {
      options.kit = valueOr(
        attempt(() => validateDirectory(value)),
        (why) => new UsageError(`--kit ${why}.`),
      );
    },
  },
  {
    name: 'ci',
    value: `<${CI_PROVIDERS.join('|')}>`,
    needs: `: ${CI_PROVIDERS.join(', ')}`,
    help: 'write docker-bake.hcl and a CI workflow that tests, then builds and pushes the images (default: none)',
    apply: (options, value) => void (options.ci = parseCiProvider(value)),
  },
  { name: 'yes', short: 'y', help: 'accept detected and default answers; never prompt', apply: set({ yes: true }) },
  { name: 'compose', help: 'write compose.yaml again after an earlier --no-compose', apply: set({ compose: true, composeFlag: true }) },
  { name: 'no-compose', help: 'do not write compose.yaml', apply: set({ compose: false, composeFlag: false }) },
  { name: 'no-scripts', help: 'do not add docker:* scripts to package.json', apply: set({ scripts: false }) },
  { name: 'skip-install', help: 'new project: do not run the package manager install', apply: set({ skipInstall: true }) },
  { name: 'dry-run', help: 'print the plan and diffs; write nothing', apply: set({ dryRun: true }) },
  { name: 'force', help: 'overwrite conflicting files without asking', apply: set({ force: true }) },
  { name: 'json', help: 'print the plan as JSON on stdout (implies no prompts)', apply: set({ json: true }) },
  { name: 'help', short: 'h', help: 'show this help', apply: set({ help: true }) },
  { name: 'version', short: 'v', help: 'print the version', apply: set({ version: true }) },
];

// Every run flag has exactly one row (checked in test/unit/cli.test.ts); kits read the names from run-flags.ts.
export { RESERVED_FLAGS } from './run-flags.js';

/** Question flags any stack defines: true for a switch (a confirm question), false for a flag with a value. */
function questionFlags(stacks: AnyStack[]): Map<string, boolean> {
  const flags = new Map<string, boolean>();
  for (const question of stacks.flatMap((s) => s.questions)) if (!flags.has(question.flag)) flags.set(question.flag, question.type === 'confirm');
  return flags;
}

/**
 * Splits argv with node:util's parseArgs. Not in strict mode: its errors use
 * Node's wording and do not name the option in a field, while ours name it
 * and suggest the flag meant; so the checks run over the tokens it returns.
 * Non-strict, an unknown flag is a switch and a flag with a value takes the
 * next argument even if it starts with a dash (`--port --yes`), which the
 * callers turn into "needs a value".
 */
function tokenize(argv: string[], stacks: AnyStack[]) {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {};
  for (const flag of FLAGS) options[flag.name] = { type: flag.value ? 'string' : 'boolean', ...(flag.short ? { short: flag.short } : {}) };
  for (const [name, isSwitch] of questionFlags(stacks)) options[name] ??= { type: isSwitch ? 'boolean' : 'string' };
  return nodeParseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true }).tokens;
}

/** A value that reads as a flag: npm-style `-x`/`--x`, but a lone `-` is a value. */
const isFlagLike = (value: string): boolean => value.length > 1 && value.startsWith('-');

function closest(name: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length]!;
  };
  const best = candidates.map((c) => ({ c, d: distance(name, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? best.c : undefined;
}

export function parseArgs(argv: string[], stacks: AnyStack[]): CliOptions {
  const options: CliOptions = {
    yes: false,
    dryRun: false,
    force: false,
    json: false,
    skipInstall: false,
    compose: true,
    scripts: true,
    help: false,
    version: false,
    values: {},
  };
  const questions = questionFlags(stacks);
  const positionals: string[] = [];

  for (const token of tokenize(argv, stacks)) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const { name, rawName } = token;
    const arg = argv[token.index]!;
    const inline = token.inlineValue ? token.value : undefined;
    const flag = FLAGS.find((f) => f.name === name);
    // Short flags are not grouped: `-yv` is one unknown flag, as before parseArgs.
    if (!rawName.startsWith('--') && (arg !== rawName || !flag)) throw new UsageError(`Unknown flag ${arg}. Run with --help to see the flags.`);
    if (flag && !flag.value) {
      if (inline !== undefined) throw new UsageError(`--${name} does not take a value (got "--${name}=${inline}").`);
      flag.apply(options, '', stacks);
      continue;
    }
    // `--no-standalone`: the negative form of a question switch. (parseArgs' allowNegative needs Node 20.16
    // and would negate every switch, --no-yes included.)
    if (!flag && !questions.has(name) && name.startsWith('no-') && questions.get(name.slice(3)) && inline === undefined) {
      options.values[name.slice(3)] = 'false';
      continue;
    }
    if (!flag && !questions.has(name)) {
      const suggestion = closest(name, [...FLAGS.map((f) => f.name), ...questions.keys()]);
      throw new UsageError(`Unknown flag --${name}.${suggestion ? ` Did you mean --${suggestion}?` : ''} Run with --help to see the flags.`);
    }
    if (questions.get(name)) {
      // `--static` means yes; `--static=false` is accepted for scripts that template flags.
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        throw new UsageError(`--${name} is a switch: use --${name} or --${name}=false (got "${inline}").`);
      }
      options.values[name] = inline ?? 'true';
      continue;
    }
    const value = token.value;
    if (value === undefined || (inline === undefined && (isFlagLike(value) || (value === '-' && flag?.needs)))) throw new UsageError(`--${name} needs a value${flag?.needs ?? ''}.`);
    if (flag) flag.apply(options, value, stacks);
    else options.values[name] = value;
  }

  if (positionals.length > 1) {
    // The usual cause: `npm create multistage my-app --stack go` or `npm exec`
    // without `--`, where npm keeps `--stack` for itself and passes on `go`.
    throw new UsageError(
      [
        `Expected at most one directory, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}.`,
        'Run through npm (npm create, npm exec)? npm keeps flags placed before `--` for itself: put `--` before the flags,',
        `  e.g. npm create multistage@latest ${positionals[0]} -- --stack go`,
      ].join('\n'),
    );
  }
  if (positionals[0] !== undefined) {
    const dir = positionals[0];
    options.dir = valueOr(
      attempt(() => validateDirectory(dir)),
      (why) => new UsageError(`The directory ${why}.`),
    );
  }
  return options;
}

export function helpText(stacks: AnyStack[], version: string): string {
  const pad = (left: string): string => `  ${left.padEnd(26)}`;
  const lines = [
    `create-multistage ${version}`,
    '',
    'Add a production-grade multi-stage Dockerfile (base, dependencies, development,',
    'builder, production), npm scripts, .dockerignore, compose.yaml and README.Docker.md',
    'to a new or existing project.',
    '',
    'Usage:',
    '  npm create multistage@latest [dir] -- [flags]',
    '  create-multistage [dir] [flags]',
    '',
    'Without [dir], a project in the current directory is used; otherwise you are asked for a name.',
    '',
    'Answers:',
    `${pad('--stack <id>')}${stacks.map((s) => s.id).join(' | ')} (${FLAGS[0]!.help})`,
  ];
  const seen = new Set<string>();
  for (const stack of stacks) {
    for (const question of stack.questions) {
      if (seen.has(question.flag)) continue;
      seen.add(question.flag);
      const users = stacks.filter((s) => s.questions.some((q) => q.flag === question.flag)).map((s) => s.id);
      const scope = users.length === stacks.length ? '' : ` [${users.join(', ')}]`;
      const choices = question.type === 'select' ? choiceList(question.flag, stacks) : '';
      const usage = question.type === 'confirm' ? `--${question.flag}` : `--${question.flag} <value>`;
      lines.push(`${pad(usage)}${question.message}${choices}${scope}`);
    }
  }
  lines.push('', 'Run:');
  for (const flag of FLAGS.filter((f) => f.name !== 'stack')) {
    lines.push(`${pad(`${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value}` : ''}`)}${flag.help}`);
  }
  lines.push(
    '',
    'Kits (see docs/kits.md):',
    `${pad('kit init <dir>')}write a documented starter kit skeleton into <dir>`,
    `${pad('kit check <spec>')}validate a kit and render every stack with it; writes nothing`,
  );
  lines.push(
    '',
    'Check (for CI; writes nothing, no network unless an older version must be fetched):',
    `${pad('check [dir] [--json]')}generated files as generated / edited / out of date; Dockerfile rule findings`,
  );
  lines.push(
    '',
    'Examples:',
    '  npm create multistage@latest my-app -- --stack nextjs',
    '  npm create multistage@latest . -- --yes              # add Docker to the project here',
    '  npx create-multistage ../api --stack go --dry-run     # show the plan and diffs only',
    '  pnpm create multistage my-app --stack nextjs --pm pnpm --yes',
    '  npx create-multistage . --kit @acme/multistage-kit --yes  # with an organisation kit',
    '',
    'Exit codes: 0 done, 1 failed (e.g. unresolved conflicts), 2 bad usage or missing answer, 130 cancelled.',
    'Colour is off when NO_COLOR is set or output is not a terminal.',
  );
  return lines.join('\n');
}

function choiceList(flag: string, stacks: AnyStack[]): string {
  // Choices can depend on answers; the help lists those of a new project.
  const perStack: { id: string; values: string[] }[] = [];
  for (const stack of stacks) {
    for (const question of stack.questions) {
      if (question.flag !== flag || !question.choices) continue;
      try {
        const values = question.choices({ mode: 'new', answers: {}, detection: { existing: false, values: {}, facts: {}, notes: [] } }).map((c) => c.value);
        perStack.push({ id: stack.id, values });
      } catch {
        /* dynamic choices: described by the message */
      }
    }
  }
  if (perStack.length === 0) return '';
  const first = perStack[0]!.values.join(' | ');
  // The same choices everywhere: one list. Otherwise each stack's own, default first.
  if (perStack.every((p) => p.values.join(' | ') === first)) return `: ${first}`;
  return `: ${perStack.map((p) => `${p.id} ${p.values.join('|')}`).join('; ')} (first is the default)`;
}

/**
 * Looks for `--kit` and the directory before the stacks are known: a kit can
 * add stacks (and their flags), so the strict parse runs only once the kit is
 * loaded. Never throws: anything odd is left for the strict parse to report.
 * A flag it does not know is assumed to take a value unless written
 * `--flag=value`; `words` lists every such value, so the caller can still find
 * a pinned project whose directory follows a kit stack's switch.
 */
export function prescanArgs(argv: string[], stacks: AnyStack[]): { kit?: string; dir?: string; words: string[] } {
  const known = new Set([...FLAGS.map((f) => f.name), ...questionFlags(stacks).keys()]);
  const result: { kit?: string; dir?: string; words: string[] } = { words: [] };
  const tokens = tokenize(argv, stacks);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (token.kind === 'positional') {
      result.dir ??= token.value;
    } else if (token.kind === 'option-terminator') {
      if (next?.kind === 'positional') result.dir ??= next.value;
      break;
    } else if (token.name === 'kit') {
      if (token.value !== undefined && (token.inlineValue || !isFlagLike(token.value))) result.kit = token.value;
    } else if (!known.has(token.name) && token.rawName.startsWith('--') && token.value === undefined && next?.kind === 'positional' && next.index === token.index + 1 && next.value !== '-') {
      // parseArgs took the unknown flag for a switch and its value for a word.
      result.words.push(next.value);
      i++;
    }
  }
  return result;
}
