// Runs the built CLI (bin/create-multistage.js → dist/index.js) as a child process.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './tree.js';

export const BIN = path.join(REPO_ROOT, 'bin', 'create-multistage.js');
export const DIST = path.join(REPO_ROOT, 'dist', 'index.js');

/** Spawn tests need the bundle; say how to get it instead of failing obscurely. */
export function requireBuiltCli(): void {
  if (!fs.existsSync(DIST)) {
    throw new Error(`${DIST} is missing: run \`npm run build\` first (\`npm test\` builds before running vitest).`);
  }
}

/**
 * The child's environment: the parent's, minus what would change the CLI's
 * behaviour behind the test's back (the runner's npm_config_user_agent picks
 * the package manager in next steps; colour variables change the output).
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^npm_/i.test(key) || key === 'FORCE_COLOR' || key === 'NO_COLOR') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface SpawnResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  timedOut: boolean;
}

/**
 * Runs the CLI with stdin closed (`ignore` → /dev/null, not a TTY). A hang is
 * killed after `timeoutMs` and reported as timedOut instead of stalling the suite.
 */
export function runBuiltCli(args: string[], options: { cwd: string; timeoutMs?: number; env?: Record<string, string> }): SpawnResult {
  requireBuiltCli();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: options.env ?? childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 10_000,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
  });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (result.error && !timedOut) throw result.error;
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, elapsedMs, timedOut };
}
