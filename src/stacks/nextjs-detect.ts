import { DEFAULTS } from '../defaults.js';
import type { Project } from '../project.js';
import { detectName } from './common.js';
import type { DetectInput } from './define.js';
import { NEXT_CONFIG_FILES, addStandaloneOutput, blankComments, readNextConfig, type NextConfigFacts, type StandaloneEdit } from './next-config.js';
import { LOCKFILES, PACKAGE_MANAGERS, credentialFiles, invokingPackageManager, yarnNodeLinker, type PackageManagerFacts, type PackageManagerId } from './node-package-managers.js';
import type { Answers, Detection, Invocation } from './types.js';

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

export function dependencyVersion(pkg: Record<string, unknown> | undefined, name: string): string | undefined {
  for (const field of ['dependencies', 'devDependencies']) {
    const deps = pkg?.[field];
    if (deps && typeof deps === 'object' && typeof (deps as Record<string, unknown>)[name] === 'string') {
      return (deps as Record<string, string>)[name];
    }
  }
  return undefined;
}

/** Node.js LTS codenames as .nvmrc writes them (`lts/iron`), by major. */
const LTS_CODENAMES: Record<string, string> = {
  argon: '4',
  boron: '6',
  carbon: '8',
  dubnium: '10',
  erbium: '12',
  fermium: '14',
  gallium: '16',
  hydrogen: '18',
  iron: '20',
  jod: '22',
  krypton: '24',
};

/**
 * The Node major a range asks for: `22`, `v22.3.0`, `^22`, `>=20.9 <23`, `20 || 22`.
 * Prefers the default LTS when the range allows it, else the highest major named.
 */
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
  const yarnBerry = id === 'yarn' && ((version !== '' && Number(version.split('.')[0]) >= 2) || yarnrc !== undefined || (project.readText('yarn.lock') ?? '').includes('__metadata:'));
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

function enginesNode(pkg: Record<string, unknown> | undefined): string | undefined {
  const node = (pkg?.['engines'] as Record<string, unknown> | undefined)?.['node'];
  return typeof node === 'string' ? node : undefined;
}

export async function detect(project: Project, { previous, invocation }: DetectInput): Promise<Detection<NextFacts>> {
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
    (typeof (pkg?.['engines'] as Record<string, unknown> | undefined)?.['node'] === 'string' ? ((pkg!['engines'] as Record<string, string>)['node'] as string) : undefined);
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
