import { KitTargetPathError } from './errors.js';

/**
 * Paths a kit may never write: files that a tool on the developer's machine
 * executes, or from which it takes a command to execute, without anyone
 * reading them first (on `git commit`, `npm install`, `cd`, opening the
 * editor...). A kit "cannot run code"; planting one of these would let it run
 * code on the next ordinary command. docs/kits.md lists the same table, and a
 * test covers every entry.
 *
 * `part`: any folder or file of that name, at any depth; `file`: a file of
 * that name at any depth (a nested package's `.npmrc` applies to it);
 * `path`: exactly that path from the project root. Compared case-insensitively
 * (macOS and Windows file systems are).
 */
export const EXECUTABLE_TARGETS: readonly { match: 'part' | 'file' | 'path'; name: string; why: string }[] = [
  { match: 'part', name: '.git', why: 'Git runs the hooks in .git/hooks and follows .git/config' },
  { match: 'part', name: '.husky', why: 'husky makes its files the Git hooks' },
  { match: 'part', name: '.githooks', why: 'the usual core.hooksPath folder for Git hooks' },
  { match: 'file', name: 'lefthook.yml', why: 'lefthook installs the commands in it as Git hooks' },
  { match: 'file', name: '.lefthook.yml', why: 'lefthook installs the commands in it as Git hooks' },
  { match: 'file', name: '.pre-commit-config.yaml', why: 'pre-commit runs the hooks it lists' },
  { match: 'file', name: '.npmrc', why: 'npm configuration can set script-shell, node-options and registries' },
  { match: 'file', name: '.yarnrc', why: 'Yarn 1 configuration can point yarn-path at a script it executes' },
  { match: 'file', name: '.yarnrc.yml', why: 'Yarn executes the file named by yarnPath and loads plugins' },
  { match: 'part', name: '.yarn', why: 'Yarn executes its releases/ and plugins/' },
  { match: 'file', name: '.pnpmfile.cjs', why: 'pnpm runs it on every install' },
  { match: 'file', name: '.pnpmfile.mjs', why: 'pnpm runs it on every install' },
  { match: 'file', name: 'bunfig.toml', why: 'bun preloads the scripts it names' },
  { match: 'file', name: '.bunfig.toml', why: 'bun preloads the scripts it names' },
  { match: 'file', name: 'package.json', why: 'its lifecycle scripts (preinstall, postinstall, prepare...) run on install; create-multistage adds the docker scripts itself' },
  { match: 'path', name: '.vscode/tasks.json', why: 'VS Code tasks can run when the folder opens' },
  { match: 'path', name: '.vscode/launch.json', why: 'VS Code launch configurations run programs' },
  { match: 'path', name: '.vscode/settings.json', why: 'VS Code settings choose the programs tools and terminals run' },
  { match: 'part', name: '.idea', why: 'JetBrains run configurations and startup tasks run programs' },
  { match: 'part', name: '.devcontainer', why: 'dev containers run their lifecycle commands (postCreateCommand...)' },
  { match: 'file', name: '.envrc', why: 'direnv runs it on cd' },
  { match: 'file', name: 'mise.toml', why: 'mise runs its hooks and tasks' },
  { match: 'file', name: '.mise.toml', why: 'mise runs its hooks and tasks' },
  { match: 'part', name: 'node_modules', why: 'Node loads and runs what is installed there (and node_modules/.bin is on the PATH of every script)' },
  { match: 'part', name: '.bin', why: 'bin folders are on the PATH of package scripts' },
  { match: 'part', name: 'bin', why: 'bin folders hold programs people and scripts run' },
];

/** The entry a target path falls under, if any. */
export function executableTargetEntry(target: string): (typeof EXECUTABLE_TARGETS)[number] | undefined {
  const lower = target.toLowerCase();
  const parts = lower.split('/');
  return EXECUTABLE_TARGETS.find((entry) => {
    if (entry.match === 'path') return lower === entry.name;
    if (entry.match === 'file') return parts[parts.length - 1] === entry.name;
    return parts.includes(entry.name);
  });
}

/** Refuses a path a kit wants to write when a tool would execute it or take commands from it. */
export function refuseExecutableTarget(target: string, field: string): void {
  const entry = executableTargetEntry(target);
  if (entry) {
    const where = entry.match === 'part' ? `into ${entry.name}/ or a file named ${entry.name}` : entry.name;
    throw new KitTargetPathError(`${field} must not write ${where}: ${entry.why}, and a kit cannot run code; got ${JSON.stringify(target)}`);
  }
}
