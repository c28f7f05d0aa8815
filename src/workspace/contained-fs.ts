/**
 * The reads workspace detection makes, all inside one root: files through the
 * guard in safe-fs.ts (regular files only, bounded, never through a link out
 * of the root) and folder listings that check the same containment.
 *
 * Member folders must be real folders: a member reached through a symbolic
 * link is not one. Docker's COPY copies a link as a link, so the member's files
 * would not be in the image where the install expects them, and a link out of
 * the root would make detection read what is not the project's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SKIPPED_DIRS } from '../project.js';
import { decodeUtf8, readProjectFile, realRoot } from '../safe-fs.js';
import { workspaceError, type WorkspaceError } from './types.js';

export type TextRead = { kind: 'missing' } | { kind: 'text'; text: string } | { kind: 'refused'; reason: string };

export function readText(root: string, rel: string): TextRead {
  const read = readProjectFile(root, rel);
  if (read.kind !== 'file') return read;
  const decoded = decodeUtf8(rel, read.bytes);
  return 'text' in decoded ? { kind: 'text', text: decoded.text.replace(/^\uFEFF/, '') } : { kind: 'refused', reason: decoded.reason };
}

export type JsonRead = { kind: 'missing' } | { kind: 'json'; value: Record<string, unknown>; text: string } | { kind: 'error'; error: WorkspaceError };

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A JSON object file; a syntax error names its line (V8 reports the offset in the message). */
export function readJsonObject(root: string, rel: string): JsonRead {
  const read = readText(root, rel);
  if (read.kind === 'missing') return read;
  if (read.kind === 'refused') return { kind: 'error', error: workspaceError(rel, undefined, `cannot be read: ${read.reason}`) };
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const line = position ? lineAt(read.text, Number(position[1])) : undefined;
    return { kind: 'error', error: workspaceError(rel, line, `is not valid JSON (${message.replace(/\s*\(line \d+ column \d+\)$/, '')})`) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'error', error: workspaceError(rel, 1, 'is not a JSON object') };
  return { kind: 'json', value: value as Record<string, unknown>, text: read.text };
}

/** The 1-based line of the first `needle` at or after the first `anchor` (a key), or undefined. */
export function lineOfText(text: string, needle: string, anchor?: string): number | undefined {
  const from = anchor === undefined ? 0 : Math.max(0, text.indexOf(anchor));
  const at = text.indexOf(needle, from);
  return at === -1 ? undefined : lineAt(text, at);
}

function abs(root: string, rel: string): string {
  return rel === '.' ? root : path.join(root, ...rel.split('/'));
}

function within(root: string, real: string): boolean {
  const base = realRoot(root);
  return real === base || real.startsWith(base + path.sep);
}

/**
 * Why `rel` is not a real folder of the root, or undefined when it is: every
 * component is checked without following links, so a link anywhere on the way
 * (even one that stays inside) is named.
 */
export function dirProblem(root: string, rel: string): string | undefined {
  if (rel === '.') return undefined;
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    const shown = parts.slice(0, i + 1).join('/');
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(abs(root, shown));
    } catch {
      return `${shown} does not exist`;
    }
    if (stat.isSymbolicLink()) {
      let target = '';
      try {
        target = fs.readlinkSync(abs(root, shown));
      } catch {
        /* unreadable link */
      }
      return `${shown} is a symbolic link${target ? ` (to ${target})` : ''}, not a folder of the repository`;
    }
    if (!stat.isDirectory()) return `${shown} is not a folder`;
  }
  return undefined;
}

/** True when `rel` names an entry of any kind, link or not (a `.git` file in a worktree counts). */
export function hasEntry(root: string, rel: string): boolean {
  try {
    fs.lstatSync(abs(root, rel));
    return true;
  } catch {
    return false;
  }
}

/** Whether `rel` resolves, through any links, to an entry inside the root that passes `is`. */
function containedEntry(root: string, rel: string, is: (stat: fs.Stats) => boolean): boolean {
  try {
    const real = fs.realpathSync(abs(root, rel));
    return within(root, real) && is(fs.statSync(real));
  } catch {
    return false;
  }
}

/** A folder inside the root, links allowed when they stay inside (Next.js follows them when it looks for `app/`). */
export function isContainedDir(root: string, rel: string): boolean {
  return containedEntry(root, rel, (stat) => stat.isDirectory());
}

export interface Subdirs {
  /** Real sub-folders worth entering, sorted. */
  dirs: string[];
  /** Names of entries that are symbolic links (never followed), sorted. */
  links: string[];
}

/** Build outputs and caches (project.ts's list, less what is hidden or node_modules anyway). */
export function isOutputDir(name: string): boolean {
  return SKIPPED_DIRS.has(name);
}

/**
 * The sub-folders of `rel` that a workspace glob may match: never node_modules
 * or hidden folders (a `*` does not match a leading dot in any workspace manager).
 */
export function listSubdirs(root: string, rel: string): Subdirs {
  const result: Subdirs = { dirs: [], links: [] };
  let entries: fs.Dirent[];
  try {
    if (!within(root, fs.realpathSync(abs(root, rel)))) return result;
    entries = fs.readdirSync(abs(root, rel), { withFileTypes: true });
  } catch {
    return result;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    if (entry.isSymbolicLink()) result.links.push(entry.name);
    else if (entry.isDirectory()) result.dirs.push(entry.name);
  }
  result.dirs.sort();
  result.links.sort();
  return result;
}

/** A regular file inside the root (a link to one inside counts, as the guard reads it). */
export function isContainedFile(root: string, rel: string): boolean {
  return containedEntry(root, rel, (stat) => stat.isFile());
}
