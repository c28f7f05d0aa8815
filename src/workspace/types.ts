/**
 * The typed description of a monorepo that workspace detection returns.
 * Generation (one Dockerfile with a development/production target per app)
 * is built on it later; nothing here renders or writes.
 *
 * Every path is POSIX and relative to the workspace root ('.' is the root
 * itself), the form a Dockerfile COPY line needs.
 */
import type { GoMain } from '../stacks/go-detect.js';
import type { PackageManagerFacts, PackageManagerId } from '../stacks/node-package-managers.js';

/** A problem that stops detection: `message` already starts with `file:line:` so it can be shown as it is. */
export interface WorkspaceError {
  /** The file at fault, relative to the workspace root ('go.work', 'apps/web/package.json'). */
  file: string;
  /** 1-based line in that file, when one line is at fault. */
  line?: number;
  message: string;
}

/** Errors are values: callers decide how to show them, and every one is reported, not only the first. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: [WorkspaceError, ...WorkspaceError[]] };

export function workspaceError(file: string, line: number | undefined, text: string): WorkspaceError {
  return { file, ...(line === undefined ? {} : { line }), message: `${file}${line === undefined ? '' : `:${line}`}: ${text}` };
}

/** Build tools that know the workspace graph themselves: turbo can `turbo prune --docker` an app's closure. */
export type WorkspaceTool = 'turbo' | 'nx';

/** Where the member list comes from. */
export type NodeWorkspaceSource = 'pnpm-workspace.yaml' | 'package.json';

export interface NodeWorkspace {
  source: NodeWorkspaceSource;
  /** The package manager: lockfile first, then `packageManager`, then pnpm-workspace.yaml; undefined when nothing says. */
  manager: PackageManagerId | undefined;
  /** What the existing Next.js detection knows about it (lockfile, version, config files), when a lockfile or field names one. */
  managerFacts: PackageManagerFacts | undefined;
  /** The patterns as written, in order, negations with their `!`. */
  patterns: string[];
  /** The root package.json's name, or ''. The root is not a member: its manifest is always part of the install. */
  rootName: string;
}

export interface GoReplace {
  /** Module path replaced (`example.com/lib`, optionally with a version). */
  from: string;
  /** The local directory it points to, relative to the root. */
  dir: string;
  /** `go.work:7` or `services/api/go.mod:5`. */
  at: string;
}

export interface GoWorkspace {
  /** The `go` line of go.work, or ''. */
  goLine: string;
  /** The `toolchain` line without its `go` prefix, or ''. */
  toolchain: string;
  /** `use` directories as listed (normalised), in file order. */
  uses: string[];
  /** go.work `replace` directives that point to a local directory (inside the root: outside is an error). */
  replaces: GoReplace[];
  /** go.work.sum is present (it goes into the image with go.work). */
  hasWorkSum: boolean;
}

export type MemberKind = 'nextjs-app' | 'go-app' | 'library';

/** One edge of the dependency graph: a member needs another member's directory. */
export interface InternalDependency {
  /** The needed member's directory. */
  dir: string;
  /** Why, for messages: `dependencies "workspace:*"`, `require`, `import`, `replace (go.mod:5)`. */
  via: string;
}

interface MemberBase {
  /** The package name (package.json `name`) or the Go module path. */
  name: string;
  dir: string;
  kind: MemberKind;
  /** Direct internal dependencies, sorted by dir, one per needed member. */
  internal: InternalDependency[];
  /** Local paths inside the repository that are not members but are needed (a `file:` tarball, a folder). */
  localPaths: string[];
  /** Where the member was listed: `pnpm-workspace.yaml:3`, `go.work:5`, `services/api/go.mod:7`. */
  listedBy: string;
}

export interface NodeDependencies {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

export interface NodeMember extends MemberBase {
  ecosystem: 'node';
  kind: 'nextjs-app' | 'library';
  version: string;
  manifest: NodeDependencies;
  /** Next.js apps only: the `next` version range and the router folders found (`app`, `src/pages`...). */
  next?: { version: string; routerDirs: string[] };
}

export interface GoMember extends MemberBase {
  ecosystem: 'go';
  kind: 'go-app' | 'library';
  modulePath: string;
  /** The module's own `go` line, or ''. */
  goLine: string;
  /** Main packages (one binary each); empty for a library. */
  mains: GoMain[];
  /** The one port the code names, when it names exactly one. */
  port: number | undefined;
  cgo: boolean;
}

export type WorkspaceMember = NodeMember | GoMember;

export interface WorkspaceApp {
  /** The member's directory. */
  dir: string;
  /** A target-safe name from the folder (`apps/web` → `web`), unique in the workspace: `production-<target>`. */
  target: string;
  kind: 'nextjs-app' | 'go-app';
  ecosystem: 'node' | 'go';
  /** Every member directory the app needs, transitively, without the app itself; sorted. */
  closure: string[];
  /** Non-member local paths its closure needs (see MemberBase.localPaths); sorted. */
  localPaths: string[];
}

export interface Workspace {
  /** Absolute real path of the root. */
  root: string;
  node: NodeWorkspace | undefined;
  go: GoWorkspace | undefined;
  /** Build tools found at the root (`turbo.json`, `nx.json`), sorted. */
  tools: WorkspaceTool[];
  /** Every member, sorted by dir. */
  members: WorkspaceMember[];
  /** The members that are apps, sorted by dir. */
  apps: WorkspaceApp[];
  /** What the user should know but does not stop detection (a skipped link, an unused pattern). */
  notes: string[];
}

/** Where a run started, relative to the workspace found above it. */
export interface EnclosingWorkspace {
  workspace: Workspace;
  /** The start directory relative to the root ('.' at the root). */
  startRel: string;
  /** The member whose folder holds the start directory (the deepest one), or undefined. */
  member: WorkspaceMember | undefined;
}
