import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/diff.js';

const lines = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `line ${i + from}\n`).join('');

describe('unifiedDiff', () => {
  it('returns an empty string for equal texts', () => {
    expect(unifiedDiff('', '')).toBe('');
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('uses the labels verbatim in the headers', () => {
    const d = unifiedDiff('a\n', 'b\n', { oldLabel: 'a/package.json', newLabel: 'b/package.json' });
    expect(d).toBe('--- a/package.json\n+++ b/package.json\n@@ -1 +1 @@\n-a\n+b\n');
    expect(unifiedDiff('a\n', 'b\n').split('\n').slice(0, 2)).toEqual(['--- a', '+++ b']);
  });

  it('shows an append with three lines of context', () => {
    const d = unifiedDiff(lines(5), lines(7));
    expect(d).toBe('--- a\n+++ b\n@@ -3,3 +3,5 @@\n line 3\n line 4\n line 5\n+line 6\n+line 7\n');
  });

  it('shows a deletion', () => {
    const d = unifiedDiff('a\nb\nc\n', 'a\nc\n');
    expect(d).toBe('--- a\n+++ b\n@@ -1,3 +1,2 @@\n a\n-b\n c\n');
  });

  it('shows a change in the middle with context', () => {
    const old = lines(10);
    const neu = old.replace('line 5\n', 'LINE FIVE\n');
    expect(unifiedDiff(old, neu)).toBe('--- a\n+++ b\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+LINE FIVE\n line 6\n line 7\n line 8\n');
  });

  it('honours a custom context size', () => {
    const old = lines(10);
    const neu = old.replace('line 5\n', 'X\n');
    expect(unifiedDiff(old, neu, { context: 0 })).toBe('--- a\n+++ b\n@@ -5 +5 @@\n-line 5\n+X\n');
    expect(unifiedDiff(old, neu, { context: 1 })).toBe('--- a\n+++ b\n@@ -4,3 +4,3 @@\n line 4\n-line 5\n+X\n line 6\n');
    // A pure insertion with no context names the line after which it goes.
    expect(unifiedDiff('a\nb\n', 'a\nX\nb\n', { context: 0 })).toBe('--- a\n+++ b\n@@ -1,0 +2 @@\n+X\n');
  });

  it('splits distant changes into two hunks', () => {
    const old = lines(20);
    const neu = old.replace('line 2\n', 'two\n').replace('line 18\n', 'eighteen\n');
    expect(unifiedDiff(old, neu)).toBe(
      '--- a\n+++ b\n' + '@@ -1,5 +1,5 @@\n line 1\n-line 2\n+two\n line 3\n line 4\n line 5\n' + '@@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+eighteen\n line 19\n line 20\n',
    );
  });

  it('merges changes whose contexts touch (gap of 6) and splits at a gap of 7', () => {
    const old = lines(20);
    const six = old.replace('line 5\n', 'A\n').replace('line 12\n', 'B\n');
    expect(unifiedDiff(old, six).match(/^@@/gm)).toHaveLength(1);
    const seven = old.replace('line 5\n', 'A\n').replace('line 13\n', 'B\n');
    expect(unifiedDiff(old, seven).match(/^@@/gm)).toHaveLength(2);
  });

  it('shows a new file', () => {
    expect(unifiedDiff('', 'a\nb\n')).toBe('--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('', 'only\n')).toBe('--- a\n+++ b\n@@ -0,0 +1 @@\n+only\n');
  });

  it('shows a file emptied', () => {
    expect(unifiedDiff('a\nb\nc\n', '')).toBe('--- a\n+++ b\n@@ -1,3 +0,0 @@\n-a\n-b\n-c\n');
  });

  it('marks a missing trailing newline', () => {
    expect(unifiedDiff('a\nb', 'a\nb\n')).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
    expect(unifiedDiff('a\nb\n', 'a\nb')).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n');
    // Unchanged final line without newline is context and is marked once.
    expect(unifiedDiff('x\nend', 'y\nend')).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+y\n end\n\\ No newline at end of file\n');
    expect(unifiedDiff('', 'new')).toBe('--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n\\ No newline at end of file\n');
  });

  it('compares CRLF lines including their carriage return', () => {
    expect(unifiedDiff('a\r\nb\r\n', 'a\r\nc\r\n')).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n');
    // A pure line-ending change is a change.
    expect(unifiedDiff('a\nb\n', 'a\r\nb\n')).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\n+a\r\n b\n');
  });

  it('lists removals before additions within a change block', () => {
    const d = unifiedDiff('k\na\nb\nk\n', 'k\nx\ny\nk\n');
    expect(d).toBe('--- a\n+++ b\n@@ -1,4 +1,4 @@\n k\n-a\n-b\n+x\n+y\n k\n');
  });

  it('falls back to one replace hunk for very large differing inputs', () => {
    const old = Array.from({ length: 4100 }, (_, i) => `old ${i}\n`).join('');
    const neu = Array.from({ length: 4100 }, (_, i) => `new ${i}\n`).join('');
    const d = unifiedDiff('head\n' + old + 'tail\n', 'head\n' + neu + 'tail\n');
    expect(d.startsWith('--- a\n+++ b\n@@ -1,4102 +1,4102 @@\n head\n-old 0\n')).toBe(true);
    expect(d.endsWith('+new 4099\n tail\n')).toBe(true);
    expect(d.match(/^@@/gm)).toHaveLength(1);
  });

  it('handles large inputs with small edits quickly', () => {
    const old = lines(50000);
    const neu = old.replace('line 25000\n', 'changed\n');
    const d = unifiedDiff(old, neu);
    expect(d).toBe('--- a\n+++ b\n@@ -24997,7 +24997,7 @@\n line 24997\n line 24998\n line 24999\n-line 25000\n+changed\n line 25001\n line 25002\n line 25003\n');
  });
});

describe('unifiedDiff agrees with diff -u', () => {
  const dir = mkdtempSync(join(tmpdir(), 'multistage-diff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  function systemDiff(oldText: string, newText: string, context = 3): string {
    writeFileSync(join(dir, 'old'), oldText);
    writeFileSync(join(dir, 'new'), newText);
    const r = spawnSync('/usr/bin/diff', [`-U${context}`, 'old', 'new'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`diff failed: ${r.stderr}`);
    return r.stdout;
  }

  /** Everything after the two header lines (GNU's carry timestamps). */
  const body = (d: string): string => d.split('\n').slice(2).join('\n');

  /** Random edits on a file of distinct lines, so the LCS is unique. */
  function randomEdit(rand: () => number, n: number, allowDuplicates: boolean): [string, string] {
    const mk = (i: number): string => (allowDuplicates ? `v${Math.floor(rand() * 4)}` : `line ${i}`);
    const old = Array.from({ length: n }, (_, i) => mk(i));
    const neu = [...old];
    let fresh = 0;
    const edits = 1 + Math.floor(rand() * 5);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * (neu.length + 1));
      const kind = rand();
      const newLine = allowDuplicates ? `v${Math.floor(rand() * 4)}` : `new ${fresh++}`;
      if (kind < 0.33 && neu.length > 0) neu.splice(Math.min(at, neu.length - 1), 1);
      else if (kind < 0.66) neu.splice(at, 0, newLine);
      else if (neu.length > 0) neu[Math.min(at, neu.length - 1)] = newLine;
    }
    const eolOld = rand() < 0.8 ? '\n' : '';
    const eolNew = rand() < 0.8 ? '\n' : '';
    const join = (xs: string[], eol: string): string => (xs.length ? xs.join('\n') + eol : '');
    return [join(old, eolOld), join(neu, eolNew)];
  }

  it('produces identical hunks for random edits of distinct lines', () => {
    const rand = rng(7);
    let compared = 0;
    for (let n = 0; n < 60; n++) {
      const [oldText, newText] = randomEdit(rand, 1 + Math.floor(rand() * 40), false);
      const context = n % 4 === 0 ? Math.floor(rand() * 5) : 3;
      const expected = systemDiff(oldText, newText, context);
      const actual = unifiedDiff(oldText, newText, { context });
      if (expected === '') {
        expect(actual).toBe('');
        continue;
      }
      expect(body(actual)).toBe(body(expected));
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('produces minimal, applicable diffs when lines repeat', () => {
    const rand = rng(99);
    for (let n = 0; n < 60; n++) {
      const [oldText, newText] = randomEdit(rand, 1 + Math.floor(rand() * 30), true);
      const actual = unifiedDiff(oldText, newText);
      const expected = systemDiff(oldText, newText);
      expect(actual === '').toBe(expected === '');
      if (actual === '') continue;
      // Same number of changed lines as GNU diff: both are minimal.
      const count = (d: string, c: string): number => d.split('\n').filter((l) => l.startsWith(c) && !l.startsWith(c.repeat(3) + ' ')).length;
      expect([count(actual, '-'), count(actual, '+')]).toEqual([count(expected, '-'), count(expected, '+')]);
      // And `patch` turns the old file into the new one with it.
      writeFileSync(join(dir, 'old'), oldText);
      writeFileSync(join(dir, 'my.patch'), actual);
      const r = spawnSync('/usr/bin/patch', ['-s', '-o', join(dir, 'patched'), join(dir, 'old'), join(dir, 'my.patch')], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'patched'), 'utf8')).toBe(newText);
    }
  });

  it('matches diff -u on CRLF content and newline-at-EOF changes', () => {
    const cases: Array<[string, string]> = [
      ['a\r\nb\r\nc\r\n', 'a\r\nB\r\nc\r\n'],
      ['a\nb\nc', 'a\nb\nc\n'],
      ['a\nb\nc\n', 'a\nb\nc'],
      ['a\nb\nc', 'a\nX\nc'],
      ['', 'x\ny\n'],
      ['x\ny\n', ''],
    ];
    for (const [o, n] of cases) expect(body(unifiedDiff(o, n))).toBe(body(systemDiff(o, n)));
  });
});
