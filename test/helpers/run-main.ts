// Runs the CLI's main() in-process with in-memory stdout/stderr.

import { Writable } from 'node:stream';
import { main, type MainIo } from '../../src/index.js';

export interface RunMainOptions {
  cwd: string;
  /** The whole environment main sees; defaults to NO_COLOR only, so the test runner's npm_config_* cannot leak in. */
  env?: NodeJS.ProcessEnv;
  stdinIsTTY?: boolean;
  prompter?: MainIo['prompter'];
  writeOps?: MainIo['writeOps'];
  /** Replaces the package manager install; by default it is recorded and succeeds without running anything. */
  install?: MainIo['install'];
  /** Replaces npm (kit resolution, fetching an older version's templates). */
  npm?: MainIo['npm'];
  /** Poses as another version with other templates; keeps the template cache in a test folder. */
  upgrade?: MainIo['upgrade'];
}

export interface RunMainResult {
  code: number;
  stdout: string;
  stderr: string;
  installs: { command: string; args: string[]; cwd: string }[];
  /** stdout parsed as JSON (for --json runs); throws with the raw text when it is not JSON. */
  json<T = unknown>(): T;
}

class MemoryStream extends Writable {
  private chunks: Buffer[] = [];
  isTTY = false;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export async function runMain(argv: string[], options: RunMainOptions): Promise<RunMainResult> {
  const stdout = new MemoryStream();
  const stderr = new MemoryStream();
  const installs: RunMainResult['installs'] = [];
  const code = await main(argv, {
    cwd: options.cwd,
    env: options.env ?? { NO_COLOR: '1' },
    stdout,
    stderr,
    stdinIsTTY: options.stdinIsTTY ?? false,
    ...(options.prompter ? { prompter: options.prompter } : {}),
    ...(options.writeOps ? { writeOps: options.writeOps } : {}),
    ...(options.npm ? { npm: options.npm } : {}),
    ...(options.upgrade ? { upgrade: options.upgrade } : {}),
    install:
      options.install ??
      ((command, args, cwd) => {
        installs.push({ command, args, cwd });
        return 0;
      }),
  });
  const out = stdout.text();
  return {
    code,
    stdout: out,
    stderr: stderr.text(),
    installs,
    json<T>(): T {
      try {
        return JSON.parse(out) as T;
      } catch {
        throw new Error(`stdout is not JSON:\n${out}\n--- stderr:\n${stderr.text()}`);
      }
    },
  };
}
