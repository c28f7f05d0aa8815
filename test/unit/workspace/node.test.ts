// Node workspaces: pnpm (pnpm-workspace.yaml), npm/Yarn/bun (package.json
// `workspaces`), turbo and nx hints, member classification (Next.js app or
// library), internal dependencies and each app's closure.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectWorkspace } from '../../../src/workspace/detect.js';
import { resolveSpec, type MemberIndex } from '../../../src/workspace/node-deps.js';
import { parsePnpmWorkspace } from '../../../src/workspace/pnpm-workspace.js';
import type { NodeMember, Workspace } from '../../../src/workspace/types.js';
import { makeTree, type TreeEntry } from '../../helpers/tree.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const PAGE = 'export default function Page() { return null; }\n';

async function detect(files: Record<string, TreeEntry>): Promise<Workspace> {
  const result = await detectWorkspace(makeTree(files));
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  if (!result.value) throw new Error('not a workspace');
  return result.value;
}

async function errorsOf(files: Record<string, TreeEntry>): Promise<string[]> {
  const result = await detectWorkspace(makeTree(files));
  if (result.ok) throw new Error('expected errors');
  return result.errors.map((e) => e.message);
}

const nodeMember = (ws: Workspace, dir: string): NodeMember => {
  const member = ws.members.find((m) => m.dir === dir);
  if (member?.ecosystem !== 'node') throw new Error(`no node member at ${dir}`);
  return member;
};

/** The layout `npx create-turbo` writes (pnpm). */
const TURBO_STARTER: Record<string, TreeEntry> = {
  'package.json': json({ name: 'my-turborepo', private: true, packageManager: 'pnpm@9.0.0', devDependencies: { prettier: '^3.2.5', turbo: '^2.0.0', typescript: '5.5.4' } }),
  'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
  'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n  - "packages/*"\n',
  'turbo.json': json({ $schema: 'https://turbo.build/schema.json', tasks: { build: { dependsOn: ['^build'] } } }),
  'apps/web/package.json': json({
    name: 'web',
    version: '0.1.0',
    private: true,
    dependencies: { '@repo/ui': 'workspace:*', next: '^15.0.0', react: '^19.0.0' },
    devDependencies: { '@repo/eslint-config': 'workspace:*', '@repo/typescript-config': 'workspace:*', typescript: '5.5.4' },
  }),
  'apps/web/app/page.tsx': PAGE,
  'apps/docs/package.json': json({
    name: 'docs',
    dependencies: { '@repo/ui': 'workspace:*', next: '^15.0.0' },
    devDependencies: { '@repo/eslint-config': 'workspace:*', '@repo/typescript-config': 'workspace:*' },
  }),
  'apps/docs/app/page.tsx': PAGE,
  'packages/ui/package.json': json({
    name: '@repo/ui',
    exports: { './button': './src/button.tsx' },
    devDependencies: { '@repo/eslint-config': 'workspace:*', '@repo/typescript-config': 'workspace:*' },
    peerDependencies: { react: '^19' },
  }),
  'packages/ui/src/button.tsx': 'export const Button = () => null;\n',
  'packages/eslint-config/package.json': json({ name: '@repo/eslint-config', devDependencies: { '@next/eslint-plugin-next': '^15', eslint: '^9' } }),
  'packages/typescript-config/package.json': json({ name: '@repo/typescript-config' }),
};

