/**
 * Generative battery: random hostile trees. At every path the tool reads or
 * writes, a random entry: nothing, a file (odd encodings: Latin-1, a BOM,
 * CRLF, NUL bytes), a link to a file or folder inside, a link outside, a link
 * loop, a dangling link, a FIFO, a folder. Random flags on top. For every run:
 * it ends (a generous bound), nothing outside the project changes, and no
 * byte is lost: a failed or dry run leaves the project exactly as it was; a
 * successful one changes only what its plan says it writes, and without
 * --force only by creating files or merging package.json (every old key kept).
 *
 * A fixed seed and a modest case count keep it fast on a busy 2-core CI;
 * a failure names its case number to replay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ACME_KIT } from '../helpers/kit.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { chance, pick, rng, run, snapshot, tempDir, writeTree, type Random } from '../helpers/safety.js';

const SEED = 20261204;
const CASES = 60;
const RUN_BOUND_MS = 30_000;

const root = tempDir('cms-hostile-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Paths detection reads or a run writes (top level and one folder down). */
const PATHS = [
  'package.json',
  'go.mod',
  'go.sum',
  'CMakeLists.txt',
  '.nvmrc',
  'next.config.mjs',
  'Dockerfile',
  '.dockerignore',
  'compose.yaml',
  'compose.yml',
  'README.Docker.md',
  'pnpm-lock.yaml',
  'app',
  'cmd',
  '.github',
  '.multistage',
  'cmd/api/main.go',
];

const ODD_TEXTS: Buffer[] = [
  Buffer.from('{"name":"caf\xe9"}\n', 'latin1'),
  Buffer.from('\ufeff{ "name": "bom" }\r\n', 'utf8'),
  Buffer.from('line one\r\nline two\r\n'),
  Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x0a]),
  Buffer.from('module example.com/x\n\ngo 1.30\n'),
  Buffer.from('lts/iron\n'),
  Buffer.from(''),
];

function plant(random: Random, dir: string, rel: string, outside: string): void {
  const abs = path.join(dir, ...rel.split('/'));
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
  } catch {
    return; // its folder is already a file, a link or a FIFO in this tree
  }
  if (fs.existsSync(abs) || isLink(abs)) return;
  switch (pick(random, ['file', 'file', 'link-in', 'link-out', 'link-out-dir', 'loop', 'dangling', 'fifo', 'dir'] as const)) {
    case 'file':
      fs.writeFileSync(abs, pick(random, ODD_TEXTS));
      break;
    case 'link-in':
      writeTree(dir, { 'inside/target.txt': 'inside\n' });
      fs.symlinkSync(path.relative(path.dirname(abs), path.join(dir, 'inside', 'target.txt')), abs);
      break;
    case 'link-out':
      fs.symlinkSync(path.join(outside, 'keep.txt'), abs);
      break;
    case 'link-out-dir':
      fs.symlinkSync(outside, abs);
      break;
    case 'loop':
      fs.symlinkSync(path.basename(abs), abs);
      break;
    case 'dangling':
      fs.symlinkSync('does-not-exist', abs);
      break;
    case 'fifo':
      spawnSync('mkfifo', [abs]);
      break;
    case 'dir':
      fs.mkdirSync(abs);
      break;
  }
}

function isLink(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

function randomFlags(random: Random): string[] {
  const flags = ['--json'];
  if (chance(random, 0.8)) flags.push('--yes');
  if (chance(random, 0.3)) flags.push('--dry-run');
  if (chance(random, 0.3)) flags.push('--force');
  if (chance(random, 0.2)) flags.push(pick(random, ['--no-compose', '--compose']));
  if (chance(random, 0.4)) flags.push('--stack', pick(random, ['go', 'nextjs', 'cpp']));
  if (chance(random, 0.2)) flags.push('--kit', ACME_KIT);
  if (chance(random, 0.1)) flags.push('--no-scripts');
  return flags;
}

describe('random hostile trees and flags', () => {
  it(`${CASES} cases: every run ends, nothing outside changes, no byte is lost`, async () => {
    const random = rng(SEED);
    const outcomes = { wrote: 0, refused: 0, dry: 0 };
    for (let n = 0; n < CASES; n++) {
      const base = path.join(root, `case-${n}`);
      const dir = path.join(base, 'p');
      const outside = path.join(base, 'out');
      fs.mkdirSync(dir, { recursive: true });
      writeTree(outside, { 'keep.txt': 'outside\n' });
      const fixture = pick(random, ['go', 'nextjs', 'cpp', 'none'] as const);
      if (fixture !== 'none') writeTree(dir, EXISTING_PROJECTS[fixture]!);
      for (const rel of PATHS) if (chance(random, 0.25)) plant(random, dir, rel, outside);
      const argv = [dir, ...randomFlags(random)];
      const where = `case ${n} (seed ${SEED}): ${argv.slice(1).join(' ')}`;

      const outsideBefore = snapshot(outside);
      const before = snapshot(dir);
      const result = await Promise.race([run(argv, base), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${where}: still running after ${RUN_BOUND_MS} ms`)), RUN_BOUND_MS))]);
      expect(snapshot(outside), `${where}: outside changed`).toEqual(outsideBefore);
      expect(result.stderr, where).not.toMatch(/Unexpected error/);
      const after = snapshot(dir);
      if (result.code !== 0 || argv.includes('--dry-run')) {
        outcomes[result.code !== 0 ? 'refused' : 'dry']++;
        expect(after, `${where}: exit ${result.code} ${result.stderr}`).toEqual(before);
        continue;
      }
      outcomes.wrote++;
      const report = JSON.parse(result.stdout) as { files: { path: string; action: string }[] };
      const writes = new Map(report.files.map((f) => [f.path, f.action]));
      for (const [rel, entry] of Object.entries(before)) {
        if (after[rel] === entry) continue;
        const action = writes.get(rel.replace(/\/$/, ''));
        // Only a planned write may change an existing entry: a merge, or an overwrite the user forced.
        expect(action, `${where}: ${rel} changed without a plan entry`).toBeDefined();
        if (action === 'merge') {
          const old = JSON.parse(
            Buffer.from(entry.split(' ')[2]!, 'base64')
              .toString('utf8')
              .replace(/^\ufeff/, ''),
          ) as Record<string, unknown>;
          const now = JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8').replace(/^\ufeff/, '')) as Record<string, unknown>;
          for (const key of Object.keys(old)) expect(now, `${where}: ${rel} lost "${key}"`).toHaveProperty([key]);
        } else {
          expect(action, `${where}: ${rel}`).toBe('overwrite');
          expect(argv, where).toContain('--force');
        }
      }
    }
    // The mix must exercise both sides, or the invariants proved little.
    expect(outcomes.wrote, JSON.stringify(outcomes)).toBeGreaterThan(5);
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(5);
  }, 300_000);
});
