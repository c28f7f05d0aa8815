import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { CliOptions } from './cli.js';
import { FailedError, UsageError } from './errors.js';
import { resolveAnswers, type AnswerSource } from './answers.js';
import { unifiedDiff } from './diff.js';
import { createPackageJson } from './package-json.js';
import { contentToWrite, planFile, planPackageJson, resolveConflict, sortPlan, type PlanEntry } from './plan.js';
import type { Prompter } from './prompts.js';
import { Project } from './project.js';
import type { RenderedFile } from './render.js';
import { applyKit, kitRunFor, renderAppFiles, renderDockerFiles, type KitRun, type KitSummary } from './kit/apply.js';
import type { Kit } from './kit/load.js';
import { dockerScripts, minimalPackageJsonFields } from './scripts.js';
import { ciSummary, parseCiProvider, renderCiFiles, type CiProvider } from './ci.js';
import { invokingPackageManager, runScriptCommand, type PackageManagerId } from './stacks/node-package-managers.js';
import { readHeader } from './stacks/common.js';
import type { Answers, BaseContext, ContextInput, StackModule } from './stacks/types.js';
import { paint, type Output } from './ui.js';
import { toProjectName, validateDirectory } from './validate.js';
import { writeAll, type WriteOps } from './write.js';

export interface CreateEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  /** Present only when stdin is a terminal and prompts are allowed. */
  prompter?: Prompter;
  stacks: StackModule[];
  /** Injected by tests to fail a write half-way. */
  writeOps?: WriteOps;
  /** Runs the package manager install of a new project; tests replace it. */
  install?: (command: string, args: string[], cwd: string) => number;
  /** The organisation kit of this run (from --kit or the project's package.json), already loaded and validated. */
  kit?: Kit;
}

export interface RunReport {
  directory: string;
  stack: string;
  mode: 'new' | 'existing';
  dryRun: boolean;
  written: boolean;
  answers: Answers;
  sources: Record<string, AnswerSource>;
  files: { path: string; action: string; reason?: string }[];
  notes: string[];
  /** Present only when a kit was used. */
  kit?: { name: string; version: string; origin: string; images: { from: string; to: string }[]; files: string[] };
}

export interface RenderedRun {
  context: BaseContext;
  /** The Docker files, with the kit applied and its extra files added. */
  docker: RenderedFile[];
  /** A new project's app files, package.json apart. */
  app: RenderedFile[];
  appPackageJson?: RenderedFile;
  kitSummary?: KitSummary;
}

/** Context and every rendered file of a run, in memory: the pure core shared by a run and `kit check`. */
export function renderRun(stack: StackModule, input: ContextInput, kitRun?: KitRun): RenderedRun {
  const context = stack.context(input);
  const ci = (input.answers['ci'] as CiProvider | undefined) ?? 'none';
  // README.Docker.md's CI section reads this; absent for `none`.
  const summary = ciSummary(context, ci);
  if (summary) context['ci'] = summary;
  let docker = renderDockerFiles(stack, context, kitRun);
  if (!input.answers['compose']) docker = docker.filter((file) => file.path !== 'compose.yaml');
  // Before the kit is applied, so a kit can replace the workflow like any extra file.
  // A kit's extra file at the same path (its own workflow, say) replaces the generated one.
  const kitPaths = new Set(kitRun?.config.files.map((entry) => entry.path) ?? []);
  docker = [...docker, ...renderCiFiles(context, ci).filter((file) => !kitPaths.has(file.path))];
  const appFiles = input.mode === 'new' ? renderAppFiles(stack, context, kitRun) : [];
  const appPackageJson = appFiles.find((file) => file.path === 'package.json');
  const app = appFiles.filter((file) => file !== appPackageJson);
  if (!kitRun) return { context, docker, app, ...(appPackageJson ? { appPackageJson } : {}) };
  const applied = applyKit(docker, [...app.map((f) => f.path), 'package.json'], kitRun, context);
  return { context, docker: applied.files, app, ...(appPackageJson ? { appPackageJson } : {}), kitSummary: applied.summary };
}

