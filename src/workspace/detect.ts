/**
 * Workspace detection at a root folder: which manager lists the members
 * (pnpm-workspace.yaml or package.json `workspaces`, go.work), the members,
 * the apps among them and what each app needs. Read-only and contained: every
 * read goes through contained-fs.ts, below the root.
 */
import { Project } from '../project.js';
import { realRoot } from '../safe-fs.js';
import { isSafeDir } from '../stacks/go-detect.js';
import { detectPackageManager } from '../stacks/nextjs.js';
import { workspaceApps } from './closure.js';
import { isContainedFile, lineOfText, readJsonObject, readText } from './contained-fs.js';
import { expandPatterns, type PatternSource } from './glob.js';
import { goMembers } from './go-members.js';
import { parseGoWork } from './go-work.js';
import { isNestedRoot } from './markers.js';
import { nodeMembers } from './node-members.js';
import { PNPM_WORKSPACE_FILE, parsePnpmWorkspace } from './pnpm-workspace.js';
import { workspaceError, type GoWorkspace, type NodeWorkspace, type Result, type Workspace, type WorkspaceError, type WorkspaceMember, type WorkspaceTool } from './types.js';

const TOOL_FILES: Record<WorkspaceTool, string[]> = { turbo: ['turbo.json', 'turbo.jsonc'], nx: ['nx.json'] };

function failed<T>(errors: WorkspaceError[]): Result<T> {
  return { ok: false, errors: errors as [WorkspaceError, ...WorkspaceError[]] };
}

/** package.json `workspaces`: npm/bun's array or Yarn's `{ packages: [...] }`; undefined when absent. */
function packageJsonPatterns(pkg: Record<string, unknown>, text: string, errors: WorkspaceError[]): PatternSource[] | undefined {
  const field = pkg['workspaces'];
  if (field === undefined) return undefined;
  const list = Array.isArray(field) ? field : field !== null && typeof field === 'object' ? (field as Record<string, unknown>)['packages'] : undefined;
  const fieldLine = lineOfText(text, '"workspaces"');
  if (!Array.isArray(list)) {
    errors.push(workspaceError('package.json', fieldLine, '"workspaces" must be a list of folder patterns, or an object whose "packages" is one'));
    return undefined;
  }
  const patterns: PatternSource[] = [];
  for (const item of list) {
    if (typeof item !== 'string') {
      errors.push(workspaceError('package.json', fieldLine, `every entry of "workspaces" must be a folder pattern (a string); got ${JSON.stringify(item)}`));
      continue;
    }
    patterns.push({ pattern: item, file: 'package.json', line: lineOfText(text, JSON.stringify(item), '"workspaces"') });
  }
  return patterns;
}

/** The Node side: where the member list is and which manager installs it. */
async function nodeWorkspace(root: string, errors: WorkspaceError[], notes: string[]): Promise<{ workspace: NodeWorkspace; patterns: PatternSource[] } | undefined> {
  const pkgRead = readJsonObject(root, 'package.json');
  if (pkgRead.kind === 'error') errors.push(pkgRead.error);
  const pkg = pkgRead.kind === 'json' ? pkgRead.value : undefined;
  const pkgPatterns = pkgRead.kind === 'json' ? packageJsonPatterns(pkgRead.value, pkgRead.text, errors) : undefined;

  const pnpmRead = readText(root, PNPM_WORKSPACE_FILE);
  let pnpmPatterns: PatternSource[] | undefined;
  if (pnpmRead.kind === 'refused') errors.push(workspaceError(PNPM_WORKSPACE_FILE, undefined, `cannot be read: ${pnpmRead.reason}`));
  else if (pnpmRead.kind === 'text') {
    const parsed = await parsePnpmWorkspace(pnpmRead.text);
    if (parsed.ok) pnpmPatterns = parsed.value;
    else errors.push(...parsed.errors);
  }

  const detected = detectPackageManager(new Project(root), pkg);
  notes.push(...(detected?.notes ?? []));
  // pnpm-workspace.yaml names pnpm when no lockfile or field does: only pnpm reads the file.
  const manager = detected?.facts.id ?? (pnpmRead.kind === 'text' ? 'pnpm' : undefined);

  // pnpm reads only pnpm-workspace.yaml, the others only package.json: the manager decides which list counts.
  let source: NodeWorkspace['source'] | undefined;
  if (pnpmPatterns && pnpmPatterns.length > 0 && (manager === 'pnpm' || pkgPatterns === undefined)) {
    source = PNPM_WORKSPACE_FILE;
    if (manager !== 'pnpm') notes.push(`${PNPM_WORKSPACE_FILE} lists the workspace packages, but the lockfile says ${manager}: only pnpm reads that file`);
    if (pkgPatterns !== undefined) notes.push(`package.json "workspaces" is ignored: pnpm reads the package list from ${PNPM_WORKSPACE_FILE}`);
  } else if (pkgPatterns !== undefined) {
    source = 'package.json';
    if (manager === 'pnpm') notes.push(`pnpm reads the package list from ${PNPM_WORKSPACE_FILE}, not from package.json "workspaces": add one, or pnpm installs the root alone`);
    if (pnpmPatterns && pnpmPatterns.length > 0) notes.push(`${PNPM_WORKSPACE_FILE} is ignored: ${manager ?? 'the package manager'} reads the workspace packages from package.json`);
  } else if (pnpmRead.kind === 'text') {
    notes.push(`${PNPM_WORKSPACE_FILE} lists no packages: the root is pnpm's only project`);
  }
  if (source === undefined) return undefined;
  const patterns = source === PNPM_WORKSPACE_FILE ? pnpmPatterns! : pkgPatterns!;
  return {
    workspace: { source, manager, managerFacts: detected?.facts, patterns: patterns.map((p) => p.pattern), rootName: typeof pkg?.['name'] === 'string' ? pkg['name'] : '' },
    patterns,
  };
}

