// go.work workspaces: `use` and `replace` in both forms, modules a replace
// brings in, import and require edges, errors naming the line.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectWorkspace } from '../../../src/workspace/detect.js';
import { goDirectives, goImports, parseGoWork } from '../../../src/workspace/go-work.js';
import type { GoMember, Workspace } from '../../../src/workspace/types.js';
import { makeTree, type TreeEntry } from '../../helpers/tree.js';

const MAIN = (imports: string[] = []): string => `package main\n\nimport (\n\t"fmt"\n${imports.map((i) => `\t"${i}"\n`).join('')})\n\nfunc main() { fmt.Println("hi") }\n`;
const LIB = (pkg: string): string => `package ${pkg}\n\nfunc Hello() string { return "hi" }\n`;

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

const goMember = (ws: Workspace, dir: string): GoMember => {
  const member = ws.members.find((m) => m.dir === dir);
  if (member?.ecosystem !== 'go') throw new Error(`no go member at ${dir}`);
  return member;
};

/** Two services and a shared library; the worker imports the library without a require line. */
const TWO_SERVICES: Record<string, TreeEntry> = {
  'go.work': 'go 1.24.0\n\ntoolchain go1.24.2\n\nuse (\n\t./services/api\n\t./services/worker // the queue consumer\n)\n\nuse ./libs/shared\n',
  'go.work.sum': '',
  'services/api/go.mod': 'module example.com/api\n\ngo 1.24\n\nrequire example.com/shared v0.0.0\n',
  'services/api/main.go': MAIN(['example.com/shared/log', 'net/http']).replace('fmt.Println("hi")', 'http.ListenAndServe(":8080", nil)'),
  'services/worker/go.mod': 'module example.com/worker\n\ngo 1.24\n',
  'services/worker/cmd/worker/main.go': MAIN(['example.com/shared']),
  'libs/shared/go.mod': 'module example.com/shared\n\ngo 1.23\n',
  'libs/shared/shared.go': LIB('shared'),
  'libs/shared/log/log.go': LIB('log'),
};

describe('go.work with two services and a shared library', () => {
  it('finds the three modules, the two apps and their closures', async () => {
    const ws = await detect(TWO_SERVICES);
    expect(ws.node).toBeUndefined();
    expect(ws.go).toEqual({ goLine: '1.24.0', toolchain: '1.24.2', uses: ['services/api', 'services/worker', 'libs/shared'], replaces: [], hasWorkSum: true });
    expect(ws.members.map((m) => [m.dir, m.name, m.kind, m.listedBy])).toEqual([
      ['libs/shared', 'example.com/shared', 'library', 'go.work:10'],
      ['services/api', 'example.com/api', 'go-app', 'go.work:6'],
      ['services/worker', 'example.com/worker', 'go-app', 'go.work:7'],
    ]);
    expect(goMember(ws, 'services/api')).toMatchObject({ goLine: '1.24', port: 8080, mains: [{ name: 'api', dir: '.' }], internal: [{ dir: 'libs/shared', via: 'require example.com/shared' }] });
    expect(goMember(ws, 'services/worker')).toMatchObject({ mains: [{ name: 'worker', dir: 'cmd/worker' }], internal: [{ dir: 'libs/shared', via: 'import "example.com/shared"' }] });
    expect(ws.apps).toEqual([
      { dir: 'services/api', target: 'api', kind: 'go-app', ecosystem: 'go', closure: ['libs/shared'], localPaths: [] },
      { dir: 'services/worker', target: 'worker', kind: 'go-app', ecosystem: 'go', closure: ['libs/shared'], localPaths: [] },
    ]);
  });

  it('a service importing another service is allowed: the other one is in its closure', async () => {
    const ws = await detect({
      ...TWO_SERVICES,
      'services/api/client/client.go': LIB('client'),
      'services/worker/cmd/worker/main.go': MAIN(['example.com/api/client']),
    });
    expect(ws.apps.find((a) => a.target === 'worker')?.closure).toEqual(['libs/shared', 'services/api']);
  });

  it('a replace in go.mod to a folder of the repository brings that module in, transitively', async () => {
    const ws = await detect({
      ...TWO_SERVICES,
      'services/api/go.mod':
        'module example.com/api\n\nrequire example.com/extra v0.0.0\n\nreplace (\n\texample.com/extra => ../../third_party/extra\n\texample.com/fork v1.0.0 => example.com/fork2 v1.0.1\n)\n',
      'third_party/extra/go.mod': 'module example.com/extra\n\nreplace example.com/deeper => ../deeper\n',
      'third_party/extra/extra.go': LIB('extra'),
      'third_party/deeper/go.mod': 'module example.com/deeper\n',
    });
    expect(goMember(ws, 'third_party/extra')).toMatchObject({ kind: 'library', listedBy: 'services/api/go.mod:6' });
    expect(goMember(ws, 'third_party/deeper').listedBy).toBe('third_party/extra/go.mod:3');
    expect(goMember(ws, 'services/api').internal).toEqual([
      { dir: 'libs/shared', via: 'import "example.com/shared/log"' },
      { dir: 'third_party/extra', via: 'replace (services/api/go.mod:6)' },
    ]);
    expect(ws.apps.find((a) => a.target === 'api')?.closure).toEqual(['libs/shared', 'third_party/deeper', 'third_party/extra']);
  });

  it('a go.work replace into the repository wins over the use module for that path', async () => {
    const ws = await detect({
      ...TWO_SERVICES,
      'go.work': 'go 1.24\n\nuse ./services/api\nuse ./libs/shared\n\nreplace example.com/shared => ./libs/shared-v2\n',
      'libs/shared-v2/go.mod': 'module example.com/shared\n',
    });
    expect(ws.go?.replaces).toEqual([{ from: 'example.com/shared', dir: 'libs/shared-v2', at: 'go.work:6' }]);
    expect(goMember(ws, 'services/api').internal).toEqual([{ dir: 'libs/shared-v2', via: 'replace (go.work:6)' }]);
  });

  it('a root module (use .) does not claim the code of the modules nested in it', async () => {
    const ws = await detect({
      'go.work': 'go 1.24\n\nuse (\n\t.\n\t./tools/gen\n)\n',
      'go.mod': 'module example.com/root\n',
      'lib.go': LIB('root'),
      'tools/gen/go.mod': 'module example.com/gen\n',
      'tools/gen/main.go': MAIN(['example.com/root']),
    });
    expect(goMember(ws, '.')).toMatchObject({ kind: 'library', mains: [], internal: [] });
    expect(goMember(ws, 'tools/gen')).toMatchObject({ kind: 'go-app', internal: [{ dir: '.', via: 'import "example.com/root"' }] });
    expect(ws.apps).toEqual([{ dir: 'tools/gen', target: 'gen', kind: 'go-app', ecosystem: 'go', closure: ['.'], localPaths: [] }]);
  });
});

