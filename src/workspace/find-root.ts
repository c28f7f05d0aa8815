/**
 * "Run inside an app's folder": find the workspace root above a start folder
 * and the member that holds it, so the root becomes the build context.
 *
 * This is the one place where create-multistage reads above the folder it was
 * pointed at. It has to: the root that holds the lockfile and the member list
 * is above the app by definition. The walk reads nothing but the three marker
 * files (pnpm-workspace.yaml, package.json for its `workspaces` field, go.work),
 * each through the guard with its own folder as the root, so a marker that is
 * a link leading elsewhere does not count. It stops at the first marker (the
 * nearest root wins, as pnpm, npm and Go do), at a repository's top (a `.git`
 * folder or file: a workspace does not span repositories), at the filesystem
 * root, or after MAX_LEVELS_UP folders. Everything read after that is read
 * below the root found, through the contained readers.
 */
import path from 'node:path';
import { realRoot } from '../safe-fs.js';
import { detectWorkspace } from './detect.js';
import { isRepositoryTop, rootMarkers, type RootMarker } from './markers.js';
import type { EnclosingWorkspace, Result, WorkspaceMember } from './types.js';

export const MAX_LEVELS_UP = 32;

export interface FoundRoot {
  /** Absolute real path of the nearest folder with a root marker. */
  root: string;
  markers: RootMarker[];
}

/** The nearest workspace root at or above `start`, or undefined. Reads only the marker files. */
export function findWorkspaceRoot(start: string): FoundRoot | undefined {
  let dir = realRoot(start);
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const markers = rootMarkers(dir);
    if (markers.length > 0) return { root: dir, markers };
    if (isRepositoryTop(dir)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** The deepest member whose folder holds `rel` (a member at '.' holds everything). */
export function memberContaining(members: readonly WorkspaceMember[], rel: string): WorkspaceMember | undefined {
  let best: WorkspaceMember | undefined;
  for (const member of members) {
    const holds = member.dir === '.' || rel === member.dir || rel.startsWith(`${member.dir}/`);
    if (holds && (best === undefined || best.dir === '.' || member.dir.length > best.dir.length)) best = member;
  }
  return best;
}

/**
 * The workspace enclosing `start` (which may be the root itself), the start
 * folder relative to its root and the member holding it; undefined when no
 * workspace encloses it.
 */
export async function enclosingWorkspace(start: string): Promise<Result<EnclosingWorkspace | undefined>> {
  const found = findWorkspaceRoot(start);
  if (found === undefined) return { ok: true, value: undefined };
  const detected = await detectWorkspace(found.root);
  if (!detected.ok) return detected;
  if (detected.value === undefined) return { ok: true, value: undefined };
  const startRel = path.relative(found.root, realRoot(start)).split(path.sep).join('/') || '.';
  return { ok: true, value: { workspace: detected.value, startRel, member: memberContaining(detected.value.members, startRel) } };
}
