/**
 * The package-manager commands of a Next.js workspace image: the install
 * pruned to one app's closure, and the builds of the closure and the app.
 * The single-app recipe (node-package-managers.ts) gives the setup, caches
 * and secrets; these are the workspace-filtered forms of its install and build.
 */
import type { PackageManagerFacts, PackageManagerRecipe } from './node-package-managers.js';

export interface InstallTarget {
  /** The app's package name (validated against npm's name grammar by detection). */
  name: string;
  dir: string;
}

/**
 * The install for one app. After `turbo prune --docker` the manifests and the
 * lockfile already hold the app's closure only, so the plain frozen install is
 * the pruned one; without turbo, each manager's own workspace filter does it.
 */
export function workspaceInstall(pm: PackageManagerFacts, recipe: PackageManagerRecipe, app: InstallTarget, pruned: boolean): string {
  if (pruned) return recipe.install;
  switch (pm.id) {
    case 'pnpm':
      // `<name>...`: the app and everything it depends on inside the workspace.
      return `${recipe.install} --filter ${app.name}...`;
    case 'npm':
      return `${recipe.install} --workspace ${app.dir}`;
    case 'yarn':
      // Yarn 1 has no focus: it installs the whole workspace (README.Docker.md says so).
      return pm.yarnBerry ? `yarn workspaces focus ${app.name}` : recipe.install;
    case 'bun':
      return `${recipe.install} --filter ${app.name}`;
  }
}

/** Runs the `build` script of one workspace package from the workspace root (WORKDIR /app). */
export function workspaceBuild(pm: PackageManagerFacts, pkg: InstallTarget): string {
  switch (pm.id) {
    case 'pnpm':
      return `pnpm --filter ${pkg.name} run build`;
    case 'npm':
      return `npm run build --workspace ${pkg.dir}`;
    case 'yarn':
      return `yarn workspace ${pkg.name} run build`;
    case 'bun':
      return `bun --filter ${pkg.name} run build`;
  }
}
