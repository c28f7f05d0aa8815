// The Go stack through the whole CLI, in-process: a new project and every
// fixture write their files, a second run plans every file as identical (the
// Dockerfile header carries the answers), prompts ask only what detection
// could not answer, and bad --targets/--runtime values are usage errors that
// write nothing.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/create.js';
import { fakePrompter } from '../../helpers/fake-prompter.js';
import { runMain } from '../../helpers/run-main.js';
import { makeTree, readFixture, readText, snapshotTree, tempDir } from '../../helpers/tree.js';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';

async function runJson(argv: string[], cwd: string): Promise<RunReport> {
  const result = await runMain([...argv, '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return result.json<RunReport>();
}

function expectAllIdentical(report: RunReport): void {
  const actions = Object.fromEntries(report.files.map((f) => [f.path, f.action]));
  expect(
    Object.values(actions).every((action) => action === 'identical'),
    JSON.stringify(actions, null, 2),
  ).toBe(true);
  expect(report.written).toBe(false);
}

function expectCleanDockerfile(dir: string, productionTargets: string[]): void {
  const violations = checkDockerfile(readText(dir, 'Dockerfile'), {
    dockerignore: readText(dir, '.dockerignore'),
    productionTargets,
    expectedStages: ['base', 'dependencies', 'development', 'builder', 'production'],
  });
  expect(violations, formatViolations(violations)).toEqual([]);
}

describe('a new Go project', () => {
  it('writes the service, go.mod, the Docker files and a minimal package.json; a second run changes nothing', async () => {
    const cwd = tempDir('cms-go-new-');
    const first = await runJson(['hello-api', '--stack', 'go', '--yes'], cwd);
    expect(first.mode).toBe('new');
    expect(first.files.map((f) => [f.path, f.action]).sort()).toEqual(
      [
        ['.dockerignore', 'create'],
        ['.gitignore', 'create'],
        ['Dockerfile', 'create'],
        ['README.Docker.md', 'create'],
        ['compose.yaml', 'create'],
        ['go.mod', 'create'],
        ['main.go', 'create'],
        ['main_test.go', 'create'],
        ['package.json', 'create'],
      ].sort(),
    );
    const dir = path.join(cwd, 'hello-api');
    expect(readText(dir, 'go.mod')).toBe('module hello-api\n\ngo 1.27\n');
    const mainGo = readText(dir, 'main.go');
    expect(mainGo).toContain('const defaultPort = "8080"');
    expect(mainGo).toContain('flag.Bool("healthcheck"');
    expect(mainGo).toContain('signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)');
    const pkg = JSON.parse(readText(dir, 'package.json')) as { private: boolean; scripts: Record<string, string>; dependencies?: unknown };
    expect(pkg.private).toBe(true);
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.scripts)).toEqual(['docker:build', 'docker:build:dev', 'docker:dev', 'docker:start', 'docker:test']);
    expectCleanDockerfile(dir, ['production']);

    // The second run finds go.mod (an existing project now), detects the same facts and writes nothing.
    const before = snapshotTree(dir);
    const second = await runJson(['--yes'], dir);
    expect(second.stack).toBe('go');
    expect(second.mode).toBe('existing');
    expectAllIdentical(second);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it.each([
    ['scratch, custom port and a patch version', ['--runtime', 'scratch', '--port', '9000', '--go-version', '1.26.1']],
    ['slim, Go 1.23 (bookworm image)', ['--runtime', 'slim', '--go-version', '1.23']],
    ['no compose', ['--no-compose']],
  ])('%s: the second run is identical too', async (_label, flags) => {
    const cwd = tempDir('cms-go-new-');
    await runJson(['svc', '--stack', 'go', '--yes', ...flags], cwd);
    const dir = path.join(cwd, 'svc');
    expectCleanDockerfile(dir, ['production']);
    expectAllIdentical(await runJson(['--yes'], dir));
  });

  it('the go.mod go line is the release line of the chosen version', async () => {
    const cwd = tempDir('cms-go-new-');
    await runJson(['svc', '--stack', 'go', '--yes', '--go-version', '1.26.1'], cwd);
    expect(readText(path.join(cwd, 'svc'), 'go.mod')).toBe('module svc\n\ngo 1.26\n');
    expect(readText(path.join(cwd, 'svc'), 'Dockerfile')).toContain('ARG GO_IMAGE=golang:1.26.1-trixie');
  });
});

describe('existing Go projects (fixtures)', () => {
  it.each([
    ['single', [], ['production']],
    ['two-binaries', [], ['production', 'production-worker']],
    ['two-binaries', ['--targets', 'worker,api', '--runtime', 'scratch'], ['production', 'production-api']],
    ['vendored', ['--runtime', 'slim'], ['production']],
    ['no-gosum', [], ['production']],
    ['cgo', ['--runtime', 'slim'], ['production']],
  ] as const)('%s %j: files pass the rules, a second run without flags is identical', async (fixture, flags, targets) => {
    const dir = makeTree(readFixture(`go/${fixture}`), 'cms-go-fixture-');
    const first = await runJson([dir, '--yes', ...flags], dir);
    expect(first.mode).toBe('existing');
    expect(first.files.find((f) => f.path === 'package.json')?.action).toBe('create');
    expectCleanDockerfile(dir, [...targets]);
    const dockerfile = readText(dir, 'Dockerfile');
    for (const target of targets) expect(dockerfile).toContain(` AS ${target}\n`);
    expectAllIdentical(await runJson([dir, '--yes'], dir));
  });

  it('detected values reach the Dockerfile: toolchain line picks the image, port from the code', async () => {
    const dir = makeTree(readFixture('go/no-gosum'));
    await runJson(['--yes'], dir);
    const dockerfile = readText(dir, 'Dockerfile');
    expect(dockerfile).toContain('ARG GO_IMAGE=golang:1.24-trixie');
    expect(dockerfile).toContain('EXPOSE 8081');
    expect(dockerfile).toContain('COPY go.mod go.sum* ./');
  });
});

describe('prompts and errors', () => {
  it('several main packages: only the targets and the runtime are asked', async () => {
    const dir = makeTree(readFixture('go/two-binaries'));
    const prompter = fakePrompter({ 'Binaries to ship': 'worker', 'Production runtime': 'scratch' });
    const result = await runMain([dir], { cwd: dir, stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.messages()).toEqual(['Binaries to ship', 'Production runtime']);
    expect(prompter.asked[0]!.initial).toBe('api,worker');
    const dockerfile = readText(dir, 'Dockerfile');
    expect(dockerfile).toContain('--targets worker --runtime scratch');
    expect(dockerfile).not.toContain('/out/api');
  });

  it('one main package: only the runtime is asked', async () => {
    const dir = makeTree(readFixture('go/single'));
    const prompter = fakePrompter({ 'Production runtime': 'default' });
    const result = await runMain([dir], { cwd: dir, stdinIsTTY: true, prompter });
    expect(result.code, result.stderr).toBe(0);
    expect(prompter.messages()).toEqual(['Production runtime']);
  });

  it('no terminal and no --yes: exit 2 naming --targets and --runtime', async () => {
    const dir = makeTree(readFixture('go/two-binaries'));
    const before = snapshotTree(dir);
    const result = await runMain([dir], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--targets <value>');
    expect(result.stderr).toContain('--runtime <value>');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--targets naming something that is not a main package: exit 2, nothing written', async () => {
    const dir = makeTree(readFixture('go/two-binaries'));
    const before = snapshotTree(dir);
    const result = await runMain([dir, '--yes', '--targets', 'api,nope'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--targets names "nope"');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--runtime scratch on a cgo project: exit 2 naming the runtimes that work', async () => {
    const dir = makeTree(readFixture('go/cgo'));
    const result = await runMain([dir, '--yes', '--runtime', 'scratch'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--runtime must be one of distroless, slim');
  });

  it('a module without any main package: exit 2, nothing written', async () => {
    const dir = makeTree({ 'go.mod': 'module example.com/lib\n\ngo 1.25\n', 'lib.go': 'package lib\n' });
    const before = snapshotTree(dir);
    const result = await runMain([dir, '--yes'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No main package found');
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('a main package deeper than detection looks', () => {
  const tree = {
    'go.mod': 'module example.com/platform\n\ngo 1.25\n',
    'services/api/cmd/server/main.go': 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
    'services/api/handler.go': 'package api\n',
  };

  it('--yes alone: exit 2 saying how to name it, nothing written', async () => {
    const dir = makeTree(tree);
    const before = snapshotTree(dir);
    const result = await runMain([dir, '--yes'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--targets ./path/to/package');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--targets with its path builds it, the header records the path, and a re-run without the flag changes nothing', async () => {
    const dir = makeTree(tree);
    const first = await runJson([dir, '--yes', '--targets', './services/api/cmd/server/'], dir);
    expect(first.written).toBe(true);
    const dockerfile = readText(dir, 'Dockerfile');
    expect(dockerfile).toMatch(/^# create-multistage: .*--targets \.\/services\/api\/cmd\/server /m);
    expect(dockerfile).toContain('./services/api/cmd/server');
    expect(dockerfile).toContain('/out/server');
    expectCleanDockerfile(dir, ['production']);
    expectAllIdentical(await runJson([dir, '--yes'], dir));
  });

  it('a path that holds no main package, or leaves the module, is refused: exit 2, nothing written', async () => {
    const dir = makeTree(tree);
    const before = snapshotTree(dir);
    const empty = await runMain([dir, '--yes', '--targets', './services/api'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--targets names ./services/api, which holds no main package');
    const outside = await runMain([dir, '--yes', '--targets', '../elsewhere/cmd'], { cwd: dir });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('must be a package directory inside the module');
    expect(snapshotTree(dir)).toEqual(before);
  });
});

describe('--go-version against go.mod', () => {
  const project = () => makeTree({ 'go.mod': 'module example.com/svc\n\ngo 1.24.3\n', 'main.go': 'package main\n\nfunc main() {}\n' }, 'cms-go-version-');

  it('go.mod sets the builder when no flag is given (its go line is the minimum)', async () => {
    const dir = project();
    expect((await runMain([dir, '--stack', 'go', '--yes'], { cwd: dir })).code).toBe(0);
    expect(readText(dir, 'Dockerfile')).toMatch(/^ARG GO_IMAGE=golang:1\.24-|FROM golang:1\.24-/m);
  });

  it('takes a newer version, and the same line with any patch', async () => {
    for (const version of ['1.27', '1.24', '1.24.3']) {
      const dir = project();
      const result = await runMain([dir, '--stack', 'go', '--yes', '--go-version', version], { cwd: dir });
      expect(result.code, `${version}: ${result.stderr}`).toBe(0);
    }
  });

  it('refuses a version older than go.mod asks for: exit 2, the reason, nothing written', async () => {
    for (const version of ['1.23', '1.24.1']) {
      const dir = project();
      const before = snapshotTree(dir);
      const result = await runMain([dir, '--stack', 'go', '--yes', '--go-version', version], { cwd: dir });
      expect(result.code, version).toBe(2);
      expect(result.stderr).toContain(`--go-version ${version} is older than go.mod's minimum Go 1.24.3`);
      expect(snapshotTree(dir)).toEqual(before);
    }
  });
});

describe('a production-<name> target that is not a server', () => {
  it('gets no ENV PORT or EXPOSE, HEALTHCHECK NONE and its own title; the server targets keep theirs', async () => {
    const dir = makeTree(
      {
        'go.mod': 'module example.com/duo\n\ngo 1.27\n',
        'cmd/api/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n',
        'cmd/migrate/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("migrated") }\n',
      },
      'cms-go-command-',
    );
    const result = await runMain([dir, '--stack', 'go', '--yes', '--targets', 'api,migrate'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const dockerfile = readText(dir, 'Dockerfile');
    const stageText = (name: string): string => {
      const start = dockerfile.indexOf(` AS ${name}\n`);
      const next = dockerfile.indexOf('\nFROM ', start);
      return dockerfile.slice(start, next === -1 ? undefined : next);
    };
    const api = stageText('production');
    expect(api).toContain('EXPOSE 8080');
    expect(api).toContain('ENV PORT=8080');
    expect(api).toContain('org.opencontainers.image.title="duo"');
    const migrate = stageText('production-migrate');
    expect(migrate).not.toMatch(/EXPOSE|ENV PORT/);
    expect(migrate).toContain('HEALTHCHECK NONE');
    expect(migrate).toContain('org.opencontainers.image.title="duo-migrate"');
    expectCleanDockerfile(dir, ['production', 'production-migrate']);
  });
});
