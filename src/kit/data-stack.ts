import { asString, commonQuestions, labelsFor, detectName, headerLine, previousAnswers, dockerfileFields, generatedDockerfile } from '../stacks/common.js';
import type { Answers, ContextInput, Detection, Question, StackContext, StackModule } from '../stacks/types.js';
import type { Project } from '../project.js';
import { outputName, type TemplateFile } from '../render.js';
import { parserFor, type ExtraStackSpec } from './manifest.js';

/** The port a kit stack's --port defaults to; a kit sets its own with `stacks.<id>.defaults.port`. */
export const EXTRA_STACK_DEFAULT_PORT = 8080;

/** Marks a stack's template folders as held by a kit rather than under templates/. */
export const KIT_TEMPLATE_PREFIX = 'kit:';

/** A data stack detects marker files only: it has no facts. */
type DataFacts = Record<string, never>;

export interface DataStack {
  module: StackModule<DataFacts, StackContext>;
  /** The kit's templates for this stack, read and checked when the kit was loaded. */
  docker: TemplateFile[];
  app: TemplateFile[];
  /** The files whose presence marks a project of this stack (`detect.anyFile`). */
  markers: string[];
}

/**
 * A stack a kit defines as data: questions validated by kind with the
 * built-in validators, detection by marker files, a context made of the
 * answers, the kit's static values and the keys every stack shares, and
 * templates from the kit. It runs through the same answers, render, plan and
 * write steps as a built-in stack.
 */
export function createDataStack(spec: ExtraStackSpec, docker: TemplateFile[], app: TemplateFile[]): DataStack {
  const questions: Question<DataFacts>[] = [
    ...commonQuestions<DataFacts>(EXTRA_STACK_DEFAULT_PORT),
    ...spec.questions.map((q): Question<DataFacts> => ({
      flag: q.flag,
      message: q.message,
      type: q.type,
      ...(q.type === 'select' ? { choices: () => q.choices.map((value) => ({ title: value, value })) } : {}),
      parse: parserFor(q.kind, q.choices),
      defaultValue: () => q.default,
    })),
  ];
  const headerOrder = questions.map((q) => q.flag);
  const hasCompose = docker.some((file) => outputName(file.rel) === 'compose.yaml');
  const matches = (project: Project): boolean => spec.anyFile.some((file) => project.isFile(file));

  async function detect(project: Project): Promise<Detection<DataFacts>> {
    const existing = matches(project);
    const values: Answers = previousAnswers(project, spec.id, questions);
    const name = detectName(project);
    if (name && (existing || project.isFile('package.json'))) values['name'] = name;
    return { existing, values, facts: {}, notes: [] };
  }

  // The kit's static values and one value per question (by flag) beside the shared fields: the kit's templates read them by name.
  function context({ answers, project, mode, dockerfile }: ContextInput<DataFacts>): StackContext {
    const name = asString(answers['name']);
    const byFlag: Record<string, unknown> = {};
    for (const q of spec.questions) byFlag[q.flag] = answers[q.flag] ?? '';
    return {
      ...spec.context,
      ...byFlag,
      stack: spec.id,
      ...dockerfileFields(dockerfile ?? generatedDockerfile(project)),
      name,
      port: Number(answers['port']),
      // compose.yaml comes from the kit's templates; without one, docker:dev must not call compose.
      compose: Boolean(answers['compose']) && hasCompose,
      extraTargets: [],
      header: headerLine(spec.id, answers, headerOrder),
      labels: labelsFor(mode, project, name, '0.1.0'),
    };
  }

  const module: StackModule<DataFacts, StackContext> = {
    id: spec.id,
    title: spec.title,
    matches,
    detect,
    questions,
    context,
    templates: { docker: `${KIT_TEMPLATE_PREFIX}${spec.id}/docker`, app: `${KIT_TEMPLATE_PREFIX}${spec.id}/app` },
    nextSteps: (_ctx, run) => [`${run('docker:dev')}   # development target`, `${run('docker:build')}   # production image`],
  };
  return { module, docker, app, markers: spec.anyFile };
}
