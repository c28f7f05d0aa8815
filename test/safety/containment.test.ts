/**
 * Battery, round two: path containment, special files, encodings and projects
 * we do not recognise. Every case asserts the exit code, the message, and the
 * tree byte for byte inside the project and outside it (a sibling folder the
 * links point at).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ACME_KIT } from '../helpers/kit.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-contain-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A case folder holding the project `p` and a folder `out` beside it that must never change. */
function setup(files: Record<string, string> = {}): { base: string; dir: string; out: string } {
  const base = path.join(root, `case-${counter++}`);
  const dir = path.join(base, 'p');
  const out = path.join(base, 'out');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(out);
  writeTree(out, { 'keep.txt': 'outside\n' });
  writeTree(dir, files);
  return { base, dir, out };
}

/** Runs and asserts the exit code, the message, and that nothing at all changed under the case folder. */
async function expectUntouched(base: string, argv: string[], cwd: string, code: number, message: RegExp): Promise<string> {
  const before = snapshot(base);
  const result = await run(argv, cwd);
  expect(result.code, result.stdout + result.stderr).toBe(code);
  expect(result.stdout + result.stderr).toMatch(message);
  expect(snapshot(base)).toEqual(before);
  return result.stdout + result.stderr;
}

describe('writes never go through a link', () => {
  it('a new project over a folder whose app/ links outside: exit 2, nothing written anywhere', async () => {
    const { base, dir } = setup();
    fs.symlinkSync('../out', path.join(dir, 'app'));
    await expectUntouched(base, [dir, '--stack', 'nextjs', '--yes', '--skip-install'], base, 2, /p is not empty and is not a project create-multistage can add Docker to as nextjs/);
  });

  it.each([
    [
      '.github linked outside (a kit workflow)',
      '.github',
      '../out',
      /\.github is a symbolic link \(to \.\.\/out\); create-multistage never writes through a link, so \.github\/workflows\/docker\.yml is not written/,
    ],
    ['.multistage linked outside (kit CA certificates)', '.multistage', '../out', /\.multistage is a symbolic link \(to \.\.\/out\); create-multistage never writes through a link/],
    ['.github linked to a folder inside the project', '.github', 'docs', /\.github is a symbolic link \(to docs\)/],
  ])('%s: blocked, exit 1, also with --dry-run and --force', async (_name, link, target, message) => {
    const { base, dir } = setup({ ...EXISTING_PROJECTS['go']!, 'docs/readme.md': 'docs\n' });
    fs.symlinkSync(target, path.join(dir, link));
    for (const extra of [[], ['--dry-run'], ['--force']]) {
      const output = await expectUntouched(base, [dir, '--yes', '--kit', ACME_KIT, ...extra], base, 1, message);
      expect(output).toMatch(/Nothing was written/);
    }
  });
});

