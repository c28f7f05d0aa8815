/**
 * What a run prints about its plan: one line per file with its action, the
 * diffs, and the next steps with their comments aligned.
 */
import { unifiedDiff } from './diff.js';
import type { PlanEntry } from './plan.js';
import { paint, type Output } from './ui.js';

/** A unified diff with + lines green, - lines red and hunk headers cyan (plain under NO_COLOR). */
export function colorDiff(diff: string): string {
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+') && !line.startsWith('+++') ? paint.green(line) : line.startsWith('-') && !line.startsWith('---') ? paint.red(line) : line.startsWith('@@') ? paint.cyan(line) : line,
    )
    .join('\n');
}

const ACTION_LABEL: Record<string, (s: string) => string> = {
  create: paint.green,
  merge: paint.cyan,
  overwrite: paint.yellow,
  identical: paint.dim,
  keep: paint.dim,
  conflict: paint.red,
  blocked: paint.red,
};

export function printPlan(entries: PlanEntry[], out: Output, showDiffs: boolean): void {
  for (const entry of entries) {
    const label = ACTION_LABEL[entry.action]!(entry.action.padEnd(9));
    const extra = entry.scriptsAdded?.length ? paint.dim(` (+ ${entry.scriptsAdded.join(', ')})`) : '';
    out.info(`  ${label} ${entry.path}${extra}${entry.reason && entry.action !== 'create' ? paint.dim(`  ${entry.reason}`) : ''}`);
  }
  for (const entry of entries) {
    // A merged generated file or an edit of the user's source (next.config) shows its diff even
    // without --dry-run: the user sees what changes in their file.
    if (!showDiffs && !(entry.action === 'merge' && entry.kind !== 'scripts')) continue;
    const next = entry.action === 'keep' ? entry.keepContent : entry.action === 'identical' || entry.action === 'blocked' ? undefined : entry.content;
    if (next === undefined) continue;
    const diff = unifiedDiff(entry.existing ?? '', next, { oldLabel: entry.existing === undefined ? '/dev/null' : `a/${entry.path}`, newLabel: `b/${entry.path}` });
    if (diff) out.info(`\n${colorDiff(diff.trimEnd())}`);
  }
}

/** A path as one word in a POSIX shell (`cd 'My App'`); plain names stay as they are. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `command   # why` lines with their comments in one column, as a reader scans them. */
export function alignComments(lines: string[]): string[] {
  const split = lines.map((line) => {
    const at = line.indexOf('   # ');
    return at === -1 ? { command: line, comment: undefined } : { command: line.slice(0, at).trimEnd(), comment: line.slice(at).trim() };
  });
  const width = Math.max(0, ...split.filter((s) => s.comment !== undefined).map((s) => s.command.length));
  return split.map(({ command, comment }) => (comment === undefined ? command : `${command.padEnd(width)}   ${comment}`));
}
