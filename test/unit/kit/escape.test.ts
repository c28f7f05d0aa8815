// What a kit may never do: read outside itself (absolute paths, `..`,
// symlinks leading out), write outside the project or into .git/, call a
// helper beyond the allowed few, or declare code. Each refusal has its own
// error class; through the CLI each is exit 2 with nothing written.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/errors.js';
import { KitCodeError, KitHelperError, KitPathEscapeError, KitTargetPathError } from '../../../src/kit/errors.js';
import { loadKitFromDir } from '../../../src/kit/load.js';
import { checkKitTemplate } from '../../../src/kit/templates.js';
import { KIT_STACKS as STACKS } from '../../../src/stacks/index.js';
import { runMain } from '../../helpers/run-main.js';
import { makeTree, snapshotTree, tempDir } from '../../helpers/tree.js';
import { makeKit, manifest, kitLoadError } from '../../helpers/kit.js';

const star = (config: Record<string, unknown>) => manifest({ stacks: { '*': config } });
const extraStack = (templates: Record<string, unknown>) => manifest({ stacks: {}, extraStacks: { python: { title: 'Python', detect: { anyFile: ['pyproject.toml'] }, templates } } });

describe('kit paths that leave the kit', () => {
  const fields: [string, (p: string) => Record<string, unknown>, string][] = [
    ['files[].template', (p) => star({ files: [{ template: p, path: 'x.txt' }] }), 'stacks["*"].files[0].template'],
    ['templates', (p) => star({ templates: { 'README.Docker.md': p } }), 'stacks["*"].templates["README.Docker.md"]'],
    ['partials', (p) => star({ partials: { 'oci-labels': p } }), 'stacks["*"].partials.oci-labels'],
    ['caCertificates', (p) => star({ caCertificates: [p] }), 'stacks["*"].caCertificates[0]'],
    ['extraStacks templates.docker', (p) => extraStack({ docker: p }), 'extraStacks.python.templates.docker'],
    ['extraStacks templates.app', (p) => extraStack({ docker: 'docker', app: p }), 'extraStacks.python.templates.app'],
  ];

  it.each(fields)('%s: absolute paths and ".." are refused', (_name, build, field) => {
    for (const [bad, reason] of [
      ['/etc/passwd', 'must be a relative path, not an absolute one'],
      ['C:/Windows/win.ini', 'must be a relative path, not an absolute one'],
      ['../outside.hbs', 'must not contain ".."'],
      ['partials/../../outside.hbs', 'must not contain ".."'],
      ['partials\\..\\x.hbs', 'must use "/" separators'],
    ]) {
      const error = kitLoadError(build(bad!));
      expect(error, bad).toBeInstanceOf(KitPathEscapeError);
      expect(error.message).toBe(
        `${field} ${reason}${reason!.startsWith('must use') ? ' and no control characters or any of < > : " | ? * \\' : reason!.startsWith('must not') ? ' (it would leave its folder)' : ''}; got ${JSON.stringify(bad)}`,
      );
    }
  });

  it('a symlink to a file outside the kit is refused (real paths are compared)', () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'secret.hbs'), 'stolen');
    const error = kitLoadError(star({ files: [{ template: 'files/ci.yml.hbs', path: 'ci.yml' }] }), { 'files/ci.yml.hbs': { symlink: path.join(outside, 'secret.hbs') } });
    expect(error).toBeInstanceOf(KitPathEscapeError);
    expect(error.message).toMatch(/^stacks\["\*"\]\.files\[0\]\.template: files\/ci\.yml\.hbs is a symbolic link that leads out of the kit/);
  });

  it('a symlinked folder leading out of the kit is refused, for certificates and template folders', () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'Dockerfile'), 'FROM scratch');
    fs.writeFileSync(path.join(outside, 'root.pem'), 'x');
    const viaDir = kitLoadError(star({ caCertificates: ['ca/root.pem'] }), { ca: { symlink: outside } });
    expect(viaDir).toBeInstanceOf(KitPathEscapeError);
    expect(viaDir.message).toMatch(/^stacks\["\*"\]\.caCertificates\[0\]: ca\/root\.pem is a symbolic link that leads out of the kit/);
    const inFolder = kitLoadError(extraStack({ docker: 'docker' }), { 'docker/Dockerfile': 'FROM scratch\n', 'docker/shared': { symlink: outside } });
    expect(inFolder).toBeInstanceOf(KitPathEscapeError);
    expect(inFolder.message).toMatch(/^extraStacks\.python\.templates\.docker: docker\/shared is a symbolic link that leads out of the kit/);
  });

  it('a symlink that stays inside the kit is followed', () => {
    const dir = makeKit(star({ partials: { 'oci-labels': 'partials/labels.hbs' } }), { 'shared/labels.hbs': 'LABEL a="b"\n', 'partials/labels.hbs': { symlink: '../shared/labels.hbs' } });
    expect(loadKitFromDir(dir, 'test kit', STACKS).configs['*']!.partials['oci-labels']).toBe('LABEL a="b"\n');
  });
});