describe('the Turborepo starter (pnpm)', () => {
  it('finds the pnpm workspace, turbo, five members, two Next.js apps and their closures', async () => {
    const ws = await detect(TURBO_STARTER);
    expect(ws.node).toMatchObject({ source: 'pnpm-workspace.yaml', manager: 'pnpm', patterns: ['apps/*', 'packages/*'], rootName: 'my-turborepo' });
    expect(ws.node?.managerFacts).toMatchObject({ id: 'pnpm', version: '9.0.0', lockfile: 'pnpm-lock.yaml' });
    expect(ws.go).toBeUndefined();
    expect(ws.tools).toEqual(['turbo']);
    expect(ws.members.map((m) => [m.dir, m.name, m.kind])).toEqual([
      ['apps/docs', 'docs', 'nextjs-app'],
      ['apps/web', 'web', 'nextjs-app'],
      ['packages/eslint-config', '@repo/eslint-config', 'library'],
      ['packages/typescript-config', '@repo/typescript-config', 'library'],
      ['packages/ui', '@repo/ui', 'library'],
    ]);
    expect(nodeMember(ws, 'apps/web')).toMatchObject({ listedBy: 'pnpm-workspace.yaml:2', version: '0.1.0', next: { version: '^15.0.0', routerDirs: ['app'] } });
    expect(nodeMember(ws, 'apps/web').internal).toEqual([
      { dir: 'packages/eslint-config', via: 'devDependencies "workspace:*"' },
      { dir: 'packages/typescript-config', via: 'devDependencies "workspace:*"' },
      { dir: 'packages/ui', via: 'dependencies "workspace:*"' },
    ]);
    expect(ws.apps).toEqual([
      { dir: 'apps/docs', target: 'docs', kind: 'nextjs-app', ecosystem: 'node', closure: ['packages/eslint-config', 'packages/typescript-config', 'packages/ui'], localPaths: [] },
      { dir: 'apps/web', target: 'web', kind: 'nextjs-app', ecosystem: 'node', closure: ['packages/eslint-config', 'packages/typescript-config', 'packages/ui'], localPaths: [] },
    ]);
    expect(ws.notes).toEqual([]);
  });

  it('a package that depends on next but has no app/ or pages/ folder is a library; src/pages makes an app', async () => {
    const ws = await detect({
      ...TURBO_STARTER,
      'packages/next-kit/package.json': json({ name: 'next-kit', peerDependencies: { next: '*' }, devDependencies: { next: '^15' } }),
      'apps/admin/package.json': json({ name: 'admin', devDependencies: { next: '15.1.0' } }),
      'apps/admin/src/pages/index.tsx': PAGE,
    });
    expect(nodeMember(ws, 'packages/next-kit').kind).toBe('library');
    expect(nodeMember(ws, 'apps/admin')).toMatchObject({ kind: 'nextjs-app', next: { version: '15.1.0', routerDirs: ['src/pages'] } });
  });
});

describe('Nx-style apps/ + libs/ with npm workspaces', () => {
  it('reads package.json workspaces, records nx, and follows plain-version and file: links', async () => {
    const ws = await detect({
      'package.json': json({ name: '@acme/source', private: true, workspaces: ['apps/*', 'libs/*'], devDependencies: { nx: '20.0.0' } }),
      'package-lock.json': json({ lockfileVersion: 3 }),
      'nx.json': json({ targetDefaults: {} }),
      'apps/shop/package.json': json({ name: '@acme/shop', dependencies: { next: '15.0.0', '@acme/ui': '*', '@acme/data': '0.0.1' } }),
      'apps/shop/pages/index.tsx': PAGE,
      'apps/shop-e2e/package.json': json({ name: '@acme/shop-e2e', devDependencies: { '@acme/shop': 'file:../shop' } }),
      'libs/ui/package.json': json({ name: '@acme/ui', version: '0.0.1', dependencies: { '@acme/theme': '^0.0.1' } }),
      'libs/data/package.json': json({ name: '@acme/data', version: '0.0.1' }),
      'libs/theme/package.json': json({ name: '@acme/theme', version: '0.0.1' }),
    });
    expect(ws.node).toMatchObject({ source: 'package.json', manager: 'npm', patterns: ['apps/*', 'libs/*'] });
    expect(ws.tools).toEqual(['nx']);
    expect(nodeMember(ws, 'apps/shop-e2e').internal).toEqual([{ dir: 'apps/shop', via: 'devDependencies "file:../shop"' }]);
    expect(ws.apps.map((a) => [a.dir, a.closure])).toEqual([['apps/shop', ['libs/data', 'libs/theme', 'libs/ui']]]);
    expect(nodeMember(ws, 'apps/shop').listedBy).toBe('package.json:5');
  });
});

