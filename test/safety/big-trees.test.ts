/**
 * Battery: big and odd trees. Detection never enters dependency, VCS or build
 * output directories (checked by watching every file-system call it makes),
 * and unreadable directories are skipped with a note instead of failing.
 * The 100,000-file timing lives in the bench (npm run bench -- detect).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Project, SKIPPED_DIRS } from '../../src/project.js';
import { STACKS } from '../../src/stacks/index.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-trees-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
let counter = 0;

const NEVER_ENTERED = ['node_modules', '.git', 'vendor', 'build', 'dist', '.next', 'target', 'out'];

/** Decoys that would change detection if they were read: project files of every stack. */
function decoys(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const dir of NEVER_ENTERED) {
    for (const [rel, content] of Object.entries(EXISTING_PROJECTS).flatMap(([, f]) => Object.entries(f))) {
      files[`${dir}/pkg/${rel}`] = content;
      files[`src/${dir}/${rel}`] = content;
    }
    for (let i = 0; i < 50; i++) files[`${dir}/many/f${i}.go`] = 'package main\nfunc main() {}\n';
  }
  return files;
}

describe.each(STACKS.filter((s) => !s.existingOnly).map((s) => s.id))('big and odd trees: %s', (stack) => {
  it('detection never touches node_modules, .git, vendor or build outputs', async () => {
    const dir = path.join(root, `${stack}-${counter++}`);
    fs.mkdirSync(dir);
    writeTree(dir, { ...EXISTING_PROJECTS[stack], ...decoys() });
    const touched: string[] = [];
    for (const method of ['readdirSync', 'readFileSync', 'statSync', 'lstatSync', 'existsSync', 'opendirSync', 'realpathSync'] as const) {
      const real = fs[method] as (...args: unknown[]) => unknown;
      vi.spyOn(fs, method).mockImplementation(((...args: unknown[]) => {
        touched.push(String(args[0]));
        return real.apply(fs, args);
      }) as never);
    }
    const module = STACKS.find((s) => s.id === stack)!;
    const project = new Project(dir);
    expect(module.matches(project)).toBe(true);
    const detection = await module.detect(project);
    vi.restoreAllMocks();
    expect(detection.existing).toBe(true);
    const inside = touched.filter((p) => p.startsWith(dir)).map((p) => path.relative(dir, p));
    const entered = inside.filter((rel) => rel.split(path.sep).some((part, i, parts) => i < parts.length - 1 && NEVER_ENTERED.includes(part)));
    expect(entered).toEqual([]);
  });

  it('an unreadable directory is skipped with a note; the run still succeeds and writes nothing in --dry-run', () => {
    const dir = path.join(root, `${stack}-locked-${counter++}`);
    fs.mkdirSync(dir);
    fs.chmodSync(root, 0o755);
    writeTree(dir, { ...EXISTING_PROJECTS[stack], 'cmd/locked/main.go': 'package main\n', 'src/locked/CMakeLists.txt': 'add_executable(x x.cpp)\n', 'locked/x': 'x' });
    for (const locked of ['cmd/locked', 'src/locked', 'locked']) fs.chmodSync(path.join(dir, locked), 0o000);
    const before = snapshot(dir);
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const cli = path.resolve('bin/create-multistage.js');
    const result = spawnSync(process.execPath, [cli, dir, '--stack', stack, '--yes', '--dry-run', '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
      ...asUser,
    });
    const after = snapshot(dir);
    for (const locked of ['cmd/locked', 'src/locked', 'locked']) fs.chmodSync(path.join(dir, locked), 0o755);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { notes: string[] };
    for (const note of report.notes.filter((n) => n.includes('locked'))) expect(note).toMatch(/^(skipped|could not read) .*locked.*EACCES/);
    expect(after).toEqual(before);
  });
});

it('the skip list covers what PRODUCT promises', () => {
  for (const dir of ['node_modules', '.git', 'vendor', 'build', 'dist', '.next', 'target']) expect(SKIPPED_DIRS.has(dir)).toBe(true);
});