/**
 * Members whose folder cannot go into a Dockerfile line (spaces, quotes) are
 * dropped with a note; when another member needs one, that is an error, since
 * an image of the dependent could not be built.
 */
function dropUnsafe(members: WorkspaceMember[], notes: string[]): Result<WorkspaceMember[]> {
  const unsafe = new Set(members.filter((m) => !isSafeDir(m.dir)).map((m) => m.dir));
  const errors: WorkspaceError[] = [];
  for (const member of members) {
    for (const dep of member.internal) {
      const manifest = `${member.dir === '.' ? '' : `${member.dir}/`}${member.ecosystem === 'node' ? 'package.json' : 'go.mod'}`;
      if (unsafe.has(dep.dir))
        errors.push(
          workspaceError(
            manifest,
            undefined,
            `${member.dir} needs ${JSON.stringify(dep.dir)}, whose folder name cannot be used in a Dockerfile (letters, digits, '.', '_' and '-' only): rename the folder`,
          ),
        );
    }
  }
  if (errors.length > 0) return failed(errors);
  for (const dir of unsafe) notes.push(`${JSON.stringify(dir)} is left out: its folder name cannot be used in a Dockerfile (letters, digits, '.', '_' and '-' only)`);
  return { ok: true, value: members.filter((m) => !unsafe.has(m.dir)) };
}

/**
 * The workspace whose root is `dir`, `undefined` when `dir` is no workspace
 * root, or every error found (each naming its file and line).
 */
export async function detectWorkspace(dir: string): Promise<Result<Workspace | undefined>> {
  const root = realRoot(dir);
  const errors: WorkspaceError[] = [];
  const notes: string[] = [];

  const node = await nodeWorkspace(root, errors, notes);

  let go: GoWorkspace | undefined;
  let goWork: ReturnType<typeof parseGoWork> | undefined;
  const workRead = readText(root, 'go.work');
  if (workRead.kind === 'refused') errors.push(workspaceError('go.work', undefined, `cannot be read: ${workRead.reason}`));
  else if (workRead.kind === 'text') {
    goWork = parseGoWork(workRead.text);
    if (goWork.ok) {
      const { goLine, toolchain, uses, replaces } = goWork.value;
      go = { goLine, toolchain, uses: uses.map((u) => u.dir), replaces, hasWorkSum: isContainedFile(root, 'go.work.sum') };
    } else errors.push(...goWork.errors);
  }
  if (errors.length > 0) return failed(errors);
  if (node === undefined && go === undefined) return { ok: true, value: undefined };

  const tools = (Object.keys(TOOL_FILES) as WorkspaceTool[]).filter((tool) => TOOL_FILES[tool].some((file) => isContainedFile(root, file)));
  if (tools.includes('nx') && node === undefined) notes.push('nx.json without package-manager workspaces: Nx projects (project.json) are not read as members');

  const members: WorkspaceMember[] = [];
  if (node) {
    const expansion = expandPatterns(root, node.patterns, {
      isMember: (member) => isContainedFile(root, `${member}/package.json`),
      // A member that is a workspace root of its own keeps its packages: they are its members, not ours.
      stopAt: (member) => isNestedRoot(root, member),
    });
    if (!expansion.ok) return expansion;
    notes.push(...expansion.value.notes);
    const nodeResult = nodeMembers(root, expansion.value.members);
    if (!nodeResult.ok) return nodeResult;
    members.push(...nodeResult.value);
  }
  if (goWork?.ok) {
    const goResult = goMembers(root, goWork.value, notes);
    if (!goResult.ok) return goResult;
    members.push(...goResult.value);
  }
  const safe = dropUnsafe(members, notes);
  if (!safe.ok) return safe;
  const sorted = safe.value.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : a.ecosystem < b.ecosystem ? -1 : 1));
  return { ok: true, value: { root, node: node?.workspace, go, tools, members: sorted, apps: workspaceApps(sorted), notes } };
}