describe('npm, Yarn and bun workspaces', () => {
  const members = {
    'apps/web/package.json': json({ name: 'web', dependencies: { next: '15', lib: 'workspace:^' } }),
    'apps/web/app/page.tsx': PAGE,
    'packages/lib/package.json': json({ name: 'lib' }),
    'packages/old/package.json': json({ name: 'old' }),
    'packages/group/nested/package.json': json({ name: 'nested' }),
  };

  it('npm: globs with a negation', async () => {
    const ws = await detect({ 'package.json': json({ workspaces: ['apps/*', 'packages/**', '!packages/old'] }), 'package-lock.json': '{}', ...members });
    expect(ws.node?.manager).toBe('npm');
    expect(ws.members.map((m) => m.dir)).toEqual(['apps/web', 'packages/group/nested', 'packages/lib']);
  });

  it('Yarn: the { packages: [...] } object form (nohoist beside it is ignored)', async () => {
    const ws = await detect({
      'package.json': json({ private: true, workspaces: { packages: ['apps/*', 'packages/*', '!packages/old'], nohoist: ['**/react'] } }),
      'yarn.lock': '# yarn lockfile v1\n',
      ...members,
    });
    expect(ws.node).toMatchObject({ source: 'package.json', manager: 'yarn', patterns: ['apps/*', 'packages/*', '!packages/old'] });
    expect(ws.members.map((m) => m.dir)).toEqual(['apps/web', 'packages/lib']);
  });

  it('bun: bun.lock names bun', async () => {
    const ws = await detect({ 'package.json': json({ workspaces: ['apps/*', 'packages/lib'] }), 'bun.lock': '{}', ...members });
    expect(ws.node?.manager).toBe('bun');
    expect(ws.apps.map((a) => [a.target, a.closure])).toEqual([['web', ['packages/lib']]]);
  });

  it('no lockfile and no field: the manager is unknown; pnpm-workspace.yaml alone names pnpm', async () => {
    expect((await detect({ 'package.json': json({ workspaces: ['packages/*'] }), ...members })).node?.manager).toBeUndefined();
    const pnpm = await detect({ 'package.json': json({ workspaces: ['apps/*'] }), 'pnpm-workspace.yaml': 'packages: [packages/*]\n', ...members });
    expect(pnpm.node).toMatchObject({ source: 'pnpm-workspace.yaml', manager: 'pnpm', patterns: ['packages/*'] });
    expect(pnpm.notes).toContain('package.json "workspaces" is ignored: pnpm reads the package list from pnpm-workspace.yaml');
  });

  it('pnpm with only package.json workspaces: used as written, with a note that pnpm wants pnpm-workspace.yaml', async () => {
    const ws = await detect({ 'package.json': json({ packageManager: 'pnpm@9.1.0', workspaces: ['packages/*'] }), ...members });
    expect(ws.node).toMatchObject({ source: 'package.json', manager: 'pnpm' });
    expect(ws.notes).toEqual([expect.stringMatching(/^pnpm reads the package list from pnpm-workspace\.yaml/)]);
  });

  it('a package.json without workspaces and no other marker is not a workspace', async () => {
    const result = await detectWorkspace(makeTree({ 'package.json': json({ name: 'app' }) }));
    expect(result).toEqual({ ok: true, value: undefined });
  });

  it('a settings-only pnpm-workspace.yaml (catalog, no packages) is no workspace', async () => {
    const result = await detectWorkspace(makeTree({ 'package.json': json({ name: 'app' }), 'pnpm-workspace.yaml': 'catalog:\n  react: ^19\n' }));
    expect(result).toEqual({ ok: true, value: undefined });
  });
});

describe('apps that depend on apps, and cycles', () => {
  it('an app in another app’s closure; a cycle ends', async () => {
    const ws = await detect({
      'package.json': json({ workspaces: ['apps/*', 'packages/*'] }),
      'apps/site/package.json': json({ name: 'site', dependencies: { next: '15', admin: 'workspace:*' } }),
      'apps/site/app/page.tsx': PAGE,
      'apps/admin/package.json': json({ name: 'admin', dependencies: { next: '15', a: 'workspace:*' } }),
      'apps/admin/app/page.tsx': PAGE,
      'packages/a/package.json': json({ name: 'a', dependencies: { b: 'workspace:*' } }),
      'packages/b/package.json': json({ name: 'b', dependencies: { a: 'workspace:*', admin: 'workspace:*' } }),
    });
    expect(ws.apps.map((a) => [a.dir, a.closure])).toEqual([
      ['apps/admin', ['packages/a', 'packages/b']],
      ['apps/site', ['apps/admin', 'packages/a', 'packages/b']],
    ]);
  });
});

