/** A stack a kit adds as data (`extraStacks`): its questions, detection, templates and static context, validated. */
import { RESERVED_FLAGS } from '../run-flags.js';
import type { AnswerValue } from '../stacks/types.js';
import { InvalidValue, validateChoice, validateImageRef, validateLabelVersion, validateName, validatePort } from '../validate.js';
import { array, child, fail, FLAG_NAME, isObject, object, onlyKeys, show, string, validated } from './manifest-fields.js';
import { kitRelativePath, projectTargetPath } from './paths.js';

export const EXTRA_STACK_KEYS = ['title', 'detect', 'questions', 'templates', 'context'] as const;
export const QUESTION_KEYS = ['flag', 'message', 'type', 'kind', 'choices', 'default'] as const;
export const QUESTION_KINDS = ['name', 'port', 'version', 'image', 'choice', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Context keys every stack provides; an extra stack's static context must not shadow them. */
// `kit` holds the kit's data for its partials (src/kit/partials.ts).
export const SHARED_CONTEXT_KEYS = ['stack', 'name', 'port', 'header', 'labels', 'compose', 'extraTargets', 'kit'] as const;

export interface ExtraQuestion {
  flag: string;
  message: string;
  type: 'text' | 'select' | 'confirm';
  kind: QuestionKind | 'switch';
  choices: string[];
  default: AnswerValue;
}

export interface ExtraStackSpec {
  id: string;
  title: string;
  anyFile: string[];
  questions: ExtraQuestion[];
  templates: { docker: string; app?: string };
  context: Record<string, unknown>;
}

const TEXT_ANSWER = /^[A-Za-z0-9._/-]{1,128}$/;

/** Validates and normalises a raw switch value the way the built-in confirm questions do. */
export function parseSwitchValue(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(text)) return true;
  if (['false', 'no', 'n', '0'].includes(text)) return false;
  throw new InvalidValue(`must be true or false; got ${JSON.stringify(raw)}`);
}

/** The validator an extra stack's question uses, chosen by its kind. */
export function parserFor(kind: ExtraQuestion['kind'], choices: string[]): (raw: string) => AnswerValue {
  switch (kind) {
    case 'name':
      return validateName;
    case 'port':
      return validatePort;
    case 'version':
      return validateLabelVersion;
    case 'image':
      return validateImageRef;
    case 'choice':
      return (raw) => validateChoice(raw, choices);
    case 'switch':
      return parseSwitchValue;
    case 'text':
      return (raw) => {
        if (!TEXT_ANSWER.test(raw)) throw new InvalidValue(`must be 1 to 128 letters, digits, ".", "_", "/" or "-"; got ${JSON.stringify(raw)}`);
        return raw;
      };
  }
}

function question(value: unknown, field: string, seen: Set<string>): ExtraQuestion {
  const raw = object(value, field);
  onlyKeys(raw, QUESTION_KEYS, field);
  const flag = string(raw['flag'], child(field, 'flag'), { max: 32, pattern: FLAG_NAME, describe: 'a flag name in lowercase words joined by "-" (e.g. python-version)' });
  if (RESERVED_FLAGS.includes(flag) || flag === 'name' || flag === 'port') {
    fail(child(field, 'flag'), `is --${flag}, which create-multistage already defines (every stack asks --name and --port)`);
  }
  if (seen.has(flag)) fail(child(field, 'flag'), `repeats --${flag}`);
  seen.add(flag);
  const message = string(raw['message'], child(field, 'message'), { max: 120 });
  const type = string(raw['type'], child(field, 'type'), { pattern: /^(text|select|confirm)$/, describe: 'one of text, select, confirm' }) as ExtraQuestion['type'];
  let kind: ExtraQuestion['kind'];
  if (type === 'confirm') {
    if (raw['kind'] !== undefined) fail(child(field, 'kind'), 'must be left out for a confirm question (its answer is true or false)');
    kind = 'switch';
  } else {
    kind = string(raw['kind'], child(field, 'kind'), { pattern: new RegExp(`^(${QUESTION_KINDS.join('|')})$`), describe: `one of ${QUESTION_KINDS.join(', ')}` }) as QuestionKind;
  }
  let choices: string[] = [];
  if (raw['choices'] !== undefined) {
    const choicesField = child(field, 'choices');
    choices = array(raw['choices'], choicesField, 50).map((c, i) => string(c, child(choicesField, i), { max: 64, pattern: /^[A-Za-z0-9._-]+$/, describe: 'letters, digits, ".", "_" or "-"' }));
    if (choices.length === 0) fail(choicesField, 'must list at least one choice');
    if (new Set(choices).size !== choices.length) fail(choicesField, 'lists a choice twice');
  }
  if ((type === 'select' || kind === 'choice') && choices.length === 0) fail(child(field, 'choices'), `is required for a ${type === 'select' ? 'select question' : 'question of kind choice'}`);
  if (type === 'select' && kind !== 'choice') fail(child(field, 'kind'), 'must be choice for a select question');
  if (choices.length > 0 && kind !== 'choice') fail(child(field, 'choices'), 'only applies to questions of kind choice');
  const parse = parserFor(kind, choices);
  let fallback: AnswerValue;
  const rawDefault = raw['default'];
  if (rawDefault === undefined) {
    if (type === 'confirm') fallback = false;
    else if (type === 'select') fallback = choices[0]!;
    else fail(child(field, 'default'), 'is required for a text question (it is the answer --yes accepts)');
  } else {
    if (!['string', 'number', 'boolean'].includes(typeof rawDefault)) fail(child(field, 'default'), `must be a string, number or boolean; got ${show(rawDefault)}`);
    fallback = validated(child(field, 'default'), () => parse(String(rawDefault)));
  }
  return { flag, message, type, kind, choices, default: fallback };
}

