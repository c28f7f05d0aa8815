import { LockedAnswerError, UsageError } from './errors.js';
import { InvalidValue } from './validate.js';
import type { Prompter } from './prompts.js';
import type { AnswerValue, Answers, Detection, Mode, Question, QuestionContext } from './stacks/types.js';

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
    if (question.when && !question.when(ctx)) {
      // A flag for a question that does not apply is still validated, then refused:
      // silently ignoring it would hide a typo or a wrong assumption.
      const ignored = input.flags[question.flag];
      if (ignored !== undefined) {
        try {
          question.parse(ignored);
        } catch (error) {
          if (error instanceof InvalidValue) throw new UsageError(`--${question.flag} ${error.message}.`);
          throw error;
        }
        throw new UsageError(`--${question.flag} does not apply to this ${input.mode === 'new' ? 'new' : 'existing'} ${input.stackId} project.`);
      }
      continue;
    }
    const choices = question.choices?.(ctx);
    const parse = (raw: string): AnswerValue => {
      const value = question.parse(raw);
      const misfit = question.fits?.(value, ctx);
      if (misfit) throw new InvalidValue(misfit);
      if (choices && !choices.some((c) => c.value === formatValue(value))) {
        throw new InvalidValue(`must be one of ${choices.map((c) => c.value).join(', ')}; got ${JSON.stringify(raw)}`);
      }
      return value;
    };

    const flagValue = input.flags[question.flag];
    const implied = question.implied?.(ctx);
    if (implied !== undefined) {
      if (flagValue !== undefined) {
        let flagged: AnswerValue;
        try {
          flagged = parse(flagValue);
        } catch (error) {
          if (error instanceof InvalidValue) throw new UsageError(`--${question.flag} ${error.message}.`);
          throw error;
        }
        if (formatValue(flagged) !== formatValue(implied.value)) throw new UsageError(`--${question.flag} ${flagValue} contradicts ${implied.because}.`);
      }
      answers[question.key] = implied.value;
      sources[question.key] = flagValue !== undefined ? 'flag' : 'default';
      continue;
    }
    const lockedValue = input.plugin?.locked[question.flag];
    if (lockedValue !== undefined) {
      let locked: AnswerValue;
      try {
        locked = parse(lockedValue);
      } catch (error) {
        if (error instanceof InvalidValue) throw new UsageError(`The ${input.plugin!.name} kit locks --${question.flag} to ${JSON.stringify(lockedValue)}, which ${error.message}.`);
        throw error;
      }
      let flagged: AnswerValue | undefined;
      if (flagValue !== undefined) {
        try {
          flagged = parse(flagValue);
        } catch (error) {
          if (error instanceof InvalidValue) throw new UsageError(`--${question.flag} ${error.message}.`);
          throw error;
        }
      }
      if (flagged === undefined || formatValue(flagged) === formatValue(locked)) {
        answers[question.key] = locked;
        sources[question.key] = 'locked';
        notes.push(...overridesDetection(input, question, locked, 'locks'));
        continue;
      }
      if (!input.force) {
        throw new LockedAnswerError(
          `--${question.flag} ${flagValue} contradicts the ${input.plugin!.name} kit, which locks --${question.flag} to ${formatValue(locked)}. Drop the flag, or add --force to override the kit.`,
        );
      }
      notes.push(`--${question.flag} ${formatValue(flagged)} overrides the ${input.plugin!.name} kit's locked ${formatValue(locked)} (--force)`);
    }
    if (flagValue !== undefined) {
      try {
        answers[question.key] = parse(flagValue);
      } catch (error) {
        if (error instanceof InvalidValue) throw new UsageError(`--${question.flag} ${error.message}.`);
        throw error;
      }
      sources[question.key] = 'flag';
      continue;
    }

    const kitDefault = input.plugin?.defaults[question.flag];
    if (kitDefault !== undefined) {
      try {
        answers[question.key] = parse(kitDefault);
        sources[question.key] = 'kit';
        notes.push(...overridesDetection(input, question, answers[question.key]!, 'defaults'));
        continue;
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        notes.push(`ignored the ${input.plugin!.name} kit's default --${question.flag} ${kitDefault} (${error.message})`);
      }
    }

    const detected = input.detection.values[question.key];
    if (detected !== undefined) {
      try {
        answers[question.key] = parse(formatValue(detected));
        sources[question.key] = 'detected';
        continue;
      } catch (error) {
        if (!(error instanceof InvalidValue)) throw error;
        notes.push(`ignored the detected ${question.flag} (${error.message})`);
      }
    }

    const fallback = question.defaultValue(ctx);
    if (input.prompter && !input.yes) {
      answers[question.key] = await ask(input.prompter, question, choices, fallback, parse);
      sources[question.key] = 'prompt';
    } else {
      answers[question.key] = fallback;
      sources[question.key] = 'default';
      if (!input.yes) missing.push({ question, fallback });
      const defaultNote = input.yes ? question.defaultNote?.(ctx) : undefined;
      if (defaultNote) notes.push(defaultNote);
    }
  }

  if (missing.length > 0) {
    const list = missing.map(({ question, fallback }) => `  --${question.flag} <value>   ${question.message}${question.hint ? ` (${question.hint})` : ''} (default: ${formatValue(fallback)})`);
    throw new UsageError(
      [`Missing answers and no terminal to ask on. Pass them as flags:`, ...list, `or pass --yes to accept the defaults.`].join('\n'),
    );
  }
  return { answers, sources, notes };
}

/** A kit answer beats detection by design; say so when the project said otherwise. */
function overridesDetection(input: ResolveInput, question: Question, value: AnswerValue, how: 'locks' | 'defaults'): string[] {
  const detected = input.detection.values[question.key];
  if (detected === undefined || formatValue(detected) === formatValue(value)) return [];
  return [`the ${input.plugin!.name} kit ${how} --${question.flag} to ${formatValue(value)}; the project says ${formatValue(detected)}`];
}

async function ask(
  prompter: Prompter,
  question: Question,
  choices: ReturnType<NonNullable<Question['choices']>> | undefined,
  fallback: AnswerValue,
  parse: (raw: string) => AnswerValue,
): Promise<AnswerValue> {
  if (question.type === 'confirm') {
    return parse(String(await prompter.confirm(question.message, fallback === true || fallback === 'true')));
  }
  if (question.type === 'select' && choices) {
    return parse(await prompter.select(question.message, choices, formatValue(fallback)));
  }
  const raw = await prompter.text(
    question.message,
    formatValue(fallback),
    (value) => {
      try {
        parse(value);
        return undefined;
      } catch (error) {
        // Shown under the prompt: the reason only (the prompt names the question), kept short.
        return (error as Error).message.replace(/; got .*$/s, '');
      }
    },
    question.hint,
  );
  return parse(raw);
}
