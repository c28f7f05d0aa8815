import { DEFAULTS } from '../defaults.js';

export type PackageManagerId = 'npm' | 'pnpm' | 'yarn' | 'bun';
export const PACKAGE_MANAGERS: readonly PackageManagerId[] = ['npm', 'pnpm', 'yarn', 'bun'];

/** What the Dockerfile needs to know about a package manager. */
export interface PackageManagerRecipe {
  id: string;
  /** A line (or lines) for the base stage that makes the manager available; '' when the image has it. */
  setup: string;
  /** Files copied before the install: package.json, the lockfile and the manager's config. */
  manifests: string[];
  /** Yarn Berry's checked-in release directory, or ''. */
  releasesDir: string;
  install: string;
  cacheTarget: string;
  build: string;
  /** Drops dev dependencies after the build (used when Next.js output is not standalone). */
  prune: string;
  /** argv prefix that runs a binary from node_modules/.bin. */
  exec: string[];
}

export interface PackageManagerFacts {
  id: PackageManagerId;
  /** Exact version pinned by `packageManager`, or ''. */
  version: string;
  yarnBerry: boolean;
  lockfile: string | undefined;
  /** Config files present that the install reads (.npmrc, pnpm-workspace.yaml, .yarnrc.yml). */
  configFiles: string[];
  yarnReleasesDir: string;
}

export const LOCKFILES: Record<PackageManagerId, string[]> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  bun: ['bun.lock', 'bun.lockb'],
};

export function recipeFor(pm: PackageManagerFacts, projectName: string): PackageManagerRecipe {
  const manifests = ['package.json', ...(pm.lockfile ? [pm.lockfile] : []), ...pm.configFiles];
  const frozen = pm.lockfile !== undefined;
  // The npm cache id carries the project name so projects never share a mount by accident.
  const npmCache = `--mount=type=cache,id=${projectName}-npm,target=/root/.npm`;
  switch (pm.id) {
    case 'npm':
      return {
        id: 'npm',
        setup: '',
        manifests,
        releasesDir: '',
        install: frozen ? 'npm ci' : 'npm install',
        cacheTarget: '/root/.npm',
        build: 'npm run build',
        prune: 'npm prune --omit=dev',
        exec: ['node_modules/.bin/'],
      };
    case 'pnpm': {
      const version = pm.version || DEFAULTS.pnpm;
      return {
        id: 'pnpm',
        setup: `RUN ${npmCache} \\\n    npm install -g pnpm@${version}`,
        manifests,
        releasesDir: '',
        install: `pnpm install ${frozen ? '--frozen-lockfile ' : ''}--store-dir /pnpm/store`,
        cacheTarget: '/pnpm/store',
        build: 'pnpm run build',
        prune: 'pnpm prune --prod --config.store-dir=/pnpm/store',
        exec: ['node_modules/.bin/'],
      };
    }
    case 'yarn':
      if (pm.yarnBerry) {
        const version = pm.version || DEFAULTS.yarnBerry;
        return {
          id: 'yarn',
          setup: [
            'ENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0',
            `RUN ${npmCache} \\`,
            `    npm install -g corepack@${DEFAULTS.corepack} && corepack enable && corepack prepare yarn@${version} --activate`,
          ].join('\n'),
          manifests,
          releasesDir: pm.yarnReleasesDir,
          install: frozen ? 'yarn install --immutable' : 'yarn install',
          cacheTarget: '/root/.yarn/berry/cache',
          build: 'yarn run build',
          prune: 'yarn workspaces focus --all --production',
          exec: ['yarn', ''],
        };
      }
      return {
        id: 'yarn',
        setup: '',
        manifests,
        releasesDir: '',
        install: frozen ? 'yarn install --frozen-lockfile' : 'yarn install',
        cacheTarget: '/usr/local/share/.cache/yarn',
        build: 'yarn run build',
        prune: 'yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline',
        exec: ['node_modules/.bin/'],
      };
    case 'bun': {
      const version = pm.version || DEFAULTS.bun;
      return {
        id: 'bun',
        // COPY --from an image: the clean way to bring in one static binary.
        setup: `COPY --from=oven/bun:${version}-slim /usr/local/bin/bun /usr/local/bin/bun`,
        manifests,
        releasesDir: '',
        install: frozen ? 'bun install --frozen-lockfile' : 'bun install',
        cacheTarget: '/root/.bun/install/cache',
        build: 'bun run build',
        prune: 'rm -rf node_modules && bun install --production',
        exec: ['node_modules/.bin/'],
      };
    }
  }
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
