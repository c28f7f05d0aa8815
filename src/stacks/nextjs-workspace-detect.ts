/**
 * What the nextjs-workspace stack reads from a Node workspace: the Next.js
 * apps with what their Dockerfile stages need (port, next.config facts,
 * public/, internal closure), every member's manifest path, the package
 * manager and turbo. Pure reads through the workspace detection and Project.
 */
import path from 'node:path';
import { UsageError } from '../errors.js';
import { Project } from '../project.js';
import { enclosingWorkspace, findWorkspaceRoot } from '../workspace/index.js';
import type { NodeMember, Workspace, WorkspaceApp } from '../workspace/types.js';
import { NEXT_CONFIG_FILES, addStandaloneOutput, blankComments, readNextConfig, type StandaloneEdit } from './next-config.js';
import type { PackageManagerFacts } from './node-package-managers.js';
import type { SelectableApp } from './workspace-apps.js';

/** One Next.js app of the workspace, as the templates need it. */
export interface NextWorkspaceApp extends SelectableApp {
  /** Member folders the app needs (its internal closure), sorted; the app itself apart. */
  closure: string[];
  /** Non-member local paths the closure needs. */
  localPaths: string[];
  /** Package names of the closure, in closure order (for transpilePackages and the build order). */
  closureNames: string[];
  /** Closure members with a `build` script, dependencies first. */
  buildFirst: { dir: string; name: string }[];
  port: number;
  hasPublic: boolean;
  /** The app's next.config file relative to the app folder, or ''. */
  nextConfigFile: string;
  standalone: boolean;
  /** The `output: 'standalone'` edit when the config lacks it (undefined when it has it or has no config). */
  standaloneEdit: StandaloneEdit | undefined;
  /** next.config names `transpilePackages` / `outputFileTracingRoot` (comments blanked). */
  transpilePackages: boolean;
  tracingRoot: boolean;
  nextVersion: string;
}

export interface NextWorkspaceFacts {
  /** The project folder relative to the workspace root ('.' at the root). */
  startRel: string;
  /** The target of the app the run started in, or '' at the root. */
  inside: string;
  manager: PackageManagerFacts;
  /** The turbo version installed for `turbo prune`, or '' when the workspace does not use turbo. */
  turbo: string;
  /** Every member's folder, for the manifest copies (sorted). */
  memberDirs: string[];
  apps: NextWorkspaceApp[];
  rootName: string;
  /** `.nvmrc`, `.node-version` or engines.node at the root, as written. */
  nodeSpec: string;
}

// npm's package name grammar (scoped or not): safe in a shell line and a COPY.
const PACKAGE_NAME_RE = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;
const TURBO_VERSION_RE = /^[\^~]?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.]+)?$/;
/** The turbo installed when the root names none usable (`turbo prune` exists since 1.x; the flags used here are 2.x). */
export const DEFAULT_TURBO = '2';

function dependencyVersion(member: NodeMember, name: string): string {
  return member.manifest.dependencies[name] ?? member.manifest.devDependencies[name] ?? '';
}

function portOf(project: Project, fallback: number): number {
  const scripts = project.readJson('package.json')?.['scripts'];
  if (scripts && typeof scripts === 'object') {
    for (const name of ['start', 'dev']) {
      const script = (scripts as Record<string, unknown>)[name];
      const match = typeof script === 'string' ? (/(?:-p|--port)[= ](\d{2,5})\b/.exec(script) ?? /\bPORT=(\d{2,5})\b/.exec(script)) : null;
      const port = match ? Number(match[1]) : 0;
      if (port >= 1 && port <= 65535) return port;
    }
  }
  return fallback;
}

/** Closure members with a build script, dependencies before their dependents. */
function buildOrder(root: string, app: WorkspaceApp, byDir: Map<string, NodeMember>): { dir: string; name: string }[] {
  const order: string[] = [];
  const visit = (dir: string, seen: Set<string>): void => {
    if (seen.has(dir) || order.includes(dir)) return;
    seen.add(dir);
    for (const dep of byDir.get(dir)?.internal ?? []) visit(dep.dir, seen);
    order.push(dir);
  };
  for (const dir of app.closure) visit(dir, new Set());
  return order
    .filter((dir) => app.closure.includes(dir))
    .map((dir) => byDir.get(dir)!)
    .filter((member) => hasBuildScript(root, member.dir))
    .map((member) => ({ dir: member.dir, name: member.name }));
}

function hasBuildScript(root: string, dir: string): boolean {
  const scripts = new Project(path.join(root, dir)).readJson('package.json')?.['scripts'];
  return Boolean(scripts && typeof scripts === 'object' && typeof (scripts as Record<string, unknown>)['build'] === 'string');
}

