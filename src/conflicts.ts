/**
 * The user's decision on each conflicting file: keep theirs, take ours, or see
 * the diff first; a three-way merge conflict has its own choices (upgrade/).
 * Without a terminal, or on --dry-run, conflicts stay in the plan; --force overwrites.
 */
import type { CliOptions } from './cli.js';
import { unifiedDiff } from './diff.js';
import { resolveConflict, type PlanEntry } from './plan.js';
import { colorDiff } from './plan-output.js';
import type { Prompter } from './prompts.js';
import type { Output } from './ui.js';
import { chooseUpgradeResolution } from './upgrade/resolve.js';

export async function resolveConflicts(entries: PlanEntry[], options: Pick<CliOptions, 'force' | 'dryRun'>, environment: { prompter?: Prompter; out: Output }): Promise<PlanEntry[]> {
  const resolved: PlanEntry[] = [];
  for (const entry of entries) {
    if (entry.action !== 'conflict') {
      resolved.push(entry);
      continue;
    }
    if (options.force) {
      resolved.push(resolveConflict(entry, 'overwrite'));
      continue;
    }
    if (options.dryRun || !environment.prompter) {
      resolved.push(entry);
      continue;
    }
    if (entry.upgrade) {
      resolved.push(await chooseUpgradeResolution(entry, environment.prompter, environment.out, colorDiff));
      continue;
    }
    for (;;) {
      const choice = await environment.prompter.select(
        `${entry.reason}. What now?`,
        [
          { title: entry.keepContent !== undefined ? 'Keep mine (add only the missing scripts)' : 'Keep mine', value: 'keep' },
          { title: 'Overwrite', value: 'overwrite' },
          { title: 'Show the diff', value: 'diff' },
        ],
        'keep',
      );
      if (choice === 'diff') {
        environment.out.info(colorDiff(unifiedDiff(entry.existing ?? '', entry.content, { oldLabel: `a/${entry.path}`, newLabel: `b/${entry.path}` })));
        continue;
      }
      resolved.push(resolveConflict(entry, choice as 'keep' | 'overwrite'));
      break;
    }
  }
  return resolved;
}