describe('errors name the file and line', () => {
  it('a go.work replace pointing outside the repository', async () => {
    expect(await errorsOf({ ...TWO_SERVICES, 'go.work': 'go 1.24\n\nuse ./libs/shared\n\nreplace (\n\texample.com/x => ../x\n)\nreplace example.com/y v1.2.3 => /opt/y\n' })).toEqual([
      'go.work:6: replace example.com/x => ../x points outside the repository: the build context is the workspace root, so the image cannot see it',
      'go.work:8: replace example.com/y => /opt/y is an absolute path: the build context is the workspace root, so use a path inside it',
    ]);
  });

  it("a module's go.mod replace pointing outside the repository", async () => {
    expect(await errorsOf({ ...TWO_SERVICES, 'services/api/go.mod': 'module example.com/api\n\ngo 1.24\n\nreplace example.com/shared => ../../../shared\n' })).toEqual([
      'services/api/go.mod:5: replace example.com/shared => ../../../shared points outside the repository: the build context is the workspace root, so the image cannot see it',
    ]);
  });

  it('a use folder escaping the root, missing, without go.mod or behind a link', async () => {
    const outside = makeTree({ 'go.mod': 'module example.com/outside\n' });
    const root = makeTree({ 'go.work': 'go 1.24\n\nuse ../sibling\nuse ./missing\nuse ./empty\nuse ./linked\n', 'empty/README': 'no go.mod' });
    fs.symlinkSync(outside, path.join(root, 'linked'));
    const result = await detectWorkspace(root);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'go.work:3: use ../sibling points outside the repository: the build context is the workspace root, so the image cannot see it',
    ]);
    fs.writeFileSync(path.join(root, 'go.work'), 'go 1.24\n\nuse ./missing\nuse ./empty\nuse ./linked\n');
    const second = await detectWorkspace(root);
    expect(second.ok ? [] : second.errors.map((e) => e.message)).toEqual([
      'go.work:3: missing: missing does not exist',
      'go.work:4: empty has no readable go.mod: Go needs one in every module of the workspace',
      expect.stringMatching(/^go\.work:5: linked: linked is a symbolic link \(to .*\), not a folder of the repository$/),
    ]);
  });

  it('the same module path used twice', async () => {
    expect(await errorsOf({ 'go.work': 'use ./a\nuse ./b\n', 'a/go.mod': 'module example.com/same\n', 'b/go.mod': 'module example.com/same\n' })).toEqual([
      'go.work:2: module example.com/same appears twice in the workspace (a and b)',
    ]);
  });
});

describe('go.work and go.mod readers', () => {
  it('directives in single and block form with their lines; comments and quotes', () => {
    expect(goDirectives('go 1.24 // comment\nuse (\n  "./a b"\n  `./c`\n)\nreplace x v1 => ./y // why\n')).toEqual([
      { verb: 'go', args: ['1.24'], line: 1 },
      { verb: 'use', args: ['./a b'], line: 3 },
      { verb: 'use', args: ['./c'], line: 4 },
      { verb: 'replace', args: ['x', 'v1', '=>', './y'], line: 6 },
    ]);
  });

  it('parseGoWork keeps use order, drops duplicates, keeps local replaces only', () => {
    expect(parseGoWork('go 1.24\nuse ./a\nuse (\n ./b/\n ./a\n)\nreplace m => ./c\nreplace n => example.com/n v1.0.0\nuse ()\n')).toEqual({
      ok: true,
      value: {
        goLine: '1.24',
        toolchain: '',
        uses: [
          { dir: 'a', line: 2 },
          { dir: 'b', line: 4 },
        ],
        replaces: [{ from: 'm', dir: 'c', at: 'go.work:7' }],
      },
    });
    expect(parseGoWork('use ./a ./b\nreplace m\n')).toMatchObject({
      ok: false,
      errors: [
        { message: 'go.work:1: this use directive is malformed (expected one folder)' },
        { message: 'go.work:2: this replace directive is malformed (expected `replace <module> => <path or module version>`)' },
      ],
    });
  });

  it('goImports reads single, grouped and aliased imports', () => {
    expect(goImports('package x\n\nimport "a/b"\nimport c "c/d"\nimport (\n\t_ "e"\n\t. "f/g"\n\th "h"\n)\n')).toEqual(['a/b', 'c/d', 'e', 'f/g', 'h']);
  });
});
