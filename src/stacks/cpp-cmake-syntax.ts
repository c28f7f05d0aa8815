/**
 * The CMake language, read the way CMake splits it: commands and their
 * arguments, with quoted, bracket and unquoted arguments, comments and
 * bracket comments. Separate from the CMake reader (cpp-cmake-read.ts),
 * which gives the commands a meaning; this module knows only the grammar.
 */

interface CmakeCommand {
  name: string;
  args: string[];
}

/** Skips a bracket `[==[ ... ]==]` opened at `start`; returns the index after it, or -1 if `start` opens none. */
function skipBracket(text: string, start: number): { end: number; content: string } | undefined {
  const open = /^\[(=*)\[/.exec(text.slice(start, start + 80));
  if (!open) return undefined;
  const close = `]${open[1]}]`;
  const from = start + open[0].length;
  const end = text.indexOf(close, from);
  if (end < 0) return { end: text.length, content: text.slice(from) };
  return { end: end + close.length, content: text.slice(from, end) };
}

function skipComment(text: string, i: number): number {
  const bracket = skipBracket(text, i + 1);
  if (bracket) return bracket.end;
  const eol = text.indexOf('\n', i);
  return eol < 0 ? text.length : eol;
}

/** Splits a CMakeLists.txt into commands. Quoted and bracket arguments stay one argument. */
export function parseCmake(text: string): CmakeCommand[] {
  const commands: CmakeCommand[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '#') {
      i = skipComment(text, i);
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 128));
    if (!ident) {
      i++;
      continue;
    }
    let j = i + ident[0].length;
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] !== '(') {
      i = j;
      continue;
    }
    const { args, end } = parseArguments(text, j + 1);
    commands.push({ name: ident[0].toLowerCase(), args });
    i = end;
  }
  return commands;
}

function parseArguments(text: string, start: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 1;
  let i = start;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '#') {
      i = skipComment(text, i);
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      i++;
      if (depth === 0) break;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) {
          const next = text[i + 1]!;
          if (next !== '\n') value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      i++;
      args.push(value);
    } else if (c === '[' && skipBracket(text, i)) {
      const bracket = skipBracket(text, i)!;
      args.push(bracket.content);
      i = bracket.end;
    } else {
      let value = '';
      while (i < n && !' \t\r\n()#"'.includes(text[i]!)) {
        if (text[i] === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      // An unquoted argument is a list: `a;b` is two arguments.
      args.push(...value.split(';').filter((v) => v !== ''));
    }
  }
  return { args, end: i };
}
