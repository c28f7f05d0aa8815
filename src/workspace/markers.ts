/**
 * The files that make a folder a workspace root: pnpm-workspace.yaml, a
 * package.json with `workspaces`, go.work. Shared by detection (a `**` stops at
 * a nested root) and by the walk up from an app folder (the nearest root wins).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readProjectFile } from '../safe-fs.js';
import { PNPM_WORKSPACE_FILE } from './pnpm-workspace.js';

export type RootMarker = typeof PNPM_WORKSPACE_FILE | 'package.json' | 'go.work';

/** A regular file (or a link to one inside `dir`) named `name` in `dir` that the guard would read. */
function hasFile(dir: string, name: string): boolean {
  const read = readProjectFile(dir, name);
  // A marker that is refused (a link out, a FIFO) is not followed: the folder is not taken for a root on its word.
  return read.kind === 'file';
}

/** True when package.json in `dir` declares workspaces (array or Yarn's `{ packages }` form). */
function declaresWorkspaces(dir: string): boolean {
  const read = readProjectFile(dir, 'package.json');
  if (read.kind !== 'file') return false;
  try {
    const pkg: unknown = JSON.parse(read.bytes.toString('utf8').replace(/^\uFEFF/, ''));
    if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg)) return false;
    const workspaces: unknown = (pkg as Record<string, unknown>)['workspaces'];
    return Array.isArray(workspaces) || (workspaces !== null && typeof workspaces === 'object' && Array.isArray((workspaces as Record<string, unknown>)['packages']));
  } catch {
    return false;
  }
}

/**
 * The root markers in the absolute folder `dir`, in a fixed order. Each file
 * is read through the guard with `dir` as its root, so a marker that is a link
 * leading out of `dir` does not count.
 */
export function rootMarkers(dir: string): RootMarker[] {
  const markers: RootMarker[] = [];
  if (hasFile(dir, PNPM_WORKSPACE_FILE)) markers.push(PNPM_WORKSPACE_FILE);
  if (declaresWorkspaces(dir)) markers.push('package.json');
  if (hasFile(dir, 'go.work')) markers.push('go.work');
  return markers;
}

/** `rel` below `root` is itself a workspace root. */
export function isNestedRoot(root: string, rel: string): boolean {
  return rootMarkers(path.join(root, ...rel.split('/'))).length > 0;
}

/** A `.git` folder, or the `.git` file of a worktree or submodule: the edge of a repository. */
export function isRepositoryTop(dir: string): boolean {
  try {
    fs.lstatSync(path.join(dir, '.git'));
    return true;
  } catch {
    return false;
  }
}
