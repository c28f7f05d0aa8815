/**
 * Battery: interruptions. A write that fails at any step leaves the tree as it
 * was; a SIGTERM during the commit leaves either the old tree or the complete
 * new one, never a mix. (Ctrl-C at every prompt is driven in a real
 * pseudo-terminal in test/unit/interactive.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { STACKS } from '../../src/stacks/index.js';
import { nodeOps, type WriteOps } from '../../src/write.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

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

describe.each(STACKS.filter((s) => !s.existingOnly).map((s) => s.id))('interruptions: %s', (stack) => {
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

  /** Resolves once a staged `.tmp` file shows up in the project (the commit has begun), or the child exits. */
  async function commitStarted(dir: string, exited: Promise<unknown>): Promise<void> {
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      if (fs.existsSync(dir) && fs.readdirSync(dir).some((name) => name.endsWith('.tmp'))) return;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  it('SIGTERM at any moment leaves the old tree or the complete new one', async () => {
    const reference = project(stack);
    expect((await run([reference, '--stack', stack, '--yes', '--force'], root)).code).toBe(0);
    const complete = snapshot(reference);
    const cli = path.resolve('bin/create-multistage.js');
    // Widens each commit step so a signal can land in the middle of the commit.
    const env = { ...process.env, NO_COLOR: '1', CREATE_MULTISTAGE_WRITE_STEP_DELAY_MS: '25' };
    const start = () => {
      const child = spawn(process.execPath, [cli, project(stack), '--stack', stack, '--yes', '--force'], { stdio: ['ignore', 'ignore', 'pipe'], env });
      let err = '';
      child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
      return { child, exited, dir: child.spawnargs[2]!, stderr: () => err };
    };

    // How long a whole run takes on this machine, so the signals spread over it whatever the load.
    const timing = start();
    const began = Date.now();
    expect((await timing.exited).code).toBe(0);
    const runMs = Date.now() - began;

    // The legal outcomes: killed before the commit (old tree); signal held during the
    // commit, then honoured by rolling it back (exit 143, old tree, said so); killed or
    // finished after it (complete tree).
    const seen = { before: 0, during: 0, after: 0 };
    for (let i = 0; i < 40 && (i < 12 || seen.during === 0); i++) {
      const { child, exited, dir, stderr } = start();
      const old = snapshot(dir);
      if (i % 2 === 0) {
        // Spread over the whole run, as measured.
        await new Promise((r) => setTimeout(r, Math.round((runMs * ((i % 12) + 0.5)) / 12)));
      } else {
        // On a busy machine a run's length varies too much for timing alone: wait until
        // the commit has staged its files (each step is widened), then signal.
        await commitStarted(dir, exited);
      }
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      const after = snapshot(dir);
      const where = `run ${i}: exit ${code} signal ${signal}`;
      expect(
        Object.keys(after).some((p) => /\.(tmp|bak)$/.test(p)),
        `${where} left staging files`,
      ).toBe(false);
      if (signal === 'SIGTERM') {
        // Killed outside the commit: before it (old tree) or after it, while printing (complete tree).
        if (JSON.stringify(after) === JSON.stringify(old)) seen.before++;
        else {
          expect(after, where).toEqual(complete);
          seen.after++;
        }
      } else if (code === 143) {
        expect(after, where).toEqual(old);
        expect(stderr(), where).toMatch(/Stopped by SIGTERM during the write: the directory was restored exactly as it was; nothing was written/);
        seen.during++;
      } else {
        expect(code, where).toBe(0);
        expect(after, where).toEqual(complete);
        seen.after++;
      }
    }
    // At least one signal must have landed mid-commit, or the test proved nothing.
    expect(seen.during, JSON.stringify(seen)).toBeGreaterThan(0);
    // Up to 40 child runs: a hang guard sized for a busy machine, not a speed test.
  }, 600_000);
});
