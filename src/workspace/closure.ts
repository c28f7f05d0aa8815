/**
 * Apps and the members each one needs: the transitive closure of the
 * internal-dependency edges. An app may need another app (a shared route
 * package published by one app, a Go service importing another's client);
 * cycles are legal in the graph (pnpm warns, Go forbids only import cycles
 * between packages), so the walk keeps a visited set and always ends.
 */
import { rootMainName } from '../stacks/go-detect.js';
import { toProjectName } from '../validate.js';
import type { WorkspaceApp, WorkspaceMember } from './types.js';

/** Every member directory reachable from `start` (not `start` itself), sorted. */
export function closureOf(start: string, edges: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const next of edges.get(queue.shift()!) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  seen.delete(start);
  return [...seen].sort();
}

/** The folder's last name as a target (`apps/web` → `web`); the root member is named after its package or module. */
function baseTarget(member: WorkspaceMember): string {
  if (member.dir !== '.') return toProjectName(member.dir.split('/').pop()!) ?? 'app';
  return (member.ecosystem === 'go' ? rootMainName(member.modulePath) : toProjectName(member.name)) ?? 'app';
}

export function workspaceApps(members: WorkspaceMember[]): WorkspaceApp[] {
  const edges = new Map(members.map((m) => [m.dir, m.internal.map((d) => d.dir)]));
  const byDir = new Map(members.map((m) => [m.dir, m]));
  const apps: WorkspaceApp[] = [];
  const taken = new Set<string>();
  for (const member of [...members].sort((a, b) => (a.dir < b.dir ? -1 : 1))) {
    if (member.kind === 'library') continue;
    // Two apps can share a folder name (apps/web and legacy/web): the later one, in sorted order, gets a suffix.
    const base = baseTarget(member);
    let target = base;
    for (let n = 2; taken.has(target); n++) target = `${base}-${n}`;
    taken.add(target);
    const closure = closureOf(member.dir, edges);
    const localPaths = new Set<string>(member.localPaths);
    for (const dir of closure) for (const local of byDir.get(dir)?.localPaths ?? []) localPaths.add(local);
    apps.push({ dir: member.dir, target, kind: member.kind, ecosystem: member.ecosystem, closure, localPaths: [...localPaths].sort() });
  }
  return apps;
}
