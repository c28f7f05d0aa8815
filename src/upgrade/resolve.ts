import { unifiedDiff } from '../diff.js';
import type { PlanEntry } from '../plan.js';
import type { Prompter } from '../prompts.js';
import type { Output } from '../ui.js';

type UpgradeChoice = 'mine' | 'theirs' | 'markers' | 'diff';

/**
 * The user's decision on a three-way conflict (a generated file whose edits
 * overlap the template's change): keep mine (the file stays as it is), take
 * theirs (the new render, dropping the edits in this file), write the merge
 * with conflict markers, or look at the diff first.
 */
export async function chooseUpgradeResolution(entry: PlanEntry, prompter: Prompter, out: Output, colorDiff: (diff: string) => string): Promise<PlanEntry> {
  const upgrade = entry.upgrade!;
  for (;;) {
    const choice = (await prompter.select(
      `${entry.reason}. What now?`,
      [
        { title: 'Keep mine (leave the file as it is)', value: 'mine' },
        { title: 'Take theirs (the new template; your edits in this file are dropped)', value: 'theirs' },
        { title: 'Write with conflict markers (resolve them in your editor)', value: 'markers' },
        { title: 'Show the diff', value: 'diff' },
      ],
      'mine',
    )) as UpgradeChoice;
    if (choice === 'diff') {
      // The merge as it would be written with markers, against the file as it is: both sides of each overlap in context.
      out.info(colorDiff(unifiedDiff(entry.existing ?? '', upgrade.markers, { oldLabel: `a/${entry.path}`, newLabel: `b/${entry.path} (merged)` }).trimEnd()));
      continue;
    }
    return resolveUpgradeConflict(entry, choice);
  }
}

/** The plan entry after a decision on a three-way conflict (also what --force means: theirs). */
export function resolveUpgradeConflict(entry: PlanEntry, choice: Exclude<UpgradeChoice, 'diff'>): PlanEntry {
  if (choice === 'mine') return { ...entry, action: 'keep', reason: 'kept as it is (your choice)' };
  if (choice === 'theirs') return { ...entry, action: 'overwrite', reason: 'replaced by the new template (your choice)' };
  return {
    ...entry,
    action: 'overwrite',
    content: entry.upgrade!.markers,
    reason: `written with conflict markers at lines ${entry.upgrade!.regions.map((r) => `${r.start}-${r.end}`).join(', ')}; resolve them before building`,
  };
}