function staticContext(value: unknown, field: string, depth = 0): unknown {
  if (depth > 4) fail(field, 'nests too deeply (at most 4 levels)');
  if (typeof value === 'string') {
    if (value.length > 4096) fail(field, 'must be at most 4096 characters');
    return value;
  }
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return array(value, field, 100).map((item, i) => staticContext(item, child(field, i), depth + 1));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(key)) fail(child(field, key), 'is not a usable template key (letters, digits, "_" and "-", starting with a letter)');
      out[key] = staticContext(item, child(field, key), depth + 1);
    }
    return out;
  }
  return fail(field, `must be a string, number, boolean, list or object; got ${show(value)}`);
}

export function extraStack(id: string, value: unknown, field: string): ExtraStackSpec {
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(id) || id.length > 32) fail(field, 'is not a stack id: use lowercase words joined by "-" (e.g. python)');
  const raw = object(value, field);
  onlyKeys(raw, EXTRA_STACK_KEYS, field);
  const title = string(raw['title'], child(field, 'title'), { max: 60 });
  const detectField = child(field, 'detect');
  const detect = object(raw['detect'], detectField);
  onlyKeys(detect, ['anyFile'], detectField);
  const anyFileField = child(detectField, 'anyFile');
  const anyFile = array(detect['anyFile'], anyFileField, 20).map((f, i) => projectTargetPath(string(f, child(anyFileField, i), { max: 256 }), child(anyFileField, i)));
  if (anyFile.length === 0) fail(anyFileField, 'must list at least one file that marks a project of this stack');
  const seen = new Set<string>();
  const questionsField = child(field, 'questions');
  const questions = raw['questions'] === undefined ? [] : array(raw['questions'], questionsField, 20).map((q, i) => question(q, child(questionsField, i), seen));
  const templatesField = child(field, 'templates');
  const templates = object(raw['templates'], templatesField);
  onlyKeys(templates, ['docker', 'app'], templatesField);
  const docker = kitRelativePath(string(templates['docker'], child(templatesField, 'docker'), { max: 512 }), child(templatesField, 'docker'));
  const app = templates['app'] === undefined ? undefined : kitRelativePath(string(templates['app'], child(templatesField, 'app'), { max: 512 }), child(templatesField, 'app'));
  const contextField = child(field, 'context');
  const context = raw['context'] === undefined ? {} : (staticContext(object(raw['context'], contextField), contextField) as Record<string, unknown>);
  for (const key of Object.keys(context)) {
    if ((SHARED_CONTEXT_KEYS as readonly string[]).includes(key)) fail(child(contextField, key), 'is provided by create-multistage for every stack and cannot be set here');
    if (seen.has(key)) fail(child(contextField, key), `is the answer to --${key} and cannot also be a static value`);
  }
  return { id, title, anyFile, questions, templates: app === undefined ? { docker } : { docker, app }, context };
}