describe('projects we do not recognise never get a starter app', () => {
  it.each([
    ['a pnpm workspace root', { 'package.json': '{ "name": "root", "private": true }\n', 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n' }, /found a pnpm workspace \(pnpm-workspace\.yaml\)/],
    ['an npm workspace root', { 'package.json': '{ "name": "root", "workspaces": ["apps/*"] }\n' }, /found an npm, Yarn or bun workspace \(package\.json "workspaces"\)/],
    ['a Meson project', { 'meson.build': "project('x', 'cpp')\n", 'main.cpp': 'int main() {}\n' }, /found a Meson project \(meson\.build\)/],
    ['a Bazel project', { 'MODULE.bazel': 'module(name = "x")\n', 'BUILD.bazel': '' }, /found a Bazel project \(MODULE\.bazel, BUILD\.bazel\)/],
    ['a folder of notes', { 'notes.txt': 'hello\n' }, /found 1 entry \(notes\.txt\)/],
  ])('`. --yes` at %s: exit 2 naming what was found and what is supported, nothing written', async (_name, files, found) => {
    const { base, dir } = setup(files as Record<string, string>);
    const output = await expectUntouched(base, ['.', '--yes'], dir, 2, found);
    expect(output).toMatch(/Supported: Next\.js \(a package\.json with a "next" dependency\), Go \(a go\.mod\), C\+\+ \(a CMakeLists\.txt\)/);
    expect(output).toMatch(/A new project is only created in a missing or empty directory/);
  });

  it('`. --yes` at a go.work root without a Go app: exit 2 (the go-workspace stack finds no binary), nothing written', async () => {
    const { base, dir } = setup({ 'go.work': 'go 1.25\n\nuse ./svc\n', 'svc/go.mod': 'module svc\n' });
    await expectUntouched(base, ['.', '--yes'], dir, 2, /The go\.work workspace has no module with a main package/);
  });

  it('--yes without a directory in a non-empty, unrecognised folder: exit 2, no ./multistage-app', async () => {
    const { base, dir } = setup({ 'pnpm-workspace.yaml': 'packages: []\n' });
    await expectUntouched(base, ['--yes'], dir, 2, /No project create-multistage supports in the current directory, and it is not empty: found a pnpm workspace[\s\S]*Pass a directory/);
  });

  it('--yes without a directory in an empty folder says where the new project goes', async () => {
    const { dir } = setup();
    const result = await run(['--yes', '--stack', 'go'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('No directory given: creating the new project in ./multistage-app');
    expect(fs.existsSync(path.join(dir, 'multistage-app', 'go.mod'))).toBe(true);
  });

  it('a folder holding only .git still gets a new project', async () => {
    const { dir } = setup({ '.git/HEAD': 'ref: refs/heads/main\n' });
    const result = await run(['.', '--stack', 'go', '--yes'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(fs.existsSync(path.join(dir, 'go.mod'))).toBe(true);
  });
});

describe('special files are never read', () => {
  it('a FIFO named package.json: no hang, blocked, exit 1', async () => {
    const { base, dir } = setup(EXISTING_PROJECTS['go']);
    expect(spawnSync('mkfifo', [path.join(dir, 'package.json')]).status).toBe(0);
    await expectUntouched(base, [dir, '--yes'], base, 1, /package\.json exists and is not a regular file/);
  }, 30_000);

  it('package.json -> /dev/zero: never read (no memory blow-up), blocked, exit 1', async () => {
    const { base, dir } = setup(EXISTING_PROJECTS['go']);
    fs.symlinkSync('/dev/zero', path.join(dir, 'package.json'));
    await expectUntouched(base, [dir, '--yes'], base, 1, /package\.json is a symbolic link pointing outside the project/);
  }, 30_000);

  it('a FIFO named go.mod: detection skips it with a note, no hang', async () => {
    const { base, dir } = setup({ 'main.go': 'package main\n' });
    expect(spawnSync('mkfifo', [path.join(dir, 'go.mod')]).status).toBe(0);
    const output = await expectUntouched(base, [dir, '--stack', 'go', '--yes'], base, 2, /is not empty/);
    expect(output).toMatch(/note: skipped go\.mod is not a regular file|is not empty/);
  }, 30_000);
});

describe('package.json bytes are never lost', () => {
  it('not valid UTF-8: blocked with the byte offset, exit 1, not a byte changed', async () => {
    const text = Buffer.concat([Buffer.from('{\n  "name": "caf'), Buffer.from([0xe9]), Buffer.from('",\n  "dependencies": { "next": "16.4.6" }\n}\n')]);
    const { base, dir } = setup({ ...EXISTING_PROJECTS['nextjs'] });
    fs.writeFileSync(path.join(dir, 'package.json'), text);
    await expectUntouched(base, [dir, '--yes'], base, 1, /package\.json is not valid UTF-8 \(byte 0xe9 at offset 16\)/);
    for (const extra of ['--dry-run', '--force']) await expectUntouched(base, [dir, '--yes', extra], base, 1, /byte 0xe9 at offset 16/);
  });

  it('a symlinked package.json is a conflict naming where it points; the link and its target stay', async () => {
    const { base, dir } = setup({ ...EXISTING_PROJECTS['nextjs'], 'real/package.json': EXISTING_PROJECTS['nextjs']!['package.json']! });
    fs.rmSync(path.join(dir, 'package.json'));
    fs.symlinkSync('real/package.json', path.join(dir, 'package.json'));
    await expectUntouched(base, [dir, '--yes'], base, 1, /package\.json is a symbolic link to real\/package\.json; scripts are not merged through a link/);
  });
});

describe('generated files with CRLF line endings (Git autocrlf)', () => {
  it('are identical on a re-run, not conflicts; a rewritten CRLF file stays CRLF', async () => {
    const { dir } = setup(EXISTING_PROJECTS['go']);
    expect((await run([dir, '--yes'], root)).code).toBe(0);
    for (const name of ['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md']) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    }
    const before = snapshot(dir);
    const again = await run([dir, '--yes', '--json'], root);
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as { files: { path: string; action: string }[] };
    expect(report.files.filter((f) => f.action !== 'identical')).toEqual([]);
    expect(snapshot(dir)).toEqual(before);

    // A real change to a CRLF file, overwritten with consent: the new text in the file's own style.
    const dockerfile = path.join(dir, 'Dockerfile');
    fs.writeFileSync(dockerfile, `# mine\r\n${fs.readFileSync(dockerfile, 'utf8')}`);
    const forced = await run([dir, '--yes', '--force'], root);
    expect(forced.code, forced.stderr).toBe(0);
    const written = fs.readFileSync(dockerfile, 'utf8');
    expect(written).not.toContain('# mine');
    expect(written.split('\r\n').length).toBe(written.split('\n').length);
  });
});

describe('choices --yes makes are said, and can be undone', () => {
  it('--compose undoes a --no-compose recorded by an earlier run', async () => {
    const { dir } = setup(EXISTING_PROJECTS['go']);
    expect((await run([dir, '--yes', '--no-compose'], root)).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'compose.yaml'))).toBe(false);
    const again = await run([dir, '--yes'], root);
    expect(again.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'compose.yaml'))).toBe(false);
    const back = await run([dir, '--yes', '--compose', '--force'], root);
    expect(back.code, back.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toMatch(/services:/);
  });

  it('go.mod and a Next.js package.json with --yes: the choice and the flag to change it are printed', async () => {
    const { dir } = setup({ ...EXISTING_PROJECTS['nextjs'], 'go.mod': EXISTING_PROJECTS['go']!['go.mod']! });
    const result = await run([dir, '--yes', '--dry-run'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Several stacks found \(nextjs, go\); using nextjs\. Pass --stack go for another\./);
  });

  it('--name foo with a folder ./foo pinning a kit: the kit is never fetched', async () => {
    const { base, dir } = setup({ 'foo/package.json': '{ "multistage": { "kit": "@acme/kit" } }\n', 'notes.txt': 'x\n' });
    const calls: string[][] = [];
    const before = snapshot(base);
    const result = await run(['--name', 'foo', '--stack', 'go', '--yes'], dir, {
      npm: (args) => {
        calls.push(args);
        return { status: 1, stdout: '', stderr: 'no network in tests' };
      },
    });
    expect(calls).toEqual([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not empty/);
    expect(snapshot(base)).toEqual(before);
  });
});
