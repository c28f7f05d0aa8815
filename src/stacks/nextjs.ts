import { DEFAULTS, distrolessNodeImage, nodeImage } from '../defaults.js';
import type { Project } from '../project.js';
import { validateChoice, validateNodeVersion } from '../validate.js';
import { asString, commonQuestions, labelsFor, detectName } from './common.js';
import { defineStack, type DerivedFields, type DetectInput } from './define.js';
import { parseSwitch } from './cpp.js';
import { NEXT_CONFIG_FILES, addStandaloneOutput, blankComments, readNextConfig, type NextConfigFacts, type StandaloneEdit } from './next-config.js';
import {
  LOCKFILES,
  PACKAGE_MANAGERS,
  credentialFiles,
  execArgv,
  invokingPackageManager,
  runScriptCommand,
  recipeFor,
  yarnNodeLinker,
  type PackageManagerFacts,
  type PackageManagerId,
} from './node-package-managers.js';
import type { Answers, ContextInput, Detection, Invocation, Question, QuestionContext, SourceEdit } from './types.js';

/** What detection knows about a Next.js app (and, for a new one, who ran us). */
export interface NextFacts {
  /** The package manager that ran us (`pnpm create`...), '' when none did: a new app's default. */
  invokingPm: PackageManagerId | '';
  /** Its version: `yarn create` from Yarn 1 makes a Yarn classic app, from Yarn 2+ a Berry one. */
  invokingPmVersion: string;
  enginesNode: string;
  nextVersion: string;
  packageManager?: PackageManagerFacts | undefined;
  standalone: boolean;
  output: NextConfigFacts['output'];
  basePath: string;
  standaloneEdit?: StandaloneEdit | undefined;
  nextConfigFile: string;
  hasPublic: boolean;
  publicEnv: string[];
  envLocalFiles: string[];
}

function invocationFacts(invocation: Invocation): Pick<NextFacts, 'invokingPm' | 'invokingPmVersion'> {
  return {
    invokingPm: invokingPackageManager(invocation.userAgent) ?? '',
    invokingPmVersion: /^\S+\/(\d+\.\d+\.\d+)/.exec(invocation.userAgent ?? '')?.[1] ?? '',
  };
}

const RUNTIMES = ['slim', 'distroless'] as const;
type Runtime = (typeof RUNTIMES)[number];

function dependencyVersion(pkg: Record<string, unknown> | undefined, name: string): string | undefined {
  for (const field of ['dependencies', 'devDependencies']) {
    const deps = pkg?.[field];
    if (deps && typeof deps === 'object' && typeof (deps as Record<string, unknown>)[name] === 'string') {
      return (deps as Record<string, string>)[name];
    }
  }
  return undefined;
}

/**
 * The Node major a range asks for: `22`, `v22.3.0`, `^22`, `>=20.9 <23`, `20 || 22`.
 * Prefers the default LTS when the range allows it, else the highest major named.
 */
/** Node.js LTS codenames as .nvmrc writes them (`lts/iron`), by major. */
const LTS_CODENAMES: Record<string, string> = {
  argon: '4', boron: '6', carbon: '8', dubnium: '10', erbium: '12', fermium: '14', gallium: '16', hydrogen: '18', iron: '20', jod: '22', krypton: '24',
};

export function nodeMajorFrom(spec: string): string | undefined {
  const text = spec.trim();
  // `lts/iron` is Node 20, not "some LTS"; `lts/*` and an unknown codename name no version (the default applies).
  const lts = /^lts\/([a-z]+)$/i.exec(text);
  if (lts) return Object.hasOwn(LTS_CODENAMES, lts[1]!.toLowerCase()) ? LTS_CODENAMES[lts[1]!.toLowerCase()] : undefined;
  // Every digit of the major: `100` is 100 (refused by validation as such), not 10.
  const exact = /^v?(\d+)(?:\.\d+){0,2}$/.exec(text);
  if (exact) return exact[1];
  const majors = [...text.matchAll(/(\d{2})(?:\.[\dx*]+){0,2}/g)].map((m) => Number(m[1]));
  if (majors.length === 0) return undefined;
  const wanted = Number(DEFAULTS.nodeMajor);
  const lower = /(?:>=?|\^|~)\s*v?(\d{2})/.exec(text);
  const upper = /<=?\s*v?(\d{2})/.exec(text);
  const allowsDefault =
    (lower !== null && Number(lower[1]) <= wanted && (!upper || wanted < Number(upper[1]) || (upper[0].includes('=') && wanted === Number(upper[1]))) && !text.includes('^') && !text.includes('~')) ||
    majors.includes(wanted);
  if (allowsDefault) return String(wanted);
  // `<23` excludes 23 itself: the highest major it allows is 22.
  const highest = Math.max(...majors);
  return String(upper && !upper[0].includes('=') && Number(upper[1]) === highest ? highest - 1 : highest);
}

