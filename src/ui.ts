import { options as colorOptions, bold, cyan, dim, green, red, yellow, gray } from 'kolorist';

export interface Output {
  /** Progress and summaries for people (stderr when --json owns stdout). */
  info(line?: string): void;
  /** Machine output: --json documents. */
  data(text: string): void;
  error(line: string): void;
}

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org), forced by FORCE_COLOR. */
export function configureColor(env: NodeJS.ProcessEnv, isTTY: boolean): void {
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const force = env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0';
  colorOptions.enabled = !noColor && (force || isTTY) && env['TERM'] !== 'dumb';
}

export const paint = { bold, cyan, dim, green, red, yellow, gray };
