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

export interface QuestionContext {
  mode: Mode;
  answers: Answers;
  detection: Detection;
  /** This run's raw flag values, for a default that follows another question's flag. */
  flags?: Record<string, string>;
}

/**
 * One thing a stack needs to know. Every question has a flag, so anything the
 * prompts ask can also be given non-interactively.
 */
export interface Question {
  key: string;
  /** Flag name without dashes: `port` means `--port`. */
  flag: string;
  message: string;
  /** The explanation, on its own line above the prompt: the prompt itself stays one short line. */
  hint?: string;
  /** `confirm` questions are boolean flags: `--static` (no value) means yes. */
  type: 'text' | 'select' | 'confirm';
  choices?: (ctx: QuestionContext) => Choice[];
  /** Validates and normalises a raw value from a flag, a prompt or detection; throws InvalidValue. */
  parse: (raw: string) => AnswerValue;
  defaultValue: (ctx: QuestionContext) => AnswerValue;
  /**
   * A check against what detection found, after `parse` (a Go version older
   * than go.mod's minimum): returns why the value cannot work, or undefined.
   */
  fits?: (value: AnswerValue, ctx: QuestionContext) => string | undefined;
  /**
   * An answer that earlier answers already imply (scratch implies a static
   * link): the question is not asked, and a flag saying otherwise is an error.
   */
  implied?: (ctx: QuestionContext) => { value: AnswerValue; because: string } | undefined;
  /** Said when --yes takes the built-in default without asking (e.g. a port nothing in the project names). */
  defaultNote?: (ctx: QuestionContext) => string | undefined;
  /** Skip the question entirely (neither asked nor required) when this returns false. */
  when?: (ctx: QuestionContext) => boolean;
}

export interface Detection {
  /** True when the directory already holds a project of this stack. */
  existing: boolean;
  /** Answers read from the project (a go.mod version, a lockfile, a previous run's header). */
  values: Answers;
  /** Facts the templates need that are not answers (lockfile name, standalone output...). */
  facts: Record<string, unknown>;
  /** Things worth telling the user about what was found. */
  notes: string[];
}

/** An edit of one of the user's own files (e.g. next.config), planned like the package.json merge. */
export interface SourceEdit {
  path: string;
  /** The whole file after the edit. */
  content: string;
  /** What the edit does, for the plan. */
  reason: string;
}

/** The part of every template context that the shared code relies on. */
export interface BaseContext {
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
  [key: string]: unknown;
}

export interface ContextInput {
  mode: Mode;
  answers: Answers;
  detection: Detection;
  project: Project;
  /** Where our Dockerfile goes; by default where an earlier run put it (see generatedDockerfile). */
  dockerfile?: string;
}

/**
 * A stack is a folder of templates plus one module like this one: its
 * detection, its questions and its template context. Everything else (flags,
 * prompts, rendering, planning, writing) is shared.
 */
export interface StackModule {
  id: string;
  title: string;
  /** Cheap check: does the directory hold a project of this stack? */
  matches(project: Project): boolean;
  /** Generates for an existing project only (a workspace): never offered for a new project. */
  existingOnly?: boolean;
  /** Stacks this one replaces when both match (a workspace stack over the single-app one of its apps). */
  supersedes?: readonly string[];
  detect(project: Project): Promise<Detection>;
  questions: Question[];
  context(input: ContextInput): BaseContext;
  /** Template folders under templates/: Docker files always, app files for a new project. */
  templates: { docker: string; app: string };
  /** Edits of the user's own files that the answers asked for; each is shown as a diff and written with the rest. */
  sourceEdits?(ctx: BaseContext, detection: Detection, answers: Answers): SourceEdit[];
  /** The docker:* npm scripts, when the stack's differ from the shared ones (`dockerScripts`): one set per app of a workspace, say. */
  scripts?(ctx: BaseContext): Record<string, string>;
  /** The command that installs dependencies after a new project is written, if any. */
  installCommand?(ctx: BaseContext): { command: string; args: string[] } | undefined;
  /** Lines for the summary, after the files are written. */
  nextSteps(ctx: BaseContext, runScript: (script: string) => string): string[];
}
