// Answer precedence: flags > prompts > detected > defaults. Detected values
// are not asked again, flags are never asked, invalid detected values are
// dropped with a note, and without a terminal every missing answer is named.

import { describe, expect, it } from 'vitest';
import { resolveAnswers, type ResolveInput } from '../../src/answers.js';
import { UsageError } from '../../src/errors.js';
import { DEFAULTS } from '../../src/defaults.js';
import { nextjs } from '../../src/stacks/nextjs.js';
import type { Answers, AnyDetection, AnyQuestion } from '../../src/stacks/types.js';
import { InvalidValue, validateChoice } from '../../src/validate.js';
import { fakePrompter } from '../helpers/fake-prompter.js';
import { runMain } from '../helpers/run-main.js';
import { makeTree, readFixture, snapshotTree } from '../helpers/tree.js';

function detection(values: Answers = {}, facts: Record<string, unknown> = {}): AnyDetection {
  return { existing: true, values, facts, notes: [] };
}

function input(overrides: Partial<ResolveInput>): ResolveInput {
  return { stackId: 'nextjs', questions: nextjs.questions, flags: {}, detection: detection(), mode: 'existing', yes: false, ...overrides };
}

const MESSAGES = {
  name: 'Project name',
  port: 'Port the app listens on',
  node: 'Node.js version',
  pm: 'Package manager',
  runtime: 'Production runtime',
};

describe('precedence: flags > prompts > detected > defaults', () => {
  it('uses each source where it applies and asks only what nothing answered', async () => {
    const prompter = fakePrompter({ [MESSAGES.runtime]: 'distroless' });
    const resolved = await resolveAnswers(
      input({
        flags: { port: '4000', pm: 'yarn' },
        detection: detection({ name: 'shop', pm: 'pnpm', 'node-version': '22', port: 5000 }),
        prompter,
      }),
    );
    expect(resolved.answers).toEqual({ name: 'shop', port: 4000, 'node-version': '22', pm: 'yarn', runtime: 'distroless' });
    expect(resolved.sources).toEqual({ name: 'detected', port: 'flag', 'node-version': 'detected', pm: 'flag', runtime: 'prompt' });
    expect(prompter.messages()).toEqual([MESSAGES.runtime]);
    expect(resolved.notes).toEqual([]);
  });

  it('prompts win over defaults and are asked in question order, offering the default', async () => {
    const prompter = fakePrompter({
      [MESSAGES.name]: 'my-shop',
      [MESSAGES.port]: '8080',
      [MESSAGES.node]: '24',
      [MESSAGES.pm]: 'bun',
      [MESSAGES.runtime]: 'default',
    });
    const resolved = await resolveAnswers(input({ detection: detection(), mode: 'new', prompter }));
    expect(resolved.answers).toEqual({ name: 'my-shop', port: 8080, 'node-version': '24', pm: 'bun', runtime: 'slim' });
    expect(Object.values(resolved.sources)).toEqual(['prompt', 'prompt', 'prompt', 'prompt', 'prompt']);
    expect(prompter.asked.map((q) => [q.type, q.initial])).toEqual([
      ['text', 'multistage-app'],
      ['text', String(DEFAULTS.nextPort)],
      ['text', DEFAULTS.nodeMajor],
      ['select', 'npm'],
      ['select', 'slim'],
    ]);
    expect(prompter.asked[3]!.choices).toEqual(['npm', 'pnpm', 'yarn', 'bun']);
  });

  it('the package manager prompt defaults to the one that invoked us', async () => {
    const prompter = fakePrompter({ [MESSAGES.pm]: 'default' });
    const resolved = await resolveAnswers(
      input({
        flags: { name: 'a', port: '3000', 'node-version': '24', runtime: 'slim' },
        detection: detection({}, { invokingPm: 'pnpm' }),
        prompter,
      }),
    );
    expect(prompter.asked[0]!.initial).toBe('pnpm');
    expect(resolved.answers['pm']).toBe('pnpm');
  });

  it('a detected value beats the default (without prompts)', async () => {
    const resolved = await resolveAnswers(input({ detection: detection({ 'node-version': '22', port: 4000 }), yes: true }));
    expect(resolved.answers['node-version']).toBe('22');
    expect(resolved.answers['port']).toBe(4000);
    expect(resolved.sources).toMatchObject({ 'node-version': 'detected', port: 'detected', pm: 'default', runtime: 'default' });
  });

  it('a flag beats a detected value even when both are valid', async () => {
    const resolved = await resolveAnswers(input({ flags: { 'node-version': '24.11.1' }, detection: detection({ 'node-version': '22' }), yes: true }));
    expect(resolved.answers['node-version']).toBe('24.11.1');
    expect(resolved.sources['node-version']).toBe('flag');
  });

  it('flags are never asked, even with a terminal', async () => {
    // No scripted answers: any prompt throws "unexpected prompt".
    const prompter = fakePrompter({});
    const resolved = await resolveAnswers(input({ flags: { name: 'api', port: '8000', 'node-version': '24', pm: 'pnpm', runtime: 'distroless' }, prompter }));
    expect(prompter.asked).toEqual([]);
    expect(Object.values(resolved.sources).every((s) => s === 'flag')).toBe(true);
  });

  it('a rejected prompt answer is asked again with the reason', async () => {
    const prompter = fakePrompter({ [MESSAGES.port]: ['99999', 'http', '8080'] });
    const resolved = await resolveAnswers(input({ flags: { name: 'a', 'node-version': '24', pm: 'npm', runtime: 'slim' }, prompter }));
    expect(resolved.answers['port']).toBe(8080);
    expect(prompter.asked[0]!.rejected).toEqual([
      // Under the prompt, which names the question: the reason only, one short line.
      'must be a whole number from 1 to 65535',
      'must be a whole number from 1 to 65535',
    ]);
  });
});

