/**
 * Battery: existing files. Every case asserts the exit code, the message and
 * the project tree byte-for-byte before and after — and the same case with
 * --dry-run prints the plan and writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACKS } from '../../src/stacks/index.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-existing-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function project(stack: string, extra: Record<string, string> = {}): string {
  const files = EXISTING_PROJECTS[stack];
  if (!files) throw new Error(`add an existing-project fixture for the ${stack} stack to test/helpers/safety-projects.ts`);
  const dir = path.join(root, `${stack}-${counter++}`);
  fs.mkdirSync(dir);
  writeTree(dir, { ...files, ...extra });
  return dir;
}

/** What a clean run generates for this stack, to plant identical or differing copies. */
async function generated(stack: string): Promise<Record<string, string>> {
  const dir = project(stack);
  const result = await run([dir, '--stack', stack, '--yes'], root);
  expect(result.code, result.stderr).toBe(0);
  const read = (rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');
  return { Dockerfile: read('Dockerfile'), '.dockerignore': read('.dockerignore'), 'compose.yaml': read('compose.yaml'), 'README.Docker.md': read('README.Docker.md') };
}

async function expectRefused(dir: string, stack: string, message: string | RegExp, code = 1): Promise<void> {
  const before = snapshot(dir);
  const dry = await run([dir, '--stack', stack, '--yes', '--dry-run'], root);
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.stdout).toMatch(/Plan \(dry run/);
  expect(snapshot(dir)).toEqual(before);
  const result = await run([dir, '--stack', stack, '--yes'], root);
  expect(result.code, result.stdout + result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(snapshot(dir)).toEqual(before);
}

describe.each(STACKS.filter((s) => !s.existingOnly).map((s) => s.id))('existing files: %s', (stack) => {
  let files: Record<string, string>;
  beforeAll(async () => {
    files = await generated(stack);
  });

  it.each(['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md'])('a different %s is a conflict: exit 1, named, nothing written', async (name) => {
    const dir = project(stack, { [name]: 'mine\n' });
    await expectRefused(dir, stack, new RegExp(`${name.replace('.', '\\.')} exists and differs`));
  });

  it.each(['docker-compose.yml', 'compose.yml', 'docker-compose.yaml'])('%s counts as compose.yaml', async (alias) => {
    const differing = project(stack, { [alias]: 'services: {}\n' });
    await expectRefused(differing, stack, new RegExp(`${alias.replace('.', '\\.')} exists and differs`));

    const same = project(stack, { [alias]: files['compose.yaml']! });
    const result = await run([same, '--stack', stack, '--yes'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.existsSync(path.join(same, 'compose.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(same, alias), 'utf8')).toBe(files['compose.yaml']);
  });

  it('identical files are skipped and a second run changes nothing', async () => {
    const dir = project(stack, files);
    await run([dir, '--stack', stack, '--yes'], root); // adds package.json scripts
    const before = snapshot(dir);
    const again = await run([dir, '--stack', stack, '--yes', '--json'], root);
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as { files: { action: string }[]; written: boolean };
    expect(report.files.every((f) => f.action === 'identical')).toBe(true);
    expect(report.written).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });

  it('--force overwrites a conflict, and only the files of the plan', async () => {
    const dir = project(stack, { Dockerfile: 'mine\n', 'notes.txt': 'keep me\n' });
    const result = await run([dir, '--stack', stack, '--yes', '--force'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(files['Dockerfile']);
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');
  });

  it('a Dockerfile that is a symlink inside the project is a conflict; --force replaces the link, not its target', async () => {
    const dir = project(stack, { 'docker/Dockerfile.real': 'real\n' });
    fs.symlinkSync('docker/Dockerfile.real', path.join(dir, 'Dockerfile'));
    await expectRefused(dir, stack, /Dockerfile is a symbolic link/);
    const result = await run([dir, '--stack', stack, '--yes', '--force'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'Dockerfile')).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'docker/Dockerfile.real'), 'utf8')).toBe('real\n');
  });

  it('a Dockerfile that is a symlink out of the project is a conflict; its target is never read or written', async () => {
    const outside = path.join(root, `outside-${counter++}`);
    fs.writeFileSync(outside, 'secret outside\n');
    const dir = project(stack);
    fs.symlinkSync(outside, path.join(dir, 'Dockerfile'));
    await expectRefused(dir, stack, /Dockerfile is a symbolic link pointing outside the project/);
    const dry = await run([dir, '--stack', stack, '--yes', '--dry-run'], root);
    expect(dry.stdout).not.toContain('secret outside');
    const result = await run([dir, '--stack', stack, '--yes', '--force'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(outside, 'utf8')).toBe('secret outside\n');
  });

  it('a read-only file that differs is kept, even with --force, and the run says so', async () => {
    const dir = project(stack, { Dockerfile: 'mine\n' });
    fs.chmodSync(path.join(dir, 'Dockerfile'), 0o444);
    const untouched = snapshot(dir);
    const dry = await run([dir, '--stack', stack, '--yes', '--dry-run'], root);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/keep\s+Dockerfile\s+Dockerfile is read-only/);
    expect(snapshot(dir)).toEqual(untouched);
    for (const extra of [[], ['--force']]) {
      const result = await run([dir, '--stack', stack, '--yes', ...extra], root);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Dockerfile is read-only and differs; kept/);
      expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe('mine\n');
      expect(fs.statSync(path.join(dir, 'Dockerfile')).mode & 0o777).toBe(0o444);
    }
  });

  it('a target path that is a file: exit 2, named, nothing written', async () => {
    const file = path.join(root, `file-${counter++}`);
    fs.writeFileSync(file, 'x');
    for (const extra of [['--dry-run'], []]) {
      const result = await run([file, '--stack', stack, '--yes', ...extra], root);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/is not a directory/);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
    const below = await run([path.join(file, 'app'), '--stack', stack, '--yes'], root);
    expect(below.code).toBe(2);
    expect(below.stderr).toMatch(/is a file, not a directory/);
  });

  it('a target directory that is not writable: exit 1, nothing written', async () => {
    const dir = project(stack);
    fs.chmodSync(dir, 0o555);
    fs.chmodSync(root, 0o755);
    const before = snapshot(dir);
    // Root may write anywhere; run the CLI as an unprivileged user so permissions apply.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const cli = path.resolve('bin/create-multistage.js');
    const runAs = (extra: string[]) =>
      spawnSync(process.execPath, [cli, dir, '--stack', stack, '--yes', ...extra], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], ...asUser });
    // The dry run needs no write access: it prints the plan and exits 0.
    const dry = runAs(['--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/create\s+Dockerfile/);
    const result = runAs([]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/Writing failed: .*(EACCES|EPERM)/);
    expect(result.stderr).toMatch(/Nothing was changed/);
    fs.chmodSync(dir, 0o755);
    expect(snapshot(dir)).toEqual(before);
  });
});