/** One plan entry per rendered file, plus package.json (scripts merged, or the new app's / a minimal one). */
export function planRun(project: Project, rendered: RenderedRun, scripts: boolean): PlanEntry[] {
  const entries = [...rendered.docker, ...rendered.app].map((file) => planFile(project, file));
  if (scripts || rendered.appPackageJson) {
    entries.push(
      planPackageJson(
        project,
        scripts ? dockerScripts(rendered.context) : {},
        rendered.appPackageJson ?? { content: createPackageJson(minimalPackageJsonFields(rendered.context.name)), kind: 'docker' },
      ),
    );
  }
  return sortPlan(entries);
}

const DEFAULT_PROJECT_NAME = 'multistage-app';

async function chooseDirectory(options: CliOptions, environment: CreateEnvironment): Promise<string> {
  if (options.dir !== undefined) return options.dir;
  const here = new Project(environment.cwd);
  if (environment.stacks.some((stack) => stack.matches(here)) || readHeader(here).stack) return '.';
  if (environment.prompter) {
    return environment.prompter.text('Project name', DEFAULT_PROJECT_NAME, (value) => {
      if (value === '') return 'Enter a name or a path';
      try {
        validateDirectory(value);
      } catch (error) {
        return `The directory ${(error as Error).message}`;
      }
      return toProjectName(path.basename(path.resolve(value))) ? undefined : 'Use letters and digits in the name (e.g. my-app)';
    });
  }
  if (options.yes) return DEFAULT_PROJECT_NAME;
  throw new UsageError(
    'No project found in the current directory and no terminal to ask for a name.\nPass a directory (e.g. `create-multistage my-app`), or --yes to create ./multistage-app.',
  );
}

async function chooseStack(options: CliOptions, project: Project, environment: CreateEnvironment): Promise<StackModule> {
  const { stacks } = environment;
  const byId = (id: string): StackModule => stacks.find((s) => s.id === id)!;
  if (options.stack) return byId(options.stack);
  const matching = stacks.filter((stack) => stack.matches(project));
  if (matching.length === 1) return matching[0]!;
  const previous = readHeader(project).stack;
  if (previous && stacks.some((s) => s.id === previous)) return byId(previous);
  if (environment.prompter) {
    const offered = matching.length > 1 ? matching : stacks;
    const id = await environment.prompter.select(
      matching.length > 1 ? 'Several stacks found; which one gets the Dockerfile?' : 'Stack',
      offered.map((s) => ({ title: s.title, value: s.id })),
      offered[0]!.id,
    );
    return byId(id);
  }
  if (options.yes) return matching[0] ?? stacks[0]!;
  throw new UsageError(
    `${matching.length > 1 ? `Several stacks found (${matching.map((s) => s.id).join(', ')})` : 'No known stack found'} and no terminal to ask on: pass --stack ${stacks.map((s) => s.id).join('|')}.`,
  );
}

async function resolveConflicts(entries: PlanEntry[], options: CliOptions, environment: CreateEnvironment): Promise<PlanEntry[]> {
  const resolved: PlanEntry[] = [];
  for (const entry of entries) {
    if (entry.action !== 'conflict') {
      resolved.push(entry);
      continue;
    }
    if (options.force) {
      resolved.push(resolveConflict(entry, 'overwrite'));
      continue;
    }
    if (options.dryRun || !environment.prompter) {
      resolved.push(entry);
      continue;
    }
    for (;;) {
      const choice = await environment.prompter.select(
        `${entry.reason}. What now?`,
        [
          { title: entry.keepContent !== undefined ? 'Keep mine (add only the missing scripts)' : 'Keep mine', value: 'keep' },
          { title: 'Overwrite', value: 'overwrite' },
          { title: 'Show the diff', value: 'diff' },
        ],
        'keep',
      );
      if (choice === 'diff') {
        environment.out.info(colorDiff(unifiedDiff(entry.existing ?? '', entry.content, { oldLabel: `a/${entry.path}`, newLabel: `b/${entry.path}` })));
        continue;
      }
      resolved.push(resolveConflict(entry, choice as 'keep' | 'overwrite'));
      break;
    }
  }
  return resolved;
}

