// parsePnpmWorkspace reads the `yaml` library's concrete syntax tree, not its
// document model (the bundle ships the parser only). These tests hold it to
// what the document model gives (the reading it replaced, kept below as
// `byDocumentModel`), and pin where it knowingly differs.
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { parsePnpmWorkspace } from '../../../src/workspace/pnpm-workspace.js';

type Outcome = { patterns: [string, number | undefined][] } | { error: string; line: number | undefined };

/** The former reading through parseDocument; a syntax error is reduced to its kind, as the messages differ. */
function byDocumentModel(text: string): Outcome {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line || 1);
  if (doc.errors.length > 0) return { error: 'is not valid YAML', line: undefined };
  if (doc.contents === null) return { patterns: [] };
  if (!YAML.isMap(doc.contents)) return { error: 'must be a mapping (packages: followed by a list of patterns)', line: lineOf(doc.contents.range?.[0]) };
  const packages = doc.contents.get('packages', true);
  if (packages === undefined || (YAML.isScalar(packages) && packages.value === null)) return { patterns: [] };
  if (!YAML.isSeq(packages)) return { error: '`packages` must be a list of folder patterns', line: lineOf(packages.range?.[0]) };
  const patterns: [string, number | undefined][] = [];
  for (const item of packages.items) {
    const line = lineOf(YAML.isScalar(item) || YAML.isSeq(item) || YAML.isMap(item) ? item.range?.[0] : undefined);
    if (!YAML.isScalar(item) || typeof item.value !== 'string') return { error: 'every entry of `packages` must be a folder pattern (a string)', line };
    patterns.push([item.value, line]);
  }
  return { patterns };
}

async function byCst(text: string): Promise<Outcome> {
  const result = await parsePnpmWorkspace(text);
  if (result.ok) return { patterns: result.value.map((source) => [source.pattern, source.line]) };
  const [{ message, line }] = result.errors;
  const text_ = message.replace(/^pnpm-workspace\.yaml(:\d+)?: /, '');
  return text_.startsWith('is not valid YAML: ') ? { error: 'is not valid YAML', line: undefined } : { error: text_, line };
}

const PNPM_10 = `packages:
  - apps/*
  - 'packages/**'
  - "!**/test/**"
catalog:
  react: &react ^19.0.0
  react-dom: *react
catalogs:
  legacy: { react: ^18, "react-dom": '^18' }
overrides:
  "foo@<1": ">=1"
  bar: &shared { a: 1, b: [x, y] }
  baz: *shared
onlyBuiltDependencies: [esbuild, "@swc/core"]
patchedDependencies:
  pkg@1.0.0: patches/pkg.patch
notes: |
  packages: [not, this]
folded: >-
  folded
  text
? complex key
: value
`;

