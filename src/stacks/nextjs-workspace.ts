/**
 * Next.js apps of a Node workspace (pnpm, npm, Yarn, bun; turbo when
 * turbo.json is there): one Dockerfile at the workspace root, build context
 * the root, one shared `base` and per app `dependencies-<app>`,
 * `development-<app>`, `builder-<app>`, `production-<app>`. Run inside an app
 * folder, the same for that app only, with `../..` as the context.
 */
import { DEFAULTS } from '../defaults.js';
import { UsageError } from '../errors.js';
import type { Project } from '../project.js';
import { attempt, toProjectName, valueOr, validateName, validateNodeVersion } from '../validate.js';
import { asString, generatedDockerfile, labelsFor } from './common.js';
import { parseSwitch } from './cpp.js';
import { defineStack, type DerivedFields, type DetectInput, type OwnContext, type StackContextInput } from './define.js';
import { nodeMajorFrom } from './nextjs.js';
import { recipeFor } from './node-package-managers.js';
import { detectNextWorkspace, looksLikeNextWorkspace, type NextWorkspaceFacts } from './nextjs-workspace-detect.js';
import { appContext, type NextWorkspaceAppContext } from './nextjs-workspace-app.js';
import { workspaceScripts } from './nextjs-workspace-scripts.js';
import type { Answers, Detection, Question, QuestionContext, SourceEdit } from './types.js';
import type { PackageManagerRecipe } from './node-package-managers.js';
import { chosenApps, refuseCi, workspaceAppsQuestion } from './workspace-apps.js';

/** The stack's own part of the template context (defineStack adds the stack id, the header and the Dockerfile fields). */
export interface NextWorkspaceOwnContext extends OwnContext {
  nodeVersion: string;
  nodeImage: string;
  pm: PackageManagerRecipe;
  yarnBerry: boolean;
  /** The turbo version `turbo prune` runs with, or '' (no turbo.json). */
  turbo: string;
  /** The manager's config files besides package.json and the lockfile (turbo prune's output lacks them). */
  configFiles: string[];
  /** Every member's package.json, for the manifests-only prune stage. */
  memberManifests: string[];
  apps: NextWorkspaceAppContext[];
  /** The build context from where the files are written: '.' at the root, '../..' in apps/web. */
  buildContext: string;
  /** The Dockerfile's path inside the build context (compose's `dockerfile:`). */
  dockerfileInContext: string;
  /** The app folder the run started in ('' at the root). */
  inside: string;
  secrets: PackageManagerRecipe['secrets'];
  dockerBuildFlags: string;
}

/** The template context: everything the Dockerfile, compose.yaml, .dockerignore and README.Docker.md read. */
export type NextWorkspaceContext = NextWorkspaceOwnContext & DerivedFields;

/** The facts detection found (undefined before detection ran, as in a question's context without it). */
function workspaceFacts(detection: Detection<NextWorkspaceFacts>): NextWorkspaceFacts | undefined {
  return detection.existing ? detection.facts : undefined;
}

function lacksStandalone(ctx: QuestionContext<NextWorkspaceFacts>): boolean {
  const facts = workspaceFacts(ctx.detection);
  if (!facts) return false;
  const apps = chosenApps(ctx.answers['apps'] ?? (facts.inside ? [facts.inside] : undefined), facts.apps);
  return apps.some((app) => !app.standalone && app.standaloneEdit?.ok === true);
}

const questions: Question<NextWorkspaceFacts>[] = [
  {
    flag: 'name',
    message: 'Project name (images are <name>-<app>)',
    type: 'text',
    parse: validateName,
    defaultValue: () => 'multistage-app',
  },
  workspaceAppsQuestion({
    apps: (ctx) => workspaceFacts(ctx.detection)?.apps ?? [],
    applies: (ctx) => !workspaceFacts(ctx.detection)?.inside,
  }),
  {
    flag: 'node-version',
    message: 'Node.js version',
    type: 'text',
    parse: validateNodeVersion,
    defaultValue: () => DEFAULTS.nodeMajor,
    fits: (value) =>
      (DEFAULTS.nodeLines as readonly string[]).includes(String(value).split('.')[0]!)
        ? undefined
        : `${String(value)} is not a Node.js line with ${DEFAULTS.debian} images (${DEFAULTS.nodeLines.join(', ')})`,
  },
  {
    flag: 'standalone',
    message: "Add output: 'standalone' to the apps' next.config that lack it (needed for the per-app images)?",
    type: 'confirm',
    parse: parseSwitch,
    // Editing the user's source needs a yes: --yes alone leaves next.config as it is.
    defaultValue: () => false,
    when: lacksStandalone,
    // A consent to edit the user's next.config, not a choice the files record.
    header: false,
  },
];

