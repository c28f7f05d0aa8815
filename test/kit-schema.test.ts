// schema/multistage-kit.schema.json documents what src/kit/manifest.ts
// enforces. A small evaluator for the draft 2020-12 keywords the schema uses
// checks that the sample kits and the kit init skeleton are valid under it,
// that typical mistakes are invalid under both, and that both list the same
// fields.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { skeletonFiles } from '../src/kit/init.js';
import { EXTRA_STACK_KEYS, MANIFEST_KEYS, QUESTION_KEYS, QUESTION_KINDS, STACK_CONFIG_KEYS, validateManifest } from '../src/kit/manifest.js';
import { REPO_ROOT } from './helpers/tree.js';
import { ACME_KIT, manifest } from './kit-support.js';

type Schema = Record<string, unknown> | boolean;
const SCHEMA_PATH = path.join(REPO_ROOT, 'schema', 'multistage-kit.schema.json');
const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

const KNOWN_KEYWORDS = new Set([
  '$schema', '$id', '$ref', '$defs', 'title', 'description', 'type', 'properties', 'additionalProperties', 'required', 'propertyNames',
  'pattern', 'minLength', 'maxLength', 'enum', 'const', 'items', 'minItems', 'maxItems', 'uniqueItems', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Errors of `value` against `node` (empty when valid). Only the keywords in KNOWN_KEYWORDS; anything else fails loudly. */
function evaluate(node: Schema, value: unknown, at = '$'): string[] {
  if (node === true) return [];
  if (node === false) return [`${at}: not allowed`];
  for (const key of Object.keys(node)) if (!KNOWN_KEYWORDS.has(key)) throw new Error(`the test evaluator does not know ${key}`);
  const errors: string[] = [];
  const s = node as Record<string, unknown>;
  if (s['$ref']) {
    const target = (s['$ref'] as string).replace(/^#\//, '').split('/').reduce<unknown>((acc, part) => (acc as Record<string, unknown>)[part], schema);
    errors.push(...evaluate(target as Schema, value, at));
  }
  if (s['type'] !== undefined) {
    const types = Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type'] as string];
    const actual = typeOf(value);
    if (!types.some((t) => t === actual || (t === 'number' && actual === 'integer'))) return [...errors, `${at}: ${actual} is not ${types.join('|')}`];
  }
  if (s['enum'] && !(s['enum'] as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${at}: not in enum`);
  if ('const' in s && JSON.stringify(s['const']) !== JSON.stringify(value)) errors.push(`${at}: not the const`);
  if (typeof value === 'string') {
    if (s['pattern'] && !new RegExp(s['pattern'] as string, 'u').test(value)) errors.push(`${at}: does not match ${s['pattern'] as string}`);
    if (typeof s['minLength'] === 'number' && [...value].length < s['minLength']) errors.push(`${at}: too short`);
    if (typeof s['maxLength'] === 'number' && [...value].length > s['maxLength']) errors.push(`${at}: too long`);
  }
  if (Array.isArray(value)) {
    if (s['items']) value.forEach((item, i) => errors.push(...evaluate(s['items'] as Schema, item, `${at}[${i}]`)));
    if (typeof s['minItems'] === 'number' && value.length < s['minItems']) errors.push(`${at}: too few items`);
    if (typeof s['maxItems'] === 'number' && value.length > s['maxItems']) errors.push(`${at}: too many items`);
    if (s['uniqueItems'] && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${at}: items not unique`);
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (s['properties'] ?? {}) as Record<string, Schema>;
    for (const key of (s['required'] ?? []) as string[]) if (!(key in object)) errors.push(`${at}: ${key} is required`);
    for (const [key, item] of Object.entries(object)) {
      if (s['propertyNames']) errors.push(...evaluate(s['propertyNames'] as Schema, key, `${at}.${key} (name)`));
      if (key in properties) errors.push(...evaluate(properties[key]!, item, `${at}.${key}`));
      else if (s['additionalProperties'] !== undefined) errors.push(...evaluate(s['additionalProperties'] as Schema, item, `${at}.${key}`));
    }
  }
  if (s['allOf']) for (const sub of s['allOf'] as Schema[]) errors.push(...evaluate(sub, value, at));
  if (s['anyOf'] && !(s['anyOf'] as Schema[]).some((sub) => evaluate(sub, value, at).length === 0)) errors.push(`${at}: matches none of anyOf`);
  if (s['oneOf'] && (s['oneOf'] as Schema[]).filter((sub) => evaluate(sub, value, at).length === 0).length !== 1) errors.push(`${at}: does not match exactly one of oneOf`);
  if (s['not'] && evaluate(s['not'] as Schema, value, at).length === 0) errors.push(`${at}: matches "not"`);
  if (s['if']) {
    const branch = evaluate(s['if'] as Schema, value, at).length === 0 ? s['then'] : s['else'];
    if (branch !== undefined) errors.push(...evaluate(branch as Schema, value, at));
  }
  return errors;
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('the published JSON Schema', () => {
  it('is draft 2020-12, shipped in the package', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const pkg = readJson(path.join(REPO_ROOT, 'package.json')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });

  it('lists the same fields the validator accepts', () => {
    const defs = schema['$defs'] as Record<string, { properties: Record<string, unknown> }>;
    expect(Object.keys(schema['properties'] as object)).toEqual([...MANIFEST_KEYS]);
    expect(Object.keys(defs['stackConfig']!.properties)).toEqual([...STACK_CONFIG_KEYS]);
    expect(Object.keys(defs['extraStack']!.properties)).toEqual([...EXTRA_STACK_KEYS]);
    expect(Object.keys(defs['question']!.properties)).toEqual([...QUESTION_KEYS]);
    expect((defs['question']!.properties['kind'] as { enum: string[] }).enum).toEqual([...QUESTION_KINDS]);
  });

  it('accepts the sample kits and the kit init skeleton, which the validator accepts too', () => {
    const manifests = [
      readJson(path.join(ACME_KIT, 'multistage-kit.json')),
      readJson(path.join(path.dirname(ACME_KIT), 'python', 'multistage-kit.json')),
      JSON.parse(skeletonFiles('my-kit', '1.2.3')['multistage-kit.json']!),
    ];
    for (const json of manifests) {
      expect(evaluate(schema, json)).toEqual([]);
      expect(() => validateManifest(json)).not.toThrow();
    }
  });

  it.each([
    ['a bad name', manifest({ name: 'Acme Kit' })],
    ['an unknown field', manifest({ colour: 'blue' })],
    ['helpers', manifest({ helpers: {} })],
    ['an unknown stack field', manifest({ stacks: { nextjs: { scripts: {} } } })],
    ['a label value with a quote', manifest({ stacks: { '*': { labels: { 'com.acme.team': 'a"b' } } } })],
    ['a label key in capitals', manifest({ stacks: { '*': { labels: { 'Com.Acme': 'x' } } } })],
    ['a bad Debian package', manifest({ stacks: { '*': { packages: ['curl;id'] } } })],
    ['an absolute template path', manifest({ stacks: { '*': { files: [{ template: '/etc/passwd', path: 'x' }] } } })],
    ['a template path with ..', manifest({ stacks: { '*': { partials: { x: '../x.hbs' } } } })],
    ['a target in .git', manifest({ stacks: { '*': { files: [{ template: 'a', path: '.git/hooks/pre-commit' }] } } })],
    ['a target with ..', manifest({ stacks: { '*': { files: [{ template: 'a', path: 'a/../../b' }] } } })],
    ['a select question without choices', { name: 'k', version: '1', extraStacks: { py: { title: 'Py', detect: { anyFile: ['a'] }, templates: { docker: 'd' }, questions: [{ flag: 'x', message: 'X', type: 'select', kind: 'choice' }] } } }],
    ['a text question without a default', { name: 'k', version: '1', extraStacks: { py: { title: 'Py', detect: { anyFile: ['a'] }, templates: { docker: 'd' }, questions: [{ flag: 'x', message: 'X', type: 'text', kind: 'text' }] } } }],
    ['a reserved question flag', { name: 'k', version: '1', extraStacks: { py: { title: 'Py', detect: { anyFile: ['a'] }, templates: { docker: 'd' }, questions: [{ flag: 'force', message: 'X', type: 'confirm' }] } } }],
    ['no stacks at all', { name: 'k', version: '1' }],
  ])('refuses %s, like the validator', (_what, json) => {
    expect(evaluate(schema, json).length, JSON.stringify(json)).toBeGreaterThan(0);
    expect(() => validateManifest(json)).toThrow();
  });
});
