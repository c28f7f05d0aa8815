// Drives the built CLI in a pseudo-terminal: keys in, screen text out.

import pty from '@lydell/node-pty';
import { BIN, childEnv, requireBuiltCli } from './cli.js';

export const KEYS = {
  enter: '\r',
  up: '\x1b[A',
  down: '\x1b[B',
  ctrlC: '\x03',
  backspace: '\x7f',
} as const;

// CSI sequences (cursor moves, erase, colours, ?25l), OSC titles, and two-byte
// escapes such as ESC 7 / ESC 8 (save and restore the cursor, used by prompts).
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[78=>@-Z\\-_]/g;

/** Terminal output as plain text: escapes removed, CRLF and lone CR (the pty's line discipline) turned into LF. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '').replace(/\r\n/g, '\n').replace(/\r/g, '\n');
}

export interface PtySession {
  /** Sends keys (use KEYS for Enter, arrows, Ctrl-C). */
  write(keys: string): void;
  /**
   * Resolves with the matched text once `pattern` appears in the ANSI-stripped
   * output written after the previous match (so the same prompt text can be
   * waited for twice). Rejects after `timeoutMs` with the screen so far.
   */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** All output so far, ANSI stripped. */
  screen(): string;
  /** All output so far as the terminal received it, escapes included. */
  raw(): string;
  /** Resolves with the exit code when the process ends. */
  exit: Promise<{ code: number; signal: number | undefined }>;
  kill(): void;
}

export function runInPty(args: string[], options: { cwd: string; env?: Record<string, string>; cols?: number; rows?: number }): PtySession {
  requireBuiltCli();
  const child = pty.spawn(process.execPath, [BIN, ...args], {
    name: 'xterm-256color',
    cols: options.cols ?? 120,
    rows: options.rows ?? 40,
    cwd: options.cwd,
    env: options.env ?? childEnv({ TERM: 'xterm-256color' }),
  });
  let raw = '';
  let cursor = 0;
  let exited = false;
  const listeners = new Set<() => void>();
  child.onData((data) => {
    raw += data;
    for (const listener of [...listeners]) listener();
  });
  const exit = new Promise<{ code: number; signal: number | undefined }>((resolve) => {
    child.onExit(({ exitCode, signal }) => {
      exited = true;
      for (const listener of [...listeners]) listener();
      resolve({ code: exitCode, signal });
    });
  });

  const screen = (): string => stripAnsi(raw);

  return {
    write(keys) {
      child.write(keys);
    },
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        let found = '';
        const check = (): boolean => {
          const text = screen().slice(cursor);
          let index = -1;
          let matched = '';
          if (typeof pattern === 'string') {
            index = text.indexOf(pattern);
            matched = pattern;
          } else {
            const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
            if (match) {
              index = match.index;
              matched = match[0];
            }
          }
          if (index === -1) return false;
          cursor += index + matched.length;
          found = matched;
          return true;
        };
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          listeners.delete(listener);
          if (error) reject(error);
          else resolve(found);
        };
        const listener = (): void => {
          if (check()) finish();
          else if (exited) finish(new Error(`process exited before ${String(pattern)} appeared. Screen:\n${screen()}`));
        };
        const timer = setTimeout(
          () => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}. Screen after the last match:\n${screen().slice(cursor)}\n--- whole screen:\n${screen()}`)),
          timeoutMs,
        );
        listeners.add(listener);
        listener();
      });
    },
    screen,
    raw: () => raw,
    exit,
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
  };
}