function appFacts(workspace: Workspace, app: WorkspaceApp, index: number, byDir: Map<string, NodeMember>): NextWorkspaceApp {
  const member = byDir.get(app.dir)!;
  const project = new Project(path.join(workspace.root, app.dir));
  const nextConfigFile = NEXT_CONFIG_FILES.find((file) => project.isFile(file)) ?? '';
  const source = nextConfigFile ? (project.readText(nextConfigFile) ?? '') : '';
  const code = blankComments(source);
  const { output } = readNextConfig(source);
  const standalone = output === 'standalone';
  const closureNames = app.closure.map((dir) => byDir.get(dir)?.name ?? '').filter((name) => name !== '');
  for (const name of [member.name, ...closureNames]) {
    if (!PACKAGE_NAME_RE.test(name))
      throw new UsageError(`${app.dir}: the package name ${JSON.stringify(name)} cannot be used in a Dockerfile line (npm's name rules: lowercase, digits, - . _ ~, one @scope/)`);
  }
  return {
    target: app.target,
    dir: app.dir,
    name: member.name,
    closure: app.closure,
    localPaths: app.localPaths,
    closureNames,
    buildFirst: buildOrder(workspace.root, app, byDir),
    port: portOf(project, 3000 + index),
    hasPublic: project.isDir('public'),
    nextConfigFile,
    standalone,
    standaloneEdit: !standalone && output !== 'export' && nextConfigFile ? addStandaloneOutput(source) : undefined,
    transpilePackages: /\btranspilePackages\b/.test(code),
    tracingRoot: /\boutputFileTracingRoot\b/.test(code),
    nextVersion: dependencyVersion(member, 'next'),
  };
}

/** Cheap check for `matches`: a workspace root holding a Next.js package, or a Next.js app below a workspace root. */
export function looksLikeNextWorkspace(project: Project): boolean {
  const found = findWorkspaceRoot(project.dir);
  if (!found) return false;
  const hasNext = (file: string): boolean => {
    const pkg = project.readJson(file);
    return ['dependencies', 'devDependencies'].some((field) => typeof (pkg?.[field] as Record<string, unknown> | undefined)?.['next'] === 'string');
  };
  if (path.resolve(found.root) !== path.resolve(project.dir)) return project.isFile('package.json') && hasNext('package.json');
  return project.walk({ maxDepth: 3, limit: 200, accept: (file) => file !== 'package.json' && file.endsWith('/package.json') }).some(hasNext);
}

function rootNodeSpec(root: Project): string {
  const engines = (root.readJson('package.json')?.['engines'] as Record<string, unknown> | undefined)?.['node'];
  return root.readText('.nvmrc')?.trim() ?? root.readText('.node-version')?.trim() ?? (typeof engines === 'string' ? engines : '');
}

function turboVersion(root: Project, workspace: Workspace): string {
  if (!workspace.tools.includes('turbo')) return '';
  const pkg = root.readJson('package.json');
  const declared = ['devDependencies', 'dependencies'].map((field) => (pkg?.[field] as Record<string, unknown> | undefined)?.['turbo']).find((v) => typeof v === 'string');
  return typeof declared === 'string' && TURBO_VERSION_RE.test(declared) ? declared : DEFAULT_TURBO;
}

/** The workspace facts, or a UsageError saying why this is not a Next.js workspace this stack can generate for. */
export async function detectNextWorkspace(project: Project): Promise<NextWorkspaceFacts> {
  const found = await enclosingWorkspace(project.dir);
  if (!found.ok) throw new UsageError(`Workspace detection failed:\n${found.errors.map((e) => `  ${e.message}`).join('\n')}`);
  if (!found.value) throw new UsageError('No workspace root (pnpm-workspace.yaml or package.json "workspaces") at or above this folder.');
  const { workspace, startRel, member } = found.value;
  if (!workspace.node) throw new UsageError(`${workspace.root} is not a Node workspace (package.json "workspaces" or pnpm-workspace.yaml).`);
  const manager = workspace.node.managerFacts;
  if (!manager?.lockfile) throw new UsageError(`The workspace at ${workspace.root} has no lockfile: run its package manager's install at the root and commit the lockfile first.`);
  const nodeMembers = workspace.members.filter((m): m is NodeMember => m.ecosystem === 'node');
  const byDir = new Map(nodeMembers.map((m) => [m.dir, m]));
  const nextApps = workspace.apps.filter((app) => app.kind === 'nextjs-app');
  if (nextApps.length === 0) throw new UsageError(`The workspace at ${workspace.root} has no Next.js app (a member with a \`next\` dependency and an app/ or pages/ folder).`);
  let inside = '';
  if (startRel !== '.') {
    const app = nextApps.find((a) => a.dir === member?.dir);
    if (!app || member?.dir !== startRel) {
      throw new UsageError(
        `${startRel} is inside the workspace at ${workspace.root} but is not the folder of one of its Next.js apps (${nextApps.map((a) => a.dir).join(', ')}): run at the root or in an app's folder.`,
      );
    }
    inside = app.target;
  }
  const root = new Project(workspace.root);
  return {
    startRel,
    inside,
    manager,
    turbo: turboVersion(root, workspace),
    memberDirs: nodeMembers.map((m) => m.dir).filter((dir) => dir !== '.'),
    apps: nextApps.map((app, index) => appFacts(workspace, app, index, byDir)),
    rootName: workspace.node.rootName,
    nodeSpec: rootNodeSpec(root),
  };
}