/**
 * The package manager, its version and the files its install reads.
 * When `packageManager` and the lockfile disagree, the lockfile wins: it is
 * what the dependencies were resolved with and what a frozen install needs,
 * while the field is a one-line claim that is easy to leave stale. The
 * contradiction is reported so the user can fix the field.
 */
export function detectPackageManager(project: Project, pkg: Record<string, unknown> | undefined): { facts: PackageManagerFacts; notes: string[] } | undefined {
  const notes: string[] = [];
  const field = typeof pkg?.['packageManager'] === 'string' ? (pkg['packageManager'] as string) : '';
  const pinned = /^(npm|pnpm|yarn|bun)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)(?:\+.*)?$/.exec(field);
  const pinnedId = pinned?.[1] as PackageManagerId | undefined;
  const byLockfile = PACKAGE_MANAGERS.find((pm) => LOCKFILES[pm].some((lock) => project.isFile(lock)));
  let id: PackageManagerId | undefined = pinnedId;
  if (byLockfile && pinnedId && byLockfile !== pinnedId) {
    notes.push(
      `package.json says "packageManager": "${field}" but the lockfile is ${LOCKFILES[byLockfile].find((l) => project.isFile(l))}: the image uses ${byLockfile}, because the lockfile is what the dependencies were resolved with and what a frozen install needs. Fix or remove the packageManager field.`,
    );
    id = byLockfile;
  }
  id ??= byLockfile;
  if (!id) return undefined;
  const lockfile = LOCKFILES[id].find((lock) => project.isFile(lock));
  const version = pinnedId === id ? pinned![2]! : '';
  const yarnrc = project.readText('.yarnrc.yml');
  const yarnBerry =
    id === 'yarn' &&
    ((version !== '' && Number(version.split('.')[0]) >= 2) || yarnrc !== undefined || (project.readText('yarn.lock') ?? '').includes('__metadata:'));
  const configFiles = ['pnpm-workspace.yaml', '.yarnrc.yml', 'bunfig.toml'].filter((f) => project.isFile(f));
  const yarnDirs = yarnBerry ? ['.yarn/releases', '.yarn/plugins', '.yarn/patches'].filter((d) => project.isDir(d)) : [];
  const secretFiles = credentialFiles((f) => (project.isFile(f) ? project.readText(f) : undefined));
  const nodeLinker = yarnBerry ? yarnNodeLinker(yarnrc) : '';
  if (nodeLinker === 'pnp') {
    notes.push("Yarn Plug'n'Play: the image installs with nodeLinker node-modules (Next.js output tracing needs node_modules on disk); your local setup keeps Plug'n'Play");
  }
  if (secretFiles.length > 0) {
    notes.push(`${secretFiles.join(', ')}: passed to the install as a BuildKit secret (--secret id=...), never copied into an image layer`);
  }
  return { facts: { id, version, yarnBerry, lockfile, configFiles, yarnDirs, nodeLinker, secretFiles }, notes };
}