function colorDiff(diff: string): string {
  return diff
    .split('\n')
    .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? paint.green(line) : line.startsWith('-') && !line.startsWith('---') ? paint.red(line) : line.startsWith('@@') ? paint.cyan(line) : line))
    .join('\n');
}

const ACTION_LABEL: Record<string, (s: string) => string> = {
  create: paint.green,
  merge: paint.cyan,
  overwrite: paint.yellow,
  identical: paint.dim,
  keep: paint.dim,
  conflict: paint.red,
  blocked: paint.red,
};

function printPlan(entries: PlanEntry[], out: Output, showDiffs: boolean): void {
  for (const entry of entries) {
    const label = ACTION_LABEL[entry.action]!(entry.action.padEnd(9));
    const extra = entry.scriptsAdded?.length ? paint.dim(` (+ ${entry.scriptsAdded.join(', ')})`) : '';
    out.info(`  ${label} ${entry.path}${extra}${entry.reason && entry.action !== 'create' ? paint.dim(`  ${entry.reason}`) : ''}`);
  }
  if (!showDiffs) return;
  for (const entry of entries) {
    const next = entry.action === 'keep' ? entry.keepContent : entry.action === 'identical' || entry.action === 'blocked' ? undefined : entry.content;
    if (next === undefined) continue;
    const diff = unifiedDiff(entry.existing ?? '', next, { oldLabel: entry.existing === undefined ? '/dev/null' : `a/${entry.path}`, newLabel: `b/${entry.path}` });
    if (diff) out.info(`\n${colorDiff(diff.trimEnd())}`);
  }
}

