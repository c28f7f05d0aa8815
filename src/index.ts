import path from 'node:path';
import { helpText, parseArgs, prescanArgs, type CliOptions } from './cli.js';
import { create, type RunReport } from './create.js';
import { exitCodeFor, EXIT } from './errors.js';
import { createTerminalPrompter, type Prompter } from './prompts.js';
import { KIT_ERROR_NAMES } from './kit/errors.js';
import type { Kit } from './kit/load.js';
import { readKitPin } from './kit/pin.js';
import { defaultNpmRunner, type NpmRunner } from './npm.js';
import type { Plugin } from './plugin.js';
import { KIT_STACKS, STACKS } from './stacks/index.js';
import type { AnyStack } from './stacks/types.js';
import { configureColor, paint, type Output } from './ui.js';
import type { WriteOps } from './write.js';

declare const __PACKAGE_VERSION__: string | undefined;
export const VERSION = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-dev';

export interface MainIo {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream;
  stdinIsTTY?: boolean;
  prompter?: Prompter;
  writeOps?: WriteOps;
  install?: (command: string, args: string[], cwd: string) => number;
  /** Runs npm for kit resolution (`npm root -g`, `npm pack`) and older templates; tests replace it. */
  npm?: NpmRunner;
  /** Tests pose as another version (with its templates) and keep the template cache in a temporary folder. */
  upgrade?: { version?: string; templatesDir?: string; cacheDir?: string };
}

const EXPECTED_ERRORS = new Set(['FailedError', 'UsageError', 'CancelledError', 'PackageJsonError', 'LockedAnswerError', 'ArchiveError', ...KIT_ERROR_NAMES]);

const HELP_OR_VERSION = new Set(['-h', '--help', '-v', '--version']);

/**
 * Parses argv against the built-in stacks plus the kit's. The kit is found
 * first (--kit, else the target project's package.json pin) by a lenient
 * pre-scan, because a kit can add stacks and their flags; then the strict
 * parse runs. If the strict parse places the directory or --kit differently
 * than the pre-scan guessed, the kit is looked up again for what it found.
 */
async function parseWithKit(argv: string[], cwd: string, npm: NpmRunner): Promise<{ options: CliOptions; stacks: AnyStack[]; kit?: Kit }> {
  // Help and version never depend on (or fail because of) a kit.
  if (argv.some((arg) => HELP_OR_VERSION.has(arg))) return { options: parseArgs(argv, STACKS), stacks: STACKS };
  const wanted = (kitFlag: string | undefined, dir: string | undefined): { spec: string; baseDir: string; projectDir: string } | undefined => {
    const projectDir = path.resolve(cwd, dir ?? '.');
    // An empty --kit= is left for the strict parse to report.
    if (kitFlag !== undefined) return kitFlag === '' ? undefined : { spec: kitFlag, baseDir: cwd, projectDir };
    const pinned = readKitPin(projectDir);
    return pinned === undefined ? undefined : { spec: pinned, baseDir: projectDir, projectDir };
  };
  const guess = (word: string): ReturnType<typeof wanted> => {
    try {
      return wanted(undefined, word);
    } catch {
      return undefined; // only a guess: the strict parse decides what the directory is
    }
  };
  const pre = prescanArgs(argv, STACKS);
  let target = wanted(pre.kit, pre.dir);
  // A word the pre-scan took for a flag's value may be the directory (after a kit stack's
  // switch). That is only a guess: its kit failing to load must not fail a run it is not for.
  let guessed = false;
  if (!target) {
    target = pre.words.map(guess).find((found) => found !== undefined);
    guessed = target !== undefined;
  }
  for (let attempt = 0; ; attempt++) {
    let kit: Kit | undefined;
    let guessError: unknown;
    try {
      // The kit's code loads only for a run with a kit.
      kit = target ? (await import('./kit/load.js')).loadKit(target.spec, { baseDir: target.baseDir, projectDir: target.projectDir, npm }, STACKS) : undefined;
    } catch (error) {
      if (!guessed) throw error;
      guessError = error;
    }
    const stacks = kit ? [...STACKS, ...kit.dataStacks.map((d) => d.module)] : STACKS;
    let options: CliOptions;
    try {
      options = parseArgs(argv, stacks);
    } catch (error) {
      // Flags only the guessed kit's stacks know: its own error says more.
      throw guessError ?? error;
    }
    const found = wanted(options.kit, options.dir);
    const same = found?.spec === target?.spec && found?.baseDir === target?.baseDir;
    if ((same && guessError === undefined) || attempt > 0) return { options, stacks, ...(kit ? { kit } : {}) };
    target = found;
    guessed = false;
  }
}

