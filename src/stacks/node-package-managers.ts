import { DEFAULTS, type ImageRecord } from '../defaults.js';

export type PackageManagerId = 'npm' | 'pnpm' | 'yarn' | 'bun';
export const PACKAGE_MANAGERS: readonly PackageManagerId[] = ['npm', 'pnpm', 'yarn', 'bun'];

/** A file with registry credentials: it reaches the install through a BuildKit secret mount, never a layer. */
export interface SecretFile {
  /** The secret id (`docker build --secret id=<id>,src=<file>`). */
  id: string;
  file: string;
}

/** What the Dockerfile needs to know about a package manager. */
export interface PackageManagerRecipe {
  id: string;
  /** Yarn Berry (apart from Yarn classic, which shares the id `yarn`). */
  yarnBerry: boolean;
  /** What the base stage installs to make the manager available (templates/shared/partials/node-pm-setup.hbs). */
  setup: PackageManagerSetup;
  /** Files copied before the install: package.json, the lockfile and the manager's non-secret config. */
  manifests: string[];
  /** Directories the install reads (Yarn Berry's `.yarn/releases`, `.yarn/plugins`, `.yarn/patches`). */
  manifestDirs: string[];
  /** Credential files mounted as secrets into the steps that run the package manager (templates/shared/partials/node-secret-mounts.hbs). */
  secrets: SecretFile[];
  /** The same for `build`: only a secret `.yarnrc.yml`, which every Yarn run reads for its settings. */
  buildSecrets: SecretFile[];
  /** `--secret id=...,src=...` flags for `docker build` ('' when there are none). */
  buildFlags: string;
  /** A lockfile is there to freeze the install to. The commands are in templates/shared/partials/node-pm-install.hbs and templates/nextjs/partials/pm-prune.hbs. */
  frozen: boolean;
  /** Where the manager keeps its download cache (a cache mount in the install). */
  cacheTarget: string;
  /** argv prefix that runs a binary from node_modules/.bin. */
  exec: string[];
  /** Yarn Plug'n'Play project: the image installs with the node-modules linker instead. */
  pnp: boolean;
}

/** The versions the base stage installs; the lines themselves are in templates/shared/partials/node-pm-setup.hbs. */
export interface PackageManagerSetup {
  /** The manager's version to install: the pinned one, else our default ('' for npm, which the image has). */
  version: string;
  /** `packageManager` pins a version (Yarn classic installs it over the image's Yarn 1; unpinned it keeps the image's). */
  pinned: boolean;
  /** Corepack, installed from npm to run Yarn Berry. */
  corepackVersion: string;
  /** The image bun's binary is copied from ('' for the other managers). */
  image: string;
}

export interface PackageManagerFacts {
  id: PackageManagerId;
  /** Exact version pinned by `packageManager`, or ''. */
  version: string;
  yarnBerry: boolean;
  lockfile: string | undefined;
  /** Non-secret config files present that the install reads (pnpm-workspace.yaml, .yarnrc.yml, bunfig.toml). */
  configFiles: string[];
  /** Yarn Berry directories present that the install reads (.yarn/releases, .yarn/plugins, .yarn/patches). */
  yarnDirs: string[];
  /** Yarn Berry's `nodeLinker` ('pnp' when .yarnrc.yml sets none: Berry's default), or ''. */
  nodeLinker: '' | 'pnp' | 'node-modules' | 'pnpm';
  /** Files that hold (or may hold) registry credentials. */
  secretFiles: string[];
}

export const LOCKFILES: Record<PackageManagerId, string[]> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  bun: ['bun.lock', 'bun.lockb'],
};

/** Secret ids per credential file: short, stable names for `--secret id=...`. */
export const SECRET_IDS: Record<string, string> = { '.npmrc': 'npmrc', '.yarnrc.yml': 'yarnrc', 'bunfig.toml': 'bunfig' };

/**
 * Which config files hold credentials. `.npmrc` always counts: it is where
 * tokens live, and a per-user file often carries one even when the project's
 * does not. `.yarnrc.yml` and `bunfig.toml` only when they name a token or
 * password, since they also carry settings every yarn/bun run needs.
 */