describe('target paths that leave the project', () => {
  const cases: [string, string][] = [
    ['/etc/cron.d/job', 'must be a relative path, not an absolute one'],
    ['../sibling/file', 'must not contain ".." (it would leave its folder)'],
    ['docs/../../up', 'must not contain ".." (it would leave its folder)'],
    ['.git/hooks/pre-commit', 'must not write into .git/ (it could install hooks that run code)'],
    ['sub/.GIT/config', 'must not write into .git/ (it could install hooks that run code)'],
    ['C:/x', 'must be a relative path, not an absolute one'],
    ['dir/file.', 'must not have a part ending in "." or a space'],
  ];
  it.each(cases)('files[].path %j', (target, reason) => {
    const error = kitLoadError(star({ files: [{ template: 't.hbs', path: target }] }), { 't.hbs': 'x' });
    expect(error).toBeInstanceOf(KitTargetPathError);
    expect(error.message).toBe(`stacks["*"].files[0].path ${reason}; got ${JSON.stringify(target)}`);
  });

  it('template override keys and extra-stack markers are project paths too', () => {
    expect(kitLoadError(star({ templates: { '../Dockerfile': 't.hbs' } }))).toBeInstanceOf(KitTargetPathError);
    const marker = kitLoadError(manifest({ stacks: {}, extraStacks: { py: { title: 'Py', detect: { anyFile: ['/etc/hostname'] }, templates: { docker: 'd' } } } }));
    expect(marker).toBeInstanceOf(KitTargetPathError);
    expect(marker.message).toMatch(/^extraStacks\.py\.detect\.anyFile\[0\] must be a relative path/);
  });
});

