import { UsageError } from './errors.js';
import { InvalidValue, validateDirectory } from './validate.js';
import type { StackModule } from './stacks/types.js';
import { CI_PROVIDERS, parseCiProvider, type CiProvider } from './ci.js';

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

interface RunFlag {
  name: string;
  short?: string;
  /** Which CliOptions boolean it sets, and to what. */
  sets: keyof Pick<CliOptions, 'yes' | 'dryRun' | 'force' | 'json' | 'skipInstall' | 'compose' | 'scripts' | 'help' | 'version'>;
  value: boolean;
  help: string;
}

const RUN_FLAGS: RunFlag[] = [
  { name: 'yes', short: 'y', sets: 'yes', value: true, help: 'accept detected and default answers; never prompt' },
  { name: 'compose', sets: 'compose', value: true, help: 'write compose.yaml again after an earlier --no-compose' },
  { name: 'no-compose', sets: 'compose', value: false, help: 'do not write compose.yaml' },
  { name: 'no-scripts', sets: 'scripts', value: false, help: 'do not add docker:* scripts to package.json' },
  { name: 'skip-install', sets: 'skipInstall', value: true, help: 'new project: do not run the package manager install' },
  { name: 'dry-run', sets: 'dryRun', value: true, help: 'print the plan and diffs; write nothing' },
  { name: 'force', sets: 'force', value: true, help: 'overwrite conflicting files without asking' },
  { name: 'json', sets: 'json', value: true, help: 'print the plan as JSON on stdout (implies no prompts)' },
  { name: 'help', short: 'h', sets: 'help', value: true, help: 'show this help' },
  { name: 'version', short: 'v', sets: 'version', value: true, help: 'print the version' },
];

/** Run flags that take a value. */
const VALUE_RUN_FLAGS = [
  { name: 'kit', usage: '--kit <spec>', help: 'organisation starter kit: a directory, a .tgz or an npm package (default: "multistage": { "kit" } in package.json)' },
  { name: 'ci', usage: `--ci <${CI_PROVIDERS.join('|')}>`, help: 'write docker-bake.hcl and a CI workflow that tests, then builds and pushes the images (default: none)' },
] as const;

/** Flag names a stack question (for example one a kit defines) may not take. */
export const RESERVED_FLAGS: readonly string[] = ['stack', ...VALUE_RUN_FLAGS.map((f) => f.name), ...RUN_FLAGS.map((f) => f.name), 'scripts'];

/** Question flags: `--stack`, plus every question flag any stack defines (boolean for confirm questions). */
function valueFlags(stacks: StackModule[]): Map<string, { boolean: boolean }> {
  const flags = new Map<string, { boolean: boolean }>([['stack', { boolean: false }]]);
  for (const stack of stacks) {
    for (const question of stack.questions) {
      if (!flags.has(question.flag)) flags.set(question.flag, { boolean: question.type === 'confirm' });
    }
  }
  return flags;
}

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

