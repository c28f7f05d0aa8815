/**
 * go.work workspaces: one Dockerfile at the workspace root with a
 * development-<app>, builder-<app> and production-<app> target per chosen Go
 * app, sharing one base and one module download. Each builder copies only its
 * app and the modules it needs, so an edit in one app leaves every other app's
 * build cached. Run inside an app's folder, it generates for that app only,
 * with the root as the build context.
 */
import path from 'node:path';
import { DEFAULTS, IMAGES } from '../defaults.js';
import { UsageError } from '../errors.js';
import type { Project } from '../project.js';
import { findWorkspaceRoot } from '../workspace/index.js';
import { asString, commonQuestions, generatedDockerfile, labelsFor } from './common.js';
import { defineStack, type DerivedFields, type DetectInput, type OwnContext, type StackContextInput } from './define.js';
import { compareGoVersions } from './go-detect.js';
import { goVersionQuestion } from './go-version-question.js';
import { goWorkspaceFacts, type GoModuleFiles, type GoWorkspaceApp, type GoWorkspaceFacts } from './go-workspace-facts.js';
import { toProjectName } from '../validate.js';
import type { Answers, Detection, Question, StackContext } from './types.js';
import { chosenApps, refuseCi, workspaceAppsQuestion } from './workspace-apps.js';

/** Non-root uid:gid of every production image (distroless's `nonroot`), as in the single-module Go stack. */
const NONROOT = '65532:65532';

export interface GoWorkspaceAppContext {
  target: string;
  dir: string;
  binary: string;
  /** The main package relative to the app's module: `.` or `./cmd/api`. */
  pkg: string;
  /** Folders the builder copies: the app's, then its closure's (in-repo replace targets included). */
  copyDirs: string[];
  server: boolean;
  port: number;
  hasHealthcheck: boolean;
  healthcheck: string[];
  healthcheckWhy: string;
  labels: StackContext['labels'];
  image: string;
  devCommand: string[];
}

/** The stack's own part of the template context (defineStack adds the stack id, the header and the Dockerfile fields). */
export interface GoWorkspaceOwnContext extends OwnContext {
  goVersion: string;
  goImage: string;
  /** The Go image as IMAGES names it, whatever mirror `goImage` comes from. */
  goImagePublic: string;
  runtimeImage: string;
  runtimeDescription: string;
  user: string;
  cgo: boolean;
  crossCompile: boolean;
  hasWorkSum: boolean;
  modules: GoModuleFiles[];
  apps: GoWorkspaceAppContext[];
  /** The build context relative to the folder the files are written to: `.` at the root, `../..` inside services/api. */
  contextDir: string;
  /** `-f <file> ` whenever the Dockerfile is not `Dockerfile` at the context root, else ''. */
  buildFileFlag: string;
  /** The Dockerfile as compose names it, relative to the context ('' when it is the default). */
  composeDockerfile: string;
  /** The run started in an app's folder (the files are for that app only). */
  insideApp: string;
}

export type GoWorkspaceContext = GoWorkspaceOwnContext & DerivedFields;

/** The facts detection found (undefined before detection ran, as in a question's context without it). */
function factsOf(detection: Detection<GoWorkspaceFacts>): GoWorkspaceFacts | undefined {
  return detection.existing ? detection.facts : undefined;
}

function requireFacts(detection: Detection<GoWorkspaceFacts>): GoWorkspaceFacts {
  const facts = factsOf(detection);
  if (!facts) throw new UsageError('No go.work workspace with a Go app found here or above.');
  return facts;
}

/** go.work's `go`/`toolchain` line: the oldest Go the workspace builds with. */
function workMinimum(detection: Detection<GoWorkspaceFacts>): string | undefined {
  const facts = factsOf(detection);
  if (!facts) return undefined;
  return [facts.goLine, facts.toolchain].filter(Boolean).sort(compareGoVersions).pop() || undefined;
}

const questions: Question<GoWorkspaceFacts>[] = [
  ...commonQuestions<GoWorkspaceFacts>(DEFAULTS.goPort),
  goVersionQuestion<GoWorkspaceFacts>({ file: 'go.work', of: workMinimum }),
  workspaceAppsQuestion<GoWorkspaceFacts>({
    apps: (ctx) => factsOf(ctx.detection)?.apps ?? [],
    // Inside an app's folder that app is the choice.
    applies: (ctx) => factsOf(ctx.detection)?.insideApp === '',
  }),
];

/** A go.work here, or a module folder below one (run inside an app). */
function matches(project: Project): boolean {
  if (project.isFile('go.work')) return true;
  if (!project.isFile('go.mod')) return false;
  try {
    return findWorkspaceRoot(project.dir)?.markers.includes('go.work') ?? false;
  } catch {
    return false;
  }
}

async function detect(project: Project, { previous }: DetectInput): Promise<Detection<GoWorkspaceFacts>> {
  const facts = await goWorkspaceFacts(project.dir);
  const notes = facts.insideApp
    ? [
        `run inside ${facts.insideApp}: generating for that app, with the workspace root (${facts.startRel
          .split('/')
          .map(() => '..')
          .join('/')}) as the build context`,
      ]
    : [];
  // Inside an app folder the images are still named after the workspace (<root>-<app>, as at the root; not api-api).
  const values: Answers = { ...previous };
  const rootName = facts.insideApp ? toProjectName(path.basename(path.resolve(project.dir, ...facts.startRel.split('/').map(() => '..')))) : undefined;
  if (rootName && values['name'] === undefined) values['name'] = rootName;
  return { existing: true, values, facts, notes };
}

