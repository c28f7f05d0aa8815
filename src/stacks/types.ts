import type { ImageRecord } from '../defaults.js';
import type { Project } from '../project.js';

/** A value the user can give by flag or prompt. Lists are comma-separated on the command line. */
export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;

export interface Choice {
  title: string;
  value: string;
  description?: string;
}

export type Mode = 'new' | 'existing';

export interface QuestionContext<Facts> {
  mode: Mode;
  answers: Answers;
  detection: Detection<Facts>;
  /** This run's raw flag values, for a default that follows another question's flag. */
  flags?: Record<string, string>;
}

/**
 * One thing a stack needs to know. Every question has a flag, so anything the
 * prompts ask can also be given non-interactively; its answer is keyed by that flag.
 *
 * The hooks are methods, not function-valued properties: a question of a stack
 * with typed facts then also stands in the erased `Question` list the shared
 * code walks (which hands each question back its own stack's detection).
 */
export interface Question<Facts> {
  /** Flag name without dashes: `port` means `--port`; also the answer's key. */
  flag: string;
  message: string;
  /** The explanation, on its own line above the prompt: the prompt itself stays one short line. */
  hint?: string;
  /** `confirm` questions are boolean flags: `--static` (no value) means yes. */
  type: 'text' | 'select' | 'confirm';
  choices?(ctx: QuestionContext<Facts>): Choice[];
  /** Validates and normalises a raw value from a flag, a prompt or detection; throws InvalidValue. */
  parse(raw: string): AnswerValue;
  defaultValue(ctx: QuestionContext<Facts>): AnswerValue;
  /**
   * A check against what detection found, after `parse` (a Go version older
   * than go.mod's minimum): returns why the value cannot work, or undefined.
   */
  fits?(value: AnswerValue, ctx: QuestionContext<Facts>): string | undefined;
  /**
   * An answer that earlier answers already imply (scratch implies a static
   * link): the question is not asked, and a flag saying otherwise is an error.
   */
  implied?(ctx: QuestionContext<Facts>): { value: AnswerValue; because: string } | undefined;
  /** Said when --yes takes the built-in default without asking (e.g. a port nothing in the project names). */
  defaultNote?(ctx: QuestionContext<Facts>): string | undefined;
  /** Skip the question entirely (neither asked nor required) when this returns false. */
  when?(ctx: QuestionContext<Facts>): boolean;
  /**
   * Where the answer stands in the Dockerfile header, which lists answers in
   * question order: `false` leaves it out (a consent to edit the user's
   * files, not a choice the files record); `{ before: flag }` moves it ahead
   * of an earlier question's answer (headers written before keep their order).
   */
  header?: false | { before: string };
}

export interface Detection<Facts> {
  /** True when the directory already holds a project of this stack. */
  existing: boolean;
  /** Answers read from the project (a go.mod version, a lockfile, a previous run's header), by flag. */
  values: Answers;
  /** Facts the templates need that are not answers (lockfile name, standalone output...): the stack's own type. */
  facts: Facts;
  /** Things worth telling the user about what was found. */
  notes: string[];
  /** Where a detected value came from, by flag, for the summary (`pnpm-lock.yaml`, `packageManager pnpm@10`). */
  sources?: Record<string, string>;
}

/** An edit of one of the user's own files (e.g. next.config), planned like the package.json merge. */
export interface SourceEdit {
  path: string;
  /** The whole file after the edit. */
  content: string;
  /** What the edit does, for the plan. */
  reason: string;
}

/** README.Docker.md's CI section (see src/ci.ts `ciSummary`). */
export interface CiSummary {
  provider: string;
  title: string;
  registry: string;
  workflowFile: string;
  targets: string[];
  platforms: string;
  multiPlatform: boolean;
}

