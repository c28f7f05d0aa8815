import { describe, expect, it } from 'vitest';
import { PackageJsonError, createPackageJson, detectIndent, mergeScripts, parsePackageJson, type ScriptMergeResult } from '../../src/package-json.js';

const BOM = '\uFEFF';

/**
 * Span [start, end) of the top-level `scripts` object value in `text`, found
 * independently of the implementation: a depth counter that skips strings.
 * The last top-level occurrence wins, as with JSON.parse.
 */
function scriptsSpan(text: string): [number, number] | undefined {
  let depth = 0;
  let found: [number, number] | undefined;
  let valueStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const begin = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const after = text.slice(i + 1);
      if (depth === 1 && JSON.parse(text.slice(begin, i + 1)) === 'scripts' && /^\s*:/.test(after)) {
        valueStart = text.indexOf('{', i);
      }
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 1 && valueStart !== -1 && c === '}') {
        found = [valueStart, i + 1];
        valueStart = -1;
      }
    }
  }
  return found;
}

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i < max && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

function strip(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/**
 * Checks every invariant of a successful merge:
 * - the result parses and deep-equals original + wanted scripts,
 * - top-level key order is kept (scripts appended last when new),
 * - existing scripts keep their order, new ones follow in the order given,
 * - the text outside the scripts object is byte-identical,
 * - existing script members survive byte-for-byte (when not overwriting).
 */
function checkMerge(original: string, scripts: Record<string, string>, result: ScriptMergeResult, { overwrite = false }: { overwrite?: boolean } = {}): void {
  const before = JSON.parse(strip(original)) as Record<string, unknown>;
  const after = JSON.parse(strip(result.text)) as Record<string, unknown>;
  const oldScripts = (before.scripts ?? {}) as Record<string, string>;
  const expectedScripts: Record<string, string> = { ...oldScripts };
  for (const [k, v] of Object.entries(scripts)) {
    if (!has(oldScripts, k) || overwrite) expectedScripts[k] = v;
  }
  const hasAny = Object.keys(expectedScripts).length > 0 || 'scripts' in before;
  const expected = hasAny ? { ...before, scripts: expectedScripts } : before;
  expect(after).toEqual(expected);

  const beforeKeys = Object.keys(before);
  expect(Object.keys(after)).toEqual('scripts' in before || !hasAny ? beforeKeys : [...beforeKeys, 'scripts']);
  expect(Object.keys((after.scripts ?? {}) as object)).toEqual([...Object.keys(oldScripts), ...Object.keys(scripts).filter((k) => !has(oldScripts, k))]);

  expect(result.changed).toBe(result.text !== original);
  if (!result.changed) return;

  const p = commonPrefix(original, result.text);
  const s = commonSuffix(original, result.text, Math.min(original.length, result.text.length) - p);
  const span = scriptsSpan(original);
  if (span) {
    // All differences lie within the scripts object (strictly inside braces).
    expect(p).toBeGreaterThan(span[0]);
    expect(original.length - s).toBeLessThan(span[1]);
    if (!overwrite) {
      // Existing members are carried over verbatim.
      const inner = original.slice(span[0] + 1, span[1] - 1).trim();
      expect(result.text).toContain(inner);
    }
  } else {
    // Pure insertion just before the closing brace of the root object.
    expect(p + s).toBe(original.length);
    expect(original.slice(p)).toMatch(/^\s*\}\s*$/);
  }
  expect(result.text.startsWith(BOM)).toBe(original.startsWith(BOM));
  expect(result.text.endsWith('\n')).toBe(original.endsWith('\n'));
}

function merge(original: string, scripts: Record<string, string>, options: { overwriteConflicts?: boolean; fileName?: string } = {}): ScriptMergeResult {
  const result = mergeScripts(original, scripts, options);
  checkMerge(original, scripts, result, { overwrite: options.overwriteConflicts ?? false });
  return result;
}

const WANTED = { 'docker:build': 'docker build -t app .', 'docker:run': 'docker run --rm app' };