describe('helpers: only if, unless, each, with, eq, json, join', () => {
  it('accepts the allowed helpers, partials by name, data variables and escaped mustaches', () => {
    const ok = [
      '{{#if a}}{{b}}{{else}}{{c}}{{/if}}',
      '{{#unless a}}x{{/unless}}{{#each list}}{{@index}}{{this}}{{/each}}{{#with labels}}{{title}}{{/with}}',
      '{{#if (eq pm.id "pnpm")}}{{json cmd}}{{join list " "}}{{/if}}',
      '{{> oci-labels}}{{> oci-labels @root}}{{#> stage-base}}fallback{{/stage-base}}',
      '$\\{{ github.sha }} {{node-version}} {{!-- a comment --}}',
    ];
    for (const source of ok) expect(() => checkKitTemplate(source, 't.hbs'), source).not.toThrow();
  });

  const bad: [string, string][] = [
    ['{{lookup labels "title"}}', '{{lookup}} is not an allowed helper'],
    ['{{log "hi"}}', '{{log}} is not an allowed helper'],
    ['{{lookup}}', '{{lookup}} is not an allowed helper'],
    ['{{shout name}}', '{{shout}} is not an allowed helper'],
    ['{{name key=value}}', '{{name}} is not an allowed helper'],
    ['x\n{{#custom}}y{{/custom}}', 't.hbs:2: {{#custom}} is not an allowed helper'],
    ['{{#if (lookup a b)}}x{{/if}}', '(lookup) is not an allowed helper'],
    ['{{json (helperMissing)}}', '(helperMissing) is not an allowed helper'],
    ['{{> (lookup . "partial")}}', 'a partial whose name is computed at render time'],
    ['{{#*inline "p"}}x{{/inline}}', 'decorators (including inline partials) are not allowed'],
    ['{{* decorate}}', 'decorators (including inline partials) are not allowed'],
  ];
  it.each(bad)('refuses %j', (source, message) => {
    expect(() => checkKitTemplate(source, 't.hbs')).toThrow(KitHelperError);
    expect(() => checkKitTemplate(source, 't.hbs')).toThrow(message);
  });

  it('is checked in every kind of kit template when the kit loads', () => {
    const lookup = '{{lookup labels "title"}}';
    const where: [Record<string, unknown>, Record<string, string>, RegExp][] = [
      [star({ files: [{ template: 'ci.yml.hbs', path: 'ci.yml' }] }), { 'ci.yml.hbs': lookup }, /^stacks\["\*"\]\.files\[0\]\.template \(ci\.yml\.hbs\):1: \{\{lookup\}\}/],
      [star({ templates: { 'README.Docker.md': 'r.hbs' } }), { 'r.hbs': lookup }, /^stacks\["\*"\]\.templates\["README\.Docker\.md"\] \(r\.hbs\):1/],
      [star({ partials: { 'stage-production': 'p.hbs' } }), { 'p.hbs': lookup }, /^stacks\["\*"\]\.partials\.stage-production \(p\.hbs\):1/],
      [extraStack({ docker: 'docker' }), { 'docker/Dockerfile.hbs': lookup }, /^extraStacks\.python\.templates\.docker \(docker\/Dockerfile\.hbs\):1/],
    ];
    for (const [json, files, message] of where) {
      const error = kitLoadError(json, files);
      expect(error).toBeInstanceOf(KitHelperError);
      expect(error.message).toMatch(message);
    }
  });

  it('files that are not .hbs are copied, not rendered, so their braces are not checked', () => {
    const dir = makeKit(star({ files: [{ template: 'ci.yml', path: 'ci.yml' }] }), { 'ci.yml': 'run: echo ${{ github.sha }} {{lookup}}\n' });
    expect(loadKitFromDir(dir, 'test kit', STACKS).configs['*']!.files[0]!.template.source).toContain('{{lookup}}');
  });
});

describe('through the CLI', () => {
  it.each([
    ['helpers in the manifest', manifest({ helpers: { x: 'y' } }), {}, KitCodeError.name, 'helpers is refused'],
    ['a template escaping the kit', star({ files: [{ template: '../x.hbs', path: 'x' }] }), {}, KitPathEscapeError.name, 'must not contain ".."'],
    ['a file written into .git', star({ files: [{ template: 't.hbs', path: '.git/hooks/post-checkout' }] }), { 't.hbs': '#!/bin/sh\n' }, KitTargetPathError.name, 'must not write into .git/'],
    ['an unknown helper', star({ files: [{ template: 't.hbs', path: 't' }] }), { 't.hbs': '{{log name}}' }, KitHelperError.name, '{{log}} is not an allowed helper'],
  ])('%s: exit 2, the reason, nothing written', async (_name, json, files, _errorName, message) => {
    const kit = makeKit(json, files);
    const cwd = makeTree();
    const result = await runMain(['app', '--stack', 'nextjs', '--yes', '--skip-install', '--kit', kit], { cwd });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(`Kit ${kit}: `);
    expect(result.stderr).not.toContain('Unexpected error');
    expect(snapshotTree(cwd)).toEqual({});
  });
});
