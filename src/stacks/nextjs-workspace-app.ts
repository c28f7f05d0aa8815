/**
 * The per-app part of the nextjs-workspace template context: the paths, the
 * packages to build and the container commands of one app, relative to the
 * workspace root. The install and build lines are in the templates (ws-install, ws-build).
 */
import { validateName } from '../validate.js';
import type { NextWorkspaceApp } from './nextjs-workspace-detect.js';

export interface NextWorkspaceAppContext {
  target: string;
  dir: string;
  /** The package name (`turbo prune <name>`). */
  packageName: string;
  /** The production image tag; `<tag>:dev` for development. */
  tag: string;
  port: number;
  hasPublic: boolean;
  /** The packages whose `build` script runs, in order: the closure's, then the app (templates/nextjs-workspace/partials/ws-build.hbs; the install is ws-install.hbs). */
  buildPackages: { name: string; dir: string }[];
  /** Folders the builder copies: the closure (and its local paths), then the app. */
  copyDirs: string[];
  /** Folders compose watch syncs into the development container, relative to the compose file. */
  watch: { path: string; target: string }[];
  devCommand: string[];
  startCommand: string[];
  healthcheck: string[];
}

export interface AppContextInput {
  name: string;
  /** The run started in this app's folder (compose paths are relative to it). */
  inside: boolean;
}

/** Throws InvalidValue when the app's target or tag is not a valid name. */
export function appContext(app: NextWorkspaceApp, input: AppContextInput): NextWorkspaceAppContext {
  const { name } = input;
  const target = validateName(app.target);
  const tag = validateName(`${name}-${target}`.slice(0, 64).replace(/[._-]+$/, ''));
  const copyDirs = [...new Set([...app.closure, ...app.localPaths])].sort().concat(app.dir);
  const probe = `fetch('http://127.0.0.1:${app.port}/').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  const up = input.inside
    ? app.dir
        .split('/')
        .map(() => '..')
        .join('/')
    : '.';
  const watchPath = (dir: string): string => (input.inside ? (dir === app.dir ? '.' : `${up}/${dir}`) : `./${dir}`);
  return {
    target,
    dir: app.dir,
    packageName: app.name,
    tag,
    port: app.port,
    hasPublic: app.hasPublic,
    buildPackages: [...app.buildFirst, { dir: app.dir, name: app.name }],
    copyDirs,
    watch: copyDirs.map((dir) => ({ path: watchPath(dir), target: `/app/${dir}` })),
    // next from the app's node_modules/.bin (pnpm) or the root's (hoisted): both are on PATH in the image.
    devCommand: ['next', 'dev', '--hostname', '0.0.0.0', '--port', String(app.port)],
    startCommand: ['node', `${app.dir}/server.js`],
    healthcheck: ['node', '-e', probe],
  };
}
