// Workspace pattern expansion: the subset workspace managers use (`*`, `**`,
// literals, `{a,b}`, `!negations`), walked through the contained readers.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePattern, expandBraces, expandPatterns, MAX_MEMBER_DEPTH, type PatternSource } from '../../../src/workspace/glob.js';
import { makeTree, tempDir } from '../../helpers/tree.js';

const pkg = (name: string): string => JSON.stringify({ name });
const sources = (...patterns: string[]): PatternSource[] => patterns.map((pattern, i) => ({ pattern, file: 'package.json', line: i + 1 }));
const hasPackageJson = (root: string) => (dir: string) => fs.existsSync(path.join(root, dir, 'package.json'));

function expand(root: string, ...patterns: string[]) {
  const result = expandPatterns(root, sources(...patterns), { isMember: hasPackageJson(root) });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return { dirs: result.value.members.map((m) => m.dir), members: result.value.members, notes: result.value.notes };
}

describe('expandBraces', () => {
  it('expands alternatives, nested and several, and keeps a one-way brace literal', () => {
    expect(expandBraces('{apps,services}/*')).toEqual(['apps/*', 'services/*']);
    expect(expandBraces('a/{b,c{1,2}}/d')).toEqual(['a/b/d', 'a/c1/d', 'a/c2/d']);
    expect(expandBraces('{a,b}/{x,y}')).toEqual(['a/x', 'a/y', 'b/x', 'b/y']);
    expect(expandBraces('pkg/{only}')).toEqual(['pkg/{only}']);
  });
});

describe('compilePattern refuses what it cannot use, naming file and line', () => {
  const fails = (pattern: string) => {
    const result = compilePattern({ pattern, file: 'pnpm-workspace.yaml', line: 4 });
    expect(result.ok).toBe(false);
    return result.ok ? '' : result.errors[0].message;
  };
  it('a pattern leading outside the root', () => {
    expect(fails('../shared/*')).toMatch(/^pnpm-workspace\.yaml:4: .*"\.\.\/shared\/\*" leads outside the workspace root/);
    expect(fails('apps/../../x')).toMatch(/leads outside/);
    expect(fails('!../x')).toMatch(/leads outside/);
  });
  it('absolute paths, empty patterns and extended globs', () => {
    expect(fails('/srv/apps/*')).toMatch(/absolute path/);
    expect(fails('!')).toMatch(/is empty/);
    expect(fails('apps/@(web|docs)')).toMatch(/extended glob/);
  });
  it('accepts ./ prefixes and trailing slashes', () => {
    expect(compilePattern({ pattern: './apps/*/', file: 'package.json', line: 1 }).ok).toBe(true);
  });
});

