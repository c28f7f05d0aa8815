import fs from 'node:fs';
import { mergeScripts, PackageJsonError } from './package-json.js';
import type { Project } from './project.js';
import type { RenderedFile } from './render.js';
import type { UpgradeConflict } from './upgrade/upgrade.js';
import { decodeUtf8, readProjectFile, writePathProblem } from './safe-fs.js';
import { compareNames } from './compare-names.js';

/**
 * create: the file does not exist; identical: same bytes already there;
 * merge: package.json gains scripts, nothing existing changes;
 * conflict: the file exists and differs (the user decides);
 * overwrite / keep: a conflict after the user (or --force) decided;
 * blocked: cannot be written at all (a directory in the way).
 */
export type Action = 'create' | 'identical' | 'merge' | 'conflict' | 'overwrite' | 'keep' | 'blocked';

export interface PlanEntry {
  path: string;
  action: Action;
  kind: RenderedFile['kind'] | 'scripts' | 'edit';
  /** What the file will hold if written (for a conflict: if overwritten). */
  content: string;
  /** What is there now, when something is. */
  existing?: string;
  /** Why it is a conflict or blocked. */
  reason?: string;
  /** For a package.json conflict, "keep" still adds the new scripts: this is the text then. */
  keepContent?: string;
  /** Script names this entry adds (package.json only). */
  scriptsAdded?: string[];
  /** A generated file whose edits overlap the template's change (three-way merge; see upgrade/). */
  upgrade?: UpgradeConflict;
  /** `content` holds bytes, one per character (a kit's binary file): written as bytes. */
  binary?: boolean;
}

export const WRITES: ReadonlySet<Action> = new Set<Action>(['create', 'merge', 'overwrite']);

interface Existing {
  kind: 'none' | 'file' | 'symlink' | 'other';
  /** The text read (lenient UTF-8), when it could be read. */
  text?: string;
  /** The bytes read, when they could be read. */
  bytes?: Buffer;
  /** Where a symbolic link points, as written in the link. */
  linkTarget?: string;
  /** Why the bytes are not text we may rewrite (not UTF-8, FIFO, too big...). */
  unreadable?: string;
}

function classifyExisting(project: Project, rel: string): Existing {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(project.abs(rel));
  } catch {
    return { kind: 'none' };
  }
  if (stat.isSymbolicLink()) {
    let linkTarget = '';
    try {
      linkTarget = fs.readlinkSync(project.abs(rel));
    } catch {
      /* unreadable link: named without its target */
    }
    // Read through the link only when it stays inside the project (the guard checks).
    const read = readProjectFile(project.dir, rel);
    return read.kind === 'file' ? { kind: 'symlink', linkTarget, bytes: read.bytes, text: read.bytes.toString('utf8') } : { kind: 'symlink', linkTarget };
  }
  if (!stat.isFile()) return { kind: 'other' };
  const read = readProjectFile(project.dir, rel);
  if (read.kind !== 'file') return { kind: 'file', unreadable: read.kind === 'refused' ? read.reason : `${rel} vanished while planning` };
  const decoded = decodeUtf8(rel, read.bytes);
  return { kind: 'file', bytes: read.bytes, text: read.bytes.toString('utf8'), ...('reason' in decoded ? { unreadable: decoded.reason } : {}) };
}

