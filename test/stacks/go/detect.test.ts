// Go detection on fixture trees: module path, go/toolchain lines, main
// packages (root and cmd/*), go.sum, vendor/, cgo, the port, local replaces,
// and the header a previous run left in the Dockerfile.

import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/defaults.js';
import { Project } from '../../../src/project.js';
import { go, type GoDetection } from '../../../src/stacks/go.js';
import { parseGoMod, rootMainName, type GoFacts } from '../../../src/stacks/go-detect.js';
import type { Detection } from '../../../src/stacks/types.js';
import { makeTree, readFixture, type TreeEntry } from '../../helpers/tree.js';

async function detectIn(files: Record<string, TreeEntry>): Promise<Detection<GoDetection>> {
  return go.detect(new Project(makeTree(files)));
}

const fixture = (name: string, extra: Record<string, TreeEntry> = {}): Record<string, TreeEntry> => ({ ...readFixture(`go/${name}`), ...extra });
const factsOf = (detection: Detection<GoDetection>): GoFacts => {
  if (!detection.facts) throw new Error('no go.mod facts');
  return detection.facts;
};

const MAIN = 'package main\n\nfunc main() {}\n';

describe('is it a Go project?', () => {
  it('go.mod makes an existing project; no go.mod is a new one', async () => {
    expect(go.matches(new Project(makeTree(fixture('single'))))).toBe(true);
    expect((await detectIn(fixture('single'))).existing).toBe(true);
    const empty = await detectIn({ 'main.go': MAIN });
    expect(empty.existing).toBe(false);
    expect(go.matches(new Project(makeTree({ 'main.go': MAIN })))).toBe(false);
  });
});

describe('fixtures', () => {
  it('single: root main named after the module path, go.sum, port from ListenAndServe, go line', async () => {
    const detection = await detectIn(fixture('single'));
    const facts = factsOf(detection);
    expect(facts.modulePath).toBe('github.com/acme/shop');
    // tools/gen is a main package outside cmd/: not shipped when the conventional layout has one.
    expect(facts.mains).toEqual([{ name: 'shop', dir: '.', selfHealthcheck: false, server: true }]);
    expect(facts).toMatchObject({ hasGoSum: true, vendor: false, cgo: false, localReplaces: [], goLine: '1.25.0', toolchain: '' });
    expect(detection.values).toMatchObject({ name: 'shop', 'go-version': '1.25', port: 9090, targets: ['shop'] });
    expect(detection.notes).toEqual([]);
  });

  it('cmd/api + cmd/worker: two mains, targets left to the user (prompt or default)', async () => {
    const detection = await detectIn(fixture('two-binaries'));
    const facts = factsOf(detection);
    expect(facts.mains).toEqual([
      { name: 'api', dir: 'cmd/api', selfHealthcheck: true, server: true },
      { name: 'worker', dir: 'cmd/worker', selfHealthcheck: false, server: true },
    ]);
    expect(detection.values['targets']).toBeUndefined();
    expect(detection.values).toMatchObject({ 'go-version': '1.27', port: 8080 });
    expect(facts.hasGoSum).toBe(true);
  });

  it('vendored: vendor/modules.txt switches on vendor mode', async () => {
    const facts = factsOf(await detectIn(fixture('vendored')));
    expect(facts).toMatchObject({ vendor: true, hasGoSum: true, cgo: false });
    expect(facts.mains.map((m) => m.name)).toEqual(['greeter']);
  });

  it('no go.sum, toolchain line: the toolchain (newer than the go line) picks the image line; port from a PORT default', async () => {
    const detection = await detectIn(fixture('no-gosum'));
    const facts = factsOf(detection);
    expect(facts).toMatchObject({ hasGoSum: false, goLine: '1.23', toolchain: '1.24.2' });
    expect(detection.values).toMatchObject({ 'go-version': '1.24', port: 8081, targets: ['legacy'] });
    expect(facts.mains[0]!.selfHealthcheck).toBe(true);
  });

  it('cgo: import "C" is found, with a note', async () => {
    const detection = await detectIn(fixture('cgo'));
    expect(factsOf(detection).cgo).toBe(true);
    expect(detection.notes.join('\n')).toContain('main.go imports "C"');
    expect(detection.values).toMatchObject({ 'go-version': '1.26', port: 7070 });
  });
});