describe('mergeScripts: indentation and newlines', () => {
  it('appends to a two-space file', () => {
    const input = ['{', '  "name": "app",', '  "scripts": {', '    "build": "tsc",', '    "test": "vitest"', '  },', '  "license": "MIT"', '}', ''].join('\n');
    const r = merge(input, WANTED);
    expect(r.text).toBe(
      [
        '{',
        '  "name": "app",',
        '  "scripts": {',
        '    "build": "tsc",',
        '    "test": "vitest",',
        '    "docker:build": "docker build -t app .",',
        '    "docker:run": "docker run --rm app"',
        '  },',
        '  "license": "MIT"',
        '}',
        '',
      ].join('\n'),
    );
    expect(r.added).toEqual(['docker:build', 'docker:run']);
    expect(r.identical).toEqual([]);
    expect(r.conflicts).toEqual([]);
    expect(r.changed).toBe(true);
  });

  it('appends to a four-space file', () => {
    const input = '{\n    "name": "app",\n    "scripts": {\n        "build": "tsc"\n    }\n}\n';
    const r = merge(input, WANTED);
    expect(r.text).toBe(
      '{\n    "name": "app",\n    "scripts": {\n        "build": "tsc",\n' + '        "docker:build": "docker build -t app .",\n        "docker:run": "docker run --rm app"\n    }\n}\n',
    );
  });

  it('appends to a tab-indented file', () => {
    const input = '{\n\t"name": "app",\n\t"scripts": {\n\t\t"build": "tsc"\n\t}\n}\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\n\t"name": "app",\n\t"scripts": {\n\t\t"build": "tsc",\n\t\t"lint": "eslint ."\n\t}\n}\n');
  });

  it('keeps CRLF newlines', () => {
    const input = '{\r\n  "name": "app",\r\n  "scripts": {\r\n    "build": "tsc"\r\n  }\r\n}\r\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\r\n  "name": "app",\r\n  "scripts": {\r\n    "build": "tsc",\r\n    "lint": "eslint ."\r\n  }\r\n}\r\n');
    // No bare LF sneaks in.
    expect(r.text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps CRLF when adding a scripts key', () => {
    const input = '{\r\n  "name": "app"\r\n}\r\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\r\n  "name": "app",\r\n  "scripts": {\r\n    "lint": "eslint ."\r\n  }\r\n}\r\n');
  });

  it('keeps the absence of a trailing newline', () => {
    const input = '{\n  "name": "app",\n  "scripts": {\n    "build": "tsc"\n  }\n}';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\n  "name": "app",\n  "scripts": {\n    "build": "tsc",\n    "lint": "eslint ."\n  }\n}');
  });

  it('keeps several trailing newlines and trailing spaces', () => {
    const input = '{\n  "scripts": {\n    "build": "tsc"\n  }\n}  \n\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\n  "scripts": {\n    "build": "tsc",\n    "lint": "eslint ."\n  }\n}  \n\n');
  });

  it('keeps a UTF-8 BOM', () => {
    const input = BOM + '{\n  "name": "app",\n  "scripts": {\n    "build": "tsc"\n  }\n}\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe(BOM + '{\n  "name": "app",\n  "scripts": {\n    "build": "tsc",\n    "lint": "eslint ."\n  }\n}\n');
  });

  it('keeps a UTF-8 BOM when adding a scripts key', () => {
    const input = BOM + '{\n  "name": "app"\n}\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe(BOM + '{\n  "name": "app",\n  "scripts": {\n    "lint": "eslint ."\n  }\n}\n');
  });
});

