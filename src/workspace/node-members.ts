/**
 * Node members of a workspace: each matched folder's package.json, whether it
 * is a Next.js app, and its edges to other members.
 */
import { isContainedDir, readJsonObject } from './contained-fs.js';
import { manifestDependencies, nodeEdges, type MemberIndex } from './node-deps.js';
import { workspaceError, type NodeMember, type Result, type WorkspaceError } from './types.js';

/**
 * Folders Next.js looks in for routes. A package with `next` in its
 * dependencies but no router folder is a library built for Next.js (a UI kit,
 * a config package), not an app: it serves nothing on its own.
 */
export const NEXT_ROUTER_DIRS = ['app', 'pages', 'src/app', 'src/pages'] as const;

function manifestFile(dir: string): string {
  return dir === '.' ? 'package.json' : `${dir}/package.json`;
}

interface ReadManifest {
  dir: string;
  listedBy: string;
  pkg: Record<string, unknown>;
  text: string;
}

/** Reads every member's package.json, classifies it and resolves its internal dependencies. */
export function nodeMembers(root: string, found: { dir: string; listedBy: string }[]): Result<NodeMember[]> {
  const errors: WorkspaceError[] = [];
  const manifests: ReadManifest[] = [];
  for (const { dir, listedBy } of found) {
    const read = readJsonObject(root, manifestFile(dir));
    if (read.kind === 'error') errors.push(read.error);
    else if (read.kind === 'json') manifests.push({ dir, listedBy, pkg: read.value, text: read.text });
  }

  // Two members with one name make every `workspace:` reference to it ambiguous; npm and Yarn refuse it too.
  const byName = new Map<string, string>();
  for (const { dir, pkg, text } of manifests) {
    const name = typeof pkg['name'] === 'string' ? pkg['name'] : '';
    if (name === '') continue;
    const other = byName.get(name);
    if (other !== undefined) {
      errors.push(workspaceError(manifestFile(dir), lineOfName(text), `the package name ${JSON.stringify(name)} is also used by ${manifestFile(other)}: names in a workspace must be unique`));
      continue;
    }
    byName.set(name, dir);
  }
  const index: MemberIndex = { byName, dirs: new Set(manifests.map((m) => m.dir)) };

  const members: NodeMember[] = [];
  for (const { dir, listedBy, pkg, text } of manifests) {
    const manifest = manifestDependencies(pkg);
    const edges = nodeEdges(dir, manifest, text, index);
    errors.push(...edges.errors);
    const nextVersion = manifest.dependencies['next'] ?? manifest.devDependencies['next'];
    const routerDirs = nextVersion === undefined ? [] : NEXT_ROUTER_DIRS.filter((sub) => isContainedDir(root, dir === '.' ? sub : `${dir}/${sub}`));
    const member: NodeMember = {
      ecosystem: 'node',
      name: typeof pkg['name'] === 'string' ? pkg['name'] : '',
      dir,
      kind: nextVersion !== undefined && routerDirs.length > 0 ? 'nextjs-app' : 'library',
      version: typeof pkg['version'] === 'string' ? pkg['version'] : '',
      manifest,
      internal: edges.internal,
      localPaths: edges.localPaths,
      listedBy,
    };
    if (member.kind === 'nextjs-app') member.next = { version: nextVersion!, routerDirs };
    members.push(member);
  }
  if (errors.length > 0) return { ok: false, errors: errors as [WorkspaceError, ...WorkspaceError[]] };
  return { ok: true, value: members };
}

function lineOfName(text: string): number | undefined {
  const at = text.search(/"name"\s*:/);
  return at === -1 ? undefined : text.slice(0, at).split('\n').length;
}
