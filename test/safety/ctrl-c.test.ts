/**
 * Battery: Ctrl-C at every prompt of every stack, for a new and an existing
 * project, in a real pseudo-terminal. The prompts are discovered by answering
 * them all once (Enter at each); then each is interrupted in turn: exit 130,
 * "nothing was written", and the tree byte-for-byte as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STACKS } from '../../src/stacks/index.js';
import { requireBuiltCli } from '../helpers/cli.js';
import { KEYS, runInPty, type PtySession } from '../helpers/pty.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-ctrlc-');
fs.chmodSync(root, 0o755);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const sessions: PtySession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});
beforeAll(() => requireBuiltCli());

/** A prompt as `prompts` draws it: "? <message> ›". */
const PROMPT = /^\? (.+?) ›/m;
let counter = 0;

function setup(stack: string, kind: 'new' | 'existing'): { dir: string; args: string[] } {
  const dir = path.join(root, `${stack}-${kind}-${counter++}`);
  fs.mkdirSync(dir);
  if (kind === 'existing') writeTree(dir, EXISTING_PROJECTS[stack]!);
  return { dir, args: [dir, '--stack', stack, '--skip-install'] };
}

function start(args: string[], cwd: string): PtySession {
  const session = runInPty(args, { cwd });
  sessions.push(session);
  return session;
}

/** Answers every prompt with Enter; returns the prompt messages in order. */
async function discoverPrompts(stack: string, kind: 'new' | 'existing'): Promise<string[]> {
  const { dir, args } = setup(stack, kind);
  const session = start(args, root);
  const prompts: string[] = [];
  for (;;) {
    // Once the run ends (after the last prompt) waitFor rejects: that is the end of discovery.
    const next = await session.waitFor(PROMPT, 30_000).then(
      (text) => PROMPT.exec(text)![1]!,
      () => undefined,
    );
    if (next === undefined) break;
    prompts.push(next);
    session.write(KEYS.enter);
  }
  expect(await session.exit, session.screen()).toMatchObject({ code: 0 });
  expect(fs.existsSync(path.join(dir, 'Dockerfile'))).toBe(true);
  return prompts;
}

describe.each(
  STACKS.filter((s) => !s.existingOnly).flatMap(
    (s) =>
      [
        [s.id, 'new'],
        [s.id, 'existing'],
      ] as const,
  ),
)('%s, %s project', (stack, kind) => {
  it('Ctrl-C at each prompt: exit 130, nothing written', async () => {
    const prompts = await discoverPrompts(stack, kind);
    expect(prompts.length, `${stack} ${kind} asks at least one question`).toBeGreaterThan(0);
    for (let cancelAt = 0; cancelAt < prompts.length; cancelAt++) {
      const { dir, args } = setup(stack, kind);
      const before = snapshot(dir);
      const session = start(args, root);
      for (let index = 0; index < cancelAt; index++) {
        await session.waitFor(PROMPT, 30_000);
        session.write(KEYS.enter);
      }
      await session.waitFor(PROMPT, 30_000);
      session.write(KEYS.ctrlC);
      await session.waitFor('Cancelled: nothing was written.');
      expect(await session.exit, `Ctrl-C at "${prompts[cancelAt]}"`).toMatchObject({ code: 130 });
      expect(snapshot(dir), `tree after Ctrl-C at "${prompts[cancelAt]}"`).toEqual(before);
    }
    // Dozens of terminal sessions: a hang guard sized for a busy machine, not a speed test.
  }, 600_000);
});
