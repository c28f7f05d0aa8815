import { LockedAnswerError, UsageError } from './errors.js';
import { attempt, InvalidValue, valueOr, type Result } from './validate.js';
import type { Prompter } from './prompts.js';
import type { AnswerValue, Answers, AnyDetection as Detection, AnyQuestion as Question, AnyQuestionContext as QuestionContext, Mode } from './stacks/types.js';

/** Where an answer came from: `locked` and `kit` are an organisation kit's locked and default answers. */
export type AnswerSource = 'flag' | 'prompt' | 'detected' | 'default' | 'locked' | 'kit';

/** A plugin's (an organisation kit's) answers for the stack being generated, raw strings by question flag. */
export interface PluginAnswers {
  name: string;
  defaults: Record<string, string>;
  locked: Record<string, string>;
}

export interface ResolvedAnswers {
  answers: Answers;
  sources: Record<string, AnswerSource>;
  notes: string[];
}

export interface ResolveInput {
  stackId: string;
  questions: Question[];
  /** Raw flag values by flag name. */
  flags: Record<string, string>;
  detection: Detection;
  mode: Mode;
  /** Present only when stdin is a TTY and --yes was not given. */
  prompter?: Prompter;
  yes: boolean;
  plugin?: PluginAnswers;
  /** --force: a flag may override an answer the kit locks. */
  force?: boolean;
}