describe('go.mod', () => {
  it('reads module, go, toolchain, requires and local replaces in single-line and block forms', () => {
    const mod = parseGoMod(
      [
        'module "example.com/quoted" // comment',
        '',
        'go 1.24.3',
        'toolchain go1.25.1',
        'require example.com/a v1.0.0',
        'require (',
        '\texample.com/b v1.2.0 // indirect',
        '\tgithub.com/mattn/go-sqlite3 v1.14.22',
        ')',
        'replace example.com/a => ./third_party/a',
        'replace (',
        '\texample.com/b v1.2.0 => ../b',
        '\texample.com/c => example.com/c2 v1.0.0',
        ')',
      ].join('\n'),
    );
    expect(mod).toEqual({
      modulePath: 'example.com/quoted',
      goLine: '1.24.3',
      toolchain: '1.25.1',
      requires: ['example.com/a', 'example.com/b', 'github.com/mattn/go-sqlite3'],
      localReplacePaths: ['./third_party/a', '../b'],
    });
  });

  it('names the root binary like go build does', () => {
    expect(rootMainName('github.com/acme/api')).toBe('api');
    expect(rootMainName('example.com/tool/v2')).toBe('tool');
    expect(rootMainName('My_Service')).toBe('my_service');
    expect(rootMainName('')).toBeUndefined();
  });

  it('a go line older than the images is not used (a newer Go builds it), with a note', async () => {
    const detection = await detectIn({ 'go.mod': 'module x\n\ngo 1.16\n', 'main.go': MAIN });
    expect(detection.values['go-version']).toBeUndefined();
    expect(detection.notes.join('\n')).toContain('older than the images support');
  });

  it('a cgo-only dependency (go-sqlite3) turns cgo on without import "C" in the project', async () => {
    const detection = await detectIn({ 'go.mod': 'module x\n\ngo 1.25\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n', 'go.sum': '', 'main.go': MAIN });
    expect(factsOf(detection).cgo).toBe(true);
    expect(detection.notes.join('\n')).toContain('github.com/mattn/go-sqlite3 needs cgo');
  });

  it('requires without go.sum: a note that the build will stop', async () => {
    const detection = await detectIn({ 'go.mod': 'module x\n\ngo 1.25\n\nrequire example.com/a v1.0.0\n', 'main.go': MAIN });
    expect(detection.notes.join('\n')).toContain('no go.sum');
  });

  it('local replaces inside the project are kept (their go.mod is needed early); outside ones are a note', async () => {
    const detection = await detectIn({
      'go.mod': 'module x\n\ngo 1.25\n\nrequire (\n\texample.com/a v0.0.0\n\texample.com/b v0.0.0\n)\n\nreplace example.com/a => ./libs/a\n\nreplace example.com/b => ../b\n',
      'go.sum': '',
      'libs/a/go.mod': 'module example.com/a\n\ngo 1.25\n',
      'libs/a/a.go': 'package a\n',
      'main.go': MAIN,
    });
    expect(factsOf(detection).localReplaces).toEqual(['libs/a']);
    expect(detection.notes.join('\n')).toContain('../b, outside the build context');
  });
});

describe('main packages', () => {
  it('a root main and cmd/* together; build-ignored generators and test files do not count', async () => {
    const detection = await detectIn({
      'go.mod': 'module example.com/svc\n\ngo 1.25\n',
      'main.go': MAIN,
      'gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
      'cmd/migrate/main.go': MAIN,
      'cmd/lib/lib.go': 'package lib\n',
      'cmd/onlytest/main_test.go': MAIN,
      'cmd/generator/gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
    });
    expect(factsOf(detection).mains.map((m) => [m.name, m.dir])).toEqual([
      ['svc', '.'],
      ['migrate', 'cmd/migrate'],
    ]);
  });

  it('without root or cmd/ mains, looks two levels down (not examples or testdata), with a note', async () => {
    const detection = await detectIn({
      'go.mod': 'module example.com/svc\n\ngo 1.25\n',
      'server/main.go': MAIN,
      'examples/demo/main.go': MAIN,
      'internal/testdata/main.go': MAIN,
      'lib.go': 'package svc\n',
    });
    expect(factsOf(detection).mains.map((m) => m.dir)).toEqual(['server']);
    expect(detection.notes.join('\n')).toContain('using ./server');
  });

  it('directory names that cannot be targets are skipped with a note; names are made unique', async () => {
    const detection = await detectIn({
      'go.mod': 'module example.com/svc\n\ngo 1.25\n',
      'cmd/API/main.go': MAIN,
      'cmd/api/main.go': MAIN,
      'cmd/bad dir/main.go': MAIN,
    });
    const facts = factsOf(detection);
    expect(facts.mains.map((m) => [m.name, m.dir])).toEqual([
      ['api', 'cmd/API'],
      ['api-2', 'cmd/api'],
    ]);
    expect(detection.notes.join('\n')).toContain('skipped the main package in "cmd/bad dir"');
  });

  it('no main package found: a note naming --targets with a path, and the targets question still applies (a deeper package can be named)', async () => {
    const detection = await detectIn({ 'go.mod': 'module example.com/lib\n\ngo 1.25\n', 'lib.go': 'package lib\n' });
    expect(factsOf(detection).mains).toEqual([]);
    expect(detection.notes.join('\n')).toContain('no main package found');
    expect(detection.notes.join('\n')).toContain('--targets ./path/to/package');
    const targets = go.questions.find((q) => q.flag === 'targets')!;
    expect(targets.when!({ mode: 'existing', answers: {}, detection })).toBe(true);
  });
});

