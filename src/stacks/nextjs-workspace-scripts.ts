/**
 * The docker:* npm scripts of a Next.js workspace: one set per app, plus
 * `docker:build` for every app. Same rules as the shared ones (scripts.ts):
 * plain commands joined by `&&`, no quotes, no `$(...)`.
 */
import type { NextWorkspaceContext } from './nextjs-workspace.js';

export function workspaceScripts(ctx: NextWorkspaceContext): Record<string, string> {
  const flags = `${ctx.dockerfileFlag}${ctx.dockerBuildFlags ? `${ctx.dockerBuildFlags} ` : ''}`;
  const scripts: Record<string, string> = {};
  const builds: string[] = [];
  for (const app of ctx.apps) {
    const build = `docker build ${flags}--target production-${app.target} -t ${app.tag} ${ctx.buildContext}`;
    const buildDev = `docker build ${flags}--target development-${app.target} -t ${app.tag}:dev ${ctx.buildContext}`;
    builds.push(build);
    scripts[`docker:build:${app.target}`] = build;
    scripts[`docker:build:dev:${app.target}`] = buildDev;
    scripts[`docker:dev:${app.target}`] = ctx.compose ? `docker compose up --build --watch dev-${app.target}` : `${buildDev} && docker run --rm --init -p ${app.port}:${app.port} ${app.tag}:dev`;
    scripts[`docker:start:${app.target}`] = `${build} && docker run --rm --init -p ${app.port}:${app.port} ${app.tag}`;
  }
  if (ctx.apps.length > 1) scripts['docker:build'] = builds.join(' && ');
  return scripts;
}
