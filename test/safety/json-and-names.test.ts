/**
 * Battery, round two: JSON and names that break naive code — nesting 5,000
 * levels deep, keys twice, names on Object.prototype. Exit code, message, and
 * the tree byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeKit, manifest } from '../helpers/kit.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-json-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function project(files: Record<string, string> = {}): string {
  const dir = path.join(root, `go-${counter++}`);
  fs.mkdirSync(dir);
  writeTree(dir, { ...EXISTING_PROJECTS['go']!, ...files });
  return dir;
}

async function expectRefused(dir: string, argv: string[], code: number, message: RegExp): Promise<void> {
  const before = snapshot(dir);
  const result = await run(argv, root);
  expect(result.code, result.stdout + result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/Unexpected error|RangeError/);
  expect(snapshot(dir)).toEqual(before);
}

const deep = (levels: number): string => `{ "name": "x", "a": ${'['.repeat(levels)}${']'.repeat(levels)} }\n`;

describe('JSON nested 5,000 levels deep', () => {
  it('package.json: blocked with the position, exit 1, no stack trace', async () => {
    const dir = project({ 'package.json': deep(5000) });
    await expectRefused(dir, [dir, '--yes'], 1, /package\.json is not valid JSON: Nested more than 256 levels deep at line 1, column \d+/);
  });

  it('a kit manifest: refused with the position, exit 2', async () => {
    const kit = makeKit(`{ "name": "k", "version": "1.0.0", "stacks": { "*": {} }, "x": ${'['.repeat(5000)}${']'.repeat(5000)} }`);
    const dir = project();
    await expectRefused(dir, [dir, '--yes', '--kit', kit], 2, /multistage-kit\.json is not valid JSON: Nested more than 256 levels deep/);
  });
});

describe('kit manifests', () => {
  it('a key twice in one object is refused, naming the key and where', async () => {
    const kit = makeKit('{\n  "name": "k",\n  "version": "1.0.0",\n  "name": "other",\n  "stacks": { "*": {} }\n}\n');
    const dir = project();
    await expectRefused(dir, [dir, '--yes', '--kit', kit], 2, /multistage-kit\.json has the key "name" twice in one object \(again at line 4, column 3\)/);
  });

  it('a key named constructor gets the ordinary message, not "names the same file as another key"', async () => {
    const kit = makeKit(manifest({ stacks: { '*': { templates: { constructor: 't/a.hbs' } } } }), { 't/a.hbs': 'x\n' });
    const dir = project();
    const before = snapshot(dir);
    const result = await run([dir, '--yes', '--kit', kit], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/stacks\["\*"\]\.templates\.constructor is not a file any stack generates/);
    expect(result.stderr).not.toMatch(/names the same file/);
    expect(snapshot(dir)).toEqual(before);
  });

  it.each(['toString', '__proto__'])('a partial named %s is refused with a message, not a crash', async (name) => {
    const kit = makeKit(`{ "name": "k", "version": "1.0.0", "stacks": { "*": { "partials": { ${JSON.stringify(name)}: "p.hbs" } } } }`, { 'p.hbs': 'x' });
    const dir = project();
    await expectRefused(dir, [dir, '--yes', '--kit', kit], 2, new RegExp(`partials\\.${name} is not a partial name`));
  });

  it.each(['toString', 'constructor'])('a kit stack template file named %s renders like any other', async (name) => {
    const kit = makeKit(manifest({ stacks: {}, extraStacks: { py: { title: 'Py', detect: { anyFile: ['pyproject.toml'] }, templates: { docker: 'd' } } } }), {
      'd/Dockerfile': 'FROM scratch AS base\n',
      [`d/${name}.hbs`]: 'made by {{name}}\n',
    });
    const dir = path.join(root, `py-${counter++}`);
    writeTree(dir, { 'pyproject.toml': '[project]\nname = "x"\n' });
    const result = await run([dir, '--yes', '--kit', kit, '--stack', 'py'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, name), 'utf8')).toMatch(/^made by /);
  });
});
