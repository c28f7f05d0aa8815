// Run inside an app's folder: the walk up to the nearest workspace root, the
// member that holds the start folder, and where the walk stops.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { detectWorkspace } from '../../../src/workspace/detect.js';
import { enclosingWorkspace, findWorkspaceRoot, MAX_LEVELS_UP } from '../../../src/workspace/find-root.js';
import type { EnclosingWorkspace } from '../../../src/workspace/types.js';
import { makeTree, tempDir, type TreeEntry } from '../../helpers/tree.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const PAGE = 'export default function Page() { return null; }\n';

const TURBO: Record<string, TreeEntry> = {
  'package.json': json({ name: 'mono', packageManager: 'pnpm@9.0.0' }),
  'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n',
  'turbo.json': '{}',
  'apps/web/package.json': json({ name: 'web', dependencies: { next: '15', '@repo/ui': 'workspace:*' } }),
  'apps/web/src/app/page.tsx': PAGE,
  'packages/ui/package.json': json({ name: '@repo/ui' }),
  'tools/scripts/run.sh': 'echo hi\n',
};

async function enclosing(start: string): Promise<EnclosingWorkspace | undefined> {
  const result = await enclosingWorkspace(start);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.value;
}

describe('walking up from inside an app', () => {
  it('from apps/web/src: the root, the start folder relative to it, and the app', async () => {
    const root = makeTree(TURBO);
    const found = await enclosing(path.join(root, 'apps', 'web', 'src'));
    expect(found?.workspace.root).toBe(root);
    expect(found?.startRel).toBe('apps/web/src');
    expect(found?.member).toMatchObject({ dir: 'apps/web', kind: 'nextjs-app', next: { routerDirs: ['src/app'] } });
    expect(found?.workspace.apps.map((a) => [a.target, a.closure])).toEqual([['web', ['packages/ui']]]);
    expect(findWorkspaceRoot(path.join(root, 'apps', 'web', 'src'))).toEqual({ root, markers: ['pnpm-workspace.yaml'] });
  });

  it('at the root itself, and in a folder no member holds', async () => {
    const root = makeTree(TURBO);
    expect(await enclosing(root)).toMatchObject({ startRel: '.', member: undefined });
    expect(await enclosing(path.join(root, 'tools', 'scripts'))).toMatchObject({ startRel: 'tools/scripts', member: undefined });
  });

  it('a Go service folder finds go.work and its module', async () => {
    const root = makeTree({
      'go.work': 'go 1.24\n\nuse ./services/api\n',
      'services/api/go.mod': 'module example.com/api\n',
      'services/api/cmd/api/main.go': 'package main\n\nfunc main() {}\n',
    });
    const found = await enclosing(path.join(root, 'services', 'api', 'cmd', 'api'));
    expect(found).toMatchObject({ startRel: 'services/api/cmd/api', member: { dir: 'services/api', kind: 'go-app' } });
  });

  it('a start folder reached through a link resolves to its real place', async () => {
    const root = makeTree(TURBO);
    const elsewhere = tempDir();
    fs.symlinkSync(path.join(root, 'apps', 'web'), path.join(elsewhere, 'web'));
    expect(await enclosing(path.join(elsewhere, 'web'))).toMatchObject({ startRel: 'apps/web', member: { dir: 'apps/web' } });
  });
});

describe('nested workspaces', () => {
  const files: Record<string, TreeEntry> = {
    'package.json': json({ name: 'outer', workspaces: ['packages/**'] }),
    'packages/a/package.json': json({ name: 'a' }),
    'packages/inner/package.json': json({ name: 'inner', workspaces: ['libs/*', 'apps/*'] }),
    'packages/inner/libs/x/package.json': json({ name: 'x' }),
    'packages/inner/apps/site/package.json': json({ name: 'site', dependencies: { next: '15', x: '*' } }),
    'packages/inner/apps/site/pages/index.tsx': PAGE,
  };

  it('the inner workspace is its own root; walking up from inside it picks the nearest', async () => {
    const root = makeTree(files);
    const found = await enclosing(path.join(root, 'packages', 'inner', 'apps', 'site', 'pages'));
    expect(found?.workspace.root).toBe(path.join(root, 'packages', 'inner'));
    expect(found).toMatchObject({ startRel: 'apps/site/pages', member: { dir: 'apps/site', name: 'site' } });
    expect(found?.workspace.apps.map((a) => [a.dir, a.closure])).toEqual([['apps/site', ['libs/x']]]);
  });

  it("the outer workspace counts the inner root as a member but not the inner root's packages", async () => {
    const root = makeTree(files);
    const outer = await detectWorkspace(root);
    expect(outer.ok && outer.value?.members.map((m) => m.dir)).toEqual(['packages/a', 'packages/inner']);
  });
});