describe('mergeScripts: key order and placement', () => {
  it('handles scripts as the first key', () => {
    const input = '{\n  "scripts": {\n    "build": "tsc"\n  },\n  "name": "app",\n  "version": "1.0.0"\n}\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\n  "scripts": {\n    "build": "tsc",\n    "lint": "eslint ."\n  },\n  "name": "app",\n  "version": "1.0.0"\n}\n');
  });

  it('handles scripts as the last key', () => {
    const input = '{\n  "name": "app",\n  "version": "1.0.0",\n  "scripts": {\n    "build": "tsc"\n  }\n}\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\n  "name": "app",\n  "version": "1.0.0",\n  "scripts": {\n    "build": "tsc",\n    "lint": "eslint ."\n  }\n}\n');
  });

  it('handles scripts in the middle with nested objects around it', () => {
    const input = [
      '{',
      '  "name": "app",',
      '  "engines": { "node": ">=20" },',
      '  "scripts": {',
      '    "z-last": "echo z",',
      '    "a-first": "echo a"',
      '  },',
      '  "dependencies": {',
      '    "scripts": "1.0.0"',
      '  }',
      '}',
      '',
    ].join('\n');
    const r = merge(input, { m: 'echo m' });
    expect(r.text).toBe(
      [
        '{',
        '  "name": "app",',
        '  "engines": { "node": ">=20" },',
        '  "scripts": {',
        '    "z-last": "echo z",',
        '    "a-first": "echo a",',
        '    "m": "echo m"',
        '  },',
        '  "dependencies": {',
        '    "scripts": "1.0.0"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('adds a scripts key as the last top-level key', () => {
    const input = '{\n  "name": "app",\n  "files": ["dist", "bin"],\n  "license": "MIT"\n}\n';
    const r = merge(input, WANTED);
    expect(r.text).toBe(
      '{\n  "name": "app",\n  "files": ["dist", "bin"],\n  "license": "MIT",\n  "scripts": {\n' + '    "docker:build": "docker build -t app .",\n    "docker:run": "docker run --rm app"\n  }\n}\n',
    );
  });

  it('adds a scripts key after a last value that is an object', () => {
    const input = '{\n    "name": "app",\n    "dependencies": {\n        "x": "1"\n    }\n}';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\n    "name": "app",\n    "dependencies": {\n        "x": "1"\n    },\n    "scripts": {\n        "lint": "eslint ."\n    }\n}');
  });

  it('adds scripts to an empty root object', () => {
    const r = merge('{}\n', { lint: 'eslint .' });
    expect(r.text).toBe('{\n  "scripts": {\n    "lint": "eslint ."\n  }\n}\n');
    const r2 = merge('{\n}', { lint: 'eslint .' });
    expect(r2.text).toBe('{\n  "scripts": {\n    "lint": "eslint ."\n  }\n}');
  });

  it('does not add an empty scripts object when nothing is wanted', () => {
    const input = '{\n  "name": "app"\n}\n';
    const r = merge(input, {});
    expect(r.text).toBe(input);
    expect(r.changed).toBe(false);
  });

  it('edits the effective (last) scripts object when the key is duplicated', () => {
    const input = '{\n  "scripts": {\n    "a": "1"\n  },\n  "scripts": {\n    "b": "2"\n  }\n}\n';
    const r = mergeScripts(input, { c: '3' });
    expect(r.text).toBe('{\n  "scripts": {\n    "a": "1"\n  },\n  "scripts": {\n    "b": "2",\n    "c": "3"\n  }\n}\n');
    expect(JSON.parse(r.text)).toEqual({ scripts: { b: '2', c: '3' } });
  });
});

