// The C++ questions as a person meets them: prompts with sensible initial
// values, rejected answers explained, the choices offered; and the flags in
// --help.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakePrompter } from '../../helpers/fake-prompter.js';
import { runMain } from '../../helpers/run-main.js';
import { makeTree, readFixture, snapshotTree } from '../../helpers/tree.js';

describe('prompts', () => {
  it('a new project: Enter everywhere gives server,cli on slim, no packages, dynamic link', async () => {
    const cwd = makeTree({});
    const prompter = fakePrompter({
      'Project name': 'default',
      Port: 'default',
      Executables: 'default',
      'Extra Debian packages': 'default',
      'Link fully static': 'default',
      'Production runtime': 'default',
    });
    const result = await runMain(['svc', '--stack', 'cpp'], { cwd, stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    // The name comes from the directory; everything else is asked.
    expect(prompter.asked.map((q) => [q.type, q.initial])).toEqual([
      ['text', '8080'],
      ['text', 'server,cli'],
      ['text', 'none'],
      // The runtime first: it decides whether the static question is asked at all.
      ['select', 'slim'],
      ['confirm', false],
    ]);
    expect(prompter.asked.find((q) => q.type === 'select')!.choices).toEqual(['slim', 'distroless', 'scratch']);
    expect(fs.readFileSync(path.join(cwd, 'svc', 'Dockerfile'), 'utf8').split('\n')[1]).toBe('# create-multistage: --stack cpp --name svc --port 8080 --targets server,cli --runtime slim');
  });

  it('scratch as the runtime implies a static link, which is then not asked; bad package names are explained and asked again', async () => {
    const cwd = makeTree({});
    const prompter = fakePrompter({
      'Project name': 'default',
      Port: 'default',
      Executables: 'default',
      'Extra Debian packages': ['libfoo dev', 'tzdata'],
      'Production runtime': 'scratch',
    });
    const result = await runMain(['svc', '--stack', 'cpp'], { cwd, stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    const packages = prompter.asked.find((q) => q.message.startsWith('Extra Debian packages'))!;
    expect(packages.rejected).toEqual([expect.stringContaining('item "libfoo dev" must be a Debian package name')]);
    expect(prompter.messages().some((m) => m.startsWith('Link fully static'))).toBe(false);
    const dockerfile = fs.readFileSync(path.join(cwd, 'svc', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('FROM scratch AS production');
    expect(dockerfile).toContain('COPY --from=dependencies /usr/share/zoneinfo /usr/share/zoneinfo');
  });

  it('--static alone still means static on scratch; --runtime scratch --static=false is a contradiction (exit 2)', async () => {
    const alone = await runMain(['svc', '--stack', 'cpp', '--yes', '--static'], { cwd: makeTree({}) });
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout + alone.stderr).not.toContain('contradicts');
    const cwd = makeTree({});
    const contradiction = await runMain(['svc', '--stack', 'cpp', '--yes', '--runtime', 'scratch', '--static=false'], { cwd });
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toContain('--static false contradicts --runtime scratch');
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('an existing CMake project asks nothing it detected: the executables come from add_executable()', async () => {
    const cwd = makeTree(readFixture('cpp/zlib-app'));
    const prompter = fakePrompter({ Port: 'default', 'Extra Debian packages': 'default', 'Link fully static': 'default', 'Production runtime': 'default' });
    const result = await runMain(['.'], { cwd, stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.messages().some((m) => m.startsWith('Executables'))).toBe(false);
    expect(prompter.messages().some((m) => m.startsWith('Project name'))).toBe(false);
    expect(fs.readFileSync(path.join(cwd, 'Dockerfile'), 'utf8')).toContain('--name zapp --port 8080 --targets zserver,ztool');
  });

  it('a Makefile project asks for the binaries and will not take an empty answer', async () => {
    // make's implicit rules link these programs: no rule in the Makefile says which goals are binaries.
    const cwd = makeTree({ Makefile: 'all: hello\nhello: hello.o\n', 'hello.c': 'int main(void) { return 0; }\n' });
    const prompter = fakePrompter({
      'Project name': 'default',
      Port: 'default',
      Executables: ['default', 'hello'],
      'Extra Debian packages': 'default',
      'Link fully static': 'default',
      'Production runtime': 'default',
    });
    const result = await runMain(['.', '--stack', 'cpp'], { cwd, stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    const executables = prompter.asked.find((q) => q.message.startsWith('Executables'))!;
    expect(executables.initial).toBe('');
    expect(executables.rejected).toEqual([expect.stringContaining('must be a comma-separated list of executable names')]);
    expect(fs.readFileSync(path.join(cwd, 'Dockerfile'), 'utf8')).toContain('FROM builder AS build-hello');
  });

  it('a CMake directory is found without --stack', async () => {
    const cwd = makeTree(readFixture('cpp/cmake-shop'));
    const result = await runMain(['--yes', '--dry-run'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('C++ project found in .');
  });
});

describe('--help', () => {
  it('lists the C++ flags', async () => {
    const result = await runMain(['--help'], { cwd: makeTree({}) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--stack <id>\s+.*cpp/);
    expect(result.stdout).toMatch(/--packages <value>\s+Extra Debian packages.*\[cpp\]/);
    expect(result.stdout).toMatch(/--static\s+Link fully static.*\[cpp\]/);
    expect(result.stdout).toContain('--targets <value>');
  });
});
