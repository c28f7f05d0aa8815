// The build (scripts/build.mjs) gives prompts/lib/prompts.js, for its
// require('./elements'), scripts/shims/prompts-elements.cjs: the library's own
// classes for the question types src/prompts.ts asks (text, select, confirm)
// instead of its elements/index.js, which loads all nine types. The shim must
// hold the library's classes for exactly those types, and the bundled prompt
// chunk none of the other types' code.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/tree.js';

const require = createRequire(import.meta.url);
const LIB = path.join(REPO_ROOT, 'node_modules', 'prompts', 'lib');
const ELEMENTS = path.join(LIB, 'elements');
const META = path.join(REPO_ROOT, 'node_modules', '.cache', 'create-multistage-build', 'meta.json');
const shim = require(path.join(REPO_ROOT, 'scripts', 'shims', 'prompts-elements.cjs')) as Record<string, unknown>;
const real = require(path.join(ELEMENTS, 'index.js')) as Record<string, unknown>;

/** The question types src/prompts.ts asks for (`type: 'text'`...). */
function typesAsked(): string[] {
  const source = fs.readFileSync(path.join(REPO_ROOT, 'src', 'prompts.ts'), 'utf8');
  return [...new Set([...source.matchAll(/\btype: '(\w+)'/g)].map((m) => m[1]!))].sort();
}

/** The element class prompts.js builds for a question type (`$.text = args => toPrompt('TextPrompt', args)`). */
function elementOf(type: string): string | undefined {
  const source = fs.readFileSync(path.join(LIB, 'prompts.js'), 'utf8');
  return new RegExp(`\\$\\.${type} = args => toPrompt\\('(\\w+)'`).exec(source)?.[1];
}

/** The files of the library (relative to its lib/) that hold the classes the shim exports. */
function keptElementFiles(): string[] {
  return fs
    .readdirSync(ELEMENTS)
    .filter((file) => Object.values(shim).includes(require(path.join(ELEMENTS, file))))
    .map((file) => `elements/${file}`)
    .sort();
}

/** Every .js file of the library's lib/, relative to it. */
function libFiles(): string[] {
  return fs
    .readdirSync(LIB, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => file.split(path.sep).join('/'));
}

/** The plain quoted strings of some of the library's files ('…', "…", `…` without ${}), 10 characters or more, outside comments and require(). */
function strings(files: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    // Comments and the names of required modules are not in the bundle.
    const source = fs
      .readFileSync(path.join(LIB, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '')
      .replace(/require\('[^']*'\)/g, '');
    // Every literal whole, left to right (so the text between two is never taken for one); the plain ones kept.
    for (const [literal] of source.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)) {
      const value = literal.slice(1, -1);
      if (value.length >= 10 && !/[\\\n]|\$\{/.test(value)) found.add(value);
    }
  }
  found.delete('use strict');
  return found;
}

describe('prompts elements shim', () => {
  it('exports the library’s own classes for exactly the types src/prompts.ts asks', () => {
    const types = typesAsked();
    expect(types.length).toBeGreaterThan(0);
    const needed = types.map((type) => elementOf(type));
    expect(needed, `element classes of ${types.join(', ')}`).not.toContain(undefined);
    expect(Object.keys(shim).sort()).toEqual([...new Set(needed)].sort());
    for (const name of Object.keys(shim)) {
      expect(typeof shim[name], name).toBe('function');
      expect(shim[name], name).toBe(real[name]);
    }
  });
});

describe('the bundled prompt chunk', () => {
  requireBuiltCli();
  const meta = JSON.parse(fs.readFileSync(META, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const chunks = Object.entries(meta.outputs).filter(([, output]) => Object.keys(output.inputs).some((input) => input.startsWith('node_modules/prompts/')));
  const kept = keptElementFiles();
  // What the chunk may hold of the library: all of it but the other prompt types (and the date parts).
  const dropped = libFiles().filter((file) => file.startsWith('elements/') && !kept.includes(file) && file !== 'elements/prompt.js' && file !== 'elements/index.js');
  dropped.push(...libFiles().filter((file) => file.startsWith('dateparts/')));

  it('is one chunk that holds the three types and not the others', () => {
    expect(chunks.map(([name]) => name)).toEqual([expect.stringMatching(/^dist\/[^/]+\.js$/)]);
    expect(kept).toHaveLength(Object.keys(shim).length);
    expect(dropped.length).toBeGreaterThan(6);
    const inputs = Object.keys(chunks[0]![1].inputs);
    for (const file of kept) expect(inputs).toContain(`node_modules/prompts/lib/${file}`);
    for (const file of [...dropped, 'elements/index.js']) expect(inputs).not.toContain(`node_modules/prompts/lib/${file}`);
  });

  it('has none of the other types’ text', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, chunks[0]![0]), 'utf8');
    const keptStrings = strings(libFiles().filter((file) => !dropped.includes(file)));
    // Strings only the dropped types have ('YYYY-MM-DD HH:mm:ss', 'no matches found'...).
    const droppedStrings = [...strings(dropped)].filter((s) => ![...keptStrings].some((k) => k.includes(s)));
    expect(droppedStrings.length).toBeGreaterThan(5);
    for (const s of droppedStrings) expect(text, s).not.toContain(s);
    // The same search finds the kept types' strings ('- Use arrow-keys. Return to submit.').
    const ownStrings = [...strings(kept)];
    expect(ownStrings.length).toBeGreaterThan(0);
    for (const s of ownStrings) expect(text, s).toContain(s);
  });
});
