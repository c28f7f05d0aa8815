// Answer precedence with a kit: locked > flags > prompts > kit defaults >
// detected > built-in defaults. Locked answers and kit defaults are never
// asked (like detected values); a flag that contradicts a locked answer is an
// error naming the flag and the kit, unless --force.

import { describe, expect, it } from 'vitest';
import { resolveAnswers, type ResolveInput } from '../../../src/answers.js';
import type { RunReport } from '../../../src/create.js';
import { EXIT, UsageError } from '../../../src/errors.js';
import { LockedAnswerError } from '../../../src/errors.js';
import { kitForStack, loadKitFromDir } from '../../../src/kit/load.js';
import { nextjs } from '../../../src/stacks/nextjs.js';
import { KIT_STACKS as STACKS } from '../../../src/stacks/index.js';
import type { Answers, AnyDetection } from '../../../src/stacks/types.js';
import { fakePrompter } from '../../helpers/fake-prompter.js';
import { runMain } from '../../helpers/run-main.js';
import { makeTree, readFixture, snapshotTree } from '../../helpers/tree.js';
import { makeKit, manifest } from '../../helpers/kit.js';

const MESSAGES = { name: 'Project name', port: 'Port the app listens on', node: 'Node.js version', pm: 'Package manager', runtime: 'Production runtime' };

function detection(values: Answers = {}): AnyDetection {
  return { existing: true, values, facts: {}, notes: [] };
}

function input(overrides: Partial<ResolveInput>): ResolveInput {
  return { stackId: 'nextjs', questions: nextjs.questions, flags: {}, detection: detection(), mode: 'existing', yes: false, ...overrides };
}

const KIT = { name: 'acme', locked: { runtime: 'distroless' }, defaults: { pm: 'pnpm', 'node-version': '24' } };