describe('mergeScripts: compact and unusual formatting', () => {
  it('keeps a compact one-line file compact', () => {
    const input = '{"name":"app","scripts":{"build":"tsc"},"files":["a","b"]}';
    const r = merge(input, { lint: 'eslint .', test: 'vitest' });
    expect(r.text).toBe('{"name":"app","scripts":{"build":"tsc","lint":"eslint .","test":"vitest"},"files":["a","b"]}');
  });

  it('adds an inline scripts object to a compact file', () => {
    const input = '{"name":"app","private":true}\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{"name":"app","private":true,"scripts":{"lint":"eslint ."}}\n');
  });

  it('adds an inline scripts object to a spaced one-line file', () => {
    const input = '{ "name": "app", "private": true }';
    const r = merge(input, { lint: 'eslint .', test: 'vitest' });
    expect(r.text).toBe('{ "name": "app", "private": true, "scripts": { "lint": "eslint .", "test": "vitest" } }');
  });

  it('fills an empty scripts object in a compact file inline', () => {
    const input = '{"name":"app","scripts":{},"x":1}';
    const r = merge(input, { lint: 'eslint .', test: 'vitest' });
    expect(r.text).toBe('{"name":"app","scripts":{"lint":"eslint .","test":"vitest"},"x":1}');
  });

  it('keeps a one-line scripts object on one line inside a multi-line file', () => {
    const input = '{\n  "name": "app",\n  "scripts": { "build": "tsc" },\n  "x": 1\n}\n';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\n  "name": "app",\n  "scripts": { "build": "tsc", "lint": "eslint ." },\n  "x": 1\n}\n');
  });

  it('reuses the member separator of a one-line scripts object', () => {
    const input = '{\n  "scripts": {"a": "1",   "b": "2"}\n}\n';
    const r = merge(input, { c: '3' });
    expect(r.text).toBe('{\n  "scripts": {"a": "1",   "b": "2",   "c": "3"}\n}\n');
  });

  it('expands an empty one-line scripts object in a multi-line file', () => {
    const input = '{\n  "name": "app",\n  "scripts": {},\n  "license": "MIT"\n}\n';
    const r = merge(input, WANTED);
    expect(r.text).toBe('{\n  "name": "app",\n  "scripts": {\n    "docker:build": "docker build -t app .",\n' + '    "docker:run": "docker run --rm app"\n  },\n  "license": "MIT"\n}\n');
  });

  it('expands an empty multi-line scripts object', () => {
    const input = '{\n\t"scripts": {\n\n\t}\n}';
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe('{\n\t"scripts": {\n\t\t"lint": "eslint ."\n\t}\n}');
  });

  it('leaves unusual formatting elsewhere untouched', () => {
    const input = ['{', '  "name":"caf\\u00e9",', '  "files" : [ "a","b" ,"c"],', '  "n": 1.50e+3,', '  "scripts" : {', '    "build" : "tsc"', '  } ,', '  "keywords": ["x"]', '}'].join('\n');
    const r = merge(input, { lint: 'eslint .' });
    expect(r.text).toBe(
      [
        '{',
        '  "name":"caf\\u00e9",',
        '  "files" : [ "a","b" ,"c"],',
        '  "n": 1.50e+3,',
        '  "scripts" : {',
        '    "build" : "tsc",',
        '    "lint" : "eslint ."',
        '  } ,',
        '  "keywords": ["x"]',
        '}',
      ].join('\n'),
    );
  });

  it('aligns with the last script even when it is oddly indented', () => {
    const input = '{\n  "scripts": {"a": "1",\n               "b": "2"}\n}\n';
    const r = merge(input, { c: '3' });
    expect(r.text).toBe('{\n  "scripts": {"a": "1",\n               "b": "2",\n               "c": "3"}\n}\n');
  });

  it('indents one level below "scripts" when the last script shares a line', () => {
    const input = '{\n  "scripts": {"a": "1"\n  }\n}\n';
    const r = merge(input, { c: '3' });
    expect(r.text).toBe('{\n  "scripts": {"a": "1",\n    "c": "3"\n  }\n}\n');
  });

  it('recognises an escaped "scripts" key', () => {
    const input = '{\n  "scr\\u0069pts": {\n    "a": "1"\n  }\n}\n';
    const r = mergeScripts(input, { b: '2' });
    expect(r.text).toBe('{\n  "scr\\u0069pts": {\n    "a": "1",\n    "b": "2"\n  }\n}\n');
  });
});

