/**
 * Battery: interruptions. A write that fails at any step leaves the tree as it
 * was; a SIGTERM during the commit leaves either the old tree or the complete
 * new one, never a mix. (Ctrl-C at every prompt is driven in a real
 * pseudo-terminal in test/interactive.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { STACKS } from '../../src/stacks/index.js';
import { nodeOps, type WriteOps } from '../../src/write.js';
import { EXISTING_PROJECTS } from './projects.js';
import { run, snapshot, tempDir, writeTree } from './support.js';

const root = tempDir('cms-interrupt-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function project(stack: string): string {
  const dir = path.join(root, `${stack}-${counter++}`);
  fs.mkdirSync(dir);
  // A differing Dockerfile (overwritten with --force), a package.json to merge, new files to create.
  writeTree(dir, { ...EXISTING_PROJECTS[stack], Dockerfile: 'FROM scratch AS old\n' });
  if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), '{\n  "name": "shop",\n  "scripts": {}\n}\n');
  return dir;
}

/** nodeOps that throw on the nth mutating call. */
function failingOn(n: number): WriteOps & { calls: number } {
  const ops = { ...nodeOps, calls: 0 } as WriteOps & { calls: number };
  for (const name of ['mkdir', 'writeFile', 'rename', 'unlink'] as const) {
    const real = nodeOps[name] as (...args: unknown[]) => void;
    (ops as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      ops.calls++;
      if (ops.calls === n) throw Object.assign(new Error(`injected failure at call ${n} (${name})`), { code: 'EIO' });
      return real(...args);
    };
  }
  return ops;
}

describe.each(STACKS.map((s) => s.id))('interruptions: %s', (stack) => {
  it('a write failing at any step leaves every pre-existing byte as it was (exit 1, message)', async () => {
    // Count the steps of a successful write first.
    const probe = project(stack);
    const counting = failingOn(Number.POSITIVE_INFINITY);
    expect((await run([probe, '--stack', stack, '--yes', '--force'], root, { writeOps: counting })).code).toBe(0);
    expect(counting.calls).toBeGreaterThan(5);

    const complete = snapshot(probe);
    // The last steps remove backups of replaced files: by then every new file is in
    // place, so a failure there keeps the new tree and warns about the leftover copy.
    const replaced = 1; // the Dockerfile; package.json is merged (also replaced)
    const cleanupSteps = replaced + 1;
    for (let n = 1; n <= counting.calls; n++) {
      const dir = project(stack);
      const before = snapshot(dir);
      const result = await run([dir, '--stack', stack, '--yes', '--force'], root, { writeOps: failingOn(n) });
      if (n <= counting.calls - cleanupSteps) {
        expect(result.code, `failure at step ${n}`).toBe(1);
        expect(result.stderr).toMatch(new RegExp(`Writing failed: injected failure at call ${n}`));
        expect(snapshot(dir), `tree after a failure at step ${n}`).toEqual(before);
      } else {
        expect(result.code, `failure at cleanup step ${n}`).toBe(0);
        expect(result.stdout).toMatch(/warning: could not remove the backup .*\.bak/);
        const after = snapshot(dir);
        const leftovers = Object.keys(after).filter((p) => p.endsWith('.bak'));
        expect(leftovers).toHaveLength(1);
        for (const p of leftovers) delete after[p];
        expect(after).toEqual(complete);
      }
    }
  });

  it('SIGTERM at any moment leaves the old tree or the complete new one', async () => {
    const reference = project(stack);
    expect((await run([reference, '--stack', stack, '--yes', '--force'], root)).code).toBe(0);
    const complete = snapshot(reference);
    const cli = path.resolve('bin/create-multistage.js');
    const outcomes = { old: 0, complete: 0 };
    for (let i = 0; i < 12; i++) {
      const dir = project(stack);
      const old = snapshot(dir);
      const child = spawn(process.execPath, [cli, dir, '--stack', stack, '--yes', '--force'], {
        stdio: 'ignore',
        // Widens each commit step so signals land mid-commit as well as before and after it.
        env: { ...process.env, NO_COLOR: '1', CREATE_MULTISTAGE_WRITE_STEP_DELAY_MS: '25' },
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      await new Promise((r) => setTimeout(r, 40 + i * 25));
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      const after = snapshot(dir);
      // Rename the project dir out of the comparison: compare contents only.
      if (JSON.stringify(after) === JSON.stringify(old)) outcomes.old++;
      else {
        expect(after, `run ${i}: exit ${code} signal ${signal}`).toEqual(complete);
        outcomes.complete++;
      }
      expect(Object.keys(after).some((p) => /\.(tmp|bak)$/.test(p)), `run ${i} left staging files`).toBe(false);
    }
    expect(outcomes.old + outcomes.complete).toBe(12);
    // The delays make some signals land before the commit and some during or after it.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.complete).toBeGreaterThan(0);
  });
});
