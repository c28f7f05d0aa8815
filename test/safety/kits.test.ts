/**
 * Battery, round two: kits that could run code, hang a run or corrupt bytes.
 * Every case asserts the exit code, the message, and the project tree byte for
 * byte (and `kit check` refuses the same kits).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { EXECUTABLE_TARGETS } from '../../src/kit/executable-targets.js';
import { makeKit, manifest } from '../helpers/kit.js';
import { EXISTING_PROJECTS } from '../helpers/safety-projects.js';
import { run, snapshot, tempDir, writeTree } from '../helpers/safety.js';

const root = tempDir('cms-kits-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function project(): string {
  const dir = path.join(root, `go-${counter++}`);
  fs.mkdirSync(dir);
  writeTree(dir, EXISTING_PROJECTS['go']!);
  return dir;
}

/** A target path that falls under the entry. */
function exampleTarget(entry: (typeof EXECUTABLE_TARGETS)[number]): string {
  if (entry.match === 'path') return entry.name;
  if (entry.match === 'file') return `tools/${entry.name}`;
  return `${entry.name}/pre-commit`;
}

describe('kit targets that tools execute are refused (docs/kits.md lists them)', () => {
  const docs = fs.readFileSync(path.resolve('docs/kits.md'), 'utf8');

  it.each(EXECUTABLE_TARGETS.map((entry) => [exampleTarget(entry), entry] as const))('%s: exit 2 naming the rule, nothing written; kit check refuses it', async (target, entry) => {
    expect(docs, `docs/kits.md must list ${entry.name}`).toContain(`\`${entry.name}\``);
    const kit = makeKit(manifest({ stacks: { '*': { files: [{ template: 'files/hook', path: target }] } } }), { 'files/hook': '#!/bin/sh\ntouch /tmp/pwned\n' });
    const dir = project();
    const before = snapshot(dir);
    const result = await run([dir, '--yes', '--kit', kit], root);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(`stacks["*"].files[0].path must not write`);
    // .git/ had its own refusal before this table (same exit code, its own words).
    const why = entry.name === '.git' ? 'it could install hooks that run code' : entry.why;
    expect(result.stderr).toContain(why);
    expect(snapshot(dir)).toEqual(before);
    const check = await run(['kit', 'check', kit], root);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(why);
  });

  it("a kit stack's own templates cannot plant one either (.husky/pre-commit in its app folder)", async () => {
    const kit = makeKit(manifest({ stacks: {}, extraStacks: { python: { title: 'Python', detect: { anyFile: ['pyproject.toml'] }, templates: { docker: 'docker', app: 'app' } } } }), {
      'docker/Dockerfile': 'FROM scratch AS base\n',
      'app/_husky/pre-commit': '#!/bin/sh\n',
    });
    const result = await run(['kit', 'check', kit], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/must not write into \.husky\/ or a file named \.husky: husky makes its files the Git hooks/);
  });
});

describe('rendering is bounded', () => {
  it.each([
    [40, /Rendering files\/bomb\.txt\.hbs failed: partials nested more than 32 deep \(partial "p32"\)/],
    [16, /Rendering files\/bomb\.txt\.hbs failed: more than 5000 partial calls \(partial "p\d+"\)/],
  ])(
    '%i partials that each include the next twice: fails fast naming the template, nothing written',
    async (count, message) => {
      const partials: Record<string, string> = {};
      const files: Record<string, string> = {};
      for (let i = 0; i < count; i++) {
        partials[`p${i}`] = `partials/p${i}.hbs`;
        files[`partials/p${i}.hbs`] = i === count - 1 ? 'x' : `{{> p${i + 1}}}{{> p${i + 1}}}`;
      }
      files['files/bomb.txt.hbs'] = '{{> p0}}\n';
      const kit = makeKit(manifest({ stacks: { '*': { partials, files: [{ template: 'files/bomb.txt.hbs', path: 'bomb.txt' }] } } }), files);
      const dir = project();
      const before = snapshot(dir);
      const result = await run([dir, '--yes', '--kit', kit], root);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/Unexpected error/);
      expect(snapshot(dir)).toEqual(before);
    },
    30_000,
  );

  it('a partial that includes itself: a depth bound, not a stack overflow', async () => {
    const kit = makeKit(manifest({ stacks: { '*': { partials: { loop: 'partials/loop.hbs' }, files: [{ template: 'files/loop.txt.hbs', path: 'loop.txt' }] } } }), {
      'partials/loop.hbs': 'a{{> loop}}',
      'files/loop.txt.hbs': '{{> loop}}\n',
    });
    const dir = project();
    const before = snapshot(dir);
    const result = await run([dir, '--yes', '--kit', kit], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Rendering files\/loop\.txt\.hbs failed: partials nested more than 32 deep \(partial "loop"\)/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('kit binary files', () => {
  it('a PNG is copied byte for byte; a re-run finds it identical', async () => {
    const png = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const kit = makeKit(manifest({ stacks: { '*': { files: [{ template: 'files/logo.png', path: 'docs/logo.png' }] } } }));
    fs.mkdirSync(path.join(kit, 'files'));
    fs.writeFileSync(path.join(kit, 'files', 'logo.png'), png);
    const dir = project();
    const result = await run([dir, '--yes', '--kit', kit], root);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'docs', 'logo.png')).equals(png)).toBe(true);
    const before = snapshot(dir);
    const again = await run([dir, '--yes', '--kit', kit, '--json'], root);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { files: { path: string; action: string }[] }).files.find((f) => f.path === 'docs/logo.png')?.action).toBe('identical');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('kit check and signals', () => {
  it('SIGINT during kit check leaves no scratch folder behind', async () => {
    const tmp = tempDir('cms-kit-tmp-');
    const kit = makeKit(manifest());
    const cli = path.resolve('bin/create-multistage.js');
    let leftovers: string[];
    // Spread the signal over the run: whatever the moment, nothing stays in TMPDIR.
    for (const delay of [150, 300, 450, 600]) {
      const child = spawn(process.execPath, [cli, 'kit', 'check', kit], { stdio: 'ignore', env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' } });
      // Listen before waiting: a check that ends before the signal must not be missed.
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGINT');
      await closed;
      leftovers = fs.readdirSync(tmp);
      expect(leftovers, `after a SIGINT at ${delay} ms`).toEqual([]);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    expect(os.tmpdir()).toBeTruthy();
  }, 300_000); // a hang guard for a busy machine, not a speed test
});