async function detect(project: Project, { previous }: DetectInput): Promise<Detection<NextWorkspaceFacts>> {
  if (!looksLikeNextWorkspace(project))
    throw new UsageError('--stack nextjs-workspace needs a Node workspace with a Next.js app (run it at the workspace root or in an app folder); it does not create new projects.');
  const facts = await detectNextWorkspace(project);
  const values: Answers = {};
  // The workspace's name, inside an app folder too: images are <name>-<app> either way (acme-web, not web-web).
  const name = toProjectName(facts.rootName) || toProjectName(facts.apps.find((a) => a.target === facts.inside)?.name ?? '');
  if (name) values['name'] = name;
  const major = facts.nodeSpec ? nodeMajorFrom(facts.nodeSpec) : undefined;
  if (major) values['node-version'] = major;
  const notes: string[] = [];
  notes.push(
    `${facts.manager.id} workspace with ${facts.apps.length} Next.js ${facts.apps.length === 1 ? 'app' : 'apps'}: ${facts.apps.map((a) => a.dir).join(', ')}${facts.turbo ? '; turbo.json: installs are pruned with `turbo prune --docker`' : ''}`,
  );
  for (const app of facts.apps) {
    if (!app.standalone) {
      notes.push(
        app.standaloneEdit?.ok
          ? `${app.dir}/${app.nextConfigFile} does not set output: 'standalone', which the per-app image needs: pass --standalone (or answer yes) to add it`
          : `${app.dir}/${app.nextConfigFile || 'next.config'} does not set output: 'standalone' and cannot be edited safely: add it yourself`,
      );
    }
    const internal = app.closureNames.length > 0;
    if (internal && !app.transpilePackages)
      notes.push(`${app.dir}: next.config has no transpilePackages; if ${app.closureNames.join(', ')} ship untranspiled source (TypeScript, JSX), add them there`);
    if (!app.tracingRoot)
      notes.push(`${app.dir}: next.config has no outputFileTracingRoot; Next.js 15+ infers the workspace root from the lockfile at /app, older versions need outputFileTracingRoot set to the root`);
  }
  return { existing: true, values: { ...values, ...previous }, facts, notes };
}

/** '../..' for 'apps/web'; '.' for the root. */
function upTo(startRel: string): string {
  return startRel === '.'
    ? '.'
    : startRel
        .split('/')
        .map(() => '..')
        .join('/');
}

function context({ answers, detection, project, mode, dockerfile, images }: StackContextInput<NextWorkspaceFacts>): NextWorkspaceOwnContext {
  const facts = workspaceFacts(detection);
  if (!facts) throw new Error('nextjs-workspace: context before detection');
  refuseCi(answers, 'Node');
  const name = asString(answers['name']);
  const nodeVersion = asString(answers['node-version']);
  const apps = chosenApps(facts.inside ? [facts.inside] : answers['apps'], facts.apps);
  const missing = apps.filter((app) => !app.standalone && !(answers['standalone'] === true && app.standaloneEdit?.ok === true));
  if (missing.length > 0) {
    throw new UsageError(
      `${missing.map((a) => `${a.dir}/${a.nextConfigFile || 'next.config'}`).join(', ')}: output: 'standalone' is not set, and each app's image is its standalone server. ${missing.every((a) => a.standaloneEdit?.ok) ? 'Pass --standalone to add it.' : "Add output: 'standalone' to the exported config."}`,
    );
  }
  const recipe = recipeFor(facts.manager, images);
  const file = dockerfile ?? generatedDockerfile(project);
  const image = images.node(nodeVersion.split('.')[0]!);
  const appContexts = apps.map((app) =>
    valueOr(
      attempt(() => appContext(app, { name, inside: facts.inside !== '' })),
      (why) => new UsageError(`${app.dir}: ${why}`),
    ),
  );
  return {
    name,
    port: appContexts[0]?.port ?? DEFAULTS.nextPort,
    compose: Boolean(answers['compose']),
    extraTargets: appContexts.map((app) => `production-${app.target}`),
    labels: labelsFor(mode, project, name),
    nodeVersion,
    nodeImage: image,
    pm: recipe,
    yarnBerry: facts.manager.yarnBerry,
    turbo: facts.turbo,
    configFiles: facts.manager.configFiles.filter((file) => recipe.manifests.includes(file)),
    memberManifests: facts.memberDirs.map((dir) => `${dir}/package.json`),
    apps: appContexts,
    buildContext: upTo(facts.startRel),
    dockerfileInContext: facts.startRel === '.' ? file : `${facts.startRel}/${file}`,
    // BuildKit reads `<Dockerfile>.dockerignore` beside a Dockerfile that is not at the context root.
    ...(facts.startRel === '.' ? {} : { dockerignore: `${file}.dockerignore` }),
    inside: facts.inside,
    secrets: recipe.secrets,
    dockerBuildFlags: recipe.buildFlags,
  };
}

/** `--standalone`: adds output: 'standalone' to each chosen app's next.config that lacks it. */
function sourceEdits(ctx: NextWorkspaceContext, detection: Detection<NextWorkspaceFacts>, answers: Answers): SourceEdit[] {
  const facts = workspaceFacts(detection);
  if (!facts || answers['standalone'] !== true) return [];
  const chosen = new Set(ctx.apps.map((app) => app.target));
  return facts.apps.flatMap((app) => {
    const edit = app.standaloneEdit;
    if (!chosen.has(app.target) || app.standalone || !edit?.ok) return [];
    return [{ path: facts.inside ? app.nextConfigFile : `${app.dir}/${app.nextConfigFile}`, content: edit.content, reason: "adds output: 'standalone'" }];
  });
}

export const nextjsWorkspace = defineStack({
  id: 'nextjs-workspace',
  title: 'Next.js workspace (monorepo)',
  matches: looksLikeNextWorkspace,
  supersedes: ['nextjs'],
  existingOnly: true,
  detect,
  questions,
  context,
  // Below the context's root (a run in an app folder), `docker build` must be told where the Dockerfile is.
  dockerfileBelowContext: (ctx) => ctx.buildContext !== '.',
  sourceEdits,
  scripts: workspaceScripts,
  nextSteps: (ctx, run) =>
    ctx.apps.flatMap((app) => [`${run(`docker:dev:${app.target}`)}   # ${app.dir}: dev server in Docker`, `${run(`docker:start:${app.target}`)}   # ${app.dir}: production image on port ${app.port}`]),
});