describe('links out of the repository', () => {
  it('a symlinked member folder is no member (a note says why), nor is a folder whose package.json links out', async () => {
    const outside = makeTree({ 'package.json': json({ name: 'evil', dependencies: { next: '15' } }), 'app/page.tsx': PAGE });
    const root = makeTree({ ...TURBO_STARTER });
    fs.symlinkSync(outside, path.join(root, 'apps', 'evil'));
    const result = await detectWorkspace(root);
    expect(result.ok).toBe(true);
    const ws = result.ok ? result.value! : undefined;
    expect(ws?.members.map((m) => m.dir)).not.toContain('apps/evil');
    expect(ws?.apps.map((a) => a.target)).toEqual(['docs', 'web']);
    expect(ws?.notes).toEqual([expect.stringMatching(/^apps\/evil is a symbolic link \(to .*\), not a folder of the repository: not a workspace member \(pnpm-workspace\.yaml:2\)$/)]);

    fs.mkdirSync(path.join(root, 'apps', 'sneaky'));
    fs.symlinkSync(path.join(outside, 'package.json'), path.join(root, 'apps', 'sneaky', 'package.json'));
    const refused = await detectWorkspace(root);
    // A package.json that leads out is not taken for a member's manifest: the folder has none inside the repository.
    expect(refused.ok && refused.value?.members.map((m) => m.dir)).toEqual(['apps/docs', 'apps/web', 'packages/eslint-config', 'packages/typescript-config', 'packages/ui']);
  });
});

describe('dependency specs', () => {
  const index: MemberIndex = {
    byName: new Map([
      ['ui', 'packages/ui'],
      ['@acme/ui', 'packages/ui'],
      ['cfg', 'packages/cfg'],
    ]),
    dirs: new Set(['packages/ui', 'packages/cfg']),
  };
  const at = (name: string, spec: string) => resolveSpec(name, spec, 'apps/web', index);
  it('workspace: protocol forms, aliases and paths', () => {
    expect(at('ui', 'workspace:*')).toEqual({ kind: 'member', dir: 'packages/ui' });
    expect(at('ui', 'workspace:^')).toEqual({ kind: 'member', dir: 'packages/ui' });
    expect(at('ui', 'workspace:~1.2.0')).toEqual({ kind: 'member', dir: 'packages/ui' });
    expect(at('my-ui', 'workspace:@acme/ui@*')).toEqual({ kind: 'member', dir: 'packages/ui' });
    expect(at('x', 'workspace:../../packages/cfg')).toEqual({ kind: 'member', dir: 'packages/cfg' });
    expect(at('nope', 'workspace:*')).toMatchObject({ kind: 'error', text: expect.stringMatching(/names nope, which is no package of the workspace/) });
  });
  it('file:, link:, bare paths; outside the root is an error', () => {
    expect(at('cfg', 'link:../../packages/cfg')).toEqual({ kind: 'member', dir: 'packages/cfg' });
    expect(at('vendored', 'file:../../vendor/thing-1.0.0.tgz')).toEqual({ kind: 'path', path: 'vendor/thing-1.0.0.tgz' });
    expect(at('cfg', '../../packages/cfg')).toEqual({ kind: 'member', dir: 'packages/cfg' });
    expect(at('x', 'file:../../../elsewhere')).toMatchObject({ kind: 'error', text: expect.stringMatching(/points outside the workspace root/) });
    expect(at('x', 'file:/opt/x')).toMatchObject({ kind: 'error', text: expect.stringMatching(/absolute path/) });
  });
  it('plain versions name a member by its name; registry, git and catalog specs are external', () => {
    expect(at('ui', '*')).toEqual({ kind: 'member', dir: 'packages/ui' });
    expect(at('ui', '^0.1.0')).toEqual({ kind: 'member', dir: 'packages/ui' });
    expect(at('react', '^19')).toEqual({ kind: 'external' });
    expect(at('ui', 'npm:other-ui@1')).toEqual({ kind: 'external' });
    expect(at('ui', 'github:acme/ui')).toEqual({ kind: 'external' });
    expect(at('ui', 'acme/ui')).toEqual({ kind: 'external' });
    expect(at('ui', 'catalog:')).toEqual({ kind: 'external' });
  });
  it('a file: tarball inside the repository reaches the app’s localPaths', async () => {
    const ws = await detect({
      'package.json': json({ workspaces: ['apps/*'] }),
      'apps/web/package.json': json({ name: 'web', dependencies: { next: '15', thing: 'file:../../vendor/thing.tgz' } }),
      'apps/web/app/page.tsx': PAGE,
      'vendor/thing.tgz': 'tarball',
    });
    expect(ws.apps[0]).toMatchObject({ closure: [], localPaths: ['vendor/thing.tgz'] });
  });
});

