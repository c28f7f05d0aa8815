/**
 * RUN lines as shell: a small tokenizer, good enough to find command words
 * and operators (quotes, escapes, comments, && || | ; and subshell
 * parentheses), and the per-RUN facts the rules read (commands, mounts).
 * Domain logic: dockerfile-ast stops at the RUN line's text.
 */
import type { Flag, Instruction } from 'dockerfile-ast';
import { flagsOf, isJsonArray, type Model, type Stage } from './model.js';

export interface ShellScript {
  /** Each simple command as its words (quotes removed). */
  commands: string[][];
  /** Control operators in order of appearance. */
  operators: string[];
}

export function parseShell(src: string): ShellScript {
  const commands: string[][] = [];
  const operators: string[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (op: string) => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
    operators.push(op);
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '\\' && next !== undefined) {
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i++;
    } else if (c === "'") {
      const j = src.indexOf("'", i + 1);
      const end = j < 0 ? src.length : j;
      word += src.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) {
          word += src[j + 1];
          j += 2;
        } else {
          word += src[j];
          j++;
        }
      }
      inWord = true;
      i = j;
    } else if (c === '#' && !inWord) {
      const j = src.indexOf('\n', i);
      i = j < 0 ? src.length : j - 1;
    } else if (c === '\n' || c === ';') {
      endCommand(c);
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
    } else if (c === '&') {
      const prev = src[i - 1];
      if (prev === '>' || prev === '<' || next === '>') {
        // 2>&1, &> : a redirection, not an operator
        word += c;
        inWord = true;
      } else if (next === '&') {
        endCommand('&&');
        i++;
      } else {
        endCommand('&');
      }
    } else if (c === '|') {
      if (next === '|') {
        endCommand('||');
        i++;
      } else {
        endCommand('|');
      }
    } else if (c === '(' || c === ')') {
      // `$(` and `(` both start a nested command
      if (c === '(' && word.endsWith('$')) word = word.slice(0, -1);
      endCommand(c);
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand('');
  return { commands, operators: operators.filter((o) => o !== '') };
}

const COMMAND_PREFIXES = new Set(['sudo', 'exec', 'time', 'command', 'nohup', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '}', 'env']);

/** The command name (basename) and its arguments, skipping `VAR=x`, `sudo`, `if`, ... prefixes. */
export function commandOf(words: string[]): { name: string; args: string[] } | null {
  let k = 0;
  while (k < words.length && (COMMAND_PREFIXES.has(words[k]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!))) k++;
  if (k >= words.length) return null;
  const name = words[k]!.split('/').pop() ?? '';
  return { name, args: words.slice(k + 1) };
}

/** apt-get options that take a separate value. */
export const APT_OPTS_WITH_VALUE = new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']);

export function aptSubcommand(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (APT_OPTS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return null;
}

/** Package names in an `apt-get install` / `apk add` argument list, versions and arch stripped. */
export function packagesOf(args: string[], sub: string): string[] {
  const after = args.slice(args.indexOf(sub) + 1);
  const out: string[] = [];
  for (let i = 0; i < after.length; i++) {
    const a = after[i]!;
    if (APT_OPTS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    out.push(a.replace(/[=:].*$/, ''));
  }
  return out;
}

/** `set -o pipefail`, `set -euo pipefail`, `set -e -o pipefail`. */
export function setsPipefail(cmd: { name: string; args: string[] }): boolean {
  return cmd.name === 'set' && cmd.args.includes('pipefail') && cmd.args.some((a) => /^-[A-Za-z]*o$/.test(a));
}

export interface RunInfo {
  ins: Instruction;
  stage: Stage;
  /** Shell form command text (continuations joined); null for exec form (whose commands are still parsed). */
  shell: string | null;
  script: ShellScript;
  commands: { name: string; args: string[] }[];
  mounts: Map<string, string | null>[];
  flags: Flag[];
}

export function mountsOf(flags: Flag[]): Map<string, string | null>[] {
  return flags
    .filter((f) => f.getName().toLowerCase() === 'mount')
    .map((f) => {
      const m = new Map<string, string | null>();
      for (const o of f.getOptions()) m.set(o.getName().toLowerCase(), o.getValue());
      if (!m.has('type')) m.set('type', 'bind');
      return m;
    });
}

export function runInfos(model: Model): RunInfo[] {
  const out: RunInfo[] = [];
  for (const stage of model.stages) {
    for (const ins of stage.instructions) {
      if (ins.getKeyword() !== 'RUN') continue;
      const content = ins.getArgumentsContent() ?? '';
      const shell = isJsonArray(content) ? null : content;
      let script: ShellScript;
      if (shell !== null) {
        script = parseShell(shell);
      } else {
        // Exec form: one command, unless it is `sh -c '<script>'`.
        const argv = JSON.parse(content) as string[];
        const c = argv.indexOf('-c');
        const isShell = /(^|\/)(sh|bash|ash|dash|zsh)$/.test(argv[0] ?? '');
        script = isShell && c > 0 && argv[c + 1] !== undefined ? parseShell(argv[c + 1]!) : { commands: argv.length ? [argv] : [], operators: [] };
      }
      const commands = script.commands.map(commandOf).filter((c): c is { name: string; args: string[] } => c !== null);
      const flags = flagsOf(ins);
      out.push({ ins, stage, shell, script, commands, mounts: mountsOf(flags), flags });
    }
  }
  return out;
}