/** The same text apart from the line-ending style (a checkout with Git's autocrlf). */
function sameIgnoringLineEndings(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

/** `content` in the line-ending style of `existing`: a CRLF file stays CRLF when it is rewritten. */
function inStyleOf(existing: string, content: string): string {
  const crlf = (existing.match(/\r\n/g) ?? []).length;
  const lf = (existing.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? content.replace(/\r?\n/g, '\r\n') : content;
}

/** Write bits are what matter, not access(2): root may write anything, but a 0444 file was made read-only on purpose. */
function isReadOnly(project: Project, rel: string): boolean {
  try {
    return (fs.statSync(project.abs(rel)).mode & 0o222) === 0;
  } catch {
    return false;
  }
}

export function planFile(project: Project, file: RenderedFile): PlanEntry {
  const candidates = [file.path, ...(file.aliases ?? [])];
  const outside = writePathProblem(project.dir, file.path);
  if (outside) return { path: file.path, kind: file.kind, content: file.content, action: 'blocked', reason: outside };
  const present = candidates.find((rel) => classifyExisting(project, rel).kind !== 'none');
  const target = present ?? file.path;
  const existing = classifyExisting(project, target);
  const base = { path: target, kind: file.kind, content: file.content, ...(file.binary ? { binary: true } : {}) };
  switch (existing.kind) {
    case 'none':
      return { ...base, action: 'create' };
    case 'other':
      return { ...base, action: 'blocked', reason: `${target} exists and is not a regular file` };
    case 'symlink':
      return {
        ...base,
        action: 'conflict',
        ...(existing.text !== undefined ? { existing: existing.text } : {}),
        reason: `${target} is a symbolic link${existing.text === undefined ? ' pointing outside the project' : ''}; overwriting replaces the link, not what it points to`,
      };
    case 'file': {
      if (existing.bytes === undefined) return { ...base, action: 'blocked', reason: existing.unreadable! };
      if (file.binary) {
        // A kit's binary file is compared byte for byte (its content holds one byte per character).
        const same = existing.bytes.equals(Buffer.from(file.content, 'latin1'));
        if (same) return { ...base, action: 'identical', existing: existing.bytes.toString('latin1') };
        return isReadOnly(project, target)
          ? { ...base, action: 'keep', existing: existing.bytes.toString('latin1'), reason: `${target} is read-only and differs; kept as it is` }
          : { ...base, action: 'conflict', existing: existing.bytes.toString('latin1'), reason: `${target} exists and differs (binary)` };
      }
      const text = existing.text!;
      if (text === file.content) return { ...base, action: 'identical', existing: text };
      if (existing.unreadable === undefined && sameIgnoringLineEndings(text, file.content)) return { ...base, action: 'identical', existing: text };
      if (isReadOnly(project, target)) {
        // A read-only file says "do not touch": keep it, even with --force, and say so.
        return { ...base, action: 'keep', existing: text, reason: `${target} is read-only and differs; kept as it is (make it writable to let create-multistage update it)` };
      }
      return {
        ...base,
        content: inStyleOf(text, file.content),
        action: 'conflict',
        existing: text,
        reason: `${target === file.path ? `${target} exists and differs` : `${target} exists and differs (it stands for ${file.path})`}${existing.unreadable ? ` (${existing.unreadable})` : ''}`,
      };
    }
  }
}

/**
 * package.json: scripts are merged into what is there (or into the new app's
 * package.json), keeping formatting and every existing script. A script of the
 * same name with another command is a conflict; "keep" still adds the others.
 */
export function planPackageJson(project: Project, scripts: Record<string, string>, fallback: { content: string; kind: RenderedFile['kind'] }): PlanEntry {
  const rel = 'package.json';
  const existing = classifyExisting(project, rel);
  if (existing.kind === 'other') return { path: rel, kind: 'scripts', action: 'blocked', content: '', reason: 'package.json exists and is not a regular file' };
  if (existing.kind === 'symlink' && existing.text === undefined) {
    return { path: rel, kind: 'scripts', action: 'blocked', content: '', reason: 'package.json is a symbolic link pointing outside the project' };
  }
  if (existing.kind === 'symlink') {
    // Merging would replace the link with a file and leave its target as it was: the user decides, like for a linked Dockerfile.
    let merged: ReturnType<typeof mergeScripts>;
    try {
      merged = mergeScripts(existing.text!, scripts, { fileName: rel, overwriteConflicts: true });
    } catch (error) {
      if (error instanceof PackageJsonError) return { path: rel, kind: 'scripts', action: 'blocked', existing: existing.text!, content: existing.text!, reason: error.message };
      throw error;
    }
    return {
      path: rel,
      kind: 'scripts',
      action: 'conflict',
      existing: existing.text!,
      content: merged.text,
      reason: `package.json is a symbolic link to ${existing.linkTarget}; scripts are not merged through a link (point the command at the real folder, or overwriting replaces the link, not what it points to)`,
    };
  }
  if (existing.unreadable) return { path: rel, kind: 'scripts', action: 'blocked', content: '', reason: existing.unreadable };
  if (existing.text === undefined) {
    const merged = mergeScripts(fallback.content, scripts, { fileName: rel });
    return { path: rel, kind: fallback.kind, action: 'create', content: merged.text, scriptsAdded: merged.added };
  }
  let keep: ReturnType<typeof mergeScripts>;
  try {
    keep = mergeScripts(existing.text, scripts, { fileName: rel });
  } catch (error) {
    // A broken package.json is the user's to fix; we name the position and touch nothing.
    if (error instanceof PackageJsonError) return { path: rel, kind: 'scripts', action: 'blocked', existing: existing.text, content: existing.text, reason: error.message };
    throw error;
  }
  if ((keep.changed || keep.conflicts.length > 0) && isReadOnly(project, rel)) {
    return { path: rel, kind: 'scripts', action: 'keep', existing: existing.text, content: existing.text, reason: 'package.json is read-only; the docker scripts were not added' };
  }
  if (keep.conflicts.length > 0) {
    const overwrite = mergeScripts(existing.text, scripts, { fileName: rel, overwriteConflicts: true });
    const names = keep.conflicts.map((c) => `"${c.name}"`).join(', ');
    return {
      path: rel,
      kind: 'scripts',
      action: 'conflict',
      existing: existing.text,
      content: overwrite.text,
      keepContent: keep.text,
      scriptsAdded: keep.added,
      reason: `package.json already has ${keep.conflicts.length === 1 ? 'script' : 'scripts'} ${names} with a different command`,
    };
  }
  if (!keep.changed) return { path: rel, kind: 'scripts', action: 'identical', existing: existing.text, content: existing.text };
  return { path: rel, kind: 'scripts', action: 'merge', existing: existing.text, content: keep.text, scriptsAdded: keep.added };
}

/**
 * An edit of the user's own file that they asked for (`--standalone` adds
 * output: 'standalone' to next.config): a merge, written with the rest of the
 * plan and shown as a diff. The file must still hold what the edit was made
 * from; anything else blocks the run.
 */
export function planSourceEdit(project: Project, edit: { path: string; content: string; reason: string }, basedOn: string): PlanEntry {
  const existing = classifyExisting(project, edit.path);
  if (existing.kind !== 'file' || existing.text !== basedOn) {
    return { path: edit.path, kind: 'edit', action: 'blocked', content: edit.content, reason: `${edit.path} changed while the plan was made` };
  }
  if (isReadOnly(project, edit.path)) {
    return { path: edit.path, kind: 'edit', action: 'keep', existing: existing.text, content: existing.text, reason: `${edit.path} is read-only; not edited (${edit.reason})` };
  }
  return { path: edit.path, kind: 'edit', action: 'merge', existing: existing.text, content: edit.content, reason: edit.reason };
}

/** The final content of an entry after a conflict decision, or undefined when nothing is written. */
export function contentToWrite(entry: PlanEntry): string | undefined {
  if (WRITES.has(entry.action)) return entry.content;
  if (entry.action === 'keep' && entry.keepContent !== undefined && entry.keepContent !== entry.existing) return entry.keepContent;
  return undefined;
}

export function resolveConflict(entry: PlanEntry, decision: 'keep' | 'overwrite'): PlanEntry {
  return { ...entry, action: decision };
}

export function sortPlan(entries: PlanEntry[]): PlanEntry[] {
  return [...entries].sort((a, b) => a.path.split('/').length - b.path.split('/').length || compareNames(a.path, b.path));
}