/** Names of `NEXT_PUBLIC_*` variables the source reads: Next.js inlines them at build time. */
export function publicEnvNames(project: Project): string[] {
  const files = project.walk({ maxDepth: 6, limit: 3000, accept: (file) => /\.(?:[cm]?[jt]sx?)$/.test(file) && !/(?:^|\/)next-env\.d\.ts$/.test(file) });
  const names = new Set<string>();
  for (const file of files) {
    const text = project.readText(file);
    if (!text || text.length > 1_000_000) continue;
    for (const match of blankComments(text).matchAll(/\bprocess\.env\.(NEXT_PUBLIC_[A-Z0-9_]+)\b|\bprocess\.env\[\s*['"](NEXT_PUBLIC_[A-Z0-9_]+)['"]\s*\]/g)) {
      names.add((match[1] ?? match[2])!);
    }
  }
  return [...names].sort();
}

function detectPort(pkg: Record<string, unknown> | undefined): number | undefined {
  const scripts = pkg?.['scripts'];
  if (!scripts || typeof scripts !== 'object') return undefined;
  for (const name of ['start', 'dev']) {
    const script = (scripts as Record<string, unknown>)[name];
    if (typeof script !== 'string' || !script.includes('next')) continue;
    const match = /(?:-p|--port)[= ](\d{2,5})\b/.exec(script) ?? /\bPORT=(\d{2,5})\b/.exec(script);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** The oldest Node.js each Next.js major runs on (its package.json `engines`). */
const NEXT_NODE_MINIMUM: Record<number, string> = { 14: '18.17.0', 15: '18.18.0', 16: '20.9.0' };

/** A line (`20`) means its newest release; a full version is compared as written. */
function meetsMinimum(version: string, minimum: string): boolean {
  const have = version.split('.').map(Number);
  const need = minimum.split('.').map(Number);
  if (have.length === 1) return have[0]! >= need[0]!;
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0);
  return true;
}

/** Why a Node.js version cannot work here: no image for its line, or older than Next.js or engines.node allow. */
function nodeVersionProblem(version: string, ctx: QuestionContext<NextFacts>): string | undefined {
  const major = version.split('.')[0]!;
  if (!(DEFAULTS.nodeLines as readonly string[]).includes(major)) {
    return `${version} is not a Node.js line with ${DEFAULTS.debian} images (${DEFAULTS.nodeLines.join(', ')})`;
  }
  const nextVersion = ctx.mode === 'new' ? DEFAULTS.next : ctx.detection.facts.nextVersion;
  const nextMajor = Number(/(\d+)/.exec(nextVersion)?.[1] ?? 0);
  const nextMinimum = NEXT_NODE_MINIMUM[nextMajor];
  if (nextMinimum && !meetsMinimum(version, nextMinimum)) return `${version} is too old for Next.js ${nextMajor}, which needs Node.js ${nextMinimum} or newer`;
  const engines = ctx.detection.facts.enginesNode;
  const enginesMinimum = /^\s*(?:>=|\^|~|=)?\s*v?(\d+(?:\.\d+){0,2})/.exec(engines)?.[1];
  if (enginesMinimum && !meetsMinimum(version, enginesMinimum)) return `${version} is older than package.json's engines.node "${engines}"`;
  return undefined;
}

const questions: Question<NextFacts>[] = [
  ...commonQuestions<NextFacts>(DEFAULTS.nextPort),
  {
    flag: 'node-version',
    message: 'Node.js version',
    type: 'text',
    parse: validateNodeVersion,
    defaultValue: () => DEFAULTS.nodeMajor,
    fits: (value, ctx) => nodeVersionProblem(String(value), ctx),
  },
  {
    flag: 'pm',
    message: 'Package manager',
    type: 'select',
    choices: () => PACKAGE_MANAGERS.map((pm) => ({ title: pm, value: pm })),
    parse: (raw) => validateChoice(raw, PACKAGE_MANAGERS),
    defaultValue: (ctx) => ctx.detection.facts.invokingPm || 'npm',
  },
  {
    flag: 'runtime',
    message: 'Production runtime',
    type: 'select',
    // distroless ships Node images for LTS (even) majors only.
    choices: (ctx) => {
      const major = Number(asString(ctx.answers['node-version']).split('.')[0]);
      const choices = [{ title: 'slim', value: 'slim', description: `node:<version>-${DEFAULTS.debian}-slim, with a shell` }];
      if (!ctx.answers['node-version'] || major % 2 === 0) {
        choices.push({ title: 'distroless', value: 'distroless', description: 'gcr.io/distroless/nodejs, no shell or package manager' });
      }
      return choices;
    },
    parse: (raw) => validateChoice(raw, RUNTIMES),
    defaultValue: () => 'slim',
  },
  {
    flag: 'standalone',
    message: "Add output: 'standalone' to next.config (a much smaller production image)?",
    type: 'confirm',
    parse: parseSwitch,
    // Editing the user's source needs a yes: --yes alone leaves next.config as it is.
    defaultValue: () => false,
    // Only for an existing app without standalone output whose next.config the tool can edit safely
    // (otherwise a note says what to add by hand).
    when: (ctx) => ctx.mode === 'existing' && ctx.detection.facts.standaloneEdit?.ok === true,
    // A consent to edit next.config, not a choice the generated files record.
    header: false,
  },
];

function enginesNode(pkg: Record<string, unknown> | undefined): string | undefined {
  const node = (pkg?.['engines'] as Record<string, unknown> | undefined)?.['node'];
  return typeof node === 'string' ? node : undefined;
}

async function detect(project: Project, { previous, invocation }: DetectInput): Promise<Detection<NextFacts>> {
  const pkg = project.readJson('package.json');
  const nextVersion = dependencyVersion(pkg, 'next');
  const existing = nextVersion !== undefined;
  const notes: string[] = [];
  // A previous run's header wins over fresh detection: it records the answers
  // (flags included) that produced the files, so a re-run reproduces them.
  const values: Answers = {};
  const name = detectName(project);
  if (name && pkg) values['name'] = name;
    const invoked = invocationFacts(invocation);
  const none = { ...invoked, enginesNode: '', nextVersion: '', standalone: false, output: '', basePath: '', nextConfigFile: '', hasPublic: false, publicEnv: [], envLocalFiles: [] };
  if (!existing) return { existing, values: { ...values, ...previous }, facts: none, notes };

  const detectedPm = detectPackageManager(project, pkg);
  const pm = detectedPm?.facts;
  if (pm) values['pm'] = pm.id;
  notes.push(...(detectedPm?.notes ?? []));
  if (!pm?.lockfile) notes.push('no lockfile found: the Dockerfile copies the lockfile of the package manager (e.g. package-lock.json); run its install and commit the lockfile before building');

  const nodeSpec =
    project.readText('.nvmrc')?.trim() ??
    project.readText('.node-version')?.trim() ??
    (typeof (pkg?.['engines'] as Record<string, unknown> | undefined)?.['node'] === 'string'
      ? ((pkg!['engines'] as Record<string, string>)['node'] as string)
      : undefined);
  const nodeMajor = nodeSpec ? nodeMajorFrom(nodeSpec) : undefined;
  if (nodeMajor) values['node-version'] = nodeMajor;

  const port = detectPort(pkg);
  if (port) values['port'] = port;

  const nextConfigFile = NEXT_CONFIG_FILES.find((f) => project.isFile(f)) ?? '';
  const configSource = nextConfigFile ? (project.readText(nextConfigFile) ?? '') : '';
  // Comments are blanked first: a commented-out `// output: 'standalone'` is off.
  const { output, basePath } = readNextConfig(configSource);
  const standalone = output === 'standalone';
  // Can the tool add output: 'standalone' itself? Decided now, so the note and the question agree.
  const standaloneEdit = !standalone && output !== 'export' && nextConfigFile ? addStandaloneOutput(configSource) : undefined;
  if (output === 'export') {
    notes.push(`${nextConfigFile} sets output: 'export': production serves out/ from a small static server (next start does not serve a static export)`);
  } else if (!standalone) {
    notes.push(
      standaloneEdit?.ok
        ? `${nextConfigFile} does not set output: 'standalone': production runs \`next start\` with production node_modules. Answer yes (or pass --standalone) to add it for a much smaller image.`
        : `${nextConfigFile || 'next.config'} does not set output: 'standalone': production runs \`next start\` with production node_modules. ${nextConfigFile ? `It cannot be edited safely (${standaloneEdit?.reason}): add` : 'Add'} output: 'standalone' to the exported config yourself for a much smaller image.`,
    );
  }
  if (basePath) notes.push(`basePath ${basePath}: the HEALTHCHECK probes ${basePath}`);
  const publicEnv = publicEnvNames(project);
  // Except the package manager: a lockfile or packageManager field that now
  // names another one means the project switched, and the image must follow.
  if (pm && previous['pm'] !== undefined && previous['pm'] !== pm.id) {
    notes.push(`the previous run used ${String(previous['pm'])}; the project now uses ${pm.id}`);
    delete previous['pm'];
  }
  return {
    existing,
    values: { ...values, ...previous },
    // The summary names where the package manager was read from.
    ...(pm && (pm.version || pm.lockfile) ? { sources: { pm: pm.version ? `packageManager ${pm.id}@${pm.version}` : pm.lockfile! } } : {}),
    facts: {
      ...invoked,
      enginesNode: enginesNode(pkg) ?? '',
      nextVersion,
      packageManager: pm,
      standalone,
      output,
      basePath,
      standaloneEdit,
      nextConfigFile,
      hasPublic: project.isDir('public'),
      publicEnv,
      envLocalFiles: project.entries().filter((f) => /^\.env(?:\..+)?\.local$/.test(f)),
    },
    notes,
  };
}

/** ARG names that look like credentials break the secrets rule (SecretsUsedInArgOrEnv), even when public. */
const SECRET_LIKE = /(?:TOKEN|SECRET|PASSWORD|_KEY)$|_KEY_/;

function context({ answers, detection, project, mode }: ContextInput<NextFacts>) {
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
  const pm = recipeFor(pmFacts, name);
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
  const image = nodeImage(nodeVersion);
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
    runtimeImage: distroless ? distrolessNodeImage(nodeVersion.split('.')[0]!) : image,
    runtimeDescription: distroless ? 'distroless Node.js (no shell)' : 'Debian slim',
    user: distroless ? '65532:65532' : '1000:1000',
    pm,
    yarnBerry: pmFacts.yarnBerry,
    standalone,
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
    // The `test` stage runs these package.json scripts; without any there is no test stage.
    testScripts,
    hasTests: testScripts.length > 0,
    testCommand: testScripts.map((script) => `${pmId} run ${script}`).join(' \\\n    && '),
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

/** `--standalone` on an existing app: the edit of next.config, shown as a diff and written with the rest. */
/** The Next.js templates' context (templates/nextjs). */
export type NextContext = ReturnType<typeof context> & DerivedFields;

function sourceEdits(ctx: NextContext, detection: Detection<NextFacts>, answers: Answers): SourceEdit[] {
  const edit = detection.facts.standaloneEdit;
  const file = detection.facts.nextConfigFile;
  if (answers['standalone'] !== true || !edit?.ok || !file || !ctx.standalone) return [];
  return [{ path: file, content: edit.content, reason: "adds output: 'standalone'" }];
}

/** The checks a `test` stage runs, in this order, when package.json has them. */
const TEST_SCRIPTS = ['lint', 'typecheck', 'test'];

function projectTestScripts(isNew: boolean, project: ContextInput['project']): string[] {
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

export const nextjs = defineStack({
  id: 'nextjs',
  title: 'Next.js',
  matches: (project) => dependencyVersion(project.readJson('package.json'), 'next') !== undefined,
  detect,
  questions,
  context,
  sourceEdits,
  installCommand: (ctx) => ({ command: ctx.pm.id, args: ['install'] }),
  // The chosen package manager runs the scripts, whichever ran us.
  runScript: (answers) => (script) => runScriptCommand(asString(answers['pm']) as PackageManagerId, script),
  nextSteps: (ctx, run) => [
    run('docker:dev') + (ctx.compose ? '   # dev server in Docker, source synced on save (compose watch)' : '   # dev server in Docker (rebuild to pick up edits; compose gives live sync)'),
    run('docker:build') + '   # production image',
    // The fallback works, but standalone output makes a much smaller image: say how to switch.
    ...(ctx.standalone || ctx.staticExport
      ? []
      : [`add output: 'standalone' to ${ctx.nextConfigFile || 'next.config.mjs'} and run create-multistage again with --standalone   # a much smaller production image`]),
  ],
});