// Documents the two readings must agree on: values, lines, and which error.
const AGREED = [
  '',
  '# only a comment\n',
  '~\n',
  'null\n',
  'packages\n',
  '- a\n',
  '[a]\n',
  '"text"\n',
  '{packages: [a, b]}\n',
  '&root {packages: [a]}\n',
  'packages:\n',
  'packages: ~\n',
  'packages: null\n',
  'packages: !!null\n',
  'packages: ""\n',
  'packages: !!str\n',
  'packages: apps/*\n',
  'packages: {a: b}\n',
  'packages: *p\n',
  'packages:\n  - [nested]\n  - 3\n',
  'packages:\n  - a\n  -\n  - b\n',
  'packages: [a,]\n',
  'packages: [a, b: c]\n',
  'packages: [? a]\n',
  'packages: [a, [b]]\n',
  'packages: [a, {b: c}]\n',
  'packages:\n  - true\n',
  'packages:\n  - 1.5\n',
  'packages:\n  - 0x1f\n',
  'packages:\n  - 0o17\n',
  'packages:\n  - -2e3\n',
  'packages:\n  - .inf\n',
  'packages:\n  - Null\n',
  'packages:\n  - "3"\n',
  "packages:\n  - 'true'\n",
  'packages:\n  - !!str 3\n',
  'packages:\n  - ! 3\n',
  'packages:\n  - !!int 3\n',
  'packages:\n  - |\n    apps/*\n',
  "packages:\n  - 'it''s'\n",
  'packages:\n  - "a\\tb"\n',
  'packages:\n  - a: b\n',
  'packages:\n  - - a\n',
  'packages: &p\n  - apps/*\n',
  'packages: !!seq\n  - apps/*\n',
  'packages:\n- apps/*\n- libs/*\n',
  'packages:\n  - apps/* # c\n  # between\n  - libs/*\n  # after\n',
  'packages:\n  - apps/*#not-a-comment\n',
  '"packages": [a]\n',
  "'packages':\n  - a\n",
  '? packages\n: [a]\n',
  'packages: [\n  apps/*,\n  libs/*\n]\n',
  '%YAML 1.2\n---\npackages: [a]\n...\n',
  '\ufeffpackages: [a]\n',
  'packages:\r\n  - a\r\n  - b\r\n',
  'packages: [a]\npackages: [b]\n',
  'a: 1\na: 2\n',
  PNPM_10,
  // Syntax errors, anywhere in the file.
  'packages:\n  - apps/*\n packages: bad\n',
  'packages:\n  - apps/*\n  - [unclosed\n',
  'packages: [a, , b]\n',
  'packages: [, a]\n',
  'packages: [a b]\n',
  'packages: {a\n',
  'packages: [a]]\n',
  'packages: ]\n',
  'packages: [a] x\n',
  'packages: "a" b\n',
  'packages:\n  - "a\\qb"\n',
  'packages:\n  - "unterminated\n',
  'packages:\n  - @x\n',
  'packages:\n  - apps/*\n - libs/*\n',
  'packages:\n  - a\n  - b\n  c\n',
  'packages:\n  - a\n---\nother: 1\n',
  'a:\n\tb: 1\n',
  'packages:\n\t- a\n',
  'a: b: c\n',
  'a: 1\n b: 2\n',
  'a: |x\n  b\n',
  'packages: &a &b [a]\n',
  'packages: !!str !!str a\n',
  'x: "bad\\q"\npackages: [a]\n',
  'packages: [a, b]\nextra: [c\n',
  'key: value\nnot a pair\n',
];

