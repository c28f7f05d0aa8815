import { DEFAULTS } from '../defaults.js';
import { asString, labelsFor } from './common.js';
import type { DerivedFields, StackContextInput } from './define.js';
import type { NextFacts } from './nextjs-detect.js';
import type { Runtime } from './nextjs-questions.js';
import { LOCKFILES, execArgv, recipeFor, type PackageManagerFacts, type PackageManagerId } from './node-package-managers.js';
import type { Answers, ContextInput, Detection, SourceEdit } from './types.js';

/** ARG names that look like credentials break the secrets rule (SecretsUsedInArgOrEnv), even when public. */
const SECRET_LIKE = /(?:TOKEN|SECRET|PASSWORD|_KEY)$|_KEY_/;

export function context({ answers, detection, project, mode, images }: StackContextInput<NextFacts>) {
  const name = asString(answers['name']);
  const port = Number(answers['port']);
  const nodeVersion = asString(answers['node-version']);
  const pmId = asString(answers['pm']) as PackageManagerId;
  const runtime = asString(answers['runtime']) as Runtime;
  const facts = detection.facts;
  const detected = facts.packageManager;
  const isNew = mode === 'new';
  // A new Yarn project is Berry, unless Yarn 1 itself ran us (`yarn create multistage` on Yarn classic).
  const invokedByYarnClassic = facts.invokingPm === 'yarn' && /^1\./.test(facts.invokingPmVersion);
  const newYarnVersion = invokedByYarnClassic ? facts.invokingPmVersion : DEFAULTS.yarnBerry;

  // A new project gets the lockfile its install is about to create; an existing
  // one keeps what it has (the detected manager must match the chosen one).
  const pmFacts: PackageManagerFacts =
    !isNew && detected && detected.id === pmId
      ? // No lockfile yet (e.g. a new project generated with --skip-install): expect the one the install will write, as for a new project.
        { ...detected, lockfile: detected.lockfile ?? LOCKFILES[pmId][0] }
      : {
          id: pmId,
          version: pmId === 'pnpm' ? DEFAULTS.pnpm : pmId === 'yarn' ? newYarnVersion : '',
          yarnBerry: pmId === 'yarn' && !invokedByYarnClassic,
          lockfile: LOCKFILES[pmId][0],
          // A new Yarn app gets a .yarnrc.yml with nodeLinker: node-modules (templates/nextjs/app).
          configFiles: pmId === 'yarn' && !invokedByYarnClassic ? ['.yarnrc.yml'] : [],
          yarnDirs: [],
          nodeLinker: pmId === 'yarn' && !invokedByYarnClassic ? 'node-modules' : '',
          secretFiles: [],
        };
  const pm = recipeFor(pmFacts, images);
  const distroless = runtime === 'distroless';
  const edit = facts.standaloneEdit;
  const staticExport = !isNew && facts.output === 'export';
  // Standalone when the config says so, or when the user asked us to add it and the edit is possible.
  const standalone = isNew || facts.standalone || (answers['standalone'] === true && edit?.ok === true);
  const basePath = isNew ? '' : facts.basePath;
  const nodeBin = distroless ? '/nodejs/bin/node' : 'node';
  // The probe asks for the app's root: with a basePath, `/` is a 404.
  const probe = `fetch('http://127.0.0.1:${port}${basePath || '/'}').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  const serverArgs = staticExport
    ? ['/opt/serve/node_modules/serve/build/main.js', '--no-clipboard', '--listen', `tcp://0.0.0.0:${port}`, 'out']
    : standalone
      ? ['server.js']
      : ['node_modules/next/dist/bin/next', 'start', '--hostname', '0.0.0.0', '--port', String(port)];
  const image = images.node(nodeVersion);
  const publicEnv = facts.publicEnv.filter((env) => !SECRET_LIKE.test(env));
  const watchRebuild = ['package.json', ...(pmFacts.lockfile ? [pmFacts.lockfile] : [])];
  const testScripts = projectTestScripts(isNew, project);

  return {
    name,
    port,
    compose: Boolean(answers['compose']),
    extraTargets: [],
    labels: labelsFor(mode, project, name, '0.1.0'),
    nodeVersion,
    nodeImage: image,
    runtime,
    runtimeImage: distroless ? images.distrolessNode(nodeVersion.split('.')[0]!) : image,
    runtimeDescription: distroless ? 'distroless Node.js (no shell)' : 'Debian slim',
    user: distroless ? '65532:65532' : '1000:1000',
    pm,
    yarnBerry: pmFacts.yarnBerry,
    standalone,
    /** Not standalone, but `--standalone` can add it to next.config (for the next steps). */
    standaloneEditable: !standalone && edit?.ok === true,
    staticExport,
    serveVersion: DEFAULTS.serve,
    basePath,
    publicEnv,
    secrets: pm.secrets,
    dockerBuildFlags: pm.buildFlags,
    composeWatch: true,
    watchRebuild,
    hasPublic: isNew ? true : facts.hasPublic,
    nextConfigFile: isNew ? 'next.config.ts' : facts.nextConfigFile,
    devCommand: execArgv(pm, 'next', ['dev', '--hostname', '0.0.0.0', '--port', String(port)]),
    startCommand: distroless ? serverArgs : ['node', ...serverArgs],
    healthcheck: [nodeBin, '-e', probe],
    // The `test` stage runs these package.json scripts (templates/nextjs/partials/stage-test.hbs); without any there is no test stage.
    testScripts,
    hasTests: testScripts.length > 0,
    // New project files
    defaultPort: port === DEFAULTS.nextPort,
    pmPin: pmId === 'pnpm' ? `pnpm@${DEFAULTS.pnpm}` : pmId === 'yarn' ? `yarn@${newYarnVersion}` : '',
    versions: {
      next: DEFAULTS.next,
      react: DEFAULTS.react,
      typescript: DEFAULTS.typescript,
      typesNode: DEFAULTS.typesNode,
      typesReact: DEFAULTS.typesReact,
    },
  };
}

/** The Next.js templates' context (templates/nextjs). */
export type NextContext = ReturnType<typeof context> & DerivedFields;
/** `--standalone` on an existing app: the edit of next.config, shown as a diff and written with the rest. */
export function sourceEdits(ctx: NextContext, detection: Detection<NextFacts>, answers: Answers): SourceEdit[] {
  const edit = detection.facts.standaloneEdit;
  const file = detection.facts.nextConfigFile;
  if (answers['standalone'] !== true || !edit?.ok || !file || !ctx.standalone) return [];
  return [{ path: file, content: edit.content, reason: "adds output: 'standalone'" }];
}

/** The checks a `test` stage runs, in this order, when package.json has them. */
const TEST_SCRIPTS = ['lint', 'typecheck', 'test'];

function projectTestScripts(isNew: boolean, project: ContextInput<NextFacts>['project']): string[] {
  // The new app's package.json has typecheck and test (no linter is installed).
  if (isNew) return ['typecheck', 'test'];
  const scripts = project.readJson('package.json')?.['scripts'];
  if (!scripts || typeof scripts !== 'object') return [];
  const scriptMap = scripts as Record<string, unknown>;
  // `next lint` without an ESLint config asks how to set one up, and fails where nobody can answer.
  const hasEslintConfig = project.listDir('.').some((file) => /^(eslint\.config\.[cm]?[jt]s|\.eslintrc(\..+)?)$/.test(file));
  return TEST_SCRIPTS.filter((script) => {
    const command = scriptMap[script];
    if (typeof command !== 'string') return false;
    return !(script === 'lint' && /^next lint\b/.test(command.trim()) && !hasEslintConfig);
  });
}
