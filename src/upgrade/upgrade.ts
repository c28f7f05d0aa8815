import fs from 'node:fs';
import { resolveAnswers } from '../answers.js';
import { render } from '../pipeline.js';
import type { Plugin, StackPlugin } from '../plugin.js';
import type { PlanEntry } from '../plan.js';
import type { Project } from '../project.js';
import type { RenderedFile } from '../render.js';
import type { Answers, AnyDetection, Mode, AnyStack } from '../stacks/types.js';
import { threeWayMerge } from './merge.js';
import { scriptsFor } from '../scripts.js';
import { parseAnswers, readStamp, stampFiles, stampFor, type Stamp } from './stamp.js';
import { defaultCacheDir, templatesForVersion, type TemplateSource } from './templates.js';
import { TOOL_VERSION } from './version.js';
import { defaultNpmRunner } from '../npm.js';
import { TEMPLATES_DIR } from '../render.js';
import { generatedDockerfile } from '../stacks/common.js';

/** What a three-way conflict carries for its resolution (kept apart from the two-way conflict of plan.ts). */
export interface UpgradeConflict {
  /** The file as the recorded answers and version rendered it. */
  base: string;
  /** The merge with conflict markers, written only when the user picks it. */
  markers: string;
  /** 1-based line ranges of the conflicts in `markers`. */
  regions: { start: number; end: number }[];
  recordedVersion: string;
}

export interface RunRecipe {
  project: Project;
  stack: AnyStack;
  detection: AnyDetection;
  mode: Mode;
  /** The run's plugin (kit), if any; its `atVersion` gives the one an older stamp names. */
  plugin?: Plugin;
  source: TemplateSource;
}

/** Renders the Docker files as `stamp` says they were made: its answers, its version's templates, its kit. */
export async function renderRecorded(stamp: Stamp, recipe: RunRecipe): Promise<{ files: RenderedFile[]; scripts: Record<string, string> } | { note: string }> {
  const { stack } = recipe;
  const parsed = parseAnswers(stamp.answers);
  if (parsed.stack !== stack.id) return { note: `it was generated for the ${parsed.stack ?? 'unknown'} stack` };
  const pluginAt = recordedPlugin(stamp, recipe);
  if ('note' in pluginAt) return pluginAt;
  const plugin = pluginAt.plugin;
  const templates = templatesForVersion(stamp.version, recipe.source);
  if ('note' in templates) return templates;
  try {
    // Detection is shared with this run; the recorded answers win over it as flags would.
    const detection: AnyDetection = { ...recipe.detection, values: { ...recipe.detection.values }, notes: [] };
    const resolved = await resolveAnswers({
      stackId: stack.id,
      questions: stack.questions,
      flags: parsed.flags,
      detection,
      mode: recipe.mode,
      yes: true,
      ...(plugin ? { plugin: { name: plugin.identity.name, ...plugin.answers }, force: true } : {}),
    });
    const answers: Answers = { ...resolved.answers, compose: !parsed.noCompose };
    const rendered = await render(stack, { answers, detection, project: recipe.project, mode: recipe.mode }, plugin, templates.templatesDir);
    return { files: stampFiles(rendered.docker, stampFor(rendered.context.header, stamp.version, plugin?.identity)), scripts: scriptsFor(stack, rendered.context) };
  } catch (error) {
    return { note: `its recorded answers do not render with version ${stamp.version} (${(error as Error).message.split('\n')[0]})` };
  }
}

function isRegularFile(project: Project, rel: string): boolean {
  try {
    return fs.lstatSync(project.abs(rel)).isFile();
  } catch {
    return false;
  }
}

/** A rendered file's content by its path or any alias it stands for (compose.yaml ↔ docker-compose.yml). */
function lookup(files: RenderedFile[], rel: string): string | undefined {
  return files.find((file) => file.path === rel || file.aliases?.includes(rel))?.content;
}

/**
 * Turns the two-way conflicts of generated files into three-way merges: the
 * file's stamp says how it was made; rendered again, that is the base. A file
 * the user did not edit takes the new render; edits on other lines than the
 * template's change are kept (a `merge` entry); overlapping ones stay a
 * conflict carrying the marked-up merge. Anything that cannot be reproduced
 * (an older version offline, another kit) stays a two-way conflict, with a note.
 */
