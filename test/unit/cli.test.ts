// The command line: help, version, strict flag and value validation, exit
// codes, and the no-TTY rule (never prompt, never hang: exit 2 naming flags).

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli.js';
import { create } from '../../src/create.js';
import { exitCodeFor, EXIT, UsageError } from '../../src/errors.js';
import { VERSION } from '../../src/index.js';
import { STACKS } from '../../src/stacks/index.js';
import { nextjs } from '../../src/stacks/nextjs.js';
import type { AnyStack } from '../../src/stacks/types.js';
import { validateGoVersion } from '../../src/validate.js';
import { spawnSync } from 'node:child_process';
import { BIN, childEnv, requireBuiltCli, runBuiltCli } from '../helpers/cli.js';
import { fakePrompter } from '../helpers/fake-prompter.js';
import { runMain } from '../helpers/run-main.js';
import { makeTree, readFixture, REPO_ROOT, snapshotTree } from '../helpers/tree.js';

const EVERY_FLAG = [
  '--stack',
  '--yes',
  '-y',
  '--name',
  '--port',
  '--node-version',
  '--pm',
  '--runtime',
  '--no-compose',
  '--no-scripts',
  '--dry-run',
  '--force',
  '--json',
  '--skip-install',
  '--help',
  '-h',
  '--version',
  '-v',
  '--kit',
  '--go-version',
  '--targets',
  '--static',
  '--packages',
];

