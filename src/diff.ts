/**
 * A small unified diff, used to show conflicts and --dry-run plans.
 *
 * Output follows GNU `diff -u` conventions (without timestamps), so it reads
 * the way users expect and can be fed to `patch` / `git apply`:
 * - `--- label` / `+++ label` headers,
 * - `@@ -l,s +l,s @@` hunk headers where `,s` is omitted when s is 1 and `l`
 *   names the line *before* the hunk when s is 0 (so a new file is `-0,0`),
 * - `\ No newline at end of file` after a final line lacking its newline.
 */

export interface UnifiedDiffOptions {
  /** Printed verbatim after `--- `. Defaults to `a`. */
  oldLabel?: string;
  /** Printed verbatim after `+++ `. Defaults to `b`. */
  newLabel?: string;
  /** Unchanged lines shown around each change. Defaults to 3. */
  context?: number;
}

/**
 * Above this many cells in the LCS table (about 4000 x 4000 lines of
 * *differing* middle section) we stop looking for a minimal diff and emit a
 * single replace hunk; the table would cost tens of megabytes and seconds.
 */
const MAX_LCS_CELLS = 4000 * 4000;

interface Line {
  /** Line content including its terminator ("\n" or "\r\n") if any. */
  text: string;
  /** True only for a final line that has no "\n". */
  noEol: boolean;
}

type OpKind = ' ' | '-' | '+';

interface Op {
  kind: OpKind;
  line: Line;
}

/**
 * Splits text into lines that keep their terminators. Comparing lines with
 * terminators means CRLF vs LF and a missing final newline are real
 * differences, exactly like `diff`.
 */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ text: text.slice(start), noEol: true });
      break;
    }
    lines.push({ text: text.slice(start, nl + 1), noEol: false });
    start = nl + 1;
  }
  return lines;
}

/**
 * Computes an edit script turning `a` into `b`: common prefix/suffix are
 * matched directly, the middle with a longest-common-subsequence table.
 */
function computeOps(a: Line[], b: Line[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix]!.text === b[prefix]!.text) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix]!.text === b[b.length - 1 - suffix]!.text
  ) {
    suffix++;
  }

  const ops: Op[] = [];
  for (let i = 0; i < prefix; i++) ops.push({ kind: ' ', line: a[i]! });

  const am = a.slice(prefix, a.length - suffix);
  const bm = b.slice(prefix, b.length - suffix);
  ops.push(...diffMiddle(am, bm));

  for (let i = a.length - suffix; i < a.length; i++) ops.push({ kind: ' ', line: a[i]! });
  return normaliseChangeBlocks(ops);
}

function diffMiddle(a: Line[], b: Line[]): Op[] {
  const n = a.length;
  const m = b.length;
  const ops: Op[] = [];
  if ((n + 1) * (m + 1) > MAX_LCS_CELLS) {
    // Size guard: a whole-block replacement is still a correct diff.
    for (const line of a) ops.push({ kind: '-', line });
    for (const line of b) ops.push({ kind: '+', line });
    return ops;
  }

  // Intern lines to integers so the O(n*m) loop compares numbers, not strings.
  const ids = new Map<string, number>();
  const intern = (l: Line): number => {
    let id = ids.get(l.text);
    if (id === undefined) ids.set(l.text, (id = ids.size));
    return id;
  };
  const ai = Int32Array.from(a, intern);
  const bi = Int32Array.from(b, intern);

  // lcs[i*(m+1)+j] = LCS length of a[i..] and b[j..]. Lengths are at most
  // min(n, m) <= 4000 under the size guard, so 16 bits are enough.
  const w = m + 1;
  const lcs = new Uint16Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        ai[i] === bi[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }

  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ai[i] === bi[j]) {
      // Matching equal heads is always part of some LCS.
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
      ops.push({ kind: '-', line: a[i]! });
      i++;
    } else {
      ops.push({ kind: '+', line: b[j]! });
      j++;
    }
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}

/**
 * Within each run of changes between two unchanged lines, list all removals
 * before all additions. That is how `diff -u` prints them and it is far
 * easier to read than interleaved -/+ lines.
 */
function normaliseChangeBlocks(ops: Op[]): Op[] {
  const out: Op[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      out.push(ops[k++]!);
      continue;
    }
    const removed: Op[] = [];
    const addedOps: Op[] = [];
    while (k < ops.length && ops[k]!.kind !== ' ') {
      (ops[k]!.kind === '-' ? removed : addedOps).push(ops[k]!);
      k++;
    }
    out.push(...removed, ...addedOps);
  }
  return out;
}

function rangeHeader(start: number, count: number): string {
  // GNU convention: "l" alone for one line; for an empty range, l is the
  // line after which the change happens (0 at the top of the file).
  if (count === 1) return String(start + 1);
  if (count === 0) return `${start},0`;
  return `${start + 1},${count}`;
}

/**
 * Returns a unified diff of two texts, or "" when they are equal.
 */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions = {}): string {
  if (oldText === newText) return '';
  const context = Math.max(0, Math.floor(options.context ?? 3));
  const oldLabel = options.oldLabel ?? 'a';
  const newLabel = options.newLabel ?? 'b';

  const ops = computeOps(splitLines(oldText), splitLines(newText));

  // Old/new line index (0-based) at each op, so hunks know where they start.
  const oldPos: number[] = new Array<number>(ops.length);
  const newPos: number[] = new Array<number>(ops.length);
  let o = 0;
  let nw = 0;
  const changes: number[] = [];
  ops.forEach((op, k) => {
    oldPos[k] = o;
    newPos[k] = nw;
    if (op.kind !== '+') o++;
    if (op.kind !== '-') nw++;
    if (op.kind !== ' ') changes.push(k);
  });

  // Group changes into hunks: two changes share a hunk when the unchanged
  // gap between them is at most 2*context lines (their contexts touch).
  const hunks: Array<[number, number]> = [];
  let hunkStart = -1;
  let lastChange = -1;
  for (const k of changes) {
    if (hunkStart === -1) {
      hunkStart = Math.max(0, k - context);
    } else if (k - lastChange - 1 > 2 * context) {
      hunks.push([hunkStart, lastChange + context + 1]);
      hunkStart = k - context;
    }
    lastChange = k;
  }
  hunks.push([hunkStart, Math.min(ops.length, lastChange + context + 1)]);

  let out = `--- ${oldLabel}\n+++ ${newLabel}\n`;
  for (const [s, e] of hunks) {
    let oldCount = 0;
    let newCount = 0;
    let body = '';
    for (let k = s; k < e; k++) {
      const op = ops[k]!;
      if (op.kind !== '+') oldCount++;
      if (op.kind !== '-') newCount++;
      body += op.kind + op.line.text;
      if (op.line.noEol) body += '\n\\ No newline at end of file\n';
    }
    out += `@@ -${rangeHeader(oldPos[s]!, oldCount)} +${rangeHeader(newPos[s]!, newCount)} @@\n` + body;
  }
  return out;
}
