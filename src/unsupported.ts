import type { Project } from './project.js';
import type { AnyStack } from './stacks/types.js';

/**
 * Build systems and workspaces we can name when a directory holds a project
 * no stack detects: the user learns what we saw, not only that we failed.
 * Checked in order; the first few that match are named.
 */
const RECOGNISED: { files: string[]; what: string }[] = [
  { files: ['pnpm-workspace.yaml'], what: 'a pnpm workspace' },
  { files: ['go.work'], what: 'a Go workspace' },
  { files: ['lerna.json', 'nx.json', 'turbo.json', 'rush.json'], what: 'a JavaScript monorepo' },
  { files: ['meson.build'], what: 'a Meson project' },
  { files: ['MODULE.bazel', 'WORKSPACE', 'WORKSPACE.bazel', 'BUILD.bazel', 'BUILD'], what: 'a Bazel project' },
  { files: ['configure.ac', 'configure', 'Makefile', 'GNUmakefile', 'makefile'], what: 'a Make or autotools project' },
  { files: ['Cargo.toml'], what: 'a Rust project' },
  { files: ['pyproject.toml', 'setup.py', 'requirements.txt', 'Pipfile'], what: 'a Python project' },
  { files: ['pom.xml', 'build.gradle', 'build.gradle.kts'], what: 'a Java project' },
  { files: ['Gemfile'], what: 'a Ruby project' },
  { files: ['composer.json'], what: 'a PHP project' },
  { files: ['deno.json', 'deno.jsonc'], what: 'a Deno project' },
  { files: ['SConstruct', 'premake5.lua', 'xmake.lua', 'BUCK'], what: 'a C/C++ build we do not support' },
  { files: ['Dockerfile'], what: 'a Dockerfile' },
];

/** What the directory holds, in words: the build systems and workspaces recognised, else the first entries. */
export function describeContents(project: Project): string {
  const found: string[] = [];
  for (const { files, what } of RECOGNISED) {
    const present = files.filter((file) => project.entries().includes(file));
    if (present.length > 0) found.push(`${what} (${present.join(', ')})`);
  }
  const pkg = project.readJson('package.json');
  if (pkg && pkg['workspaces'] !== undefined) found.unshift('an npm, Yarn or bun workspace (package.json "workspaces")');
  else if (pkg) found.push('a package.json without a "next" dependency');
  else if (project.entries().includes('package.json')) found.push('a package.json that cannot be read as JSON');
  if (found.length > 0) return found.slice(0, 4).join(', ');
  const entries = project.meaningfulEntries();
  return `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''})`;
}

/** What each built-in stack detects an existing project by (a kit's stacks are named by title). */
const DETECTED_BY: Record<string, string> = { go: 'a go.mod', nextjs: 'a package.json with a "next" dependency', cpp: 'a CMakeLists.txt' };

/** What the stacks look for, for the message. */
export function supportedProjects(stacks: AnyStack[]): string {
  return stacks.map((stack) => (DETECTED_BY[stack.id] ? `${stack.title} (${DETECTED_BY[stack.id]})` : stack.title)).join(', ');
}

/**
 * A new project is only ever laid into a missing or empty directory (a fresh
 * `.git` and editor folders apart): a directory holding files no stack
 * recognised is someone's project, and a starter app over it would be mixed
 * into their files. The message says what we found and what is supported.
 */
export function unsupportedDirectoryMessage(shown: string, project: Project, stacks: AnyStack[], stackId?: string): string {
  return [
    `${shown} is not empty and is not a project create-multistage can add Docker to${stackId ? ` as ${stackId}` : ''}: found ${describeContents(project)}.`,
    `Supported: ${supportedProjects(stacks)}.`,
    'A new project is only created in a missing or empty directory: pass a new directory name (e.g. `create-multistage my-app`).',
  ].join('\n');
}

/**
 * Missing, empty (a fresh `.git`, editor folders and an `.npmrc` apart), or
 * holding only a package.json that pins a kit (`"multistage": { "kit" }`) and
 * nothing else a project would have: the one case where a new project may be written.
 */
export function isEmptyForNewProject(project: Project): boolean {
  // .npmrc: registry settings for the new project's own install.
  const rest = project.meaningfulEntries().filter((name) => name !== '.npmrc');
  if (rest.length === 0) return true;
  if (rest.length !== 1 || rest[0] !== 'package.json') return false;
  const pkg = project.readJson('package.json');
  return pkg !== undefined && pkg['multistage'] !== undefined && Object.keys(pkg).every((key) => PIN_ONLY_KEYS.has(key));
}

/** Keys a package.json written only to pin a kit may have. */
const PIN_ONLY_KEYS = new Set(['name', 'version', 'private', 'description', 'multistage']);