describe('mergeScripts: existing scripts', () => {
  const input = '{\n  "scripts": {\n    "build": "tsc",\n    "test": "vitest"\n  }\n}\n';

  it('leaves the text untouched when all scripts are identical', () => {
    const r = merge(input, { test: 'vitest', build: 'tsc' });
    expect(r.text).toBe(input);
    expect(r.changed).toBe(false);
    expect(r.identical).toEqual(['test', 'build']);
    expect(r.added).toEqual([]);
    expect(r.conflicts).toEqual([]);
  });

  it('reports but does not replace a conflicting script', () => {
    const r = merge(input, { test: 'jest', lint: 'eslint .' });
    expect(r.conflicts).toEqual([{ name: 'test', existing: 'vitest', wanted: 'jest' }]);
    expect(r.added).toEqual(['lint']);
    expect(r.text).toBe('{\n  "scripts": {\n    "build": "tsc",\n    "test": "vitest",\n    "lint": "eslint ."\n  }\n}\n');
  });

  it('leaves the text untouched when there are only conflicts', () => {
    const r = merge(input, { test: 'jest' });
    expect(r.text).toBe(input);
    expect(r.changed).toBe(false);
    expect(r.conflicts).toHaveLength(1);
  });

  it('replaces only the conflicting value with overwriteConflicts', () => {
    const r = merge(input, { test: 'jest --ci', build: 'tsc', lint: 'eslint .' }, { overwriteConflicts: true });
    expect(r.text).toBe('{\n  "scripts": {\n    "build": "tsc",\n    "test": "jest --ci",\n    "lint": "eslint ."\n  }\n}\n');
    expect(r.conflicts).toEqual([{ name: 'test', existing: 'vitest', wanted: 'jest --ci' }]);
    expect(r.identical).toEqual(['build']);
    expect(r.added).toEqual(['lint']);
  });

  it('overwrites a value that uses escapes, keeping the rest of the line', () => {
    const src = '{"scripts":{"a":"echo \\u0041" , "b":"x"}}';
    const r = merge(src, { a: 'echo B' }, { overwriteConflicts: true });
    expect(r.text).toBe('{"scripts":{"a":"echo B" , "b":"x"}}');
  });

  it('overwrites the last script and appends after it', () => {
    const r = merge(input, { test: 'jest', lint: 'eslint .' }, { overwriteConflicts: true });
    expect(r.text).toBe('{\n  "scripts": {\n    "build": "tsc",\n    "test": "jest",\n    "lint": "eslint ."\n  }\n}\n');
  });

  it('reports a non-string existing script in JSON form', () => {
    const r = mergeScripts('{"scripts":{"a":1}}', { a: 'echo' });
    expect(r.conflicts).toEqual([{ name: 'a', existing: '1', wanted: 'echo' }]);
    const r2 = mergeScripts('{"scripts":{"a":1}}', { a: 'echo' }, { overwriteConflicts: true });
    expect(r2.text).toBe('{"scripts":{"a":"echo"}}');
  });

  it('treats names like "constructor" and "toString" as ordinary scripts', () => {
    const r = merge('{"scripts":{}}', { constructor: 'a', toString: 'b' });
    expect(r.added).toEqual(['constructor', 'toString']);
    expect(r.text).toBe('{"scripts":{"constructor":"a","toString":"b"}}');
  });
});

describe('mergeScripts: escaping', () => {
  it('JSON-escapes quotes, backslashes and control characters', () => {
    const input = '{\n  "name": "app"\n}\n';
    const wanted = {
      quote: 'echo "hello world"',
      backslash: 'dir C:\\Users\\me',
      both: 'sh -c "printf \\"%s\\n\\" x"',
      tab: 'a\tb',
      'we"ird\\name': 'ok',
      unicode: 'echo café ✓',
    };
    const r = merge(input, wanted);
    expect(r.text).toContain('"quote": "echo \\"hello world\\""');
    expect(r.text).toContain('"backslash": "dir C:\\\\Users\\\\me"');
    expect(r.text).toContain('"tab": "a\\tb"');
    expect(r.text).toContain('"we\\"ird\\\\name": "ok"');
    expect(r.text).toContain('"unicode": "echo café ✓"');
    expect((JSON.parse(r.text) as { scripts: unknown }).scripts).toEqual(wanted);
  });

  it('compares existing escaped values by their decoded content', () => {
    const input = '{"scripts":{"q":"echo \\"hi\\"","u":"caf\\u00e9"}}';
    const r = merge(input, { q: 'echo "hi"', u: 'café' });
    expect(r.identical).toEqual(['q', 'u']);
    expect(r.changed).toBe(false);
  });

  it('rejects non-string commands', () => {
    expect(() => mergeScripts('{}', { a: 1 as unknown as string })).toThrow(TypeError);
  });
});

