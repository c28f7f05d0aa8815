/**
 * Which dependencies of a workspace package are other members (or local paths
 * inside the repository), from the specs in its package.json.
 *
 * A plain version or range (`*`, `^1.0.0`) naming a member counts as that
 * member without checking that the version fits: npm, Yarn and bun link the
 * member when it does, and pnpm when `link-workspace-packages` is on. Counting
 * one too many copies an extra package into an image (a cache miss at worst);
 * counting one too few breaks the build, so the check errs on the safe side.
 */
import path from 'node:path';
import { lineOfText } from './contained-fs.js';
import { workspaceError, type InternalDependency, type NodeDependencies, type WorkspaceError } from './types.js';

export const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
export type DependencyField = (typeof DEPENDENCY_FIELDS)[number];

/** The string-valued entries of each dependency field; anything else in them is ignored as the managers do. */
export function manifestDependencies(pkg: Record<string, unknown>): NodeDependencies {
  const read = (field: DependencyField): Record<string, string> => {
    const value = pkg[field];
    const out: Record<string, string> = {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
    for (const [name, spec] of Object.entries(value)) if (typeof spec === 'string') out[name] = spec;
    return out;
  };
  return { dependencies: read('dependencies'), devDependencies: read('devDependencies'), optionalDependencies: read('optionalDependencies'), peerDependencies: read('peerDependencies') };
}

export type SpecTarget =
  | { kind: 'member'; dir: string }
  /** A folder or tarball inside the repository that is not a member. */
  | { kind: 'path'; path: string }
  | { kind: 'external' }
  | { kind: 'error'; text: string };

/** Protocols that always come from elsewhere (a registry, git, a URL, a pnpm catalog). */
const EXTERNAL = /^(?:npm:|jsr:|catalog:|git(?:\+[a-z]+)?:|github:|gitlab:|bitbucket:|gist:|https?:|patch:|exec:)/;

export interface MemberIndex {
  /** Package name → member dir. */
  byName: ReadonlyMap<string, string>;
  dirs: ReadonlySet<string>;
}

function localPath(memberDir: string, spec: string, raw: string, index: MemberIndex): SpecTarget {
  if (path.posix.isAbsolute(spec) || /^[A-Za-z]:[\\/]/.test(spec)) return { kind: 'error', text: `${raw} is an absolute path: the build context is the workspace root, so use a path inside it` };
  const target = path.posix.normalize(path.posix.join(memberDir, spec)).replace(/\/+$/, '') || '.';
  if (target === '..' || target.startsWith('../')) return { kind: 'error', text: `${raw} points outside the workspace root: the build context is the root, so the image cannot see it` };
  return index.dirs.has(target) ? { kind: 'member', dir: target } : { kind: 'path', path: target };
}

/** What one dependency spec of the member at `memberDir` points to. */
export function resolveSpec(name: string, spec: string, memberDir: string, index: MemberIndex): SpecTarget {
  const raw = `"${name}": "${spec}"`;
  if (spec.startsWith('workspace:')) {
    const rest = spec.slice('workspace:'.length);
    if (rest.startsWith('.') || rest.startsWith('/')) return localPath(memberDir, rest, raw, index);
    // pnpm's alias form: `"my-ui": "workspace:@acme/ui@*"` installs the member @acme/ui under another name.
    const alias = /^(@[^/@]+\/[^@]+|[^@][^@]*)@(.*)$/.exec(rest);
    const wanted = alias ? alias[1]! : name;
    const dir = index.byName.get(wanted);
    if (dir === undefined) return { kind: 'error', text: `${raw} names ${wanted}, which is no package of the workspace` };
    return { kind: 'member', dir };
  }
  const protocol = /^(file|link|portal):(.*)$/.exec(spec);
  if (protocol) return localPath(memberDir, protocol[2]!, raw, index);
  // npm reads a bare relative or absolute path as a folder dependency, like `file:`.
  if (/^(?:\.{1,2}\/|\/)/.test(spec)) return localPath(memberDir, spec, raw, index);
  if (EXTERNAL.test(spec) || /^[^@/\s]+\/[^\s]+$/.test(spec)) return { kind: 'external' }; // user/repo is GitHub shorthand
  const dir = index.byName.get(name);
  return dir === undefined ? { kind: 'external' } : { kind: 'member', dir };
}

export interface NodeEdges {
  internal: InternalDependency[];
  localPaths: string[];
  errors: WorkspaceError[];
}

/**
 * The member's internal dependencies from every dependency field (dev ones
 * too: a build needs its TypeScript config and its bundler), one edge per
 * member, errors naming package.json's line.
 */
export function nodeEdges(memberDir: string, manifest: NodeDependencies, manifestText: string, index: MemberIndex): NodeEdges {
  const file = memberDir === '.' ? 'package.json' : `${memberDir}/package.json`;
  const internal = new Map<string, string>();
  const localPaths = new Set<string>();
  const errors: WorkspaceError[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(manifest[field])) {
      const target = resolveSpec(name, spec, memberDir, index);
      if (target.kind === 'error') errors.push(workspaceError(file, lineOfText(manifestText, JSON.stringify(name), `"${field}"`), `${field}: ${target.text}`));
      else if (target.kind === 'path') localPaths.add(target.path);
      else if (target.kind === 'member' && target.dir !== memberDir && !internal.has(target.dir)) internal.set(target.dir, `${field} ${JSON.stringify(spec)}`);
    }
  }
  return {
    internal: [...internal.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([dir, via]) => ({ dir, via })),
    localPaths: [...localPaths].sort(),
    errors,
  };
}