describe('port and cgo heuristics', () => {
  it('several different ports: none is picked, and the note says so', async () => {
    const detection = await detectIn({
      'go.mod': 'module x\n\ngo 1.25\n',
      'cmd/a/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
      'cmd/b/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe("0.0.0.0:9000", nil) }\n',
    });
    expect(detection.values['port']).toBeUndefined();
    expect(detection.notes.join('\n')).toContain('several ports (8080, 9000)');
  });

  it('a port in a config package counts when the mains name none; a client URL does not', async () => {
    const detection = await detectIn({
      'go.mod': 'module x\n\ngo 1.25\n',
      'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("https://example.com:443/x") }\n',
      'internal/config/config.go': 'package config\n\nvar ListenAddr = "0.0.0.0:7000"\n',
    });
    expect(detection.values['port']).toBe(7000);
  });

  it('import "C" guarded by a cgo build tag has a pure-Go twin: not cgo; grouped import "C" is', async () => {
    const guarded = await detectIn({
      'go.mod': 'module x\n\ngo 1.25\n',
      'main.go': MAIN,
      'fast_cgo.go': '//go:build cgo\n\npackage main\n\nimport "C"\n',
    });
    expect(factsOf(guarded).cgo).toBe(false);
    const grouped = await detectIn({
      'go.mod': 'module x\n\ngo 1.25\n',
      'main.go': 'package main\n\n// #include <stdio.h>\nimport (\n\t"C"\n\t"fmt"\n)\n\nfunc main() { fmt.Println() }\n',
    });
    expect(factsOf(grouped).cgo).toBe(true);
  });

  it('vendored code with import "C" does not make the project cgo (vendor/ is not walked)', async () => {
    const facts = factsOf(await detectIn(fixture('vendored', { 'vendor/example.com/greet/c.go': 'package greet\n\nimport "C"\n' })));
    expect(facts.cgo).toBe(false);
  });

  it('bin/ and dist/ are ignored in the build context unless they hold Go source', async () => {
    const facts = factsOf(await detectIn({ 'go.mod': 'module x\n\ngo 1.25\n', 'main.go': MAIN, 'bin/tool': 'binary', 'tmp/server/main.go': MAIN }));
    expect(facts.ignoredOutputDirs).toEqual(['bin', 'dist']);
  });
});

describe('a previous run', () => {
  const header = (flags: string): string => `# syntax=docker/dockerfile:1\n# create-multistage: --stack go ${flags}\n`;

  it('recorded answers come back; a recorded Go newer than go.mod stays, an older one gives way', async () => {
    const newer = await detectIn(fixture('two-binaries', { Dockerfile: header('--name duo --port 9999 --go-version 1.28 --targets worker,api --runtime scratch') }));
    expect(newer.values).toMatchObject({ name: 'duo', port: '9999', 'go-version': '1.28', targets: 'worker,api', runtime: 'scratch' });
    const older = await detectIn(fixture('two-binaries', { Dockerfile: header('--go-version 1.24 --targets api') }));
    expect(older.values).toMatchObject({ 'go-version': '1.27', targets: 'api' });
  });

  it('recorded targets that are no longer main packages are dropped', async () => {
    const detection = await detectIn(fixture('two-binaries', { Dockerfile: header('--targets api,gone') }));
    expect(detection.values['targets']).toBeUndefined();
  });

  it('the project name: the header, then package.json, then the module path (not the directory)', async () => {
    expect((await detectIn(fixture('two-binaries'))).values['name']).toBe('duo');
    expect((await detectIn(fixture('two-binaries', { 'package.json': '{"name": "@acme/duo-scripts"}' }))).values['name']).toBe('duo-scripts');
    expect((await detectIn(fixture('two-binaries', { Dockerfile: header('--name mine') }))).values['name']).toBe('mine');
  });

  it('a new directory gets the default Go version from the table', async () => {
    const question = go.questions.find((q) => q.flag === 'go-version')!;
    const detection = await detectIn({});
    expect(question.defaultValue({ mode: 'new', answers: {}, detection })).toBe(DEFAULTS.goVersion);
  });
});
