import type { CliOptions } from './cli.js';
import { unifiedDiff } from './diff.js';
import { resolveConflict, type PlanEntry } from './plan.js';
import type { Prompter } from './prompts.js';
import { BESIDE_DOCKERFILE } from './stacks/common.js';
import type { StackContext } from './stacks/types.js';
import { paint, type Output } from './ui.js';

/**
 * A project's own Dockerfile, in conflict with ours. Keeping it is fine when it
 * has every stage our scripts, compose.yaml, README.Docker.md, bake file and CI
 * name; when it lacks some, keeping it alone would leave commands that fail
 * (`--target production` on a file without that stage). The user then picks
 * what works: ours beside theirs under another name, or theirs without the
 * files that depend on our stages.
 */

/** The stage names a Dockerfile declares (`FROM image AS name`), lower-cased as BuildKit matches them. */
export async function declaredStages(dockerfile: string): Promise<Set<string>> {
  // Loaded only when the project has a Dockerfile of its own in conflict with ours.
  const { readDockerfile } = await import('./dockerfile-reader.js');
  return new Set(readDockerfile(dockerfile).stages.flatMap((stage) => (stage.key === null ? [] : [stage.key])));
}

/** The stages the generated scripts, compose services, bake targets and README commands build. */
export function stagesOurFilesName(context: StackContext): string[] {
  return ['development', 'production', ...context.extraTargets, ...(context.hasTests ? ['test'] : [])];
}

/** The generated files that build a stage by name; they go when the user keeps a Dockerfile without those stages. */
export function namesStages(entry: PlanEntry): boolean {
  // package.json: its docker scripts are merged in (or, for Go and C++, it exists only to hold them).
  if (entry.kind === 'scripts' || entry.path === 'package.json') return true;
  return ['compose.yaml', 'README.Docker.md', 'docker-bake.hcl', '.gitlab-ci.yml'].includes(entry.path) || entry.path.startsWith('.github/workflows/');
}

/** The user's Dockerfile in conflict with ours and the stages it lacks, or undefined (no such conflict, nothing missing). */
async function foreignDockerfile(plan: PlanEntry[], context: StackContext): Promise<{ entry: PlanEntry; existing: string; missing: string[] } | undefined> {
  const entry = plan.find((e) => e.path === 'Dockerfile' && e.action === 'conflict' && !e.upgrade && e.existing !== undefined);
  if (!entry || entry.existing === undefined || context.dockerfile !== 'Dockerfile') return undefined;
  const present = await declaredStages(entry.existing);
  const missing = stagesOurFilesName(context).filter((stage) => !present.has(stage));
  return missing.length ? { entry, existing: entry.existing, missing } : undefined;
}

/** For the no-terminal error: how a run in a terminal keeps both Dockerfiles. */
export async function foreignDockerfileHint(plan: PlanEntry[], context: StackContext): Promise<string | undefined> {
  const found = await foreignDockerfile(plan, context);
  if (!found) return undefined;
  return `Your Dockerfile has no ${found.missing.join(', ')} ${found.missing.length === 1 ? 'stage' : 'stages'}; run in a terminal to keep it and write ours beside it as ${BESIDE_DOCKERFILE}.`;
}

export type ForeignDockerfileDecision = { beside: true } | { beside: false; plan: PlanEntry[]; note?: string };

/**
 * Asks what to do with a Dockerfile of the user's that lacks our stages, before
 * the other conflicts are asked about (`beside` renders every file again).
 * Without a terminal, or when nothing is missing, the plan goes on unchanged:
 * the general conflict handling (and its error without a terminal) applies.
 */
export async function decideForeignDockerfile(
  plan: PlanEntry[],
  context: StackContext,
  options: Pick<CliOptions, 'force' | 'dryRun'>,
  prompter: Prompter | undefined,
  out: Output,
  colorDiff: (diff: string) => string,
): Promise<ForeignDockerfileDecision> {
  if (options.force || options.dryRun || !prompter) return { beside: false, plan };
  const found = await foreignDockerfile(plan, context);
  if (!found) return { beside: false, plan };
  const { entry, existing, missing } = found;

  const dependents = plan.filter(namesStages).map((e) => e.path);
  out.info(
    paint.yellow(
      `Your Dockerfile has no ${missing.map((s) => `\`${s}\``).join(', ')} ${missing.length === 1 ? 'stage' : 'stages'}, which ${dependents.length ? dependents.join(', ') : 'the generated files'} build by name.`,
    ),
  );
  for (;;) {
    const choice = await prompter.select(
      'Dockerfile: what now?',
      [
        { title: `Keep mine, write ours as ${BESIDE_DOCKERFILE}`, value: 'beside', description: `scripts, compose and README use it (docker build -f ${BESIDE_DOCKERFILE})` },
        { title: 'Keep mine, skip the files that need our stages', value: 'skip', description: dependents.join(', ') },
        { title: 'Overwrite mine', value: 'overwrite' },
        { title: 'Show the diff', value: 'diff' },
      ],
      'beside',
    );
    if (choice === 'diff') {
      out.info(colorDiff(unifiedDiff(existing, entry.content, { oldLabel: 'a/Dockerfile', newLabel: 'b/Dockerfile' })));
      continue;
    }
    if (choice === 'beside') return { beside: true };
    if (choice === 'overwrite') return { beside: false, plan: plan.map((e) => (e === entry ? resolveConflict(e, 'overwrite') : e)) };
    return {
      beside: false,
      plan: plan.filter((e) => !namesStages(e)).map((e) => (e === entry ? resolveConflict(e, 'keep') : e)),
      note: `kept your Dockerfile and skipped ${dependents.join(', ') || 'nothing else'}; a later run asks again (choose ${BESIDE_DOCKERFILE} to keep both for good)`,
    };
  }
}