/** The part of every template context that the shared code relies on; a stack's context extends it. */
export interface StackContext {
  stack: string;
  name: string;
  port: number;
  compose: boolean;
  /** Extra production targets besides `production` (e.g. `production-worker`). */
  extraTargets: string[];
  /** The `# create-multistage: ...` line that lets a later run read the choices back. */
  header: string;
  labels: { title: string; version: string; source: string };
  /** The file our Dockerfile is written to (`Dockerfile`, or `Dockerfile.multistage` beside the user's own). */
  dockerfile: string;
  /** `-f <dockerfile> ` for `docker build` when it is not `Dockerfile`, else ''. */
  dockerfileFlag: string;
  /** Where the ignore file is written when not `.dockerignore` (`Dockerfile.dockerignore` beside a Dockerfile below the build context's root). */
  dockerignore?: string;
  /** The Dockerfile has a `test` stage (the project's checks); absent or false when there is nothing to run. */
  hasTests?: boolean;
  /** `--secret ...` flags every `docker build` of the scripts needs ('' or absent for none). */
  dockerBuildFlags?: string;
  /** docker:dev runs `docker compose up --watch` (the dev stage syncs edits). */
  composeWatch?: boolean;
  /** Every RUN step cross-compiles: CI can build several platforms natively... */
  crossCompile?: boolean;
  /** ...unless a runtime stage has RUN steps that would run under emulation. */
  emulatedRuntimeSteps?: boolean;
  /** Set by the pipeline for README.Docker.md when a CI provider is chosen. */
  ci?: CiSummary;
}

/** What a stack's `context` is given; without a type argument, the shared view (facts opaque). */
export interface ContextInput<Facts> {
  mode: Mode;
  answers: Answers;
  detection: Detection<Facts>;
  project: Project;
  /** Where our Dockerfile goes; by default where an earlier run put it (see generatedDockerfile). */
  dockerfile?: string;
  /** The images to write: IMAGES when absent, or a plugin's mirror of it (the pipeline passes it). */
  images?: ImageRecord;
}

/** What the run knows about how it was started, for a stack hook that follows it. */
export interface Invocation {
  /** `npm_config_user_agent`: which package manager ran us (`npm create`, `pnpm create`...), if any. */
  userAgent?: string;
}

/**
 * A stack: a folder of templates plus one module: its detection, its
 * questions and its template context. Everything else (flags, prompts,
 * rendering, planning, writing) is shared. Build one with `defineStack`
 * (src/stacks/define.ts), which fills in the stack id, the header, the
 * Dockerfile fields and the template folders; the shared code sees the
 * erased form, `AnyStack`.
 *
 * Hooks are methods so that a `StackModule<GoFacts, GoContext>` stands in an
 * `AnyStack` list: the pipeline hands each stack back only what that stack
 * produced (its own detection, its own context).
 */
export interface StackModule<Facts, Context extends StackContext> {
  id: string;
  title: string;
  /** Cheap check: does the directory hold a project of this stack? */
  matches(project: Project): boolean;
  /** Generates for an existing project only (a workspace): never offered for a new project. */
  existingOnly?: boolean;
  /** Stacks this one replaces when both match (a workspace stack over the single-app one of its apps). */
  supersedes?: readonly string[];
  detect(project: Project, invocation?: Invocation): Promise<Detection<Facts>>;
  questions: Question<Facts>[];
  context(input: ContextInput<Facts>): Context;
  /** Template folders under templates/: Docker files always, app files for a new project. */
  templates: { docker: string; app: string };
  /** Edits of the user's own files that the answers asked for; each is shown as a diff and written with the rest. */
  sourceEdits?(ctx: Context, detection: Detection<Facts>, answers: Answers): SourceEdit[];
  /** The docker:* npm scripts, when the stack's differ from the shared ones (`dockerScripts`): one set per app of a workspace, say. */
  scripts?(ctx: Context): Record<string, string>;
  /** The command that installs dependencies after a new project is written, if any. */
  installCommand?(ctx: Context): { command: string; args: string[] } | undefined;
  /** How the summary spells running an npm script when the answers chose a package manager (`pnpm docker:dev`); else the invoking one's way. */
  runScript?(answers: Answers): (script: string) => string;
  /** Lines for the summary, after the files are written. */
  nextSteps(ctx: Context, runScript: (script: string) => string): string[];
}

/** A stack with its types erased: what the registry, the pipeline, the run, the CLI and the kit handle. */
export type AnyStack = StackModule<unknown, StackContext>;

/** A question, detection and question context as the shared code sees them: the stack's facts opaque. */
export type AnyQuestion = Question<unknown>;
export type AnyDetection = Detection<unknown>;
export type AnyQuestionContext = QuestionContext<unknown>;