export function parseArgs(argv: string[], stacks: StackModule[]): CliOptions {
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
  const takesValue = valueFlags(stacks);
  const allNames = [...RUN_FLAGS.map((f) => f.name), ...VALUE_RUN_FLAGS.map((f) => f.name), ...takesValue.keys()];
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inlineValue: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inlineValue = eq === -1 ? undefined : arg.slice(eq + 1);
    } else {
      const short = RUN_FLAGS.find((f) => f.short === arg.slice(1));
      if (!short) throw new UsageError(`Unknown flag ${arg}. Run with --help to see the flags.`);
      name = short.name;
    }

    const runFlag = RUN_FLAGS.find((f) => f.name === name);
    if (runFlag) {
      if (inlineValue !== undefined) throw new UsageError(`--${name} does not take a value (got "--${name}=${inlineValue}").`);
      options[runFlag.sets] = runFlag.value;
      if (runFlag.sets === 'compose') options.composeFlag = runFlag.value;
      continue;
    }
    if (name === 'kit') {
      const value = inlineValue ?? argv[i + 1];
      if (inlineValue === undefined) {
        if (value === undefined || value.startsWith('-')) throw new UsageError('--kit needs a value: a directory, a .tgz file or an npm package name.');
        i++;
      }
      try {
        options.kit = validateDirectory(value!);
      } catch (error) {
        if (error instanceof InvalidValue) throw new UsageError(`--kit ${error.message}.`);
        throw error;
      }
      continue;
    }
    // `--no-standalone`: the negative form of a question switch.
    if (!takesValue.has(name) && name.startsWith('no-') && takesValue.get(name.slice(3))?.boolean && inlineValue === undefined) {
      options.values[name.slice(3)] = 'false';
      continue;
    }
    if (name === 'ci') {
      const value = inlineValue ?? argv[i + 1];
      if (inlineValue === undefined) {
        if (value === undefined || value.startsWith('-')) throw new UsageError(`--ci needs a value: ${CI_PROVIDERS.join(', ')}.`);
        i++;
      }
      options.ci = parseCiProvider(value!);
      continue;
    }
    if (!takesValue.has(name)) {
      const suggestion = closest(name, allNames);
      throw new UsageError(
        `Unknown flag --${name}.${suggestion ? ` Did you mean --${suggestion}?` : ''} Run with --help to see the flags.`,
      );
    }
    let value = inlineValue;
    if (takesValue.get(name)!.boolean) {
      // `--static` means yes; `--static=false` is accepted for scripts that template flags.
      if (value !== undefined && value !== 'true' && value !== 'false') {
        throw new UsageError(`--${name} is a switch: use --${name} or --${name}=false (got "${value}").`);
      }
      options.values[name] = value ?? 'true';
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`--${name} needs a value.`);
      value = next;
      i++;
    }
    if (name === 'stack') {
      const ids = stacks.map((s) => s.id);
      if (!ids.includes(value)) throw new UsageError(`--stack must be one of ${ids.join(', ')}; got ${JSON.stringify(value)}.`);
      options.stack = value;
    } else {
      options.values[name] = value;
    }
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
    try {
      options.dir = validateDirectory(positionals[0]);
    } catch (error) {
      if (error instanceof InvalidValue) throw new UsageError(`The directory ${error.message}.`);
      throw error;
    }
  }
  return options;
}

export function helpText(stacks: StackModule[], version: string): string {
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
    `${pad('--stack <id>')}${stacks.map((s) => s.id).join(' | ')} (detected in existing projects)`,
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
  for (const flag of VALUE_RUN_FLAGS) lines.push(`${pad(flag.usage)}${flag.help}`);
  for (const flag of RUN_FLAGS) {
    lines.push(`${pad(`${flag.short ? `-${flag.short}, ` : ''}--${flag.name}`)}${flag.help}`);
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

function choiceList(flag: string, stacks: StackModule[]): string {
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
 * `--flag=value`; `words` lists every bare word, so the caller can still find
 * a pinned project whose directory follows a kit stack's switch.
 */
export function prescanArgs(argv: string[], stacks: StackModule[]): { kit?: string; dir?: string; words: string[] } {
  const switches = new Set<string>(RUN_FLAGS.map((f) => f.name));
  for (const [name, flag] of valueFlags(stacks)) if (flag.boolean) switches.add(name);
  const known = valueFlags(stacks);
  // Words that may be the directory after all: only values of flags these stacks do not know (a kit stack's switch).
  // The value of a known flag (`--name foo`) is never a directory, so its folder's kit pin is never fetched.
  const result: { kit?: string; dir?: string; words: string[] } = { words: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      result.dir ??= argv[i + 1];
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      result.dir ??= arg;
      continue;
    }
    if (!arg.startsWith('--')) continue; // short switches (-y, -h, -v)
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) {
      if (name === 'kit') result.kit = arg.slice(eq + 1);
      continue;
    }
    if (switches.has(name)) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('-')) continue;
    if (name === 'kit') result.kit = next;
    else if (!known.has(name)) result.words.push(next);
    i++;
  }
  return result;
}