describe('expandPatterns', () => {
  it('apps/* matches one level, with a package.json, sorted, skipping hidden folders and node_modules', () => {
    const root = makeTree({
      'apps/web/package.json': pkg('web'),
      'apps/docs/package.json': pkg('docs'),
      'apps/Zeta/package.json': pkg('zeta'),
      'apps/notes/README.md': 'no package.json',
      'apps/.hidden/package.json': pkg('hidden'),
      'apps/node_modules/package.json': pkg('nm'),
      'apps/build/package.json': pkg('build-tools'),
      'apps/web/sub/package.json': pkg('too-deep'),
    });
    expect(expand(root, 'apps/*').dirs).toEqual(['apps/Zeta', 'apps/build', 'apps/docs', 'apps/web']);
  });

  it('packages/** matches every depth (the folder itself included) and does not enter node_modules or build outputs', () => {
    const root = makeTree({
      'packages/package.json': pkg('packages-itself'),
      'packages/a/package.json': pkg('a'),
      'packages/group/b/package.json': pkg('b'),
      'packages/group/c/deep/package.json': pkg('c'),
      'packages/a/node_modules/dep/package.json': pkg('dep'),
      'packages/a/.turbo/package.json': pkg('cache'),
      'packages/a/dist/package.json': pkg('a-copied-by-its-build'),
    });
    expect(expand(root, 'packages/**').dirs).toEqual(['packages', 'packages/a', 'packages/group/b', 'packages/group/c/deep']);
  });

  it('literal paths, braces and ? and [] classes', () => {
    const root = makeTree({
      'tools/cli/package.json': pkg('cli'),
      'apps/a1/package.json': pkg('a1'),
      'apps/a2/package.json': pkg('a2'),
      'apps/b1/package.json': pkg('b1'),
      'services/api/package.json': pkg('api'),
    });
    expect(expand(root, 'tools/cli').dirs).toEqual(['tools/cli']);
    expect(expand(root, 'apps/a?').dirs).toEqual(['apps/a1', 'apps/a2']);
    expect(expand(root, 'apps/[ab]1').dirs).toEqual(['apps/a1', 'apps/b1']);
    expect(expand(root, '{apps,services}/*1', 'services/api').dirs).toEqual(['apps/a1', 'apps/b1', 'services/api']);
  });

  it('negations remove matches wherever they are written, ** included', () => {
    const root = makeTree({
      'packages/a/package.json': pkg('a'),
      'packages/b/package.json': pkg('b'),
      'packages/b/test/fixture/package.json': pkg('fixture'),
      'packages/legacy/package.json': pkg('legacy'),
    });
    expect(expand(root, 'packages/**', '!**/test/**', '!packages/legacy').dirs).toEqual(['packages/a', 'packages/b']);
    // Order does not matter: a negation before the pattern still applies.
    expect(expand(root, '!packages/legacy', 'packages/*').dirs).toEqual(['packages/a', 'packages/b']);
  });

  it('records the first pattern that listed each member, and notes a pattern that matches nothing', () => {
    const root = makeTree({ 'apps/web/package.json': pkg('web') });
    const { members, notes } = expand(root, 'apps/*', 'apps/web', 'libs/*');
    expect(members).toEqual([{ dir: 'apps/web', listedBy: 'package.json:1' }]);
    expect(notes).toEqual(['package.json:3: the workspace pattern "libs/*" matches no package']);
  });

  it('never follows a symbolic link, inside or out, and says so', () => {
    const outside = makeTree({ 'package.json': pkg('outside') });
    const root = makeTree({ 'apps/web/package.json': pkg('web'), 'packages/ui/package.json': pkg('ui') });
    fs.symlinkSync(outside, path.join(root, 'apps', 'evil'));
    fs.symlinkSync('../packages/ui', path.join(root, 'apps', 'ui-link'));
    fs.symlinkSync(outside, path.join(root, 'linked'));
    const { dirs, notes } = expand(root, 'apps/*', 'linked', 'packages/**');
    expect(dirs).toEqual(['apps/web', 'packages/ui']);
    expect(notes.join('\n')).toMatch(/apps\/evil is a symbolic link.*not a workspace member \(package\.json:1\)/);
    expect(notes.join('\n')).toMatch(/apps\/ui-link is a symbolic link/);
    expect(notes.join('\n')).toMatch(/linked is a symbolic link \(to .*\), not a folder of the repository/);
  });

  it('bounds the depth of **', () => {
    const deep = Array.from({ length: MAX_MEMBER_DEPTH + 2 }, (_, i) => `d${i}`).join('/');
    const root = makeTree({ [`${deep}/package.json`]: pkg('deep'), 'd0/package.json': pkg('shallow') });
    const { dirs, notes } = expand(root, '**');
    expect(dirs).toEqual(['d0']);
    expect(notes.some((n) => n.includes(`not followed deeper than ${MAX_MEMBER_DEPTH} folders`))).toBe(true);
  });

  it('does not descend below a folder the caller marks as a stop (a nested workspace root)', () => {
    const root = makeTree({ 'packages/inner/package.json': pkg('inner'), 'packages/inner/packages/x/package.json': pkg('x') });
    const result = expandPatterns(root, sources('packages/**'), { isMember: hasPackageJson(root), stopAt: (dir) => dir === 'packages/inner' });
    expect(result.ok && result.value.members.map((m) => m.dir)).toEqual(['packages/inner']);
  });

  it('an empty root or a missing folder is no error', () => {
    expect(expand(tempDir(), 'apps/*').dirs).toEqual([]);
  });
});
