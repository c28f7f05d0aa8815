/**
 * A unified diff, used to show conflicts and --dry-run plans. The hunks come
 * from the `diff` package (jsdiff: Myers' algorithm, deletions before
 * insertions); the text is printed here.
 *
 * Output follows GNU `diff -u` conventions (without timestamps), so it reads
 * the way users expect and can be fed to `patch` / `git apply`:
 * - `--- label` / `+++ label` headers, the labels verbatim (jsdiff's own
 *   printer would quote some and always print `,count`),
 * - `@@ -l,s +l,s @@` hunk headers where `,s` is omitted when s is 1 and `l`
 *   names the line *before* the hunk when s is 0 (so a new file is `-0,0`),
 * - `\ No newline at end of file` after a final line lacking its newline.
 * Lines are compared with their terminators, so CRLF vs LF and a missing
 * final newline are real differences, exactly like `diff`.
 */
import { structuredPatch, type StructuredPatchHunk } from 'diff';

export interface UnifiedDiffOptions {
  /** Printed verbatim after `--- `. Defaults to `a`. */
  oldLabel?: string;
  /** Printed verbatim after `+++ `. Defaults to `b`. */
  newLabel?: string;
  /** Unchanged lines shown around each change. Defaults to 3. */
  context?: number;
}

/**
 * Above this many changed lines we stop looking for a minimal diff (its cost
 * grows with the square of that number: seconds for two unrelated files of a
 * few thousand lines) and show the differing middle as one replacement.
 */
const MAX_EDIT_LENGTH = 2000;

const NO_EOL = '\\ No newline at end of file';

/** Lines with their terminators; a final line may lack one. */
const splitLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/**
 * The hunk for when the search gives up: common lines at both ends are
 * context, everything between them is removed and added. Still a correct diff.
 */
function replacement(oldText: string, newText: string, context: number): StructuredPatchHunk {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const lead = a.slice(Math.max(0, prefix - context), prefix);
  const trail = a.slice(a.length - suffix, a.length - suffix + context);
  const removed = a.slice(prefix, a.length - suffix);
  const added = b.slice(prefix, b.length - suffix);
  const lines = [...lead.map((l) => ' ' + l), ...removed.map((l) => '-' + l), ...added.map((l) => '+' + l), ...trail.map((l) => ' ' + l)];
  const start = prefix - lead.length + 1;
  return {
    oldStart: start,
    oldLines: lead.length + removed.length + trail.length,
    newStart: start,
    newLines: lead.length + added.length + trail.length,
    // As jsdiff gives them: without the "\n", a marker after a line lacking one.
    lines: lines.flatMap((l) => (l.endsWith('\n') ? [l.slice(0, -1)] : [l, NO_EOL])),
  };
}

/** GNU range: "l" alone for one line; for an empty range, the line after which the change happens. */
const range = (start: number, count: number): string => (count === 1 ? `${start}` : count === 0 ? `${start - 1},0` : `${start},${count}`);

/**
 * Returns a unified diff of two texts, or "" when they are equal.
 */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions = {}): string {
  if (oldText === newText) return '';
  const context = Math.max(0, Math.floor(options.context ?? 3));
  const patch = structuredPatch('', '', oldText, newText, undefined, undefined, { context, maxEditLength: MAX_EDIT_LENGTH });
  const hunks = patch?.hunks ?? [replacement(oldText, newText, context)];
  let out = `--- ${options.oldLabel ?? 'a'}\n+++ ${options.newLabel ?? 'b'}\n`;
  for (const h of hunks) out += `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n${h.lines.join('\n')}\n`;
  return out;
}
