/**
 * Battery: package.json in every style people keep it. Scripts are merged
 * with the file's own formatting; nothing else in the file moves. Broken files
 * are refused with their position and nothing is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACKS } from '../../src/stacks/index.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-pkg-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function project(stack: string, packageJson: string | undefined): string {
  const dir = path.join(root, `${stack}-${counter++}`);
  fs.mkdirSync(dir);
  const files = { ...EXISTING_PROJECTS[stack] };
  delete files['package.json'];
  writeTree(dir, files);
  if (packageJson !== undefined) fs.writeFileSync(path.join(dir, 'package.json'), packageJson);
  return dir;
}

/** A package.json body for the stack: Next.js needs `next` to be detected. */
function body(stack: string): Record<string, unknown> {
  const base: Record<string, unknown> = { name: 'shop', version: '1.0.0', scripts: { test: 'vitest', 'lint:fix': 'eslint . --fix' } };
  if (stack === 'nextjs') base['dependencies'] = { next: '16.4.6', react: '19.3.1', 'react-dom': '19.3.1' };
  return base;
}

const STYLES: { name: string; make: (o: Record<string, unknown>) => string; check: (text: string) => void }[] = [
  { name: 'two spaces', make: (o) => `${JSON.stringify(o, null, 2)}\n`, check: (t) => expect(t).toMatch(/\n {4}"docker:build"/) },
  { name: 'four spaces', make: (o) => `${JSON.stringify(o, null, 4)}\n`, check: (t) => expect(t).toMatch(/\n {8}"docker:build"/) },
  { name: 'tabs', make: (o) => `${JSON.stringify(o, null, '\t')}\n`, check: (t) => expect(t).toMatch(/\n\t\t"docker:build"/) },
  {
    name: 'CRLF',
    make: (o) => `${JSON.stringify(o, null, 2).replace(/\n/g, '\r\n')}\r\n`,
    check: (t) => expect(t.replace(/\r\n/g, '')).not.toContain('\n'),
  },
  { name: 'no trailing newline', make: (o) => JSON.stringify(o, null, 2), check: (t) => expect(t.endsWith('}')).toBe(true) },
  { name: 'a BOM', make: (o) => `\uFEFF${JSON.stringify(o, null, 2)}\n`, check: (t) => expect(t.startsWith('\uFEFF')).toBe(true) },
  {
    name: 'unusual key order',
    make: (o) => `${JSON.stringify({ scripts: o['scripts'], zeta: 1, ...o, alpha: [1, 2] }, null, 2)}\n`,
    check: (t) => expect(Object.keys(JSON.parse(t))).toEqual(['scripts', 'zeta', 'name', 'version', ...(t.includes('"dependencies"') ? ['dependencies'] : []), 'alpha']),
  },
];

describe.each(STACKS.filter((s) => !s.existingOnly).map((s) => s.id))('package.json: %s', (stack) => {
  it.each(STYLES.map((s) => [s.name, s] as const))('%s: scripts merged, style and every existing script kept', async (_name, style) => {
    const original = style.make(body(stack));
    const dir = project(stack, original);
    const dry = await run([dir, '--stack', stack, '--yes', '--dry-run'], root);
    expect(dry.code, dry.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(original);

    const result = await run([dir, '--stack', stack, '--yes'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/merge\s+package\.json/);
    const after = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');
    style.check(after);
    const parsed = JSON.parse(after.replace(/^\uFEFF/, '')) as { scripts: Record<string, string> };
    const before = JSON.parse(original.replace(/^\uFEFF/, '')) as { scripts: Record<string, string> };
    // Every existing script, in its place, unchanged; the docker ones after them.
    expect(Object.entries(parsed.scripts).slice(0, 2)).toEqual(Object.entries(before.scripts));
    expect(Object.keys(parsed.scripts)).toEqual(expect.arrayContaining(['docker:build', 'docker:build:dev', 'docker:dev', 'docker:start']));
    const { scripts: _a, ...restAfter } = parsed as Record<string, unknown>;
    const { scripts: _b, ...restBefore } = before as Record<string, unknown>;
    expect(restAfter).toEqual(restBefore);
  });

  it('existing docker:* scripts that are equal: nothing to do', async () => {
    const dir = project(stack, `${JSON.stringify(body(stack), null, 2)}\n`);
    expect((await run([dir, '--stack', stack, '--yes'], root)).code).toBe(0);
    const before = snapshot(dir);
    const again = await run([dir, '--stack', stack, '--yes'], root);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/identical\s+package\.json/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an existing docker:build with another command is a conflict: exit 1, named, nothing written', async () => {
    const pkg = body(stack);
    pkg['scripts'] = { ...(pkg['scripts'] as object), 'docker:build': 'docker build -t mine .' };
    const dir = project(stack, `${JSON.stringify(pkg, null, 2)}\n`);
    const before = snapshot(dir);
    const result = await run([dir, '--stack', stack, '--yes'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/package\.json already has script "docker:build" with a different command/);
    expect(snapshot(dir)).toEqual(before);
    const dry = await run([dir, '--stack', stack, '--yes', '--dry-run'], root);
    expect(dry.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it.each([
    ['malformed JSON', '{\n  "name": "shop",\n  "scripts": {\n  }\n  "oops": 1\n}\n', /package\.json is not valid JSON: .* at line 5, column 3/],
    ['a top-level array', '[1, 2]\n', /package\.json must contain a JSON object at the top level/],
    ['a top-level string', '"shop"\n', /package\.json must contain a JSON object at the top level/],
    ['scripts that are not an object', '{ "name": "shop", "scripts": [] }\n', /"scripts" must be an object/],
  ])('%s: exit 1, the file and position named, nothing written', async (_name, text, message) => {
    const dir = project(stack, text);
    const before = snapshot(dir);
    const result = await run([dir, '--stack', stack, '--yes'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(snapshot(dir)).toEqual(before);
    const dry = await run([dir, '--stack', stack, '--yes', '--dry-run'], root);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/blocked\s+package\.json/);
    expect(dry.stderr).toMatch(message);
    expect(snapshot(dir)).toEqual(before);
  });
});
