/** Small helpers shared by the safety battery: seeded randomness, temp trees, in-process runs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main, type MainIo } from '../../src/index.js';

/** mulberry32: a tiny seeded PRNG so a failing case can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = ReturnType<typeof rng>;
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const chance = (random: Random, p = 0.5): boolean => random() < p;

export function tempDir(prefix = 'cms-safety-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files (POSIX relative paths) under root. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** Every entry under root: file bytes (base64), modes, symlink targets — for byte-for-byte comparisons. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string): void => {
    const abs = path.join(root, rel);
    const stat = fs.lstatSync(abs);
    const mode = (stat.mode & 0o7777).toString(8);
    if (stat.isSymbolicLink()) out[rel] = `link ${fs.readlinkSync(abs)}`;
    else if (stat.isDirectory()) {
      if (rel) out[`${rel}/`] = `dir ${mode}`;
      for (const name of fs.readdirSync(abs).sort()) visit(rel ? `${rel}/${name}` : name);
    } else if (stat.isFile()) out[rel] = `file ${mode} ${fs.readFileSync(abs).toString('base64')}`;
    // A FIFO or socket is recorded, never read (reading a FIFO would block for ever).
    else out[rel] = `special ${mode} ${stat.isFIFO() ? 'fifo' : stat.isSocket() ? 'socket' : 'device'}`;
  };
  if (fs.existsSync(root)) visit('');
  return out;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process without a terminal; installs are never run for real. */
export async function run(argv: string[], cwd: string, io: Partial<MainIo> = {}): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, {
    cwd,
    env: { NO_COLOR: '1' },
    stdout,
    stderr,
    stdinIsTTY: false,
    install: () => 0,
    ...io,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