/** `check`'s kit loader: the kit's code is imported up front (loadPlugin is synchronous), only for `check`. */
async function kitLoader(npm: NpmRunner): Promise<{ loadPlugin: (projectDir: string) => Plugin | undefined }> {
  const [{ loadKit }, { kitPlugin }] = await Promise.all([import('./kit/load.js'), import('./kit/plugin.js')]);
  return {
    loadPlugin: (projectDir) => {
      const pinned = readKitPin(projectDir);
      return pinned === undefined ? undefined : kitPlugin(loadKit(pinned, { baseDir: projectDir, projectDir, npm }, STACKS), STACKS);
    },
  };
}

/** The whole CLI: argv in, exit code out. Never throws, never calls process.exit. */
export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  configureColor(env, Boolean(stdout.isTTY));
  let json = false;
  const human =
    (stream: NodeJS.WritableStream) =>
    (line = '') =>
      void stream.write(`${line}\n`);
  const out: Output = { info: human(stdout), data: (text) => void stdout.write(text), error: human(stderr) };

  try {
    const cwd = io.cwd ?? process.cwd();
    const npm = io.npm ?? defaultNpmRunner(env);
    if (argv[0] === 'kit' && (argv[1] === 'init' || argv[1] === 'check')) {
      const { runKitCommand } = await import('./kit/command.js');
      return await runKitCommand(argv.slice(1), { cwd, out, npm, stacks: KIT_STACKS, version: VERSION });
    }
    if (argv[0] === 'check') {
      // Loaded only for `check`: the rule checker and its Dockerfile parser stay out of a normal run's start-up.
      const { runCheckCommand } = await import('./check/command.js');
      const result = await runCheckCommand(argv.slice(1), {
        cwd,
        env,
        out: { ...out, info: argv.includes('--json') ? human(stderr) : out.info },
        stacks: STACKS,
        npm,
        ...io.upgrade,
        ...(await kitLoader(npm)),
      });
      if (result.json) out.data(`${JSON.stringify(result.report, null, 2)}\n`);
      return result.code;
    }
    const { options, stacks, kit } = await parseWithKit(argv, cwd, npm);
    if (options.help) {
      out.info(helpText(STACKS, VERSION));
      return EXIT.ok;
    }
    if (options.version) {
      out.info(VERSION);
      return EXIT.ok;
    }
    json = options.json;
    // With --json, stdout carries one JSON document; everything for people goes to stderr.
    if (json) out.info = human(stderr);
    const stdinIsTTY = io.stdinIsTTY ?? Boolean(process.stdin.isTTY);
    const interactive = stdinIsTTY && !options.yes && !options.json;
    const prompter = interactive ? (io.prompter ?? createTerminalPrompter()) : undefined;
    const { code, report } = await create(options, {
      cwd,
      env,
      out,
      stacks,
      ...(kit ? { plugin: (await import('./kit/plugin.js')).kitPlugin(kit, STACKS) } : {}),
      ...(prompter ? { prompter } : {}),
      ...(io.writeOps ? { writeOps: io.writeOps } : {}),
      ...(io.install ? { install: io.install } : {}),
      upgrade: { npm, ...io.upgrade },
    });
    if (json) out.data(`${JSON.stringify(report satisfies RunReport, null, 2)}\n`);
    return code;
  } catch (error) {
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    if (json) out.data(`${JSON.stringify({ error: message, exitCode: code }, null, 2)}\n`);
    // Errors we raise on purpose carry a message for people; anything else is a bug worth a stack trace.
    const expected = error instanceof Error && EXPECTED_ERRORS.has(error.name);
    out.error(paint.red(expected || code !== EXIT.failed ? message : `Unexpected error: ${error instanceof Error ? (error.stack ?? message) : message}`));
    return code;
  }
}
