import path from 'node:path';
import type { Project } from '../project.js';
import { toProjectName, validateName, validatePort, validateLabelVersion, validateSourceUrl, attempt } from '../validate.js';
import type { AnswerValue, Answers, Mode, Question, StackContext } from './types.js';

/** A question answered with typed text: flag, prompt, parser and default, plus any optional hooks (`fits`, `hint`...). */
export function textQuestion<Facts>(
  flag: string,
  message: string,
  parse: Question<Facts>['parse'],
  defaultValue: Question<Facts>['defaultValue'],
  hooks: Omit<Partial<Question<Facts>>, 'flag' | 'message' | 'type' | 'parse' | 'defaultValue'> = {},
): Question<Facts> {
  return { flag, message, type: 'text', parse, defaultValue, ...hooks };
}

/** The questions every stack asks first. */
export function commonQuestions<Facts>(defaultPort: number): Question<Facts>[] {
  return [
    textQuestion<Facts>('name', 'Project name (image and compose project name)', validateName, () => 'multistage-app'),
    textQuestion<Facts>('port', 'Port the app listens on', validatePort, () => defaultPort),
  ];
}

/** A project name from package.json's name or the directory name. */
export function detectName(project: Project): string | undefined {
  const pkgName = project.readJson('package.json')?.['name'];
  return (typeof pkgName === 'string' ? toProjectName(pkgName) : undefined) ?? toProjectName(path.basename(project.dir));
}

/**
 * Every generated Dockerfile carries a header with the flags that produced it,
 * so a later run (or a teammate) reproduces the same files and a re-run changes
 * nothing. This reads it back.
 */
const HEADER_PREFIX = '# create-multistage:';

export function headerLine(stack: string, answers: Answers, order: string[]): string {
  const parts = [`--stack ${stack}`];
  for (const key of order) {
    const value = answers[key];
    if (value === undefined || value === '') continue;
    parts.push(`--${key} ${Array.isArray(value) ? value.join(',') : String(value)}`);
  }
  // Run switches that change the files are recorded too, so a bare `--yes` re-run keeps them.
  if (answers['compose'] === false) parts.push('--no-compose');
  if (typeof answers['ci'] === 'string' && answers['ci'] !== 'none') parts.push(`--ci ${answers['ci']}`);
  return `${HEADER_PREFIX} ${parts.join(' ')}`;
}

/**
 * Where our Dockerfile goes when the project keeps a Dockerfile of its own
 * that lacks our stages: beside it, and every script, compose service, bake
 * target and README command names it with `-f`.
 */
export const BESIDE_DOCKERFILE = 'Dockerfile.multistage';

function headerLineOf(text: string | undefined): string | undefined {
  return text?.split(/\r?\n/, 5).find((l) => l.startsWith(HEADER_PREFIX));
}

/**
 * The Dockerfile this project's generated files use: ours beside the user's
 * when an earlier run put it there (it carries our header, so that choice is
 * remembered without asking again), else `Dockerfile`.
 */
export function generatedDockerfile(project: Project): string {
  return headerLineOf(project.readText(BESIDE_DOCKERFILE)) ? BESIDE_DOCKERFILE : 'Dockerfile';
}

/** The context fields that name the Dockerfile: `-f` only when it is not the default one. */
export function dockerfileFields(dockerfile: string): { dockerfile: string; dockerfileFlag: string } {
  return { dockerfile, dockerfileFlag: dockerfile === 'Dockerfile' ? '' : `-f ${dockerfile} ` };
}

/** Flag values from a previous run's Dockerfile header (raw strings, validated later like any detected value). */
export function readHeader(project: Project): { stack?: string; flags: Record<string, string>; noCompose: boolean } {
  const line = headerLineOf(project.readText(generatedDockerfile(project)));
  if (!line) return { flags: {}, noCompose: false };
  const flags: Record<string, string> = {};
  let stack: string | undefined;
  for (const match of line.slice(HEADER_PREFIX.length).matchAll(/--([a-z][a-z-]*) (\S+)/g)) {
    if (match[1] === 'stack') stack = match[2];
    else flags[match[1]!] = match[2]!;
  }
  return { ...(stack ? { stack } : {}), flags, noCompose: / --no-compose(?= |$)/.test(line) };
}

/** Header flags of the given questions (answers are keyed by flag). */
export function previousAnswers(project: Project, stackId: string, questions: readonly Pick<Question<unknown>, 'flag'>[]): Answers {
  const header = readHeader(project);
  if (header.stack !== stackId) return {};
  const values: Answers = {};
  for (const question of questions) {
    const raw = header.flags[question.flag];
    if (raw !== undefined) values[question.flag] = raw;
  }
  return values;
}

/** OCI label values from package.json, dropped (not failed) when they are not clean. */
export function detectLabels(project: Project, name: string): StackContext['labels'] {
  const pkg = project.readJson('package.json');
  const tryValue = (raw: unknown, validate: (v: string) => string): string => {
    if (typeof raw !== 'string') return '';
    const checked = attempt(() => validate(raw));
    return checked.ok ? checked.value : '';
  };
  const repository = pkg?.['repository'];
  const repoUrl = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  const source =
    typeof repoUrl === 'string'
      ? repoUrl
          .replace(/^git\+/, '')
          .replace(/\.git$/, '')
          .replace(/^git@github\.com:/, 'https://github.com/')
      : undefined;
  return {
    title: name,
    version: tryValue(pkg?.['version'], validateLabelVersion),
    source: tryValue(source, validateSourceUrl),
  };
}

/** OCI labels: a new project has only its name and starting version; an existing one says what it is. */
export function labelsFor(mode: Mode, project: Project, name: string, newProjectVersion = ''): StackContext['labels'] {
  return mode === 'new' ? { title: name, version: newProjectVersion, source: '' } : detectLabels(project, name);
}

export function asString(value: AnswerValue | undefined): string {
  return value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value);
}
