import { helpText, parseArgs } from './cli.js';
import { create, type RunReport } from './create.js';
import { exitCodeFor, EXIT } from './errors.js';
import { createTerminalPrompter, type Prompter } from './prompts.js';
import { STACKS } from './stacks/index.js';
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
}

const EXPECTED_ERRORS = new Set(['FailedError', 'UsageError', 'CancelledError', 'PackageJsonError']);

/** The whole CLI: argv in, exit code out. Never throws, never calls process.exit. */
export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  configureColor(env, Boolean(stdout.isTTY));
  let json = false;
  const human = (stream: NodeJS.WritableStream) => (line = '') => void stream.write(`${line}\n`);
  const out: Output = { info: human(stdout), data: (text) => void stdout.write(text), error: human(stderr) };

  try {
    const options = parseArgs(argv, STACKS);
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
      cwd: io.cwd ?? process.cwd(),
      env,
      out,
      stacks: STACKS,
      ...(prompter ? { prompter } : {}),
      ...(io.writeOps ? { writeOps: io.writeOps } : {}),
      ...(io.install ? { install: io.install } : {}),
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
