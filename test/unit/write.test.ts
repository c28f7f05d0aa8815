// All-or-nothing writing: a failure injected at every possible step leaves the
// tree byte-for-byte (contents and modes) as it was, with no temp or backup
// file behind; a successful write keeps the modes of the files it replaces.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FailedError } from '../../src/errors.js';
import { nodeOps, writeAll, type FileWrite, type WriteOps } from '../../src/write.js';
import { runMain } from '../helpers/run-main.js';
import { makeTree, readText, snapshotTree, tempDir, type TreeEntry } from '../helpers/tree.js';

type MutatingOp = 'mkdir' | 'writeFile' | 'rename';
const MUTATING: MutatingOp[] = ['mkdir', 'writeFile', 'rename'];

/**
 * nodeOps, counting the calls that change the tree; the `failAt`-th such call
 * throws instead of running (0: never fail).
 */
function failingOps(failAt: number): WriteOps & { calls: string[] } {
  const calls: string[] = [];
  const ops = { ...nodeOps, calls } as WriteOps & { calls: string[] };
  for (const name of MUTATING) {
    const real = nodeOps[name] as (...args: unknown[]) => void;
    (ops as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls.push(`${name} ${String(args[0])}`);
      if (calls.length === failAt) throw new Error(`injected failure in ${name} #${failAt}`);
      real(...args);
    };
  }
  return ops;
}

const EXISTING: Record<string, TreeEntry> = {
  'overwrite-me.txt': { content: 'old contents\n', mode: 0o640 },
  'bin/run.sh': { content: '#!/bin/sh\necho old\n', mode: 0o755 },
  'sub/untouched.txt': 'leave me\n',
  'empty-dir': { dir: true },
};

const WRITES: FileWrite[] = [
  { path: 'overwrite-me.txt', content: 'new contents\n' },
  { path: 'bin/run.sh', content: '#!/bin/sh\necho new\n' },
  { path: 'created.txt', content: 'brand new\n' },
  { path: 'sub/created.txt', content: 'new in an existing dir\n' },
  { path: 'deep/er/still/created.txt', content: 'new in new dirs\n' },
  { path: 'deep/sibling.txt', content: 'another in a new dir\n' },
];

function defaultFileMode(): number {
  // What a plain new file gets under the current umask (no deprecated process.umask() read).
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'probe'), '');
  return fs.statSync(path.join(dir, 'probe')).mode & 0o777;
}

