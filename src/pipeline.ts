/**
 * One generation, in memory: context → rendered files (a plugin's hooks
 * applied) → stamps → plan. A run and `kit check` both call `generate`; the
 * upgrade renders an older version through `render`. Nothing here writes.
 */
import { ciSummary, renderCiFiles, type CiProvider } from './ci.js';
import { IMAGES, mapImages, type ImageRecord } from './defaults.js';
import { createPackageJson } from './package-json.js';
import { planFile, planPackageJson, planSourceEdit, sortPlan, type PlanEntry } from './plan.js';
import type { ImageMapping, StackPlugin, PluginSummary } from './plugin.js';
import type { Project } from './project.js';
import { loadPrecompiled } from './precompiled-templates.js';
import { renderFolder, type RenderedFile } from './render.js';
import { minimalPackageJsonFields, scriptsFor } from './scripts.js';
import type { StackContext, ContextInput, SourceEdit, AnyStack } from './stacks/types.js';
import { stampFiles, stampFor } from './upgrade/stamp.js';

export interface RenderedRun {
  context: StackContext;
  /** The Docker files, with the plugin applied and its extra files added. */
  docker: RenderedFile[];
  /** A new project's app files, package.json apart. */
  app: RenderedFile[];
  appPackageJson?: RenderedFile;
  pluginSummary?: PluginSummary;
}

/** The stack's Docker files, with a plugin's partials and template overrides (or a plugin stack's own templates). */
function renderDockerFiles(stack: AnyStack, context: StackContext, plugin?: StackPlugin, templatesDir?: string): RenderedFile[] {
  const own = plugin?.templates.own;
  return renderFolder(stack.templates.docker, {
    stackDir: own ? '' : stack.id,
    kind: 'docker',
    // The plugin's partials read its data (say, a kit's labels) from the context.
    context: plugin?.templates.context ? { ...context, ...plugin.templates.context } : context,
    ...(templatesDir ? { templatesDir } : {}),
    ...(plugin ? { partials: plugin.templates.partials, overrides: plugin.templates.overrides } : {}),
    ...(own ? { files: own.docker } : {}),
  });
}

/** A new project's app files (a plugin stack without app templates has none). */
function renderAppFiles(stack: AnyStack, context: StackContext, plugin?: StackPlugin): RenderedFile[] {
  const own = plugin?.templates.own;
  if (own) return own.app.length === 0 ? [] : renderFolder(stack.templates.app, { stackDir: '', kind: 'app', context, partials: plugin.templates.partials, files: own.app });
  return renderFolder(stack.templates.app, { stackDir: stack.id, kind: 'app', context, ...(plugin ? { partials: plugin.templates.partials } : {}) });
}

/** The ignore file under the name the context asks for (`Dockerfile.dockerignore` when the build context is above the Dockerfile). */
function placeIgnoreFile(files: RenderedFile[], context: StackContext): RenderedFile[] {
  const target = context.dockerignore;
  return target ? files.map((file) => (file.path === '.dockerignore' ? { ...file, path: target } : file)) : files;
}

/** IMAGES, or the plugin's mirror of it; `mirrored` collects what the mirror replaced. */
function imagesFor(plugin: StackPlugin | undefined, mirrored: ImageMapping[]): ImageRecord {
  const mirror = plugin?.mirrorImage?.bind(plugin);
  if (!mirror) return IMAGES;
  return mapImages(IMAGES, (from) => {
    const to = mirror(from);
    if (to !== from && !mirrored.some((m) => m.from === from)) mirrored.push({ from, to });
    return to;
  });
}

/**
 * Context and every rendered file, unstamped. `templatesDir` renders the
 * Docker files with another version's templates (the base of an upgrade).
 */
export async function render(stack: AnyStack, input: ContextInput<unknown>, plugin?: StackPlugin, templatesDir?: string): Promise<RenderedRun> {
  // The built-in templates this run may render, compiled at build time: shared/ and the stack's folder.
  await loadPrecompiled(stack.id);
  const mirrored: ImageMapping[] = [];
  const context = stack.context({ ...input, images: imagesFor(plugin, mirrored) });
  const ci = (input.answers['ci'] as CiProvider | undefined) ?? 'none';
  // README.Docker.md's CI section reads this; absent for `none`.
  const summary = ciSummary(context, ci);
  if (summary) context.ci = summary;
  let docker = renderDockerFiles(stack, context, plugin, templatesDir);
  if (!input.answers['compose']) docker = docker.filter((file) => file.path !== 'compose.yaml');
  // Before the plugin finishes, so its extra file at the same path (its own workflow, say) replaces the generated one.
  docker = [...docker, ...renderCiFiles(context, ci).filter((file) => !plugin?.extraPaths.has(file.path))];
  // The templates render `Dockerfile`; beside the user's own it is written under its other name.
  if (context.dockerfile !== 'Dockerfile') docker = docker.map((file) => (file.path === 'Dockerfile' ? { ...file, path: context.dockerfile } : file));
  docker = placeIgnoreFile(docker, context);
  const appFiles = input.mode === 'new' ? renderAppFiles(stack, context, plugin) : [];
  const appPackageJson = appFiles.find((file) => file.path === 'package.json');
  const app = appFiles.filter((file) => file !== appPackageJson);
  const withPackageJson = appPackageJson ? { appPackageJson } : {};
  if (!plugin) return { context, docker, app, ...withPackageJson };
  const finished = await plugin.finish(docker, [...app.map((f) => f.path), 'package.json'], context, mirrored);
  return { context, docker: finished.files, app, ...withPackageJson, pluginSummary: finished.summary };
}

/** One plan entry per rendered file, plus package.json (scripts merged, or the new app's / a minimal one). */
export function plan(stack: AnyStack, project: Project, rendered: RenderedRun, scripts: boolean, edits: SourceEdit[] = []): PlanEntry[] {
  const entries = [...rendered.docker, ...rendered.app].map((file) => planFile(project, file));
  for (const edit of edits) entries.push(planSourceEdit(project, edit, project.readText(edit.path) ?? ''));
  if (scripts || rendered.appPackageJson) {
    entries.push(
      planPackageJson(
        project,
        scripts ? scriptsFor(stack, rendered.context) : {},
        rendered.appPackageJson ?? { content: createPackageJson(minimalPackageJsonFields(rendered.context.name)), kind: 'docker' },
      ),
    );
  }
  return sortPlan(entries);
}

export interface GenerateOptions {
  plugin?: StackPlugin;
  /** Add the docker:* scripts to package.json (--no-scripts turns it off). */
  scripts: boolean;
  /** The version every generated file is stamped with. */
  version: string;
  templatesDir?: string;
}

export interface Generation {
  context: StackContext;
  rendered: RenderedRun;
  plan: PlanEntry[];
}

/** A whole generation: rendered, stamped, the stack's edits of the user's files added, planned against the project. */
export async function generate(stack: AnyStack, input: ContextInput<unknown>, options: GenerateOptions): Promise<Generation> {
  const unstamped = await render(stack, input, options.plugin, options.templatesDir);
  const stamp = stampFor(unstamped.context.header, options.version, options.plugin?.identity);
  const rendered = { ...unstamped, docker: stampFiles(unstamped.docker, stamp) };
  const edits = stack.sourceEdits?.(rendered.context, input.detection, input.answers) ?? [];
  return { context: rendered.context, rendered, plan: plan(stack, input.project, rendered, options.scripts, edits) };
}
