import path from 'node:path';
import type { CliOptions } from './cli.js';
import { childProcess } from './builtins.js';
import { CancelledError, EXIT, FailedError, UsageError } from './errors.js';
import { resolveAnswers, type AnswerSource } from './answers.js';
import { contentToWrite, planPackageJson, type PlanEntry } from './plan.js';
import type { Prompter } from './prompts.js';
import { Project } from './project.js';
import { generate, type Generation } from './pipeline.js';
import type { Plugin, PluginSummary } from './plugin.js';
import { parseCiProvider, type CiProvider } from './ci.js';
import { invokingPackageManager, runScriptCommand } from './stacks/node-package-managers.js';
import { BESIDE_DOCKERFILE, readHeader } from './stacks/common.js';
import { decideForeignDockerfile, foreignDockerfileHint } from './foreign-dockerfile.js';
import type { AnyDetection, Answers, ContextInput, AnyStack } from './stacks/types.js';
import { paint, type Output } from './ui.js';
import { describeContents, isEmptyForNewProject, supportedProjects, unsupportedDirectoryMessage } from './unsupported.js';
import { toProjectName, validateDirectory } from './validate.js';
import { writeAll, type WriteOps } from './write.js';
import { resolveConflicts } from './conflicts.js';
import { alignComments, colorDiff, printPlan, shellQuote } from './plan-output.js';
import { templateSource, upgradePlan, type TemplateSourceOptions } from './upgrade/upgrade.js';

export interface CreateEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  /** Present only when stdin is a terminal and prompts are allowed. */
  prompter?: Prompter;
  stacks: AnyStack[];
  /** Injected by tests to fail a write half-way. */
  writeOps?: WriteOps;
  /** Runs the package manager install of a new project; tests replace it. */
  install?: (command: string, args: string[], cwd: string) => number;
  /** The plugin of this run: the organisation kit (from --kit or the project's package.json), already loaded and validated. */
  plugin?: Plugin;
  /** Where an older version's templates come from (tests pose as another version or inject npm). */
  upgrade?: Omit<TemplateSourceOptions, 'env'>;
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
      // The folder's name is the image and compose name too: take it exactly, or ask again.
      const base = path.basename(path.resolve(value));
      if (toProjectName(base) === base) return undefined;
      return `Use lowercase letters, digits and . _ - (e.g. ${toProjectName(base) ?? 'my-app'})`;
    });
  }
  if (options.yes) {
    // Never lay a new project beside files we did not recognise, even one folder down, without being told where.
    if (!here.isEmpty()) {
      throw new UsageError(
        `No project create-multistage supports in the current directory, and it is not empty: found ${describeContents(here)}.\nSupported: ${supportedProjects(environment.stacks)}.\nPass a directory: \`create-multistage my-app --yes\` creates a new project in ./my-app.`,
      );
    }
    environment.out.info(`No directory given: creating the new project in ./${DEFAULT_PROJECT_NAME}`);
    return DEFAULT_PROJECT_NAME;
  }
  throw new UsageError('No project found in the current directory and no terminal to ask for a name.\nPass a directory (e.g. `create-multistage my-app`), or --yes to create ./multistage-app.');
}

/**
 * The stack for the run, and whether the user confirmed it over the stack the
 * project was detected as (then a new app may be laid beside that project's
 * files: they asked for it, by prompt or --force).
 */
async function chooseStack(options: CliOptions, project: Project, environment: CreateEnvironment): Promise<{ stack: AnyStack; overridesDetected: boolean }> {
  const chosen = await chooseStackModule(options, project, environment);
  const overridesDetected = !chosen.matches(project) && environment.stacks.some((s) => s.id !== chosen.id && s.matches(project));
  return { stack: chosen, overridesDetected };
}

