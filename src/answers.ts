import { UsageError } from './errors.js';
import { InvalidValue } from './validate.js';
import type { Prompter } from './prompts.js';
import type { AnswerValue, Answers, Detection, Mode, Question, QuestionContext } from './stacks/types.js';

export type AnswerSource = 'flag' | 'prompt' | 'detected' | 'default';

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
}

export function formatValue(value: AnswerValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * Precedence: flags > prompts > detected > built-in defaults. Detected values
 * are not asked again ("ask only what it cannot know"); prompts ask only what
 * neither a flag nor detection answered. Without a prompter, an unanswered
 * question is an error naming its flag unless --yes accepts the default.
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
    const ctx: QuestionContext = { mode: input.mode, answers, detection: input.detection };
    if (question.when && !question.when(ctx)) continue;
    const choices = question.choices?.(ctx);
    const parse = (raw: string): AnswerValue => {
      const value = question.parse(raw);
      if (choices && !choices.some((c) => c.value === formatValue(value))) {
        throw new InvalidValue(`must be one of ${choices.map((c) => c.value).join(', ')}; got ${JSON.stringify(raw)}`);
      }
      return value;
    };

    const flagValue = input.flags[question.flag];
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
    }
  }

  if (missing.length > 0) {
    const list = missing.map(({ question, fallback }) => `  --${question.flag} <value>   ${question.message} (default: ${formatValue(fallback)})`);
    throw new UsageError(
      [`Missing answers and no terminal to ask on. Pass them as flags:`, ...list, `or pass --yes to accept the defaults.`].join('\n'),
    );
  }
  return { answers, sources, notes };
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
  const raw = await prompter.text(question.message, formatValue(fallback), (value) => {
    try {
      parse(value);
      return undefined;
    } catch (error) {
      return `${question.message} ${(error as Error).message}`;
    }
  });
  return parse(raw);
}