describe('writeAll succeeds', () => {
  it('writes every file, creates the directories, and leaves no temp or backup files once settled', async () => {
    const root = makeTree(EXISTING);
    const ops = failingOps(0);
    await writeAll(root, WRITES, ops).settled;
    for (const file of WRITES) expect(readText(root, file.path)).toBe(file.content);
    expect(readText(root, 'sub/untouched.txt')).toBe('leave me\n');
    const all = Object.keys(snapshotTree(root));
    expect(all.filter((p) => /\.(tmp|bak)$/.test(p))).toEqual([]);
    expect(all.sort()).toEqual(
      [
        'bin',
        'bin/run.sh',
        'created.txt',
        'deep',
        'deep/er',
        'deep/er/still',
        'deep/er/still/created.txt',
        'deep/sibling.txt',
        'empty-dir',
        'overwrite-me.txt',
        'sub',
        'sub/created.txt',
        'sub/untouched.txt',
      ].sort(),
    );
    // The plan is big enough to matter: directories, temp files, backups and renames.
    expect(ops.calls.filter((c) => c.startsWith('mkdir'))).toHaveLength(3);
    expect(ops.calls.filter((c) => c.startsWith('writeFile'))).toHaveLength(WRITES.length);
    expect(ops.calls.filter((c) => c.startsWith('rename'))).toHaveLength(WRITES.length + 2);
  });

  it.each([0o640, 0o755, 0o600, 0o664, 0o666])('an overwritten file keeps its mode %o', (mode) => {
    const root = makeTree({ Dockerfile: { content: 'FROM old\n', mode } });
    writeAll(root, [{ path: 'Dockerfile', content: 'FROM new\n' }]);
    expect(readText(root, 'Dockerfile')).toBe('FROM new\n');
    expect(fs.statSync(path.join(root, 'Dockerfile')).mode & 0o7777).toBe(mode);
  });

  it('a new file gets the ordinary mode for the umask', () => {
    const root = makeTree();
    writeAll(root, [{ path: 'new.txt', content: 'x' }]);
    expect(fs.statSync(path.join(root, 'new.txt')).mode & 0o777).toBe(defaultFileMode());
  });

  it('an empty list writes nothing', () => {
    const root = makeTree(EXISTING);
    const before = snapshotTree(root);
    writeAll(root, []);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('writeAll fails at every step', () => {
  // How many mutating calls a successful run makes: each one gets its turn to fail.
  const total = (() => {
    const ops = failingOps(0);
    writeAll(makeTree(EXISTING), WRITES, ops);
    return ops.calls.length;
  })();

  it('the plan has enough steps to test', () => {
    expect(total).toBe(3 + WRITES.length + WRITES.length + 2);
  });

  it.each(Array.from({ length: total }, (_, i) => i + 1))('failure at mutating call %i: rolled back cleanly, the tree exactly as it was', (failAt) => {
    const root = makeTree(EXISTING);
    const before = snapshotTree(root);
    const ops = failingOps(failAt);
    let error: unknown;
    try {
      writeAll(root, WRITES, ops);
    } catch (caught) {
      error = caught;
    }
    expect(error, `call ${failAt} (${ops.calls[failAt - 1]}) did not fail the write`).toBeInstanceOf(FailedError);
    expect(snapshotTree(root)).toEqual(before);
    expect((error as Error).message).toContain(`injected failure in ${ops.calls[failAt - 1]!.split(' ')[0]} #${failAt}`);
    // A clean rollback says so; "Rolling back also hit" would tell the user to go and check their files.
    expect((error as Error).message).toContain('Nothing was changed.');
  });

  it('a failure that is not an Error object still rolls back', () => {
    const root = makeTree(EXISTING);
    const before = snapshotTree(root);
    let renames = 0;
    const ops: WriteOps = {
      ...nodeOps,
      rename: (from, to) => {
        if (++renames === 3) throw 'disk full';
        nodeOps.rename(from, to);
      },
    };
    expect(() => writeAll(root, WRITES, ops)).toThrow(FailedError);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('through the CLI: an existing project with a conflicting Dockerfile, --force', () => {
  // The run creates files (package.json, compose.yaml...) and overwrites the Dockerfile. (A new
  // project is never laid over existing files, so the new-directory steps are covered above.)
  const tree: Record<string, TreeEntry> = {
    'README.md': '# notes\n',
    'go.mod': 'module example.com/notes\n\ngo 1.24\n',
    'main.go': 'package main\n\nfunc main() {}\n',
    Dockerfile: { content: 'FROM scratch\n', mode: 0o640 },
  };
  const argv = ['.', '--stack', 'go', '--yes', '--force', '--skip-install'];

  /** A successful run, with its mutating calls counted. */
  async function succeed(): Promise<{ cwd: string; calls: string[] }> {
    const cwd = makeTree(tree);
    const ops = failingOps(0);
    const result = await runMain(argv, { cwd, writeOps: ops });
    expect(result.code, result.stderr).toBe(0);
    return { cwd, calls: ops.calls };
  }

  it('succeeds without injected failures, overwriting the Dockerfile in place with its mode', async () => {
    const { cwd, calls } = await succeed();
    expect(readText(cwd, 'Dockerfile')).toMatch(/^# syntax=docker\/dockerfile:1\n# create-multistage: /);
    expect(fs.statSync(path.join(cwd, 'Dockerfile')).mode & 0o777).toBe(0o640);
    expect(readText(cwd, 'README.md')).toBe('# notes\n');
    expect(fs.existsSync(path.join(cwd, 'compose.yaml'))).toBe(true);
    expect(Object.keys(snapshotTree(cwd)).filter((p) => /\.(tmp|bak)$/.test(p))).toEqual([]);
    // One more rename than writes: the Dockerfile is moved to a backup first.
    expect(calls.filter((c) => c.startsWith('rename')).length).toBe(calls.filter((c) => c.startsWith('writeFile')).length + 1);
  });

  it('fails with exit 1 and leaves every byte as it was, wherever the failure hits', async () => {
    const steps = (await succeed()).calls.length;
    expect(steps).toBeGreaterThan(10);
    for (let failAt = 1; failAt <= steps; failAt++) {
      const cwd = makeTree(tree);
      const before = snapshotTree(cwd);
      const result = await runMain(argv, { cwd, writeOps: failingOps(failAt) });
      expect(result.code, `failure at call ${failAt}`).toBe(1);
      expect(snapshotTree(cwd), `failure at call ${failAt}`).toEqual(before);
      expect(result.stderr).toContain('Writing failed');
      expect(result.stderr, `failure at call ${failAt}`).toContain('Nothing was changed.');
    }
  });
});

describe('signal listeners', () => {
  it('many commits in one process share one listener per signal and leave none behind', async () => {
    // Commits of earlier tests that were never awaited (failed writes) settle after two event-loop turns.
    await new Promise((resolve) => setImmediate(() => setImmediate(() => setImmediate(resolve))));
    const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    const root = tempDir();
    // Twelve commits whose settling overlaps, as in a test-suite or a kit init beside a run:
    // Node warns (MaxListenersExceededWarning) from the eleventh listener on one signal.
    const results = Array.from({ length: 12 }, (_, i) => writeAll(root, [{ path: `f${i}.txt`, content: `${i}\n` }]));
    expect(process.listenerCount('SIGINT') - before.SIGINT).toBeLessThanOrEqual(1);
    expect(process.listenerCount('SIGTERM') - before.SIGTERM).toBeLessThanOrEqual(1);
    await Promise.all(results.map((r) => r.settled));
    expect(process.listenerCount('SIGINT')).toBe(before.SIGINT);
    expect(process.listenerCount('SIGTERM')).toBe(before.SIGTERM);
  });
});
