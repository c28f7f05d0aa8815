import { DEFAULTS, distrolessNodeImage, nodeImage } from '../defaults.js';
import type { Project } from '../project.js';
import { validateChoice, validateNodeVersion } from '../validate.js';
import { asString, commonQuestions, labelsFor, detectName, headerLine, previousAnswers } from './common.js';
import {
  LOCKFILES,
  PACKAGE_MANAGERS,
  execArgv,
  recipeFor,
  type PackageManagerFacts,
  type PackageManagerId,
} from './node-package-managers.js';
import type { Answers, BaseContext, ContextInput, Detection, Question, StackModule } from './types.js';

const RUNTIMES = ['slim', 'distroless'] as const;
type Runtime = (typeof RUNTIMES)[number];
const NEXT_CONFIGS = ['next.config.ts', 'next.config.mjs', 'next.config.js', 'next.config.cjs', 'next.config.mts'];

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
export function nodeMajorFrom(spec: string): string | undefined {
  const text = spec.trim();
  const exact = /^v?(\d{2})(?:\.\d+){0,2}$/.exec(text);
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

function detectPackageManager(project: Project, pkg: Record<string, unknown> | undefined): PackageManagerFacts | undefined {
  const field = typeof pkg?.['packageManager'] === 'string' ? (pkg['packageManager'] as string) : '';
  const pinned = /^(npm|pnpm|yarn|bun)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)(?:\+.*)?$/.exec(field);
  let id: PackageManagerId | undefined = pinned?.[1] as PackageManagerId | undefined;
  if (!id) id = PACKAGE_MANAGERS.find((pm) => LOCKFILES[pm].some((lock) => project.isFile(lock)));
  if (!id) return undefined;
  const lockfile = LOCKFILES[id].find((lock) => project.isFile(lock));
  const version = pinned?.[2] ?? '';
  const yarnBerry =
    id === 'yarn' &&
    ((version !== '' && Number(version.split('.')[0]) >= 2) ||
      project.isFile('.yarnrc.yml') ||
      (project.readText('yarn.lock') ?? '').includes('__metadata:'));
  const configFiles = ['.npmrc', 'pnpm-workspace.yaml', '.yarnrc.yml', 'bunfig.toml'].filter((f) => project.isFile(f));
  return { id, version, yarnBerry, lockfile, configFiles, yarnReleasesDir: yarnBerry && project.isDir('.yarn/releases') ? '.yarn/releases' : '' };
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

const questions: Question[] = [
  ...commonQuestions(DEFAULTS.nextPort),
  {
    key: 'node-version',
    flag: 'node-version',
    message: 'Node.js version',
    type: 'text',
    parse: validateNodeVersion,
    defaultValue: () => DEFAULTS.nodeMajor,
  },
  {
    key: 'pm',
    flag: 'pm',
    message: 'Package manager',
    type: 'select',
    choices: () => PACKAGE_MANAGERS.map((pm) => ({ title: pm, value: pm })),
    parse: (raw) => validateChoice(raw, PACKAGE_MANAGERS),
    defaultValue: (ctx) => String(ctx.detection.facts['invokingPm'] ?? '') || 'npm',
  },
  {
    key: 'runtime',
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
];

async function detect(project: Project): Promise<Detection> {
  const pkg = project.readJson('package.json');
  const nextVersion = dependencyVersion(pkg, 'next');
  const existing = nextVersion !== undefined;
  const notes: string[] = [];
  // A previous run's header wins over fresh detection: it records the answers
  // (flags included) that produced the files, so a re-run reproduces them.
  const previous = previousAnswers(project, 'nextjs', questions);
  const values: Answers = {};
  const name = detectName(project);
  if (name && pkg) values['name'] = name;
  if (!existing) return { existing, values: { ...values, ...previous }, facts: {}, notes };

  const pm = detectPackageManager(project, pkg);
  if (pm) values['pm'] = pm.id;
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

  const nextConfigFile = NEXT_CONFIGS.find((f) => project.isFile(f)) ?? '';
  // Comments out first: a commented-out `// output: 'standalone'` is off, and a build expecting .next/standalone would fail.
  const configSource = (nextConfigFile ? (project.readText(nextConfigFile) ?? '') : '').replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, '$1');
  const standalone = /output\s*:\s*['"`]standalone['"`]/.test(configSource);
  if (!standalone) {
    notes.push(
      `${nextConfigFile || 'next.config'} does not set output: 'standalone': production runs \`next start\` with production node_modules. Add output: 'standalone' for a much smaller image.`,
    );
  }
  // Except the package manager: a lockfile or packageManager field that now
  // names another one means the project switched, and the image must follow.
  if (pm && previous['pm'] !== undefined && previous['pm'] !== pm.id) {
    notes.push(`the previous run used ${String(previous['pm'])}; the project now uses ${pm.id}`);
    delete previous['pm'];
  }
  return {
    existing,
    values: { ...values, ...previous },
    facts: { nextVersion, packageManager: pm, standalone, nextConfigFile, hasPublic: project.isDir('public') },
    notes,
  };
}

function context({ answers, detection, project, mode }: ContextInput): BaseContext {
  const name = asString(answers['name']);
  const port = Number(answers['port']);
  const nodeVersion = asString(answers['node-version']);
  const pmId = asString(answers['pm']) as PackageManagerId;
  const runtime = asString(answers['runtime']) as Runtime;
  const detected = detection.facts['packageManager'] as PackageManagerFacts | undefined;
  const isNew = mode === 'new';

  // A new project gets the lockfile its install is about to create; an existing
  // one keeps what it has (the detected manager must match the chosen one).
  const pmFacts: PackageManagerFacts =
    !isNew && detected && detected.id === pmId
      ? // No lockfile yet (e.g. a new project generated with --skip-install): expect the one the install will write, as for a new project.
        { ...detected, lockfile: detected.lockfile ?? LOCKFILES[pmId][0] }
      : {
          id: pmId,
          version: pmId === 'pnpm' ? DEFAULTS.pnpm : pmId === 'yarn' ? DEFAULTS.yarnBerry : '',
          yarnBerry: pmId === 'yarn',
          lockfile: LOCKFILES[pmId][0],
          configFiles: pmId === 'yarn' ? ['.yarnrc.yml'] : [],
          yarnReleasesDir: '',
        };
  const pm = recipeFor(pmFacts, name);
  const distroless = runtime === 'distroless';
  const standalone = isNew ? true : Boolean(detection.facts['standalone']);
  const nodeBin = distroless ? '/nodejs/bin/node' : 'node';
  const probe = `fetch('http://127.0.0.1:${port}/').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  const serverArgs = standalone ? ['server.js'] : ['node_modules/next/dist/bin/next', 'start', '--hostname', '0.0.0.0', '--port', String(port)];
  const image = nodeImage(nodeVersion);
  const testScripts = projectTestScripts(isNew, project);

  return {
    stack: 'nextjs',
    name,
    port,
    compose: Boolean(answers['compose']),
    extraTargets: [],
    header: headerLine('nextjs', answers, ['name', 'port', 'node-version', 'pm', 'runtime']),
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
    hasPublic: isNew ? true : Boolean(detection.facts['hasPublic']),
    nextConfigFile: isNew ? 'next.config.ts' : asString(detection.facts['nextConfigFile'] as string | undefined),
    devCommand: execArgv(pm, 'next', ['dev', '--hostname', '0.0.0.0', '--port', String(port)]),
    startCommand: distroless ? serverArgs : ['node', ...serverArgs],
    healthcheck: [nodeBin, '-e', probe],
    // The `test` stage runs these package.json scripts; without any there is no test stage.
    testScripts,
    hasTests: testScripts.length > 0,
    testCommand: testScripts.map((script) => `${pmId} run ${script}`).join(' \\\n    && '),
    // New project files
    defaultPort: port === DEFAULTS.nextPort,
    pmPin: pmId === 'pnpm' ? `pnpm@${DEFAULTS.pnpm}` : pmId === 'yarn' ? `yarn@${DEFAULTS.yarnBerry}` : '',
    versions: {
      next: DEFAULTS.next,
      react: DEFAULTS.react,
      typescript: DEFAULTS.typescript,
      typesNode: DEFAULTS.typesNode,
      typesReact: DEFAULTS.typesReact,
    },
  };
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

export const nextjs: StackModule = {
  id: 'nextjs',
  title: 'Next.js',
  matches: (project) => dependencyVersion(project.readJson('package.json'), 'next') !== undefined,
  detect,
  questions,
  context,
  templates: { docker: 'nextjs/docker', app: 'nextjs/app' },
  installCommand: (ctx) => {
    const pm = (ctx['pm'] as { id: string }).id;
    return { command: pm, args: ['install'] };
  },
  nextSteps: (ctx, run) => [
    run('docker:dev') + '   # dev server in Docker, live reload',
    run('docker:build') + '   # production image',
    // The fallback works, but standalone output makes a much smaller image: say how to switch.
    ...(ctx['standalone']
      ? []
      : [`add output: 'standalone' to ${asString(ctx['nextConfigFile'] as string) || 'next.config.mjs'} and run create-multistage again   # a much smaller production image`]),
  ],
};