describe('where the walk stops', () => {
  it('at a .git folder or file: a workspace above another repository is not ours', () => {
    const outer = makeTree({ 'pnpm-workspace.yaml': 'packages: [repo]\n', 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/sub/file.txt': 'x' });
    expect(findWorkspaceRoot(path.join(outer, 'repo', 'sub'))).toBeUndefined();
    // A worktree's .git is a file.
    const worktree = makeTree({ 'go.work': 'use ./wt\n', 'wt/.git': 'gitdir: /elsewhere\n', 'wt/src/a.go': 'package a\n' });
    expect(findWorkspaceRoot(path.join(worktree, 'wt', 'src'))).toBeUndefined();
  });

  it('a marker in the folder that holds .git still counts (the repository root is the workspace root)', () => {
    const root = makeTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'package.json': json({ workspaces: ['apps/*'] }), 'apps/a/package.json': json({ name: 'a' }) });
    expect(findWorkspaceRoot(path.join(root, 'apps', 'a'))).toEqual({ root, markers: ['package.json'] });
  });

  it(`after ${MAX_LEVELS_UP} levels`, () => {
    const root = makeTree({ 'go.work': 'use ./x\n' });
    const deep = path.join(root, ...Array.from({ length: MAX_LEVELS_UP + 1 }, (_, i) => `l${i}`));
    fs.mkdirSync(deep, { recursive: true });
    expect(findWorkspaceRoot(deep)).toBeUndefined();
    expect(findWorkspaceRoot(path.dirname(deep))?.root).toBe(root);
  });

  it('a marker that is a link leading out of its folder does not count, and no workspace is no error', async () => {
    const elsewhere = makeTree({ 'go.work': 'use ./x\n', 'package.json': json({ workspaces: ['*'] }) });
    const root = makeTree({ '.git/HEAD': 'x', 'app/main.go': 'package main\n' });
    fs.symlinkSync(path.join(elsewhere, 'go.work'), path.join(root, 'go.work'));
    fs.symlinkSync(path.join(elsewhere, 'package.json'), path.join(root, 'package.json'));
    expect(findWorkspaceRoot(path.join(root, 'app'))).toBeUndefined();
    expect(await enclosingWorkspace(path.join(root, 'app'))).toEqual({ ok: true, value: undefined });
  });

  it('opens nothing but the marker files on the way up, and lists no folder', () => {
    const root = makeTree({
      'pnpm-workspace.yaml': 'packages: [apps/*]\n',
      'package.json': json({ name: 'mono' }),
      'secrets.env': 'TOKEN=x',
      'apps/web/package.json': json({ name: 'web' }),
      'apps/web/src/x.ts': '',
    });
    const opened: string[] = [];
    const original = fs.openSync.bind(fs);
    const open = vi.spyOn(fs, 'openSync').mockImplementation((file: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode | null) => {
      opened.push(String(file));
      return original(file, flags, mode);
    });
    const readdir = vi.spyOn(fs, 'readdirSync');
    try {
      expect(findWorkspaceRoot(path.join(root, 'apps', 'web', 'src'))?.root).toBe(root);
      expect(readdir).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
      readdir.mockRestore();
    }
    expect(opened.map((file) => path.relative(root, file)).sort()).toEqual(['apps/web/package.json', 'package.json', 'pnpm-workspace.yaml']);
  });
});