function appContext(app: GoWorkspaceApp, input: { name: string; port: number; labels: StackContext['labels'] }): GoWorkspaceAppContext {
  const binary = `/app/${app.target}`;
  const port = app.port ?? input.port;
  const healthcheck = app.main.server && app.main.selfHealthcheck ? [binary, '-healthcheck'] : [];
  const pkg = app.main.dir === '.' ? '.' : `./${app.main.dir}`;
  return {
    target: app.target,
    dir: app.dir,
    binary,
    pkg,
    copyDirs: [app.dir, ...app.closure],
    server: app.main.server,
    port,
    hasHealthcheck: healthcheck.length > 0,
    healthcheck,
    healthcheckWhy: !app.main.server
      ? 'none: a command that runs to completion, not a service'
      : healthcheck.length > 0
        ? 'the binary probes its own /healthz'
        : 'none: distroless has no shell or probe tool (give the binary a -healthcheck flag to get one)',
    labels: { ...input.labels, title: `${input.labels.title}-${app.target}` },
    image: `${input.name}-${app.target}`,
    devCommand: ['go', 'run', pkg],
  };
}

function context({ answers, detection, project, mode, dockerfile, images }: StackContextInput<GoWorkspaceFacts>): GoWorkspaceOwnContext {
  const facts = requireFacts(detection);
  refuseCi(answers, 'go.work');
  const name = asString(answers['name']);
  const port = Number(answers['port']);
  const goVersion = asString(answers['go-version']);
  const chosen = facts.insideApp ? facts.apps.filter((app) => app.dir === facts.insideApp) : chosenApps(answers['apps'], facts.apps);
  const cgo = chosen.some((app) => app.cgo);
  const labels = labelsFor(mode, project, name);
  const file = dockerfile ?? generatedDockerfile(project);
  const contextDir = facts.insideApp
    ? facts.startRel
        .split('/')
        .map(() => '..')
        .join('/')
    : '.';
  const below = facts.insideApp !== '';
  return {
    // Below the context root BuildKit reads `<dockerfile>.dockerignore` beside it, not the root's .dockerignore.
    ...(below ? { dockerignore: `${file}.dockerignore` } : {}),
    name,
    port,
    compose: Boolean(answers['compose']),
    extraTargets: chosen.map((app) => `production-${app.target}`),
    labels,
    goVersion,
    goImage: images.golang(goVersion),
    // The public name on purpose: the Dockerfile's comment shows how to put a mirror in front of it.
    goImagePublic: IMAGES.golang(goVersion),
    runtimeImage: cgo ? images.distrolessCc() : images.distrolessStatic(),
    runtimeDescription: cgo ? 'distroless cc (glibc, no shell)' : 'distroless static (no shell)',
    user: NONROOT,
    cgo,
    crossCompile: !cgo,
    hasWorkSum: facts.hasWorkSum,
    modules: facts.modules,
    apps: chosen.map((app) => appContext(app, { name, port, labels })),
    contextDir,
    buildFileFlag: below || file !== 'Dockerfile' ? `-f ${file} ` : '',
    composeDockerfile: below ? `${facts.insideApp}/${file}` : file === 'Dockerfile' ? '' : file,
    insideApp: facts.insideApp,
  };
}

/** docker:build:<app>, docker:dev:<app>, docker:start:<app> per app, from the folder the files were written to. */
export function goWorkspaceScripts(ctx: GoWorkspaceContext): Record<string, string> {
  const scripts: Record<string, string> = {};
  for (const app of ctx.apps) {
    const build = `docker build ${ctx.buildFileFlag}--target production-${app.target} -t ${app.image} ${ctx.contextDir}`;
    const buildDev = `docker build ${ctx.buildFileFlag}--target development-${app.target} -t ${app.image}:dev ${ctx.contextDir}`;
    const ports = `-p ${app.port}:${app.port}`;
    scripts[`docker:build:${app.target}`] = build;
    scripts[`docker:dev:${app.target}`] = ctx.compose ? `docker compose up --build dev-${app.target}` : `${buildDev} && docker run --rm --init ${ports} ${app.image}:dev`;
    scripts[`docker:start:${app.target}`] = `${build} && docker run --rm --init ${ports} ${app.image}`;
  }
  return scripts;
}

export const goWorkspace = defineStack({
  id: 'go-workspace',
  title: 'Go workspace (go.work)',
  matches,
  supersedes: ['go'],
  // Needs a go.work with Go apps: never offered or rendered for a new project.
  existingOnly: true,
  detect,
  questions,
  context,
  scripts: goWorkspaceScripts,
  nextSteps: (ctx, run) => ctx.apps.flatMap((app) => [`${run(`docker:build:${app.target}`)}   # production-${app.target} image`, `${run(`docker:dev:${app.target}`)}   # go run in Docker`]),
});
