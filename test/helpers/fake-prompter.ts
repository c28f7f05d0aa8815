// A scripted Prompter: answers by message, records every question it was asked.

import type { Prompter } from '../../src/prompts.js';
import type { Choice } from '../../src/stacks/types.js';
import { CancelledError } from '../../src/errors.js';

export interface AskedQuestion {
  type: 'text' | 'select' | 'confirm';
  message: string;
  initial: string | boolean;
  choices?: string[];
  /** Messages the prompt's validator returned for rejected answers (text prompts). */
  rejected?: string[];
}

/** An answer; a list gives successive tries (a rejected text answer is followed by the next one). `cancel` is Ctrl-C. */
export type ScriptedAnswer = string | boolean | 'default' | { cancel: true } | (string | boolean)[];

export interface FakePrompter extends Prompter {
  asked: AskedQuestion[];
  /** Messages of the questions asked, in order. */
  messages(): string[];
}

/**
 * `answers` maps a substring of the prompt message to the answer. A question
 * with no scripted answer fails the test loudly (it was not expected to be asked).
 * 'default' accepts the prompt's initial value, like pressing Enter.
 */
export function fakePrompter(answers: Record<string, ScriptedAnswer>): FakePrompter {
  const asked: AskedQuestion[] = [];
  const scriptFor = (message: string): ScriptedAnswer => {
    const key = Object.keys(answers).find((k) => message.includes(k));
    if (key === undefined) throw new Error(`unexpected prompt: ${JSON.stringify(message)}`);
    const answer = answers[key]!;
    if (typeof answer === 'object' && !Array.isArray(answer)) throw new CancelledError();
    return answer;
  };
  return {
    asked,
    messages: () => asked.map((q) => q.message),
    async text(message, initial, validate) {
      const record: AskedQuestion = { type: 'text', message, initial, rejected: [] };
      asked.push(record);
      const script = scriptFor(message);
      const tries = Array.isArray(script) ? script : [script];
      for (const attempt of tries) {
        const value = attempt === 'default' ? initial : String(attempt);
        const problem = validate(value);
        if (problem === undefined) return value;
        record.rejected!.push(problem);
      }
      throw new Error(`every scripted answer to ${JSON.stringify(message)} was rejected: ${record.rejected!.join('; ')}`);
    },
    async select(message, choices: Choice[], initial) {
      asked.push({ type: 'select', message, initial, choices: choices.map((c) => c.value) });
      const script = scriptFor(message);
      const value = script === 'default' ? initial : String(script);
      if (!choices.some((c) => c.value === value)) throw new Error(`${value} is not a choice of ${JSON.stringify(message)}`);
      return value;
    },
    async confirm(message, initial) {
      asked.push({ type: 'confirm', message, initial });
      const script = scriptFor(message);
      return script === 'default' ? initial : script === true || script === 'true';
    },
  };
}