async function chooseStackModule(options: CliOptions, project: Project, environment: CreateEnvironment): Promise<AnyStack> {
  const { stacks } = environment;
  const byId = (id: string): AnyStack => stacks.find((s) => s.id === id)!;
  if (options.stack) {
    const chosen = byId(options.stack);
    // A stack the project is not, while it is another one: planning it would add a second app on top.
    const others = chosen.matches(project) ? [] : stacks.filter((s) => s.id !== chosen.id && s.matches(project));
    if (others.length === 0 || options.force) return chosen;
    const found = others.map((s) => s.title).join(' and ');
    if (environment.prompter && !options.yes) {
      if (await environment.prompter.confirm(`This is a ${found} project, not ${chosen.title}. Add ${chosen.title} files anyway?`, false)) return chosen;
      throw new CancelledError(`Cancelled: nothing was written. Drop --stack to use the ${found} stack.`);
    }
    throw new UsageError(`--stack ${chosen.id} contradicts the project: this is a ${found} project. Drop --stack, or add --force to plan ${chosen.title} files anyway.`);
  }
  const matching = mostSpecificStacks(stacks.filter((stack) => stack.matches(project)));
  if (matching.length === 1) return matching[0]!;
  const previous = readHeader(project).stack;
  if (previous && stacks.some((s) => s.id === previous)) return byId(previous);
  if (environment.prompter) {
    const offered = matching.length > 1 ? matching : stacks.filter((s) => !s.existingOnly);
    const id = await environment.prompter.select(
      matching.length > 1 ? 'Several stacks found; which one gets the Dockerfile?' : 'Stack',
      offered.map((s) => ({ title: s.title, value: s.id })),
      offered[0]!.id,
    );
    return byId(id);
  }
  if (options.yes && matching.length > 1) {
    // Say which one --yes took, and how to take another.
    environment.out.info(
      paint.yellow(
        `Several stacks found (${matching.map((s) => s.id).join(', ')}); using ${matching[0]!.id}. Pass --stack ${matching
          .slice(1)
          .map((s) => s.id)
          .join('|')} for another.`,
      ),
    );
  }
  if (options.yes) return matching[0] ?? stacks[0]!;
  throw new UsageError(
    `${matching.length > 1 ? `Several stacks found (${matching.map((s) => s.id).join(', ')})` : 'No known stack found'} and no terminal to ask on: pass --stack ${stacks.map((s) => s.id).join('|')}.`,
  );
}