export async function upgradePlan(plan: PlanEntry[], recipe: RunRecipe): Promise<{ plan: PlanEntry[]; notes: string[] }> {
  const notes: string[] = [];
  const bases = new Map<string, Awaited<ReturnType<typeof renderRecorded>>>();
  const out: PlanEntry[] = [];
  for (const entry of plan) {
    if (entry.kind === 'scripts' && entry.action === 'conflict') {
      out.push(await upgradeScripts(entry, recipe, bases));
      continue;
    }
    const stamp = entry.action === 'conflict' && entry.kind === 'docker' && entry.existing !== undefined && isRegularFile(recipe.project, entry.path) ? readStamp(entry.existing) : undefined;
    if (!stamp) {
      out.push(entry);
      continue;
    }
    const key = JSON.stringify(stamp);
    if (!bases.has(key)) bases.set(key, await renderRecorded(stamp, recipe));
    const base = bases.get(key)!;
    if ('note' in base) {
      notes.push(`${entry.path}: cannot tell your edits from the template's (${base.note}); it is handled as a plain conflict`);
      out.push(entry);
      continue;
    }
    const baseContent = lookup(base.files, entry.path);
    if (baseContent === undefined) {
      out.push(entry);
      continue;
    }
    const existing = entry.existing!;
    if (baseContent === existing) {
      out.push({ ...entry, action: 'merge', reason: `not edited since ${stamp.version}; takes the new render` });
      continue;
    }
    const merged = threeWayMerge(baseContent, entry.content, existing, { mine: `yours (${entry.path})`, theirs: 'create-multistage' });
    if (!merged.conflict) {
      out.push({ ...entry, action: 'merge', content: merged.text, reason: 'your edits kept, the template change merged in' });
      continue;
    }
    const lines = merged.conflicts.map((c) => (c.start === c.end ? `${c.start}` : `${c.start}-${c.end}`)).join(', ');
    out.push({
      ...entry,
      reason: `${entry.path}: your edits and the template change overlap (${merged.conflicts.length === 1 ? 'lines' : 'regions at lines'} ${lines} of the merge)`,
      upgrade: { base: baseContent, markers: merged.text, regions: merged.conflicts, recordedVersion: stamp.version },
    });
  }
  return { plan: out, notes };
}

export interface TemplateSourceOptions {
  env: NodeJS.ProcessEnv;
  /** Tests pose as another version with another templates folder. */
  version?: string;
  templatesDir?: string;
  npm?: TemplateSource['npm'];
  cacheDir?: string;
}

export function templateSource(options: TemplateSourceOptions): TemplateSource {
  return {
    version: options.version ?? TOOL_VERSION,
    templatesDir: options.templatesDir ?? TEMPLATES_DIR,
    npm: options.npm ?? defaultNpmRunner(options.env),
    cacheDir: options.cacheDir ?? defaultCacheDir(options.env),
  };
}

/**
 * package.json carries no stamp, but its docker scripts come from the same
 * answers: a script that still holds what the recorded answers made is ours to
 * update (a new port changes `docker:start`); one the user changed stays a conflict.
 */
async function upgradeScripts(entry: PlanEntry, recipe: RunRecipe, bases: Map<string, Awaited<ReturnType<typeof renderRecorded>>>): Promise<PlanEntry> {
  const dockerfile = recipe.project.readText(generatedDockerfile(recipe.project));
  const stamp = dockerfile === undefined ? undefined : readStamp(dockerfile);
  if (!stamp || entry.existing === undefined) return entry;
  const key = JSON.stringify(stamp);
  if (!bases.has(key)) bases.set(key, await renderRecorded(stamp, recipe));
  const base = bases.get(key)!;
  if ('note' in base) return entry;
  const scriptsOf = (text: string): Record<string, unknown> => {
    try {
      const scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
      return scripts !== null && typeof scripts === 'object' ? (scripts as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const mine = scriptsOf(entry.existing);
  const theirs = scriptsOf(entry.content);
  const changed = Object.keys(theirs).filter((name) => mine[name] !== undefined && mine[name] !== theirs[name]);
  if (changed.length === 0 || !changed.every((name) => mine[name] === base.scripts[name])) return entry;
  return { ...entry, action: 'merge', reason: `${changed.map((name) => `"${name}"`).join(', ')} updated: unchanged since the recorded answers made ${changed.length === 1 ? 'it' : 'them'}` };
}

/**
 * The plugin (kit) as it was when the file was generated: the run's own when
 * the stamp names the same version; the plugin's `atVersion` when it names
 * another version of the same kit; a note when the kits differ or that version
 * is not to be had.
 */
function recordedPlugin(stamp: Stamp, recipe: RunRecipe): { plugin?: StackPlugin } | { note: string } {
  const current = recipe.plugin?.identity;
  const usedKit = current ? `${current.name} ${current.version}` : 'no kit';
  const wanted = stamp.kit ? `${stamp.kit.name} ${stamp.kit.version}` : 'no kit';
  if (usedKit === wanted) return recipe.plugin ? { plugin: recipe.plugin.forStack(recipe.stack) } : {};
  const differ = { note: `it was generated with ${wanted === 'no kit' ? 'no kit' : `kit ${wanted}`}, this run uses ${usedKit === 'no kit' ? 'none' : `kit ${usedKit}`}` };
  if (!stamp.kit || !recipe.plugin || recipe.plugin.identity.name !== stamp.kit.name) return differ;
  const older = recipe.plugin.atVersion(stamp.kit.version, recipe.stack, { projectDir: recipe.project.dir, npm: recipe.source.npm });
  if (!older) return differ;
  return 'note' in older ? older : { plugin: older };
}
