import kleur from 'kleur';
import { dim, options as colorOptions } from 'kolorist';
import type prompts from 'prompts';
import { CancelledError } from './errors.js';
import type { Choice } from './stacks/types.js';

/**
 * The only module that talks to the terminal for input. It exists only when
 * stdin is a TTY; without one the run never prompts (see answers.ts), so it can
 * never hang on a closed stdin.
 */
export interface Prompter {
  /** `hint` explains the question on a line of its own, so the prompt stays one line. */
  text(message: string, initial: string, validate: (value: string) => string | undefined, hint?: string): Promise<string>;
  select(message: string, choices: Choice[], initial: string): Promise<string>;
  confirm(message: string, initial: boolean): Promise<boolean>;
}

/** `prompts` ignores Ctrl-C unless onCancel is given; we turn a cancel into exit 130. */
async function ask<T>(question: prompts.PromptObject): Promise<T> {
  let cancelled = false;
  // Loaded on first use, after createTerminalPrompter set kleur's switch: prompts
  // paints its symbols (the cyan `?`) once, when it loads.
  const { default: prompt } = await import('prompts');
  const result = await prompt(question, {
    onCancel: () => {
      cancelled = true;
      return false;
    },
  });
  if (cancelled || !((question.name as string) in result)) throw new CancelledError();
  return result[question.name as string] as T;
}

function fitLine(message: string | undefined): string | undefined {
  const width = (process.stdout.columns || 80) - 4;
  return message && message.length > width ? `${message.slice(0, width - 1)}…` : message;
}

export function createTerminalPrompter(): Prompter {
  // prompts colours through kleur 3, which ignores NO_COLOR: follow the decision
  // ui.configureColor made (NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal or not)
  // before prompts is loaded (see ask).
  kleur.enabled = colorOptions.enabled;
  return {
    async text(message, initial, validate, hint) {
      if (hint) process.stdout.write(`${dim(`  ${hint}`)}\n`);
      const value = await ask<string>({
        type: 'text',
        name: 'value',
        message,
        initial,
        // An error wider than the terminal wraps, and prompts then redraws it badly: keep it to one line.
        validate: (input: string) => fitLine(validate(String(input).trim())) ?? true,
      });
      return String(value).trim();
    },
    async confirm(message, initial) {
      return ask<boolean>({ type: 'confirm', name: 'value', message, initial });
    },
    async select(message, choices, initial) {
      const index = Math.max(
        0,
        choices.findIndex((c) => c.value === initial),
      );
      return ask<string>({
        type: 'select',
        name: 'value',
        message,
        choices: choices.map((c) => ({ title: c.title, value: c.value, description: c.description })),
        initial: index,
        hint: '↑/↓ and Enter',
      });
    },
  };
}