describe('errors name the file and line', () => {
  it('a workspace: reference to no member, and file: outside the root', async () => {
    const errors = await errorsOf({
      'package.json': json({ workspaces: ['apps/*'] }),
      'apps/web/package.json': json({ name: 'web', dependencies: { ghost: 'workspace:*' }, devDependencies: { far: 'file:../../../far' } }),
    });
    expect(errors).toEqual([
      'apps/web/package.json:4: dependencies: "ghost": "workspace:*" names ghost, which is no package of the workspace',
      'apps/web/package.json:7: devDependencies: "far": "file:../../../far" points outside the workspace root: the build context is the root, so the image cannot see it',
    ]);
  });

  it('a workspace pattern escaping the root (package.json and pnpm-workspace.yaml)', async () => {
    expect(await errorsOf({ 'package.json': json({ workspaces: ['apps/*', '../shared'] }) })).toEqual([
      expect.stringMatching(/^package\.json:4: the workspace pattern "\.\.\/shared" leads outside the workspace root/),
    ]);
    expect(await errorsOf({ 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - ../x/*\n' })).toEqual([expect.stringMatching(/^pnpm-workspace\.yaml:3: .*leads outside/)]);
  });

  it('two members with one name; invalid JSON in a member', async () => {
    expect(await errorsOf({ 'package.json': json({ workspaces: ['a', 'b'] }), 'a/package.json': json({ name: 'dup' }), 'b/package.json': json({ name: 'dup' }) })).toEqual([
      'b/package.json:2: the package name "dup" is also used by a/package.json: names in a workspace must be unique',
    ]);
    expect(await errorsOf({ 'package.json': json({ workspaces: ['a'] }), 'a/package.json': '{\n  "name": "a",\n  oops\n}\n' })).toEqual([
      expect.stringMatching(/^a\/package\.json:3: is not valid JSON/),
    ]);
  });

  it('malformed workspaces fields and YAML', async () => {
    expect(await errorsOf({ 'package.json': json({ workspaces: 'apps/*' }) })).toEqual([expect.stringMatching(/^package\.json:2: "workspaces" must be a list/)]);
    expect(await errorsOf({ 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - [unclosed\n' })).toEqual([expect.stringMatching(/^pnpm-workspace\.yaml:\d+: is not valid YAML/)]);
    expect(await errorsOf({ 'pnpm-workspace.yaml': 'packages: apps/*\n' })).toEqual(['pnpm-workspace.yaml:1: `packages` must be a list of folder patterns']);
  });
});

describe('parsePnpmWorkspace', () => {
  it('block and flow lists, quotes, comments and negations, with lines', async () => {
    const result = await parsePnpmWorkspace('# the apps\npackages:\n  - "apps/*" # web and docs\n  - \'packages/**\'\n  - "!**/test/**"\ncatalog:\n  react: ^19\n');
    expect(result).toEqual({
      ok: true,
      value: [
        { pattern: 'apps/*', file: 'pnpm-workspace.yaml', line: 3 },
        { pattern: 'packages/**', file: 'pnpm-workspace.yaml', line: 4 },
        { pattern: '!**/test/**', file: 'pnpm-workspace.yaml', line: 5 },
      ],
    });
    expect(await parsePnpmWorkspace('packages: [apps/*, libs/*]\n')).toMatchObject({
      ok: true,
      value: [
        { pattern: 'apps/*', line: 1 },
        { pattern: 'libs/*', line: 1 },
      ],
    });
    expect(await parsePnpmWorkspace('')).toEqual({ ok: true, value: [] });
  });
});