export async function create(options: CliOptions, environment: CreateEnvironment): Promise<{ code: number; report: RunReport }> {
  const { out } = environment;
  const dirArg = await chooseDirectory(options, environment);
  const project = new Project(path.resolve(environment.cwd, dirArg));
  if (project.isFile('.')) throw new UsageError(`${dirArg} exists and is not a directory.`);
  // A path under a file cannot become a directory either.
  for (let parent = path.dirname(project.dir); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    if (new Project(parent).isFile('.')) throw new UsageError(`${dirArg}: ${parent} is a file, not a directory.`);
  }

  const stack = await chooseStack(options, project, environment);
  const detection = await stack.detect(project);
  const mode = detection.existing ? 'existing' : 'new';
  if (detection.values['name'] === undefined) {
    const fromDir = toProjectName(path.basename(project.dir));
    if (fromDir) detection.values['name'] = fromDir;
  }
  const invokingPm: PackageManagerId | undefined = invokingPackageManager(environment.env['npm_config_user_agent']);
  detection.facts['invokingPm'] = invokingPm ?? '';

  const kitRun = environment.kit ? kitRunFor(environment.kit, stack) : undefined;
  const resolved = await resolveAnswers({
    stackId: stack.id,
    questions: stack.questions,
    flags: options.values,
    detection,
    mode,
    ...(environment.prompter ? { prompter: environment.prompter } : {}),
    yes: options.yes,
    ...(kitRun ? { kit: { name: kitRun.kit.name, defaults: kitRun.config.defaults, locked: kitRun.config.locked }, force: options.force } : {}),
  });
  // --no-compose from a previous run's header is kept (a re-run changes nothing).
  const compose = options.compose && !readHeader(project).noCompose;
  // --ci likewise: a previous run's choice stays unless the flag says otherwise.
  const previousCi = readHeader(project).flags['ci'];
  const ci: CiProvider = options.ci ?? (previousCi ? parseCiProvider(previousCi) : 'none');
  const answers: Answers = { ...resolved.answers, compose, ci };

  // Render everything in memory first: nothing is written before the whole plan exists.
  const rendered = renderRun(stack, { answers, detection, project, mode }, kitRun);
  const { context } = rendered;
  let plan = planRun(project, rendered, options.scripts);

  const notes = [...detection.notes, ...resolved.notes, ...project.notes];
  const report = (written: boolean): RunReport => ({
    directory: project.dir,
    stack: stack.id,
    mode,
    dryRun: options.dryRun,
    written,
    answers,
    sources: resolved.sources,
    files: plan.map((e) => ({ path: e.path, action: e.action, ...(e.reason ? { reason: e.reason } : {}) })),
    notes,
    ...(kitRun
      ? { kit: { name: kitRun.kit.name, version: kitRun.kit.version, origin: kitRun.kit.origin, images: rendered.kitSummary?.images ?? [], files: rendered.kitSummary?.files ?? [] } }
      : {}),
  });

  out.info(`${paint.bold(stack.title)} ${mode === 'new' ? 'project' : 'project found'} in ${paint.cyan(path.relative(environment.cwd, project.dir) || '.')}`);
  if (kitRun) out.info(`Kit ${paint.bold(kitRun.kit.name)} ${kitRun.kit.version} ${paint.dim(`(${kitRun.kit.origin})`)}`);
  for (const note of notes) out.info(paint.yellow(`  note: ${note}`));

  const blocked = plan.filter((e) => e.action === 'blocked');
  if (blocked.length === 0) plan = await resolveConflicts(plan, options, environment);
  out.info(options.dryRun ? '\nPlan (dry run, nothing is written):' : '\nPlan:');
  printPlan(plan, out, options.dryRun);
  if (blocked.length > 0) {
    throw new FailedError(`Cannot write: ${blocked.map((e) => e.reason).join('; ')}. Nothing was written.`);
  }

  if (options.dryRun) return { code: 0, report: report(false) };

  const conflicts = plan.filter((e) => e.action === 'conflict');
  if (conflicts.length > 0) {
    throw new FailedError(
      [
        `${conflicts.length} conflicting ${conflicts.length === 1 ? 'file' : 'files'}; nothing was written:`,
        ...conflicts.map((e) => `  ${e.reason}`),
        'Run in a terminal to decide per file, use --dry-run to see the diffs, or --force to overwrite.',
      ].join('\n'),
    );
  }

  const writes = plan.flatMap((entry) => {
    const content = contentToWrite(entry);
    return content === undefined ? [] : [{ path: entry.path, content }];
  });
  if (writes.length > 0) {
    const written = writeAll(project.dir, writes, environment.writeOps);
    // Let a Ctrl-C or SIGTERM sent during the commit end the run here, before the install.
    await written.settled;
    for (const warning of written.warnings) out.info(paint.yellow(`  warning: ${warning}`));
  }

  const pmForSteps: PackageManagerId = (answers['pm'] as PackageManagerId | undefined) ?? invokingPm ?? 'npm';
  const run = (script: string): string => runScriptCommand(pmForSteps, script);
  const steps: string[] = [];
  if (project.dir !== path.resolve(environment.cwd)) steps.push(`cd ${path.relative(environment.cwd, project.dir)}`);

  if (mode === 'new' && stack.installCommand) {
    const install = stack.installCommand(context);
    if (install && options.skipInstall) {
      steps.push(`${install.command} ${install.args.join(' ')}   # creates the lockfile the Dockerfile copies`);
    } else if (install) {
      out.info(`\nInstalling dependencies with ${install.command}…`);
      const runInstall = environment.install ?? defaultInstall;
      const status = runInstall(install.command, install.args, project.dir);
      if (status !== 0) {
        throw new FailedError(`\`${install.command} ${install.args.join(' ')}\` failed (exit ${status}). The files are written; run it in ${project.dir} and then build.`);
      }
    }
  }

  out.info(writes.length > 0 ? paint.green('\nDone.') : paint.green('\nEverything is up to date; nothing to write.'));
  steps.push(...(options.scripts ? stack.nextSteps(context, run) : [`docker build --target production -t ${context.name} .`]));
  if (steps.length) {
    out.info('Next steps:');
    for (const step of steps) out.info(`  ${step}`);
  }
  return { code: 0, report: report(writes.length > 0) };
}

function defaultInstall(command: string, args: string[], cwd: string): number {
  // stdout goes to stderr so --json output stays a single document.
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  return result.status ?? 1;
}

