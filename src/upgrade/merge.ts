import { diff3Merge } from 'node-diff3';

export interface ThreeWayResult {
  /** True when the template's change and the user's edits touch the same lines. */
  conflict: boolean;
  /** The merged text; with conflicts, the regions carry git-style markers. */
  text: string;
  /** 1-based line ranges of the conflicting regions in `text`. */
  conflicts: { start: number; end: number }[];
}

export interface MergeLabels {
  mine: string;
  theirs: string;
}

/**
 * Three-way merge by lines (node-diff3): base is what the recorded answers
 * rendered, `theirs` the new render, `mine` the file on disk. Changes on
 * separate lines combine; changes to the same lines are a conflict, written
 * with markers (mine first, as `git merge-file` puts the current file first).
 * Line endings are compared as they are: a CRLF file against LF templates is
 * all one change, which the caller reports as a conflict rather than guess.
 */
export function threeWayMerge(base: string, theirs: string, mine: string, labels: MergeLabels): ThreeWayResult {
  const split = (text: string): string[] => text.split('\n');
  const regions = diff3Merge(split(mine), split(base), split(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  const conflicts: ThreeWayResult['conflicts'] = [];
  for (const region of regions) {
    if (region.ok) {
      out.push(...region.ok);
      continue;
    }
    const { a, b } = region.conflict!;
    const start = out.length + 1;
    out.push(`<<<<<<< ${labels.mine}`, ...a, '=======', ...b, `>>>>>>> ${labels.theirs}`);
    conflicts.push({ start, end: out.length });
  }
  return { conflict: conflicts.length > 0, text: out.join('\n'), conflicts };
}