describe('--yes', () => {
  it('takes the defaults for everything not given or detected', async () => {
    const resolved = await resolveAnswers(input({ detection: detection(), mode: 'new', yes: true }));
    expect(resolved.answers).toEqual({ name: 'multistage-app', port: DEFAULTS.nextPort, 'node-version': DEFAULTS.nodeMajor, pm: 'npm', runtime: 'slim' });
    expect(Object.values(resolved.sources).every((s) => s === 'default')).toBe(true);
  });

  it('never prompts, even when a prompter is present', async () => {
    const prompter = fakePrompter({});
    await resolveAnswers(input({ yes: true, prompter }));
    expect(prompter.asked).toEqual([]);
  });
});

describe('invalid detected values', () => {
  const bad: Answers = { name: 'Not A Name', port: 99999, 'node-version': '16', pm: 'npx', runtime: 'alpine' };

  it('are dropped with a note naming each, and the default is used with --yes', async () => {
    const resolved = await resolveAnswers(input({ detection: detection(bad), yes: true }));
    expect(resolved.answers).toEqual({ name: 'multistage-app', port: DEFAULTS.nextPort, 'node-version': DEFAULTS.nodeMajor, pm: 'npm', runtime: 'slim' });
    expect(Object.values(resolved.sources).every((s) => s === 'default')).toBe(true);
    expect(resolved.notes).toHaveLength(5);
    for (const flag of ['name', 'port', 'node-version', 'pm', 'runtime']) {
      expect(
        resolved.notes.some((n) => n.startsWith(`ignored the detected ${flag} (`)),
        `note for ${flag}`,
      ).toBe(true);
    }
    expect(resolved.notes.find((n) => n.includes('node-version'))).toContain('18 or newer');
  });

  it('are asked about instead, when there is a terminal', async () => {
    const prompter = fakePrompter({ [MESSAGES.port]: '3001' });
    const resolved = await resolveAnswers(input({ flags: { name: 'a', 'node-version': '24', pm: 'npm', runtime: 'slim' }, detection: detection({ port: 'http' }), prompter }));
    expect(prompter.messages()).toEqual([MESSAGES.port]);
    expect(resolved.answers['port']).toBe(3001);
    expect(resolved.notes).toEqual([expect.stringContaining('ignored the detected port') as unknown]);
  });

  it('a detected value outside choices that depend on earlier answers is dropped too', async () => {
    // distroless has no image for an odd Node major.
    const resolved = await resolveAnswers(input({ flags: { 'node-version': '25' }, detection: detection({ runtime: 'distroless' }), yes: true }));
    expect(resolved.answers['runtime']).toBe('slim');
    expect(resolved.notes).toEqual([expect.stringMatching(/^ignored the detected runtime \(must be one of slim;/) as unknown]);
  });

  it('an invalid flag is an error, never replaced by a detected value', async () => {
    const error = await resolveAnswers(input({ flags: { port: 'eighty' }, detection: detection({ port: 4000 }), yes: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('--port must be a whole number from 1 to 65535; got "eighty".');
  });
});

describe('no terminal and no --yes', () => {
  it('is one UsageError listing every missing flag with its default, and --yes', async () => {
    const error = await resolveAnswers(input({ mode: 'new' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    const listed = [...message.matchAll(/^ {2}--([a-z-]+) <value>/gm)].map((m) => m[1]);
    expect(listed).toEqual(['name', 'port', 'node-version', 'pm', 'runtime']);
    expect(message).toContain('(default: 3000)');
    expect(message).toContain('--yes');
  });

  it('lists only what flags and detection left open', async () => {
    const error = await resolveAnswers(input({ flags: { port: '80' }, detection: detection({ name: 'shop', pm: 'pnpm' }) })).catch((e: unknown) => e);
    const listed = [...(error as Error).message.matchAll(/^ {2}--([a-z-]+) <value>/gm)].map((m) => m[1]);
    expect(listed).toEqual(['node-version', 'runtime']);
  });

  it('succeeds when everything is answered', async () => {
    const resolved = await resolveAnswers(input({ flags: { name: 'a', port: '1', 'node-version': '20', pm: 'bun', runtime: 'slim' } }));
    expect(resolved.answers['port']).toBe(1);
  });
});

describe('flags of another stack', () => {
  it('are a usage error naming the flag and the stack', async () => {
    const error = await resolveAnswers(input({ flags: { 'go-version': '1.26' }, yes: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('--go-version does not apply to the nextjs stack.');
  });
});

describe('confirm questions and `when`', () => {
  // A small synthetic stack exercises the question types Next.js does not use.
  const questions: AnyQuestion[] = [
    {
      flag: 'static',
      message: 'Static binary?',
      type: 'confirm',
      parse: (raw) => {
        if (raw !== 'true' && raw !== 'false') throw new InvalidValue('must be true or false');
        return raw === 'true';
      },
      defaultValue: () => true,
    },
    {
      flag: 'libc',
      message: 'C library',
      type: 'select',
      choices: () => [
        { title: 'glibc', value: 'glibc' },
        { title: 'musl', value: 'musl' },
      ],
      parse: (raw) => validateChoice(raw, ['glibc', 'musl'] as const),
      defaultValue: () => 'glibc',
      // Only a dynamic binary needs a libc choice.
      when: (ctx) => ctx.answers['static'] === false,
    },
  ];
  const base = { stackId: 'synthetic', questions, flags: {}, detection: detection(), mode: 'new' as const, yes: false };

  it('a confirm prompt gets a boolean initial and its answer is parsed', async () => {
    const prompter = fakePrompter({ 'Static binary?': false, 'C library': 'musl' });
    const resolved = await resolveAnswers({ ...base, prompter });
    expect(prompter.asked.map((q) => [q.type, q.initial])).toEqual([
      ['confirm', true],
      ['select', 'glibc'],
    ]);
    expect(resolved.answers).toEqual({ static: false, libc: 'musl' });
  });

  it('a question whose `when` is false is neither asked nor missing', async () => {
    const prompter = fakePrompter({ 'Static binary?': true });
    const resolved = await resolveAnswers({ ...base, prompter });
    expect(prompter.messages()).toEqual(['Static binary?']);
    expect(resolved.answers).toEqual({ static: true });
    const flagged = await resolveAnswers({ ...base, flags: { static: 'true' } });
    expect(flagged.answers).toEqual({ static: true });
  });
});

describe('through main with a terminal: detected answers are not asked', () => {
  it('an existing pnpm project with .nvmrc and a start port is asked only for the runtime', async () => {
    const cwd = makeTree({
      ...readFixture('nextjs-detect/pnpm'),
      '.nvmrc': '22\n',
      'package.json': JSON.stringify({ name: 'shop', dependencies: { next: '15.5.4' }, scripts: { start: 'next start -p 4000' } }, null, 2),
    });
    const before = snapshotTree(cwd);
    const prompter = fakePrompter({ [MESSAGES.runtime]: 'distroless' });
    const result = await runMain(['--dry-run', '--json'], { cwd, stdinIsTTY: true, prompter });
    // --json never prompts: a machine run with nothing missing but runtime must fail naming it.
    expect(result.code).toBe(2);
    expect(prompter.asked).toEqual([]);

    const interactive = await runMain(['--dry-run'], { cwd, stdinIsTTY: true, prompter });
    expect(interactive.code, interactive.stderr).toBe(0);
    expect(prompter.messages()).toEqual([MESSAGES.runtime]);
    expect(interactive.stdout).toContain('--runtime distroless');
    expect(snapshotTree(cwd)).toEqual(before);
  });
});