/** Drops the stacks a matching stack supersedes (nextjs under nextjs-workspace in a workspace app folder). */
function mostSpecificStacks(matching: AnyStack[]): AnyStack[] {
  const superseded = new Set(matching.flatMap((stack) => stack.supersedes ?? []));
  return matching.filter((stack) => !superseded.has(stack.id));
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

  const { stack, overridesDetected } = await chooseStack(options, project, environment);
  const userAgent = environment.env['npm_config_user_agent'];
  const detection = await stack.detect(project, userAgent === undefined ? {} : { userAgent });
  const mode = detection.existing ? 'existing' : 'new';
  // A package.json the plan refuses (malformed, not UTF-8, a FIFO...) is reported by the plan, with its position.
  const brokenPackageJson = planPackageJson(project, {}, { content: '{}\n', kind: 'docker' }).action === 'blocked';
  if (mode === 'new' && !brokenPackageJson && !overridesDetected && !isEmptyForNewProject(project)) {
    throw new UsageError(unsupportedDirectoryMessage(path.relative(environment.cwd, project.dir) || '.', project, environment.stacks, options.stack));
  }
  if (detection.values['name'] === undefined) {
    const fromDir = toProjectName(path.basename(project.dir));
    if (fromDir) detection.values['name'] = fromDir;
  }

  const plugin = environment.plugin?.forStack(stack);
  // What was found comes before any question, so the user answers knowing it. Without
  // prompts it follows the answers' validation, so a usage error prints nothing else.
  const introduce = (): void => {
    out.info(`${paint.bold(stack.title)} ${mode === 'new' ? 'project' : 'project found'} in ${paint.cyan(path.relative(environment.cwd, project.dir) || '.')}`);
    if (plugin) out.info(`Kit ${paint.bold(plugin.identity.name)} ${plugin.identity.version} ${paint.dim(`(${plugin.identity.origin})`)}`);
    const found = mode === 'existing' ? detectedSummary(stack, detection) : '';
    if (found) out.info(`  detected: ${found}`);
    for (const note of detection.notes) out.info(paint.yellow(`  note: ${note}`));
  };
  if (environment.prompter && !options.yes) introduce();

  const resolved = await resolveAnswers({
    stackId: stack.id,
    questions: stack.questions,
    flags: options.values,
    detection,
    mode,
    ...(environment.prompter ? { prompter: environment.prompter } : {}),
    yes: options.yes,
    ...(plugin ? { plugin: { name: plugin.identity.name, ...plugin.answers }, force: options.force } : {}),
  });
  // --no-compose from a previous run's header is kept (a re-run changes nothing) unless --compose says otherwise.
  const compose = options.compose && (options.composeFlag === true || !readHeader(project).noCompose);
  // --ci likewise: a previous run's choice stays unless the flag says otherwise.
  const previousCi = readHeader(project).flags['ci'];
  const ci: CiProvider = options.ci ?? (previousCi ? parseCiProvider(previousCi) : 'none');
  const answers: Answers = { ...resolved.answers, compose, ci };

  // Render everything in memory first: nothing is written before the whole plan exists.
  const templates = templateSource({ env: environment.env, ...environment.upgrade });
  const renderAndPlan = async (dockerfile?: string): Promise<{ generation: Generation; plan: PlanEntry[]; notes: string[] }> => {
    const input: ContextInput<unknown> = { answers, detection, project, mode, ...(dockerfile ? { dockerfile } : {}) };
    const generation = await generate(stack, input, {
      ...(plugin ? { plugin } : {}),
      scripts: options.scripts,
      version: templates.version,
      ...(environment.upgrade?.templatesDir ? { templatesDir: environment.upgrade.templatesDir } : {}),
    });
    // Generated files the user edited: a three-way merge against what their recorded answers rendered.
    const upgraded = await upgradePlan(generation.plan, { project, stack, detection, mode, ...(environment.plugin ? { plugin: environment.plugin } : {}), source: templates });
    pluginSummary = generation.rendered.pluginSummary;
    return { generation, plan: upgraded.plan, notes: upgraded.notes };
  };
  let pluginSummary: PluginSummary | undefined;
  const first = await renderAndPlan();
  let context = first.generation.context;
  let plan = first.plan;
  const besideNote = (dockerfile: string): string => `your Dockerfile is left as it is; ours is ${dockerfile}, and the scripts, compose.yaml and README use it`;
  const runNotes = [...first.notes, ...(context.dockerfile === 'Dockerfile' ? [] : [besideNote(context.dockerfile)])];

  const notes = [...detection.notes, ...resolved.notes, ...project.notes, ...runNotes];
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
    ...(plugin ? { kit: { ...plugin.identity, images: pluginSummary?.images ?? [], files: pluginSummary?.files ?? [] } } : {}),
  });

  if (!(environment.prompter && !options.yes)) introduce();
  for (const note of [...resolved.notes, ...project.notes, ...runNotes]) out.info(paint.yellow(`  note: ${note}`));

  const blocked = plan.filter((e) => e.action === 'blocked');
  if (blocked.length === 0) {
    // A Dockerfile of the user's without our stages comes first: writing ours beside it renders every file again.
    const decision = await decideForeignDockerfile(plan, context, options, environment.prompter, out, colorDiff);
    if (decision.beside) {
      const beside = await renderAndPlan(BESIDE_DOCKERFILE);
      ({ context } = beside.generation);
      plan = beside.plan;
    } else {
      plan = decision.plan;
    }
    const decided = decision.beside ? besideNote(BESIDE_DOCKERFILE) : decision.note;
    if (decided) {
      notes.push(decided);
      out.info(paint.yellow(`  note: ${decided}`));
    }
    plan = await resolveConflicts(plan, options, environment);
  }
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
        ...[await foreignDockerfileHint(plan, context)].filter((hint) => hint !== undefined),
        'Run in a terminal to decide per file, use --dry-run to see the diffs, or --force to overwrite.',
      ].join('\n'),
    );
  }

  const writes = plan.flatMap((entry) => {
    const content = contentToWrite(entry);
    return content === undefined ? [] : [{ path: entry.path, content: entry.binary ? Buffer.from(content, 'latin1') : content }];
  });
  if (writes.length > 0) {
    const written = writeAll(project.dir, writes, environment.writeOps);
    // Let a Ctrl-C or SIGTERM sent during the commit end the run here, before the install.
    await written.settled;
    for (const warning of written.warnings) out.info(paint.yellow(`  warning: ${warning}`));
  }

  // The package manager the answers chose, else the one that ran us: the user's next command uses it.
  const invokingPm = invokingPackageManager(userAgent) ?? 'npm';
  const run = stack.runScript?.(answers) ?? ((script: string): string => runScriptCommand(invokingPm, script));
  const steps: string[] = [];
  if (project.dir !== path.resolve(environment.cwd)) steps.push(`cd ${shellQuote(path.relative(environment.cwd, project.dir))}`);

  if (mode === 'new' && stack.installCommand) {
    const install = stack.installCommand(context);
    if (install && options.skipInstall) {
      steps.push(`${install.command} ${install.args.join(' ')}   # creates the lockfile the Dockerfile copies`);
    } else if (install) {
      out.info(`\nInstalling dependencies with ${install.command}…`);
      const runInstall = environment.install ?? defaultInstall;
      // Ctrl-C reaches the install and us alike: a listener keeps us alive to say
      // what was written; the install's exit status tells what happened.
      const stayForSummary = (): void => {};
      process.on('SIGINT', stayForSummary);
      let status: number;
      try {
        status = runInstall(install.command, install.args, project.dir);
      } finally {
        process.off('SIGINT', stayForSummary);
      }
      const command = `${install.command} ${install.args.join(' ')}`;
      if (status === EXIT.cancelled) {
        const where = project.dir === path.resolve(environment.cwd) ? '' : `cd ${shellQuote(path.relative(environment.cwd, project.dir))} && `;
        throw new CancelledError(`Install cancelled. The project's files are written in ${project.dir} (${writes.length} files); to finish: ${where}${command}`);
      }
      if (status !== 0) {
        throw new FailedError(`\`${install.command} ${install.args.join(' ')}\` failed (exit ${status}). The files are written; run it in ${project.dir} and then build.`);
      }
    }
  }

  out.info(writes.length > 0 ? paint.green('\nDone.') : paint.green('\nEverything is up to date; nothing to write.'));
  steps.push(...(options.scripts ? stack.nextSteps(context, run) : [`docker build ${context.dockerfileFlag}--target production -t ${context.name} .`]));
  if (steps.length) {
    out.info('Next steps:');
    for (const step of alignComments(steps)) out.info(`  ${step}`);
  }
  return { code: 0, report: report(writes.length > 0) };
}

/** The answers detection found, as the flags that would give them: `--pm pnpm (packageManager pnpm@10.34.8), --port 4000`. */
function detectedSummary(stack: AnyStack, detection: Pick<AnyDetection, 'values' | 'sources'>): string {
  return stack.questions
    .filter((question) => detection.values[question.flag] !== undefined)
    .map((question) => {
      const value = detection.values[question.flag]!;
      const text = `--${question.flag} ${Array.isArray(value) ? value.join(',') : String(value)}`;
      const source = detection.sources?.[question.flag];
      return source ? `${text} (${source})` : text;
    })
    .join(', ');
}

function defaultInstall(command: string, args: string[], cwd: string): number {
  // stdout goes to stderr so --json output stays a single document.
  // A new project has no lockfile yet, and making one is the point of this install. Yarn Berry
  // forbids that when it sees CI=true (immutable installs); the setting is Berry's own, so
  // the other package managers (and Yarn 1) ignore it.
  const env = { ...process.env, YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' };
  const result = childProcess().spawnSync(command, args, { cwd, env, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (result.signal === 'SIGINT') return EXIT.cancelled;
  return result.status ?? 1;
}
