/**
 * Strict JSON (RFC 8259, exactly what JSON.parse accepts) on top of
 * jsonc-parser, for package.json and kit manifests.
 *
 * jsonc-parser is lenient (comments, error recovery) and reports a problem at
 * the start of the token it sits in; this module refuses what JSON.parse
 * refuses and names the first character that cannot continue the text, the
 * way users know from V8 ("Unexpected token } at line 4, column 3"). It also
 * refuses absurd nesting before it can overflow the stack and, on request, a
 * key twice in one object (JSON.parse keeps the last one silently).
 */
import { parseTree, printParseErrorCode, visit, type Node } from 'jsonc-parser';

/** A JSON file that cannot be used, with the position of the problem (named for its first user, package.json). */
export class PackageJsonError extends Error {
  file?: string;
  /** 1-based line of the problem, when it can be pinned to a position. */
  line?: number;
  /** 1-based column (UTF-16 code units) of the problem. */
  column?: number;

  constructor(message: string, details: { file?: string; line?: number; column?: number } = {}) {
    super(message);
    this.name = 'PackageJsonError';
    // Only set what is known, so the fields stay truly optional (this also
    // keeps the class valid under exactOptionalPropertyTypes).
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
  }
}

const BOM = '\uFEFF';

/** Deeper than this is no package.json or manifest anyone wrote: refused instead of overflowing the stack. */
export const MAX_JSON_DEPTH = 256;

/** 1-based line/column of `offset`, not counting a leading BOM as a column. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1 || (text.startsWith(BOM) ? 1 : 0);
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** Throws PackageJsonError for a problem at `offset`; `message` gets "at line L, column C" to place. */
export function failAt(file: string, text: string, offset: number, message: (at: string) => string): never {
  const { line, column } = lineColumn(text, offset);
  throw new PackageJsonError(message(`at line ${line}, column ${column}`), { file, line, column });
}

function unexpected(text: string, offset: number): string {
  const ch = text[offset];
  if (ch === undefined) return 'Unexpected end of input';
  // Make invisible characters visible in the message.
  return `Unexpected token ${ch.charCodeAt(0) < 0x20 || ch === ' ' ? JSON.stringify(ch) : ch}`;
}

/**
 * jsonc-parser reports a bad string or number at the start of its token, and
 * skips a bad word before the grammar sees it; V8 names the first character
 * that cannot continue the text. This narrows the one to the other.
 */
function pinpoint(text: string, code: string, offset: number, valueExpected: boolean): [string, number] {
  if (code === 'InvalidSymbol') {
    if (!valueExpected) return [unexpected(text, offset), offset];
    // A misspelt true/false/null fails at its first wrong letter; a lone '-' after the sign.
    const word = ['true', 'false', 'null', '-'].find((w) => w[0] === text[offset]) ?? '';
    let at = offset;
    while (at - offset < word.length && text[at] === word[at - offset]) at++;
    return [unexpected(text, at), at];
  }
  if (code === 'UnexpectedEndOfNumber') {
    // A '.' or an exponent was not followed by a digit.
    const at = offset + /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?:\.|[eE][+-]?)?/.exec(text.slice(offset))![0].length;
    return [unexpected(text, at), at];
  }
  if (code === 'UnexpectedEndOfString' || code === 'InvalidUnicode' || code === 'InvalidEscapeCharacter' || code === 'InvalidCharacter') {
    const valid = /(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;
    valid.lastIndex = offset + 1;
    const at = offset + 1 + valid.exec(text)![0].length;
    if (at >= text.length) return ['Unterminated string', at];
    if (text[at] !== '\\') return ['Bad control character in string', at];
    if (at + 1 >= text.length) return ['Unterminated string', at + 1];
    return [text[at + 1] === 'u' ? 'Bad Unicode escape in string' : 'Bad escaped character in string', at];
  }
  // Grammar errors (a missing comma, colon, value, brace; a comment) sit on the token that should not be there.
  return [unexpected(text, offset), offset];
}

const SCAN_ERRORS = new Set(['UnexpectedEndOfString', 'InvalidUnicode', 'InvalidEscapeCharacter', 'InvalidCharacter', 'UnexpectedEndOfNumber']);

/**
 * Checks `text` as strict JSON (RFC 8259, as JSON.parse) and returns its tree.
 * Throws PackageJsonError naming the first problem's line and column: bad
 * syntax, nesting deeper than MAX_JSON_DEPTH, and with `noDuplicates` a key
 * twice in one object.
 */
export function parseStrictJson(text: string, file: string, noDuplicates = false): Node {
  // A UTF-8 BOM is common from Windows editors; npm tolerates it and so do we.
  // A space in its place keeps every offset valid in the original text.
  const body = text.startsWith(BOM) ? ' ' + text.slice(1) : text;
  const errors: { code: string; offset: number; valueExpected: boolean }[] = [];
  const open: { array: boolean; keys: Set<string> }[] = [];
  let valueExpected = true;
  let duplicate: { key: string; offset: number } | undefined;
  const begin = (array: boolean) => (offset: number) => {
    if (open.push({ array, keys: new Set() }) > MAX_JSON_DEPTH) {
      // jsonc-parser recurses per level; stop before the stack does.
      if (errors.length === 0) failAt(file, text, offset, (at) => `${file} is not valid JSON: Nested more than ${MAX_JSON_DEPTH} levels deep ${at}`);
      throw new StopVisit();
    }
    valueExpected = array;
  };
  const end = (): void => {
    open.pop();
    valueExpected = false;
  };
  try {
    visit(
      body,
      {
        onObjectBegin: begin(false),
        onArrayBegin: begin(true),
        onObjectEnd: end,
        onArrayEnd: end,
        onObjectProperty: (key, offset) => {
          const keys = open[open.length - 1]!.keys;
          if (keys.has(key)) duplicate ??= { key, offset };
          keys.add(key);
          valueExpected = false;
        },
        onSeparator: (sep) => {
          valueExpected = sep === ':' || open[open.length - 1]!.array;
        },
        onLiteralValue: () => {
          valueExpected = false;
        },
        onError: (error, offset) => void errors.push({ code: printParseErrorCode(error), offset, valueExpected }),
      },
      { disallowComments: true },
    );
  } catch (error) {
    if (!(error instanceof StopVisit)) throw error;
  }
  let first = errors[0];
  if (first) {
    // A bad string or number where no value may stand at all: the grammar error wins, as in V8.
    const next = errors[1];
    if (SCAN_ERRORS.has(first.code) && next && next.offset === first.offset && !SCAN_ERRORS.has(next.code)) first = next;
    const [message, offset] = pinpoint(text, first.code, first.offset, first.valueExpected);
    failAt(file, text, offset, (at) => `${file} is not valid JSON: ${message} ${at}`);
  }
  if (noDuplicates && duplicate) {
    const { key, offset } = duplicate;
    failAt(file, text, offset, (at) => `${file} has the key ${JSON.stringify(key)} twice in one object (again ${at}); only one value can count, so remove the other`);
  }
  return parseTree(body)!;
}

class StopVisit extends Error {}

/**
 * Checks JSON text strictly (a kit manifest): valid syntax, nesting at most
 * MAX_JSON_DEPTH, and no key twice in one object. Throws PackageJsonError
 * naming the line and column.
 */
export function checkStrictJson(text: string, file: string): void {
  parseStrictJson(text, file, true);
}
