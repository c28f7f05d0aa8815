import { IMAGES, type ImageRecord } from '../defaults.js';
import { dockerfileFields, generatedDockerfile, headerLine, previousAnswers } from './common.js';
import type { Answers, ContextInput, Detection, Invocation, Question, SourceEdit, StackContext, StackModule } from './types.js';
import type { Project } from '../project.js';

/** The context fields `defineStack` fills in from the stack id, the answers and the project: a stack never spells them. */
export interface DerivedFields {
  stack: string;
  header: string;
  dockerfile: string;
  dockerfileFlag: string;
  /** The `# syntax=` frontend image, from the images record (a mirror may replace it). */
  syntax: string;
}

/** What a stack's `context` is given: the run's input, with the images record always there. */
export type StackContextInput<Facts> = ContextInput<Facts> & { images: ImageRecord };

/** What a stack's `context` returns: its own fields and the shared ones it decides (name, port, labels...). */
export type OwnContext = Omit<StackContext, keyof DerivedFields>;

/** What detection is given besides the project. */
export interface DetectInput {
  /** The answers a previous run's Dockerfile header recorded for this stack, by flag (raw, validated later). */
  previous: Answers;
  invocation: Invocation;
}

/**
 * One stack, written once: its id names its template folders (templates/<id>/docker
 * and templates/<id>/app), its header (`--stack <id>`) and its context's `stack`.
 */
export interface StackSpec<Facts, Own extends OwnContext> {
  id: string;
  title: string;
  matches(project: Project): boolean;
  /** Generates for an existing project only (a workspace): never offered for a new project. */
  existingOnly?: boolean;
  /** Stacks this one replaces when both match (a workspace stack over the single-app one of its apps). */
  supersedes?: readonly string[];
  detect(project: Project, input: DetectInput): Promise<Detection<Facts>>;
  questions: Question<Facts>[];
  context(input: StackContextInput<Facts>): Own;
  /** The answers the header records, when they differ from the answers given (a path target kept as a path, an implied switch spelt out). */
  headerAnswers?(answers: Answers, ctx: Own): Answers;
  /**
   * The build context is a folder above the one the Dockerfile is written to
   * (a run inside a workspace app's folder): `docker build` is then always told
   * where the Dockerfile is (`-f`), as its default is <context>/Dockerfile.
   */
  dockerfileBelowContext?(ctx: Own): boolean;
  sourceEdits?(ctx: Own & DerivedFields, detection: Detection<Facts>, answers: Answers): SourceEdit[];
  scripts?(ctx: Own & DerivedFields): Record<string, string>;
  installCommand?(ctx: Own & DerivedFields): { command: string; args: string[] } | undefined;
  runScript?(answers: Answers): (script: string) => string;
  nextSteps(ctx: Own & DerivedFields, runScript: (script: string) => string): string[];
}

/** The flags the header records, in question order, with a question's `header` placement applied. */
export function headerOrder(questions: readonly Pick<Question<unknown>, 'flag' | 'header'>[]): string[] {
  const order: string[] = [];
  for (const question of questions) {
    if (question.header === false) continue;
    const before = question.header?.before;
    const at = before === undefined ? -1 : order.indexOf(before);
    if (at === -1) order.push(question.flag);
    else order.splice(at, 0, question.flag);
  }
  return order;
}

export function defineStack<Facts, Own extends OwnContext>(spec: StackSpec<Facts, Own>): StackModule<Facts, Own & DerivedFields> {
  const { id, questions } = spec;
  const order = headerOrder(questions);
  return {
    id,
    title: spec.title,
    matches: (project) => spec.matches(project),
    ...(spec.existingOnly ? { existingOnly: true } : {}),
    ...(spec.supersedes ? { supersedes: spec.supersedes } : {}),
    // A previous run's header records the answers given then; a re-run reproduces the same files.
    detect: (project, invocation = {}) => spec.detect(project, { previous: previousAnswers(project, id, questions), invocation }),
    questions,
    context: (input) => {
      const images = input.images ?? IMAGES;
      const own = spec.context({ ...input, images });
      const recorded = spec.headerAnswers?.(input.answers, own) ?? input.answers;
      const dockerfile = input.dockerfile ?? generatedDockerfile(input.project);
      return {
        ...own,
        stack: id,
        ...dockerfileFields(dockerfile),
        ...(spec.dockerfileBelowContext?.(own) ? { dockerfileFlag: `-f ${dockerfile} ` } : {}),
        header: headerLine(id, recorded, order),
        syntax: images.frontend(),
      };
    },
    templates: { docker: `${id}/docker`, app: `${id}/app` },
    ...(spec.sourceEdits ? { sourceEdits: spec.sourceEdits } : {}),
    ...(spec.scripts ? { scripts: spec.scripts } : {}),
    ...(spec.installCommand ? { installCommand: spec.installCommand } : {}),
    ...(spec.runScript ? { runScript: spec.runScript } : {}),
    nextSteps: spec.nextSteps,
  };
}
