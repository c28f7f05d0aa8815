/**
 * What the go-workspace stack reads from workspace detection, typed: the Go
 * apps of a go.work workspace, every module's manifest files, and where the
 * run started (the root, or one app's folder below it).
 */
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { GoMain } from './go-detect.js';
import { enclosingWorkspace } from '../workspace/index.js';
import { isContainedFile } from '../workspace/contained-fs.js';
import type { GoMember, Workspace } from '../workspace/index.js';
import type { SelectableApp } from './workspace-apps.js';

/** One module whose go.mod (and go.sum) the dependency stage copies. */
export interface GoModuleFiles {
  dir: string;
  hasGoSum: boolean;
}

export interface GoWorkspaceApp extends SelectableApp {
  /** The main package the production image runs (a server first). */
  main: GoMain;
  /** The port the app's code names, when it names one. */
  port: number | undefined;
  cgo: boolean;
  /** Member folders the app needs besides its own (use/replace closure), sorted. */
  closure: string[];
}

export interface GoWorkspaceFacts {
  goLine: string;
  toolchain: string;
  hasWorkSum: boolean;
  /** Every module of the workspace: go.work names them all, so each needs its go.mod in the image. */
  modules: GoModuleFiles[];
  apps: GoWorkspaceApp[];
  /** The run started in this app's folder (relative to the root); '' at the root. */
  insideApp: string;
  /** The start folder relative to the root ('.' at the root). */
  startRel: string;
}

function isGoMember(member: Workspace['members'][number]): member is GoMember {
  return member.ecosystem === 'go';
}

/** The main the production image runs: the first server, else the first main. */
function primaryMain(member: GoMember): GoMain {
  return member.mains.find((main) => main.server) ?? member.mains[0]!;
}

/** Reads the go.work workspace enclosing `dir`; a detection error (a replace outside the repository...) is a UsageError naming the line. */
export async function goWorkspaceFacts(dir: string): Promise<GoWorkspaceFacts> {
  const found = await enclosingWorkspace(dir);
  if (!found.ok) throw new UsageError(found.errors.map((error) => error.message).join('\n'));
  const enclosing = found.value;
  const go = enclosing?.workspace.go;
  if (!enclosing || !go) throw new UsageError('No go.work workspace found here or above.');
  const { workspace } = enclosing;
  const members = workspace.members.filter(isGoMember);
  const byDir = new Map(members.map((member) => [member.dir, member]));
  const apps: GoWorkspaceApp[] = [];
  for (const app of workspace.apps) {
    const member = byDir.get(app.dir);
    if (app.ecosystem !== 'go' || !member || member.mains.length === 0) continue;
    apps.push({ target: app.target, dir: app.dir, name: member.modulePath, main: primaryMain(member), port: member.port, cgo: member.cgo, closure: app.closure });
  }
  if (apps.length === 0) throw new UsageError('The go.work workspace has no module with a main package: there is no binary to put into an image.');
  const startRel = enclosing.startRel;
  let insideApp = '';
  if (startRel !== '.') {
    const app = apps.find((candidate) => candidate.dir === enclosing.member?.dir);
    if (!app || app.dir !== startRel) {
      throw new UsageError(`${startRel} is not the folder of a Go app of the workspace at ${workspace.root}; run at the root or in one of: ${apps.map((a) => a.dir).join(', ')}.`);
    }
    insideApp = app.dir;
  }
  const modules = members.map((member) => ({ dir: member.dir, hasGoSum: isContainedFile(workspace.root, path.posix.join(member.dir, 'go.sum')) }));
  return { goLine: go.goLine, toolchain: go.toolchain, hasWorkSum: go.hasWorkSum, modules, apps, insideApp, startRel };
}