export function formatValue(value: AnswerValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * Precedence: kit-locked > flags > prompts > kit defaults > detected >
 * built-in defaults. Locked, kit-default and detected values are not asked
 * ("ask only what it cannot know"); prompts ask only what none of them
 * answered. A flag that contradicts a locked answer is an error unless
 * --force. Without a prompter, an unanswered question is an error naming its
 * flag unless --yes accepts the default.
 */
export async function resolveAnswers(input: ResolveInput): Promise<ResolvedAnswers> {
  const known = new Set(input.questions.map((q) => q.flag));
  for (const flag of Object.keys(input.flags)) {
    if (!known.has(flag)) throw new UsageError(`--${flag} does not apply to the ${input.stackId} stack.`);
  }

  const answers: Answers = {};
  const sources: Record<string, AnswerSource> = {};
  const notes: string[] = [];
  const missing: { question: Question; fallback: AnswerValue }[] = [];

  for (const question of input.questions) {
    const ctx: QuestionContext = { mode: input.mode, answers, detection: input.detection, flags: input.flags };
    const flagValue = input.flags[question.flag];
    const fromFlag = (raw: string, check: (raw: string) => Result<AnswerValue>): AnswerValue => valueOr(check(raw), (why) => new UsageError(`--${question.flag} ${why}.`));
    if (question.when && !question.when(ctx)) {
      // A flag for a question that does not apply is still validated, then refused:
      // silently ignoring it would hide a typo or a wrong assumption.
      if (flagValue === undefined) continue;
      fromFlag(flagValue, (raw) => attempt(() => question.parse(raw)));
      throw new UsageError(`--${question.flag} does not apply to this ${input.mode === 'new' ? 'new' : 'existing'} ${input.stackId} project.`);
    }
    const choices = question.choices?.(ctx);
    const check = (raw: string): Result<AnswerValue> => attempt(() => fitting(question, choices, ctx, raw));

    const implied = question.implied?.(ctx);
    if (implied !== undefined) {
      if (flagValue !== undefined && formatValue(fromFlag(flagValue, check)) !== formatValue(implied.value)) {
        throw new UsageError(`--${question.flag} ${flagValue} contradicts ${implied.because}.`);
      }
      answers[question.flag] = implied.value;
      sources[question.flag] = flagValue !== undefined ? 'flag' : 'default';
      continue;
    }

    // The first source that gives a valid value wins, in precedence order. An invalid
    // flag or locked value is an error; an invalid kit default or detected value is a note.
    const kitName = input.plugin?.name ?? '';
    const chosen = firstAnswer([
      () => lockedCandidate(input, question, flagValue, check, notes),
      () => (flagValue === undefined ? undefined : { source: 'flag', value: fromFlag(flagValue, check) }),
      () => fromSource('kit', input.plugin?.defaults[question.flag], check, (raw, why) => notes.push(`ignored the ${kitName} kit's default --${question.flag} ${raw} (${why})`)),
      () => fromSource('detected', detectedRaw(input, question), check, (_raw, why) => notes.push(`ignored the detected ${question.flag} (${why})`)),
    ]);
    if (chosen) {
      answers[question.flag] = chosen.value;
      sources[question.flag] = chosen.source;
      if (chosen.source === 'kit') notes.push(...overridesDetection(input, question, chosen.value, 'defaults'));
      continue;
    }

    const fallback = question.defaultValue(ctx);
    if (input.prompter && !input.yes) {
      answers[question.flag] = await ask(input.prompter, question, choices, fallback, check);
      sources[question.flag] = 'prompt';
    } else {
      answers[question.flag] = fallback;
      sources[question.flag] = 'default';
      if (!input.yes) missing.push({ question, fallback });
      const defaultNote = input.yes ? question.defaultNote?.(ctx) : undefined;
      if (defaultNote) notes.push(defaultNote);
    }
  }

  if (missing.length > 0) {
    const list = missing.map(({ question, fallback }) => `  --${question.flag} <value>   ${question.message}${question.hint ? ` (${question.hint})` : ''} (default: ${formatValue(fallback)})`);
    throw new UsageError([`Missing answers and no terminal to ask on. Pass them as flags:`, ...list, `or pass --yes to accept the defaults.`].join('\n'));
  }
  return { answers, sources, notes };
}

/** One source's answer for a question, already validated. */
interface Candidate {
  source: AnswerSource;
  value: AnswerValue;
}

/**
 * The answer of the first source that has one. Sources are listed in
 * precedence order and asked lazily: a later source is not read (nor its
 * invalid value noted) once an earlier one answered.
 */
function firstAnswer(sources: (() => Candidate | undefined)[]): Candidate | undefined {
  for (const source of sources) {
    const candidate = source();
    if (candidate) return candidate;
  }
  return undefined;
}

/** A source whose invalid value is passed over with a note (a kit default, a detected value). */
function fromSource(source: AnswerSource, raw: string | undefined, check: (raw: string) => Result<AnswerValue>, passOver: (raw: string, why: string) => void): Candidate | undefined {
  if (raw === undefined) return undefined;
  const result = check(raw);
  if (result.ok) return { source, value: result.value };
  passOver(raw, result.error.message);
  return undefined;
}

function detectedRaw(input: ResolveInput, question: Question): string | undefined {
  const detected = input.detection.values[question.flag];
  return detected === undefined ? undefined : formatValue(detected);
}

/** Parsed, fitting what detection found, and one of the choices when the question has them; throws InvalidValue. */
function fitting(question: Question, choices: ReturnType<NonNullable<Question['choices']>> | undefined, ctx: QuestionContext, raw: string): AnswerValue {
  const value = question.parse(raw);
  const misfit = question.fits?.(value, ctx);
  if (misfit) throw new InvalidValue(misfit);
  if (choices && !choices.some((c) => c.value === formatValue(value))) {
    throw new InvalidValue(`must be one of ${choices.map((c) => c.value).join(', ')}; got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * The kit's locked answer, which the flag may only repeat: a different flag is
 * an error, or with --force the flag's answer (undefined here, so the flag
 * source that follows in the fold wins) and a note.
 */
function lockedCandidate(input: ResolveInput, question: Question, flagValue: string | undefined, check: (raw: string) => Result<AnswerValue>, notes: string[]): Candidate | undefined {
  const raw = input.plugin?.locked[question.flag];
  if (raw === undefined || !input.plugin) return undefined;
  const kit = input.plugin.name;
  const locked = valueOr(check(raw), (why) => new UsageError(`The ${kit} kit locks --${question.flag} to ${JSON.stringify(raw)}, which ${why}.`));
  const flagged = flagValue === undefined ? undefined : valueOr(check(flagValue), (why) => new UsageError(`--${question.flag} ${why}.`));
  if (flagged === undefined || formatValue(flagged) === formatValue(locked)) {
    notes.push(...overridesDetection(input, question, locked, 'locks'));
    return { source: 'locked', value: locked };
  }
  if (!input.force) {
    throw new LockedAnswerError(
      `--${question.flag} ${flagValue} contradicts the ${kit} kit, which locks --${question.flag} to ${formatValue(locked)}. Drop the flag, or add --force to override the kit.`,
    );
  }
  notes.push(`--${question.flag} ${formatValue(flagged)} overrides the ${kit} kit's locked ${formatValue(locked)} (--force)`);
  return undefined;
}

/** A kit answer beats detection by design; say so when the project said otherwise. */
function overridesDetection(input: ResolveInput, question: Question, value: AnswerValue, how: 'locks' | 'defaults'): string[] {
  const detected = input.detection.values[question.flag];
  if (detected === undefined || formatValue(detected) === formatValue(value)) return [];
  return [`the ${input.plugin!.name} kit ${how} --${question.flag} to ${formatValue(value)}; the project says ${formatValue(detected)}`];
}

async function ask(
  prompter: Prompter,
  question: Question,
  choices: ReturnType<NonNullable<Question['choices']>> | undefined,
  fallback: AnswerValue,
  check: (raw: string) => Result<AnswerValue>,
): Promise<AnswerValue> {
  const accept = (raw: string): AnswerValue => valueOr(check(raw), (why) => new InvalidValue(why));
  if (question.type === 'confirm') {
    return accept(String(await prompter.confirm(question.message, fallback === true || fallback === 'true')));
  }
  if (question.type === 'select' && choices) {
    return accept(await prompter.select(question.message, choices, formatValue(fallback)));
  }
  const raw = await prompter.text(
    question.message,
    formatValue(fallback),
    (value) => {
      const result = check(value);
      // Shown under the prompt: the reason only (the prompt names the question), kept short.
      return result.ok ? undefined : result.error.message.replace(/; got .*$/s, '');
    },
    question.hint,
  );
  return accept(raw);
}