describe('--help and --version', () => {
  it('prints every flag, the stacks, the exit codes and the npm `--` example', async () => {
    const cwd = makeTree();
    const result = await runMain(['--help'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const help = result.stdout;
    expect(help).toContain('npm create multistage@latest my-app -- --stack nextjs');
    for (const flag of EVERY_FLAG) expect(help, `help lists ${flag}`).toMatch(new RegExp(`(^|[\\s,])${flag}\\b`, 'm'));
    for (const stack of STACKS) expect(help).toContain(stack.id);
    expect(help).toMatch(/npm \| pnpm \| yarn \| bun/);
    // Each stack's own runtime choices, default first.
    expect(help).toMatch(/--runtime .*nextjs slim\|distroless; go distroless\|scratch\|slim; cpp slim\|distroless\|scratch/);
    expect(help).toMatch(/0 done.*1 failed.*2 .*usage.*130 cancelled/s);
    // Help wins over everything else on the line and writes nothing.
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('-h is --help, even with other flags', async () => {
    const cwd = makeTree();
    const long = await runMain(['--help'], { cwd });
    const short = await runMain(['app', '--stack', 'nextjs', '-h'], { cwd });
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('--version and -v print the version only', async () => {
    const cwd = makeTree();
    for (const flag of ['--version', '-v']) {
      const result = await runMain([flag], { cwd });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${VERSION}\n`);
    }
  });

  it('the built CLI reports the package.json version', () => {
    requireBuiltCli();
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = runBuiltCli(['--version'], { cwd: makeTree() });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });
});

/** Runs argv in an empty dir and checks: exit 2, nothing on stdout, nothing written. */
async function usageError(argv: string[]): Promise<string> {
  const cwd = makeTree();
  const result = await runMain(argv, { cwd });
  expect(result.code, `${argv.join(' ')} → exit code (stderr: ${result.stderr})`).toBe(EXIT.usage);
  expect(result.stdout).toBe('');
  expect(snapshotTree(cwd), 'nothing is written on a usage error').toEqual({});
  return result.stderr;
}

describe('unknown flags', () => {
  it.each([
    ['--prot', '--port'],
    ['--stak', '--stack'],
    ['--dryrun', '--dry-run'],
    ['--node-versoin', '--node-version'],
    ['--skip-instal', '--skip-install'],
    ['--no-compse', '--no-compose'],
  ])('%s is named, and %s suggested', async (typo, suggestion) => {
    const message = await usageError(['app', '--stack', 'nextjs', '--yes', typo, '3000']);
    expect(message).toContain(`Unknown flag ${typo}`);
    expect(message).toContain(`Did you mean ${suggestion}?`);
  });

  it('a far-off flag gets no wild suggestion, but is named', async () => {
    const message = await usageError(['app', '--yes', '--completely-unrelated']);
    expect(message).toContain('--completely-unrelated');
    expect(message).not.toContain('Did you mean');
  });

  it('an unknown short flag is named', async () => {
    const message = await usageError(['app', '-x']);
    expect(message).toContain('-x');
  });

  it('a switch given a value is an error, not a silent true', async () => {
    const message = await usageError(['app', '--stack', 'nextjs', '--yes=false']);
    expect(message).toContain('--yes does not take a value');
  });
});

describe('unknown stack', () => {
  it.each(['rust', 'NextJS', 'next', ''])('--stack %j exits 2 listing the accepted stacks', async (value) => {
    const message = await usageError(['app', `--stack=${value}`, '--yes']);
    expect(message).toContain('--stack');
    expect(message).toContain(JSON.stringify(value));
    expect(message).toContain(`one of ${STACKS.map((s) => s.id).join(', ')}`);
  });
});

describe('malformed values name the flag and what it accepts', () => {
  const cases: [flag: string, value: string, accepted: RegExp][] = [
    ['port', '0', /1 to 65535/],
    ['port', '65536', /1 to 65535/],
    ['port', 'abc', /1 to 65535/],
    ['port', '80.5', /1 to 65535/],
    ['port', '3000;rm', /1 to 65535/],
    ['name', 'Bad Name', /lowercase letters and digits/],
    ['name', 'UPPER', /lowercase letters and digits/],
    ['name', '-lead', /lowercase letters and digits/],
    ['name', 'a\nFROM evil', /lowercase letters and digits/],
    ['name', 'x'.repeat(65), /at most 64 characters/],
    ['node-version', '16', /18 or newer/],
    ['node-version', '18', /not a Node\.js line with trixie images \(20, 22, 24, 25, 26\)/],
    ['node-version', '99', /not a Node\.js line with trixie images/],
    ['node-version', '20.8.1', /too old for Next\.js 16, which needs Node\.js 20\.9\.0 or newer/],
    ['node-version', 'abc', /Node\.js version such as/],
    ['node-version', 'lts/iron', /Node\.js version such as/],
    ['node-version', '22 AS x', /Node\.js version such as/],
    ['pm', 'npx', /one of npm, pnpm, yarn, bun/],
    ['pm', 'NPM', /one of npm, pnpm, yarn, bun/],
    ['pm', 'yarn@4', /one of npm, pnpm, yarn, bun/],
    ['runtime', 'scratch', /one of slim, distroless/],
    ['runtime', 'alpine', /one of slim, distroless/],
  ];
  it.each(cases)('--%s %j', async (flag, value, accepted) => {
    const message = await usageError(['app', '--stack', 'nextjs', '--yes', `--${flag}=${value}`]);
    expect(message).toContain(`--${flag}`);
    expect(message).toMatch(accepted);
  });

  it('--node-version below package.json engines.node is refused; at or above it is taken', async () => {
    const project = () =>
      makeTree({
        ...readFixture('nextjs-detect/npm'),
        'package.json': JSON.stringify({ name: 'shop', dependencies: { next: '16.4.6' }, engines: { node: '>=22.12' } }),
      });
    const low = await runMain(['.', '--yes', '--node-version', '20'], { cwd: project() });
    expect(low.code).toBe(2);
    expect(low.stderr).toContain('--node-version 20 is older than package.json\'s engines.node ">=22.12"');
    for (const version of ['22', '24', '22.12.0']) {
      const ok = await runMain(['.', '--yes', '--node-version', version], { cwd: project() });
      expect(ok.code, `${version}: ${ok.stderr}`).toBe(0);
    }
  });

  it('distroless is refused for an odd (non-LTS) Node major, naming the accepted runtime', async () => {
    const message = await usageError(['app', '--stack', 'nextjs', '--yes', '--node-version', '25', '--runtime', 'distroless']);
    expect(message).toContain('--runtime');
    expect(message).toContain('one of slim');
  });

  it('the separate-value form is validated the same way', async () => {
    const message = await usageError(['app', '--stack', 'nextjs', '--yes', '--port', 'abc']);
    expect(message).toContain('--port must be a whole number from 1 to 65535');
  });
});

describe('flags that do not apply to the chosen stack', () => {
  // A second stack with its own flag makes `--go-version` a known flag that Next.js does not take.
  const otherStack: AnyStack = {
    ...nextjs,
    id: 'go',
    title: 'Go',
    matches: () => false,
    questions: [{ flag: 'go-version', message: 'Go version', type: 'text', parse: validateGoVersion, defaultValue: () => '1.27' }],
  };

  it('is a usage error naming the flag and the stack', async () => {
    const stacks = [nextjs, otherStack];
    const cwd = makeTree();
    const options = parseArgs(['app', '--stack', 'nextjs', '--yes', '--go-version', '1.26'], stacks);
    const error = await create(options, { cwd, env: {}, out: { info() {}, data() {}, error() {} }, stacks }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeFor(error)).toBe(EXIT.usage);
    expect((error as Error).message).toBe('--go-version does not apply to the nextjs stack.');
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('through main, the flags only other built-in stacks take are refused for nextjs', async () => {
    const nextFlags = new Set(nextjs.questions.map((q) => q.flag));
    const foreign = new Map(
      STACKS.flatMap((s) => s.questions)
        .filter((q) => !nextFlags.has(q.flag))
        .map((q) => [q.flag, q.type]),
    );
    // The Go stack ships with --go-version; the list cannot be empty.
    expect([...foreign.keys()]).toContain('go-version');
    for (const [flag, type] of foreign) {
      // A confirm question is a switch: it takes no value.
      const message = await usageError(['app', '--stack', 'nextjs', '--yes', type === 'confirm' ? `--${flag}` : `--${flag}=1`]);
      expect(message).toContain(`--${flag} does not apply to the nextjs stack`);
    }
  });
});

describe('missing values and positionals', () => {
  it.each([[['app', '--port']], [['app', '--port', '--yes']], [['--stack']], [['app', '--stack', '--yes']], [['app', '--name', '-y']]])('%j: the flag needs a value', async (argv) => {
    const flag = argv.find((a) => a === '--port' || a === '--stack' || a === '--name')!;
    const message = await usageError(argv);
    expect(message).toContain(`${flag} needs a value`);
  });

  it('two directories are refused, naming both', async () => {
    const message = await usageError(['one', 'two', '--stack', 'nextjs', '--yes']);
    expect(message).toContain('at most one directory');
    expect(message).toContain('"one"');
    expect(message).toContain('"two"');
  });

  it('npm ate the flags (`npm exec … create-multistage e2 --stack go`): the error says to put `--` before them', async () => {
    // npm keeps `--stack` and passes on the directory and the flag's value.
    const message = await usageError(['e2', 'go']);
    expect(message).toContain('at most one directory');
    expect(message).toMatch(/put `--` before the flags/);
    expect(message).toContain('npm create multistage@latest e2 -- --stack go');
  });

  it('a directory after `--` counts as a positional too', async () => {
    const message = await usageError(['one', '--', 'two']);
    expect(message).toContain('at most one directory');
  });

  it('a directory name with a newline is refused', async () => {
    const message = await usageError(['bad\nname', '--stack', 'nextjs', '--yes']);
    expect(message).toContain('control characters');
  });
});

describe('with --json, errors are one JSON document on stdout', () => {
  it('a usage error', async () => {
    const cwd = makeTree();
    const result = await runMain(['app', '--stack', 'nextjs', '--json', '--port', 'nope'], { cwd });
    expect(result.code).toBe(2);
    expect(result.json()).toEqual({ error: expect.stringContaining('--port') as unknown, exitCode: 2 });
  });
});

describe('stdin closed (no TTY) and no --yes: exit 2 at once, naming the flags to pass', () => {
  beforeAll(() => requireBuiltCli());

  it('a new project lists every unanswered flag and --yes, without waiting for input', () => {
    const cwd = makeTree();
    const result = runBuiltCli(['app', '--stack', 'nextjs'], { cwd, timeoutMs: 15_000 });
    expect(result.timedOut, 'the CLI hung waiting for input').toBe(false);
    expect(result.code).toBe(2);
    for (const flag of ['--port', '--node-version', '--pm', '--runtime', '--yes']) expect(result.stderr).toContain(flag);
    expect(result.stdout).toBe('');
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('no arguments in an empty dir: asks for a directory or --yes', () => {
    const cwd = makeTree();
    const result = runBuiltCli([], { cwd, timeoutMs: 15_000 });
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
    expect(result.stderr).toMatch(/Pass a directory/);
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('a new dir without --stack: names --stack and its values', () => {
    const cwd = makeTree();
    const result = runBuiltCli(['app'], { cwd, timeoutMs: 15_000 });
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--stack ${STACKS.map((s) => s.id).join('|')}`);
  });

  it('an existing project: only what detection could not answer is missing', () => {
    const cwd = makeTree({
      ...readFixture('nextjs-detect/npm'),
      '.nvmrc': '22\n',
      'package.json': JSON.stringify({ name: 'shop', dependencies: { next: '15.5.0' }, scripts: { start: 'next start -p 4000' } }),
    });
    const before = snapshotTree(cwd);
    const result = runBuiltCli([], { cwd, timeoutMs: 15_000 });
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--runtime');
    for (const answered of ['--port', '--node-version', '--pm', '--name']) expect(result.stderr).not.toContain(answered);
    expect(snapshotTree(cwd)).toEqual(before);
  });

  it('--json also never prompts: exit 2 with a JSON error', () => {
    const cwd = makeTree();
    const result = runBuiltCli(['app', '--stack', 'nextjs', '--json'], { cwd, timeoutMs: 15_000 });
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as { error: string; exitCode: number };
    expect(report.exitCode).toBe(2);
    expect(report.error).toContain('--runtime');
  });

  it('with --yes the same run succeeds without a terminal', () => {
    const cwd = makeTree();
    const result = runBuiltCli(['app', '--stack', 'nextjs', '--yes', '--skip-install'], { cwd, timeoutMs: 10_000 });
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'app', 'Dockerfile'))).toBe(true);
  });
});

describe('output piped into a reader that stops early (`| head`)', () => {
  beforeAll(() => requireBuiltCli());

  it('exits with the run’s own code and no stack trace', () => {
    // A diff far larger than a pipe's buffer, so the CLI is still writing when head has gone.
    const cwd = makeTree({
      'package.json': JSON.stringify({ name: 'shop', dependencies: { next: '16.0.0' } }),
      Dockerfile: Array.from({ length: 8000 }, (_, i) => `RUN echo line ${i}`).join('\n'),
    });
    const script = `set -o pipefail; "${process.execPath}" "${BIN}" --yes --dry-run 2>stderr.txt | head -3 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`;
    const result = spawnSync('bash', ['-c', script], { cwd, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout.trim()).toBe('exit=0');
    expect(fs.readFileSync(path.join(cwd, 'stderr.txt'), 'utf8')).not.toMatch(/EPIPE|Error|at /);
  });
});

describe('next steps', () => {
  // A new project each: the workspace stack generates for an existing workspace only (its own tests cover its steps).
  it.each(STACKS.filter((s) => !s.existingOnly).map((s) => s.id))('%s: the comments start in one column', async (stack) => {
    const cwd = makeTree();
    const result = await runMain(['app', '--stack', stack, '--yes', '--skip-install'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const steps = result.stdout
      .slice(result.stdout.indexOf('Next steps:'))
      .split('\n')
      .filter((line) => line.includes(' # '));
    expect(steps.length, result.stdout).toBeGreaterThan(1);
    expect(new Set(steps.map((line) => line.indexOf(' # '))).size, steps.join('\n')).toBe(1);
  });

  it('Go: docker:dev has no watcher, so the step says how an edit gets in', async () => {
    const withCompose = await runMain(['app', '--stack', 'go', '--yes'], { cwd: makeTree() });
    expect(withCompose.stdout).toMatch(/docker:dev +# .*after an edit: docker compose restart dev/);
    const withoutCompose = await runMain(['app', '--stack', 'go', '--yes', '--no-compose'], { cwd: makeTree() });
    expect(withoutCompose.stdout).toMatch(/docker:dev +# .*after an edit: Ctrl-C and run it again/);
  });
});

describe('the Project name prompt', () => {
  it.each([
    ['My App!', 'my-app'],
    ['ünïcode', 'n-code'],
  ])('%j is refused with a suggestion, never changed silently', async (typed, suggestion) => {
    const cwd = makeTree();
    const prompter = fakePrompter({ 'Project name': [typed, 'shop'], Stack: 'nextjs', Port: 'default', 'Node.js version': 'default', 'Package manager': 'default', 'Production runtime': 'default' });
    const result = await runMain(['--skip-install'], { cwd, stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    const asked = prompter.asked.find((q) => q.message === 'Project name')!;
    expect(asked.rejected).toEqual([`Use lowercase letters, digits and . _ - (e.g. ${suggestion})`]);
    expect(fs.readdirSync(cwd)).toEqual(['shop']);
  });

  it('a name with a space, given as the directory, is quoted in the printed cd', async () => {
    const cwd = makeTree();
    const result = await runMain(['My Shop', '--stack', 'go', '--yes', '--name', 'shop'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("cd 'My Shop'");
  });
});

describe('--stack that contradicts detection', () => {
  const nextProject = () => makeTree(readFixture('nextjs-detect/npm'));

  it('without a terminal: exit 2 with the reason, nothing written; --force goes ahead', async () => {
    const cwd = nextProject();
    const before = snapshotTree(cwd);
    const refused = await runMain(['.', '--stack', 'go', '--yes'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--stack go contradicts the project: this is a Next.js project');
    expect(refused.stderr).toContain('--force');
    expect(snapshotTree(cwd)).toEqual(before);
    const forced = await runMain(['.', '--stack', 'go', '--yes', '--force'], { cwd });
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('at a terminal: asks for confirmation; no is a cancel that writes nothing', async () => {
    const cwd = nextProject();
    const before = snapshotTree(cwd);
    const prompter = fakePrompter({ 'This is a Next.js project': false });
    const result = await runMain(['.', '--stack', 'go'], { cwd, stdinIsTTY: true, prompter });
    expect(result.code).toBe(130);
    expect(prompter.messages()[0]).toBe('This is a Next.js project, not Go. Add Go files anyway?');
    expect(snapshotTree(cwd)).toEqual(before);
  });
});

describe('run flags', () => {
  it('every name a kit may not take has exactly one row in the flag table, and every row is such a name', async () => {
    const { FLAGS } = await import('../../src/cli.js');
    const { RUN_FLAG_NAMES } = await import('../../src/run-flags.js');
    expect(FLAGS.map((flag) => flag.name).sort()).toEqual([...RUN_FLAG_NAMES].sort());
  });
});