describe('locked > flags > prompts > kit defaults > detected > built-in', () => {
  it('each source wins where it applies, and nothing the kit or detection answered is asked', async () => {
    const prompter = fakePrompter({});
    const resolved = await resolveAnswers(
      input({
        plugin: KIT,
        flags: { port: '4000' },
        detection: detection({ name: 'shop', 'node-version': '22', pm: 'yarn', port: 5000 }),
        prompter,
      }),
    );
    expect(resolved.answers).toEqual({ name: 'shop', port: 4000, 'node-version': '24', pm: 'pnpm', runtime: 'distroless' });
    expect(resolved.sources).toEqual({ name: 'detected', port: 'flag', 'node-version': 'kit', pm: 'kit', runtime: 'locked' });
    expect(prompter.asked).toEqual([]);
  });

  it('prompts answer only what neither a flag, the kit nor detection did; a flag beats a kit default', async () => {
    const prompter = fakePrompter({ [MESSAGES.name]: 'from-prompt', [MESSAGES.port]: '7000' });
    const resolved = await resolveAnswers(input({ plugin: KIT, mode: 'new', flags: { pm: 'npm' }, prompter, detection: { ...detection(), existing: false } }));
    expect(prompter.messages()).toEqual([expect.stringContaining(MESSAGES.name), MESSAGES.port]);
    expect(resolved.answers).toEqual({ name: 'from-prompt', port: 7000, 'node-version': '24', pm: 'npm', runtime: 'distroless' });
    expect(resolved.sources).toEqual({ name: 'prompt', port: 'prompt', 'node-version': 'kit', pm: 'flag', runtime: 'locked' });
  });

  it('built-in defaults fill the rest under --yes', async () => {
    const resolved = await resolveAnswers(input({ plugin: KIT, yes: true, mode: 'new', detection: { ...detection(), existing: false } }));
    expect(resolved.sources).toEqual({ name: 'default', port: 'default', 'node-version': 'kit', pm: 'kit', runtime: 'locked' });
    expect(resolved.answers['port']).toBe(3000);
  });

  it('without a terminal, kit answers count as answers: only the rest are missing', async () => {
    const error = await resolveAnswers(input({ plugin: KIT, mode: 'new', detection: { ...detection(), existing: false } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain('--name <value>');
    expect(message).toContain('--port <value>');
    expect(message).not.toContain('--pm');
    expect(message).not.toContain('--runtime');
    expect(message).not.toContain('--node-version');
  });
});

describe('locked answers and flags', () => {
  it('a contradicting flag is an error naming the flag and the kit', async () => {
    const error = await resolveAnswers(input({ plugin: KIT, yes: true, flags: { runtime: 'slim' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockedAnswerError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('--runtime slim contradicts the acme kit, which locks --runtime to distroless. Drop the flag, or add --force to override the kit.');
  });

  it('a flag that agrees with the lock is fine', async () => {
    const resolved = await resolveAnswers(input({ plugin: KIT, yes: true, flags: { runtime: 'distroless' } }));
    expect(resolved.sources['runtime']).toBe('locked');
  });

  it('--force lets the flag win, with a note', async () => {
    const resolved = await resolveAnswers(input({ plugin: KIT, yes: true, force: true, flags: { runtime: 'slim' } }));
    expect(resolved.answers['runtime']).toBe('slim');
    expect(resolved.sources['runtime']).toBe('flag');
    expect(resolved.notes).toEqual(["--runtime slim overrides the acme kit's locked distroless (--force)"]);
  });

  it('a locked answer the run cannot use is an error naming the kit', async () => {
    // distroless has Node images for even majors only: with Node 25 the lock cannot hold.
    const error = await resolveAnswers(input({ plugin: KIT, yes: true, flags: { 'node-version': '25' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('The acme kit locks --runtime to "distroless", which must be one of slim; got "distroless".');
  });

  it('a kit default the run cannot use is dropped with a note, like a bad detected value', async () => {
    const resolved = await resolveAnswers(input({ plugin: { name: 'acme', locked: {}, defaults: { runtime: 'distroless' } }, yes: true, flags: { 'node-version': '25' } }));
    expect(resolved.answers['runtime']).toBe('slim');
    expect(resolved.notes).toEqual(['ignored the acme kit\'s default --runtime distroless (must be one of slim; got "distroless")']);
  });
});

describe('"*" and a stack’s own entry', () => {
  it('the stack’s entry wins over "*", a default there replaces a "*" lock and the other way round', () => {
    const dir = makeKit(
      manifest({
        stacks: {
          '*': { defaults: { port: 8080, runtime: 'slim' }, locked: { name: 'fixed' } },
          nextjs: { defaults: { port: 3001, name: 'suggested' }, locked: { runtime: 'distroless' } },
        },
      }),
    );
    const kit = loadKitFromDir(dir, 'test', STACKS);
    const config = kitForStack(kit, 'nextjs', nextjs.questions);
    expect(config.defaults).toEqual({ port: '3001', name: 'suggested' });
    expect(config.locked).toEqual({ runtime: 'distroless' });
    // A "*" answer only reaches stacks that ask the question.
    const go = STACKS.find((s) => s.id === 'go')!;
    expect(kitForStack(kit, 'go', go.questions).defaults).toEqual({ port: '8080', runtime: 'slim' });
  });
});

describe('through the CLI', () => {
  const kitDir = () => makeKit(manifest({ name: 'acme', stacks: { nextjs: { locked: { pm: 'pnpm' }, defaults: { runtime: 'distroless' } } } }));

  it('the report records locked and kit sources', async () => {
    const cwd = makeTree(readFixture('nextjs-detect/npm'));
    const result = await runMain(['.', '--yes', '--dry-run', '--json', '--kit', kitDir()], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const report = result.json<RunReport>();
    expect(report.sources['pm']).toBe('locked');
    expect(report.sources['runtime']).toBe('kit');
    expect(report.answers['pm']).toBe('pnpm');
  });

  it('a contradicting flag exits 2 and writes nothing; --force overrides', async () => {
    const kit = kitDir();
    const cwd = makeTree(readFixture('nextjs-detect/npm'));
    const before = snapshotTree(cwd);
    const refused = await runMain(['.', '--yes', '--pm', 'npm', '--kit', kit], { cwd });
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toContain('--pm npm contradicts the acme kit, which locks --pm to pnpm');
    expect(snapshotTree(cwd)).toEqual(before);
    const forced = await runMain(['.', '--yes', '--pm', 'npm', '--force', '--dry-run', '--json', '--kit', kit], { cwd });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.json<RunReport>().answers['pm']).toBe('npm');
  });

  it('in a terminal, the kit’s answers are not asked', async () => {
    const cwd = makeTree();
    const prompter = fakePrompter({ [MESSAGES.port]: 'default', [MESSAGES.node]: 'default' });
    const result = await runMain(['app', '--stack', 'nextjs', '--skip-install', '--dry-run', '--kit', kitDir()], { cwd, stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    // The name comes from the directory; pm (locked) and runtime (kit default) are not asked.
    expect(prompter.messages()).toEqual([MESSAGES.port, MESSAGES.node]);
  });
});