describe('parsePnpmWorkspace', () => {
  it.each(AGREED)('reads %j as the document model does', async (text) => {
    expect(await byCst(text)).toEqual(byDocumentModel(text));
  });

  it('a pnpm 10 file: catalogs, overrides, anchors, flow maps and block scalars elsewhere do not get in the way', async () => {
    expect(await byCst(PNPM_10)).toEqual({
      patterns: [
        ['apps/*', 2],
        ['packages/**', 3],
        ['!**/test/**', 4],
      ],
    });
  });

  it('empty lists: no key, a null value, an empty or comment-only file', async () => {
    for (const text of ['', '# settings only\n', 'catalog:\n  react: ^19\n', 'packages:\n', 'packages: ~\n', 'packages: null\n', 'packages: !!null\n', '{}\n']) {
      expect(await parsePnpmWorkspace(text), text).toEqual({ ok: true, value: [] });
    }
  });

  it('the first of two `packages` keys counts (duplicate keys were never an error)', async () => {
    expect(await byCst('packages: [a]\ncatalog: {}\npackages: [b]\n')).toEqual({ patterns: [['a', 1]] });
  });

  it('an anchor on the list, and on an entry, is no matter; an alias entry is not a pattern, with its line', async () => {
    expect(await byCst('packages: &p\n  - &first apps/*\n  - libs/*\n')).toEqual({
      patterns: [
        ['apps/*', 2],
        ['libs/*', 3],
      ],
    });
    // The document model gave no line for an alias (it is not a scalar node); the CST has its offset.
    expect(await parsePnpmWorkspace('packages:\n  - &a apps/*\n  - *a\n')).toEqual({
      ok: false,
      errors: [{ file: 'pnpm-workspace.yaml', line: 3, message: 'pnpm-workspace.yaml:3: every entry of `packages` must be a folder pattern (a string)' }],
    });
    expect(await byCst('packages: [a, *b]\n')).toEqual({ error: 'every entry of `packages` must be a folder pattern (a string)', line: 1 });
  });

  it('tags: `!!str` and `!` make a string of anything; other tags, unknown ones too, are not patterns', async () => {
    expect(await byCst('packages:\n  - !!str 3\n  - ! true\n  - !<tag:yaml.org,2002:str> "x"\n')).toEqual({
      patterns: [
        ['3', 2],
        ['true', 3],
        ['x', 4],
      ],
    });
    // The document model accepted an unknown tag with a warning; pnpm's own reader rejects it.
    for (const entry of ['!!int 3', '!custom apps/*', '!!binary YQ==']) {
      expect(await byCst(`packages:\n  - ${entry}\n`), entry).toEqual({ error: 'every entry of `packages` must be a folder pattern (a string)', line: 2 });
    }
  });

  it('plain scalars the core schema reads as null, booleans or numbers are not patterns; quoted ones are', async () => {
    for (const entry of ['~', 'null', 'TRUE', 'false', '42', '-7', '0o17', '0x1F', '1.5', '.5', '1e3', '-.inf', '.NaN']) {
      expect(await byCst(`packages:\n  - a\n  - ${entry}\n`), entry).toEqual({ error: 'every entry of `packages` must be a folder pattern (a string)', line: 3 });
      expect(await byCst(`packages:\n  - a\n  - "${entry}"\n`), entry).toEqual({
        patterns: [
          ['a', 2],
          [entry, 3],
        ],
      });
    }
    expect(await byCst('packages: [yes, on, 1.2.3, 0x, v1]\n')).toEqual({
      patterns: [
        ['yes', 1],
        ['on', 1],
        ['1.2.3', 1],
        ['0x', 1],
        ['v1', 1],
      ],
    });
  });

  it('syntax errors carry their line', async () => {
    const errors = async (text: string) => {
      const result = await parsePnpmWorkspace(text);
      return result.ok ? [] : result.errors.map((error) => error.message);
    };
    expect(await errors('packages:\n  - apps/*\n  - [unclosed\n')).toEqual(['pnpm-workspace.yaml:3: is not valid YAML: Expected flow sequence to end with ]']);
    expect(await errors('packages: [a, , b]\n')).toEqual(['pnpm-workspace.yaml:1: is not valid YAML: Unexpected , in flow sequence']);
    expect(await errors('packages:\n  - "a\\qb"\n')).toEqual([expect.stringMatching(/^pnpm-workspace\.yaml:2: is not valid YAML: Invalid escape sequence/)]);
    expect(await errors('packages:\n  - apps/*\n packages: bad\n')).toEqual(['pnpm-workspace.yaml:3: is not valid YAML: All mapping items must start at the same column']);
    expect(await errors('packages:\n\t- a\n')).toEqual(['pnpm-workspace.yaml:2: is not valid YAML: Tabs are not allowed as indentation']);
    expect(await errors('packages: [a]\n---\nother: 1\n')).toEqual(['pnpm-workspace.yaml:2: is not valid YAML: more than one document (---) in the file']);
    expect(await errors('catalog:\n  react: "^19\npackages: [a]\n')).toEqual([expect.stringMatching(/^pnpm-workspace\.yaml:\d: is not valid YAML: /)]);
  });

  it('`---` alone is an empty document, not a mapping, as before', async () => {
    expect(await parsePnpmWorkspace('---\n')).toEqual({
      ok: false,
      errors: [{ file: 'pnpm-workspace.yaml', line: 1, message: 'pnpm-workspace.yaml:1: must be a mapping (packages: followed by a list of patterns)' }],
    });
  });
});