export function credentialFiles(read: (file: string) => string | undefined): string[] {
  const found: string[] = [];
  if (read('.npmrc') !== undefined) found.push('.npmrc');
  if (/^\s*npmAuth(?:Token|Ident)\s*:/m.test(read('.yarnrc.yml') ?? '')) found.push('.yarnrc.yml');
  if (/^\s*(?:token|password|username)\s*=/m.test(read('bunfig.toml') ?? '') || /\/\/[^\s"']*:[^\s"']*@/.test(read('bunfig.toml') ?? '')) found.push('bunfig.toml');
  return found;
}

/** Yarn Berry's linker from `.yarnrc.yml`; Plug'n'Play is the default when none is set. */
export function yarnNodeLinker(yarnrc: string | undefined): 'pnp' | 'node-modules' | 'pnpm' {
  const match = /^nodeLinker:\s*["']?(pnp|node-modules|pnpm)["']?\s*(?:#.*)?$/m.exec(yarnrc ?? '');
  return (match?.[1] as 'pnp' | 'node-modules' | 'pnpm' | undefined) ?? 'pnp';
}

/** Where each manager keeps its download cache (Yarn Berry apart from Yarn classic). */
const CACHE_TARGETS: Record<PackageManagerId | 'yarnBerry', string> = {
  npm: '/root/.npm',
  pnpm: '/pnpm/store',
  yarn: '/usr/local/share/.cache/yarn',
  yarnBerry: '/root/.yarn/berry/cache',
  bun: '/root/.bun/install/cache',
};

/** The version of the manager the base stage installs: the pinned one, else our default. */
function setupVersion(pm: PackageManagerFacts): string {
  switch (pm.id) {
    case 'npm':
      return '';
    case 'pnpm':
      return pm.version || DEFAULTS.pnpm;
    case 'yarn':
      return pm.version || (pm.yarnBerry ? DEFAULTS.yarnBerry : DEFAULTS.yarnClassic);
    case 'bun':
      return pm.version || DEFAULTS.bun;
  }
}

export function recipeFor(pm: PackageManagerFacts, images: ImageRecord): PackageManagerRecipe {
  const secrets = pm.secretFiles.map((file) => ({ id: SECRET_IDS[file] ?? file.replace(/[^a-z0-9]/gi, ''), file }));
  const manifests = ['package.json', ...(pm.lockfile ? [pm.lockfile] : []), ...pm.configFiles.filter((f) => !pm.secretFiles.includes(f))];
  const buildFlags = secrets.map((s) => `--secret id=${s.id},src=${s.file}`).join(' ');
  const berry = pm.id === 'yarn' && pm.yarnBerry;
  return {
    manifests,
    manifestDirs: berry ? pm.yarnDirs : [],
    secrets,
    buildSecrets: secrets.filter((s) => s.file === '.yarnrc.yml'),
    buildFlags,
    pnp: berry && pm.nodeLinker === 'pnp',
    id: pm.id,
    yarnBerry: berry,
    setup: { version: setupVersion(pm), pinned: pm.version !== '', corepackVersion: DEFAULTS.corepack, image: pm.id === 'bun' ? images.bun(setupVersion(pm)) : '' },
    frozen: pm.lockfile !== undefined,
    cacheTarget: CACHE_TARGETS[berry ? 'yarnBerry' : pm.id],
    // Yarn Berry runs binaries through `yarn <bin>`; the others from node_modules/.bin.
    exec: berry ? ['yarn', ''] : ['node_modules/.bin/'],
  };
}

/** argv that runs a binary from the project's dependencies, e.g. next. */
export function execArgv(recipe: PackageManagerRecipe, bin: string, args: string[]): string[] {
  const [first, second] = recipe.exec;
  return second === undefined ? [`${first}${bin}`, ...args] : [first!, bin, ...args];
}

/** The package manager that invoked us (`npm create`, `pnpm create`...), from npm_config_user_agent. */
export function invokingPackageManager(userAgent: string | undefined): PackageManagerId | undefined {
  const name = userAgent?.split('/')[0];
  return (PACKAGE_MANAGERS as readonly string[]).includes(name ?? '') ? (name as PackageManagerId) : undefined;
}

export function runScriptCommand(pm: PackageManagerId, script: string): string {
  return pm === 'npm' || pm === 'bun' ? `${pm} run ${script}` : `${pm} ${script}`;
}
