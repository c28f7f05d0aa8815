import type { Plugin } from '../plugin.js';
import type { Project } from '../project.js';
import type { RenderedFile } from '../render.js';
import type { AnyStack } from '../stacks/types.js';
import { readStamp, type Stamp } from '../upgrade/stamp.js';
import type { TemplateSource } from '../upgrade/templates.js';
import { renderRecorded } from '../upgrade/upgrade.js';
import { generatedDockerfile } from '../stacks/common.js';

/**
 * as-generated: the file is what its recorded answers render;
 * edited: the user changed it; outdated: the current templates render those
 * answers differently (a re-run would bring a change); edited+outdated: both;
 * missing: it was generated and is gone; unknown: the record cannot be
 * rendered again (an older version offline, another kit).
 */
export type DriftState = 'as-generated' | 'edited' | 'outdated' | 'edited+outdated' | 'missing' | 'unknown';

export interface FileDrift {
  path: string;
  state: DriftState;
}

export interface DriftReport {
  /** What the Dockerfile's stamp records; absent when the project has no stamped Dockerfile. */
  generated?: { stack: string; version: string; kit?: { name: string; version: string } };
  files: FileDrift[];
  notes: string[];
}

/** The stamp's version line differs between any two versions by design: it is no drift. */
const withoutVersionLine = (text: string): string => text.replace(/^(?:# |<!-- )create-multistage-version: .*$/m, '');

function contentOf(files: RenderedFile[], rel: string): string | undefined {
  return files.find((file) => file.path === rel)?.content;
}

/** The file on disk for a generated path: the path itself, or a name that stands for it (docker-compose.yml). */
function onDisk(project: Project, file: RenderedFile): { path: string; text: string } | undefined {
  for (const rel of [file.path, ...(file.aliases ?? [])]) {
    const text = project.readText(rel);
    if (text !== undefined) return { path: rel, text };
  }
  return undefined;
}

/**
 * Drift of every generated file: the Dockerfile's stamp rendered with the
 * recorded version's templates (what was written) and with the current ones
 * (what a re-run writes), each compared with the disk. No network unless the
 * recorded version is not the running one and not cached.
 */
export async function driftOf(project: Project, stacks: AnyStack[], plugin: Plugin | undefined, source: TemplateSource): Promise<DriftReport> {
  const dockerfile = project.readText(generatedDockerfile(project));
  const stamp: Stamp | undefined = dockerfile === undefined ? undefined : readStamp(dockerfile);
  if (!stamp) return { files: [], notes: dockerfile === undefined ? [] : ['Dockerfile carries no create-multistage stamp: only the rule checks apply'] };
  const stackId = /--stack (\S+)/.exec(stamp.answers)?.[1] ?? '';
  const generated = { stack: stackId, version: stamp.version, ...(stamp.kit ? { kit: stamp.kit } : {}) };
  const stack = stacks.find((s) => s.id === stackId);
  if (!stack) return { generated, files: [], notes: [`the stamp names the stack "${stackId}", which this version does not know`] };
  const detection = await stack.detect(project);
  const recipe = { project, stack, detection, mode: 'existing' as const, ...(plugin ? { plugin } : {}), source };
  const recorded = await renderRecorded(stamp, recipe);
  const current = stamp.version === source.version ? recorded : await renderRecorded({ ...stamp, version: source.version }, recipe);
  const notes: string[] = [];
  if ('note' in recorded) notes.push(`cannot render what ${stamp.version} generated: ${recorded.note}`);
  if ('note' in current) {
    notes.push(current.note);
    return { generated, files: [], notes };
  }
  const files: FileDrift[] = [];
  for (const file of current.files) {
    const disk = onDisk(project, file);
    if (!disk) {
      files.push({ path: file.path, state: 'missing' });
      continue;
    }
    if ('note' in recorded) {
      files.push({ path: disk.path, state: disk.text === file.content ? 'as-generated' : 'unknown' });
      continue;
    }
    const base = contentOf(recorded.files, file.path);
    const edited = base === undefined ? disk.text !== file.content : disk.text !== base;
    const outdated = base === undefined || withoutVersionLine(base) !== withoutVersionLine(file.content);
    files.push({ path: disk.path, state: edited && outdated ? 'edited+outdated' : edited ? 'edited' : outdated ? 'outdated' : 'as-generated' });
  }
  return { generated, files, notes };
}
