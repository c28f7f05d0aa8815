// schema/multistage-kit.schema.json documents what src/kit/manifest.ts
// enforces. Ajv (draft 2020-12) checks that the sample kits and the kit init
// skeleton are valid under it, that typical mistakes are invalid under both,
// and that both list the same fields.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { skeletonFiles } from '../../../src/kit/init.js';
import { EXTRA_STACK_KEYS, MANIFEST_KEYS, QUESTION_KEYS, QUESTION_KINDS, STACK_CONFIG_KEYS, validateManifest } from '../../../src/kit/manifest.js';
import { REPO_ROOT } from '../../helpers/tree.js';
import { ACME_KIT, manifest } from '../../helpers/kit.js';

const SCHEMA_PATH = path.join(REPO_ROOT, 'schema', 'multistage-kit.schema.json');
const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

// Ajv in strict mode: an unknown keyword in the schema is an error. strictRequired is off: the schema's
// anyOf [{ required: [stacks] }, { required: [extraStacks] }] names properties defined one level up, as JSON Schema allows.
const validateWithSchema = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true }).compile(schema);

/** The schema's errors for `value` (empty when valid). */
function evaluate(value: unknown): string[] {
  return validateWithSchema(value) ? [] : (validateWithSchema.errors ?? []).map((error) => `${error.instancePath || '$'}: ${error.message ?? error.keyword}`);
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
      expect(evaluate(json)).toEqual([]);
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
    [
      'a select question without choices',
      {
        name: 'k',
        version: '1',
        extraStacks: { py: { title: 'Py', detect: { anyFile: ['a'] }, templates: { docker: 'd' }, questions: [{ flag: 'x', message: 'X', type: 'select', kind: 'choice' }] } },
      },
    ],
    [
      'a text question without a default',
      { name: 'k', version: '1', extraStacks: { py: { title: 'Py', detect: { anyFile: ['a'] }, templates: { docker: 'd' }, questions: [{ flag: 'x', message: 'X', type: 'text', kind: 'text' }] } } },
    ],
    [
      'a reserved question flag',
      { name: 'k', version: '1', extraStacks: { py: { title: 'Py', detect: { anyFile: ['a'] }, templates: { docker: 'd' }, questions: [{ flag: 'force', message: 'X', type: 'confirm' }] } } },
    ],
    ['no stacks at all', { name: 'k', version: '1' }],
  ])('refuses %s, like the validator', (_what, json) => {
    expect(evaluate(json).length, JSON.stringify(json)).toBeGreaterThan(0);
    expect(() => validateManifest(json)).toThrow();
  });
});