describe('errors', () => {
  function catchError(fn: () => unknown): PackageJsonError {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(PackageJsonError);
      return err as PackageJsonError;
    }
    throw new Error('expected an error');
  }

  it('names the file, line and column of malformed JSON', () => {
    const input = '{\n  "name": "app",\n  "x": 1,\n  }\n';
    const err = catchError(() => mergeScripts(input, { a: 'b' }));
    expect(err.message).toBe('package.json is not valid JSON: Unexpected token } at line 4, column 3');
    expect(err.file).toBe('package.json');
    expect(err.line).toBe(4);
    expect(err.column).toBe(3);
  });

  it('uses the given file name', () => {
    const err = catchError(() => mergeScripts('{\n  "a": tru\n}', {}, { fileName: 'apps/web/package.json' }));
    expect(err.message).toBe('apps/web/package.json is not valid JSON: Unexpected token "\\n" at line 2, column 11');
    expect(err.file).toBe('apps/web/package.json');
    expect([err.line, err.column]).toEqual([2, 11]);
  });

  it('reports positions for CRLF files and after a BOM', () => {
    const err = catchError(() => parsePackageJson(BOM + '{\r\n  "a": 1\r\n  "b": 2\r\n}'));
    expect(err.message).toBe('package.json is not valid JSON: Unexpected token " at line 3, column 3');
  });

  it('reports truncated input and bad strings', () => {
    expect(catchError(() => parsePackageJson('{\n  "a": [1, 2')).message).toMatch(/Unexpected end of input at line 2, column 13$/);
    expect(catchError(() => parsePackageJson('')).message).toMatch(/Unexpected end of input at line 1, column 1$/);
    expect(catchError(() => parsePackageJson('{"a": "x\ty"}')).message).toMatch(/Bad control character.* column 9$/);
    expect(catchError(() => parsePackageJson('{"a": "\\x"}')).message).toMatch(/Bad escaped character.* column 8$/);
    expect(catchError(() => parsePackageJson('{"a": 01}')).message).toMatch(/Unexpected token 1 at line 1, column 8$/);
    expect(catchError(() => parsePackageJson('{"a": 1,}')).message).toMatch(/Unexpected token } at line 1, column 9$/);
    expect(catchError(() => parsePackageJson('{} {}')).message).toMatch(/Unexpected token \{ at line 1, column 4$/);
    expect(catchError(() => parsePackageJson("{'a': 1}")).message).toMatch(/Unexpected token ' at line 1, column 2$/);
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = [
      '{"a":[1,-2.5e-3,0,true,false,null,{"b":{}}],"c":"\\u00e9\\n\\/"}',
      '{"a": 1e5}',
      '{"a": -0}',
      '{"a": 1.}',
      '{"a": .5}',
      '{"a": +1}',
      '{"a": "\\u12G4"}',
      '{"a": [,]}',
      '{"a"  :  [ ] }',
      '{"a": "\u007f"}',
      '{"a": NaN}',
      '{"a":\u00a01}',
    ];
    for (const s of samples) {
      let nodeOk = true;
      try {
        JSON.parse(s);
      } catch {
        nodeOk = false;
      }
      let ours = true;
      try {
        parsePackageJson(s);
      } catch (err) {
        expect(err).toBeInstanceOf(PackageJsonError);
        ours = false;
      }
      expect([s, ours]).toEqual([s, nodeOk]);
    }
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a string', '"package"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('rejects a top level that is %s', (kind, text) => {
    const err = catchError(() => mergeScripts(text + '\n', { a: 'b' }));
    expect(err.message).toBe(`package.json must contain a JSON object at the top level, found ${kind} at line 1, column 1`);
    expect(() => parsePackageJson(text)).toThrow(PackageJsonError);
  });

  it.each([
    ['a string', '"build"'],
    ['an array', '["build"]'],
    ['null', 'null'],
    ['a number', '1'],
  ])('rejects scripts that is %s', (kind, value) => {
    const err = catchError(() => mergeScripts(`{\n  "name": "x",\n  "scripts": ${value}\n}\n`, { a: 'b' }));
    expect(err.message).toBe(`package.json: "scripts" must be an object, found ${kind} at line 3, column 14`);
    expect([err.line, err.column]).toEqual([3, 14]);
  });
});

describe('parsePackageJson / createPackageJson / detectIndent', () => {
  it('parses with and without BOM', () => {
    expect(parsePackageJson('{"name":"x"}')).toEqual({ name: 'x' });
    expect(parsePackageJson(BOM + '{"name":"x"}')).toEqual({ name: 'x' });
  });

  it('creates npm-style text', () => {
    expect(createPackageJson({ name: 'x', scripts: { a: 'b' } })).toBe('{\n  "name": "x",\n  "scripts": {\n    "a": "b"\n  }\n}\n');
  });

  it('detects indentation', () => {
    expect(detectIndent('{\n  "a": 1\n}')).toBe('  ');
    expect(detectIndent('{\n    "a": {\n        "b": 1\n    }\n}')).toBe('    ');
    expect(detectIndent('{\n\t"a": 1\n}')).toBe('\t');
    expect(detectIndent('{\r\n    "a": 1\r\n}')).toBe('    ');
    expect(detectIndent('{"a":1}')).toBe('  ');
    expect(detectIndent('')).toBe('  ');
    expect(detectIndent('{\n \t"a": 1\n}')).toBe('  ');
  });
});

describe('mergeScripts: randomised formats', () => {
  // Small deterministic PRNG so failures are reproducible.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  it('keeps every invariant across indents, newlines, BOMs and shapes', () => {
    const rand = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const commands = ['tsc', 'echo "q"', 'a\\b', 'vitest run', 'x && y', 'caf\u00e9'];
    for (let n = 0; n < 300; n++) {
      const obj: Record<string, unknown> = {};
      const keys = ['name', 'version', 'files', 'engines', 'private'];
      const scriptsMode = pick(['none', 'empty', 'some'] as const);
      const scriptsPos = Math.floor(rand() * (keys.length + 1));
      keys.forEach((k, i) => {
        if (i === scriptsPos && scriptsMode !== 'none') obj.scripts = {};
        if (rand() < 0.7) obj[k] = k === 'files' ? ['a', 'b'] : k === 'engines' ? { node: '>=20' } : k === 'private' ? true : k;
      });
      if (scriptsPos === keys.length && scriptsMode !== 'none') obj.scripts = {};
      if (scriptsMode === 'some') {
        const s = obj.scripts as Record<string, string>;
        for (let i = 0; i < 1 + Math.floor(rand() * 3); i++) s[pick(['build', 'test', 'lint', 'dev'])] = pick(commands);
      }
      const indent = pick(['  ', '    ', '\t', 0] as const);
      let text = indent === 0 ? JSON.stringify(obj) : JSON.stringify(obj, null, indent);
      if (pick([true, false])) text = text.replace(/\n/g, '\r\n');
      if (pick([true, false])) text += text.includes('\r\n') ? '\r\n' : '\n';
      if (rand() < 0.2) text = BOM + text;

      const wanted: Record<string, string> = {};
      for (let i = 0; i < Math.floor(rand() * 4); i++) wanted[pick(['build', 'test', 'docker:build', 'docker:up'])] = pick(commands);
      const overwrite = rand() < 0.5;
      const result = mergeScripts(text, wanted, { overwriteConflicts: overwrite });
      checkMerge(text, wanted, result, { overwrite });
      if (indent !== 0 && text.includes('\r\n')) expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
      if (indent !== 0) {
        // A pretty-printed file merged stays exactly what a re-serialisation would give.
        const reparsed = JSON.parse(strip(result.text)) as unknown;
        let pretty = JSON.stringify(reparsed, null, indent);
        if (text.includes('\r\n')) pretty = pretty.replace(/\n/g, '\r\n');
        expect(strip(result.text).trimEnd()).toBe(pretty);
      } else {
        expect(strip(result.text).trimEnd()).toBe(JSON.stringify(JSON.parse(strip(result.text))));
      }
    }
  });
});
