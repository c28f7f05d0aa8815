// The build (scripts/build.mjs) bundles two libraries through shims, to keep
// the tarball small: a copy of the five members of vscode-languageserver-types
// that dockerfile-ast and dockerfile-utils read, and the concrete syntax tree
// layer of yaml's ES module build in place of its whole CommonJS one. Both
// must give what the library gives.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as realYaml from 'yaml';
import { REPO_ROOT } from '../helpers/tree.js';

const require = createRequire(import.meta.url);
type Lib = Record<string, Record<string, unknown>>;
const real = require('vscode-languageserver-types') as Lib;
const shim = require(path.join(REPO_ROOT, 'scripts', 'shims', 'vscode-languageserver-types.cjs')) as Lib;

/** `vscode_languageserver_types_1.Range.create` and the like, in the two libraries' code. */
function membersRead(): Set<string> {
  const members = new Set<string>();
  for (const lib of ['dockerfile-ast', 'dockerfile-utils']) {
    const dir = path.join(REPO_ROOT, 'node_modules', lib, 'lib');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/(\w+) = require\("vscode-languageserver-types"\)/g)) {
        for (const use of text.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)(?:\\.(\\w+))?`, 'g'))) members.add(use[2] ? `${use[1]}.${use[2]}` : use[1]!);
      }
    }
  }
  return members;
}

function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('vscode-languageserver-types shim', () => {
  it('has every member dockerfile-ast and dockerfile-utils read', () => {
    const members = membersRead();
    expect(members.size).toBeGreaterThan(5);
    for (const member of members) {
      const [ns, name] = member.split('.') as [string, string | undefined];
      expect(shim[ns], member).toBeDefined();
      if (name) expect(shim[ns]![name], member).toEqual(typeof real[ns]![name] === 'function' ? expect.any(Function) : real[ns]![name]);
    }
  });

  it('gives what the library gives', () => {
    const values = [0, 1, 7, -1, 1.5, 2147483647, 2147483648, Number.MAX_VALUE, NaN, '3', null, undefined, { line: 1, character: 2 }, { line: -1, character: 2 }];
    type Fn = (...args: unknown[]) => unknown;
    const call = (lib: Lib, ns: string, fn: string, args: unknown[]) => outcome(() => (lib[ns]![fn] as Fn)(...args));
    for (const a of values) {
      for (const b of values) {
        expect(call(shim, 'Position', 'create', [a, b])).toEqual(call(real, 'Position', 'create', [a, b]));
        expect(call(shim, 'Range', 'create', [a, b])).toEqual(call(real, 'Range', 'create', [a, b]));
        expect(call(shim, 'Range', 'create', [a, b, 3, 4])).toEqual(call(real, 'Range', 'create', [a, b, 3, 4]));
        expect(call(shim, 'Range', 'create', [1, 2, a, b])).toEqual(call(real, 'Range', 'create', [1, 2, a, b]));
      }
    }
    const range = (shim['Range']!['create'] as Fn)(1, 2, 3, 4);
    expect((shim['TextEdit']!['replace'] as Fn)(range, 'x')).toEqual((real['TextEdit']!['replace'] as Fn)(range, 'x'));
    expect((shim['TextEdit']!['del'] as Fn)(range)).toEqual((real['TextEdit']!['del'] as Fn)(range));
    expect(shim['DiagnosticSeverity']).toEqual({ ...real['DiagnosticSeverity'] });
    expect(shim['DiagnosticTag']).toEqual({ ...real['DiagnosticTag'] });
  });
});

describe('yaml shim (the CST layer of the ES module build)', () => {
  const documents = [
    'packages:\n  - apps/*\n  - "packages/**"\n',
    'catalog:\n  react: &r ^19.0.0\n  react-dom: *r\npackages: [apps/*, libs/*]\n',
    'packages:\n  - apps/*\n packages: bad\n',
    'packages:\n  - [nested]\n  - 3\n',
    '',
    'packages: ~\n',
    "packages:\n  - 'it''s'\n  - \"tab\\there\"\n  - |\n    block\n",
    '- not a map\n',
  ];
  it('gives the same tokens, line positions and scalar values as the library', async () => {
    const shim = (await import(path.join(REPO_ROOT, 'scripts', 'shims', 'yaml-cst.mjs'))) as Pick<typeof realYaml, 'Parser' | 'LineCounter' | 'CST'>;
    for (const text of documents) {
      const read = (lib: Pick<typeof realYaml, 'Parser' | 'LineCounter' | 'CST'>) => {
        const lineCounter = new lib.LineCounter();
        const tokens = [...new lib.Parser(lineCounter.addNewLine).parse(text)];
        const scalars: unknown[] = [];
        const walk = (node: unknown): void => {
          if (Array.isArray(node)) return node.forEach(walk);
          if (!node || typeof node !== 'object') return;
          const token = node as { type?: string };
          if (token.type === 'scalar' || token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar' || token.type === 'block-scalar') {
            scalars.push(lib.CST.resolveAsScalar(node as Parameters<typeof lib.CST.resolveAsScalar>[0]));
          }
          Object.values(node).forEach(walk);
        };
        walk(tokens);
        return { tokens, scalars, lines: [0, text.length].map((offset) => lineCounter.linePos(offset)) };
      };
      expect(read(shim), text).toEqual(read(realYaml));
    }
  });
});
