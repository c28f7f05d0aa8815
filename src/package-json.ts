/**
 * Format-preserving edits of package.json.
 *
 * The CLI promises never to lose a byte of the user's files, so we never
 * re-serialise a parsed package.json. Instead we scan the original text once
 * to learn where the top-level members and the `scripts` object live, and then
 * splice new text in at precise offsets. Everything we did not mean to touch
 * (odd spacing, compact arrays, `\u00e9` escapes, key order, BOM, CRLF, the
 * presence or absence of a final newline) is carried over verbatim.
 */

export interface ScriptConflict {
  name: string;
  existing: string;
  wanted: string;
}

export interface ScriptMergeResult {
  /** The new file text (identical to the input when nothing changes). */
  text: string;
  /** Script names that were added, in the order they were requested. */
  added: string[];
  /** Script names already present with exactly the wanted command. */
  identical: string[];
  /**
   * Script names present with a different command. They are left alone unless
   * `overwriteConflicts` was set, in which case only their value was replaced.
   */
  conflicts: ScriptConflict[];
  changed: boolean;
}

export interface MergeScriptsOptions {
  overwriteConflicts?: boolean;
  fileName?: string;
}

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

const DEFAULT_FILE = 'package.json';
const BOM = '\uFEFF';
const DEFAULT_INDENT = '  ';

// ---------------------------------------------------------------------------
// Position-aware JSON scanner
//
// Node 20's JSON.parse no longer reports positions ("Unexpected token '}',
// "..." is not valid JSON"), and it never reports offsets of members, so we
// need our own strict RFC 8259 scanner. It only records structure for objects
// (member key/value ranges); the actual values still come from JSON.parse so
// semantics (duplicate keys, number parsing, escapes) match Node exactly.
// ---------------------------------------------------------------------------

interface ObjectMember {
  /** Decoded key. */
  key: string;
  /** Offset of the opening quote of the key. */
  keyStart: number;
  /** Offset just past the closing quote of the key. */
  keyEnd: number;
  value: JsonNode;
}

interface JsonNode {
  kind: 'object' | 'array' | 'string' | 'number' | 'literal';
  /** Offset of the first character of the value. */
  start: number;
  /** Offset just past the last character of the value. */
  end: number;
  /** Only for objects, in source order (duplicates kept). */
  members?: ObjectMember[];
}

/** Internal: a syntax error at a known offset in the scanned text. */
class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Deeper than this is no package.json or manifest anyone wrote: refused instead of overflowing the stack. */
export const MAX_JSON_DEPTH = 256;

class Scanner {
  pos: number;
  private depth = 0;
  /** The first key that appears twice in one object (JSON.parse would keep the last silently). */
  duplicate: { key: string; offset: number } | undefined;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  /** Parses exactly one JSON value surrounded by optional whitespace. */
  parseDocument(): JsonNode {
    this.skipWhitespace();
    const node = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.unexpected();
    return node;
  }

  private skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      // JSON whitespace is exactly space, tab, LF, CR. Anything else (NBSP,
      // a stray BOM in the middle) is a syntax error, as with JSON.parse.
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  private unexpected(): never {
    if (this.pos >= this.text.length) {
      throw new ScanError('Unexpected end of input', this.pos);
    }
    const ch = this.text[this.pos]!;
    // Make invisible characters visible in the message.
    const shown = ch.charCodeAt(0) < 0x20 || ch === ' ' ? JSON.stringify(ch) : ch;
    throw new ScanError(`Unexpected token ${shown}`, this.pos);
  }

  private parseValue(): JsonNode {
    const t = this.text;
    const start = this.pos;
    const c = t[this.pos];
    switch (c) {
      case '{':
      case '[': {
        if (++this.depth > MAX_JSON_DEPTH) throw new ScanError(`Nested more than ${MAX_JSON_DEPTH} levels deep`, this.pos);
        const node = c === '{' ? this.parseObject() : this.parseArray();
        this.depth--;
        return node;
      }
      case '"':
        this.scanString();
        return { kind: 'string', start, end: this.pos };
      case 't':
        return this.scanLiteral('true');
      case 'f':
        return this.scanLiteral('false');
      case 'n':
        return this.scanLiteral('null');
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
          this.scanNumber();
          return { kind: 'number', start, end: this.pos };
        }
        return this.unexpected();
    }
  }

  private parseObject(): JsonNode {
    const start = this.pos;
    this.pos++; // '{'
    const members: ObjectMember[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', start, end: this.pos, members };
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.unexpected();
      const keyStart = this.pos;
      this.scanString();
      const keyEnd = this.pos;
      // The key is already validated, so JSON.parse cannot fail here; it
      // decodes escapes such as "scr\u0069pts" for us.
      const key = JSON.parse(this.text.slice(keyStart, keyEnd)) as string;
      if (!this.duplicate && members.some((member) => member.key === key)) this.duplicate = { key, offset: keyStart };
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.unexpected();
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue();
      members.push({ key, keyStart, keyEnd, value });
      this.skipWhitespace();
      const sep = this.text[this.pos];
      if (sep === ',') {
        this.pos++;
        this.skipWhitespace();
        continue;
      }
      if (sep === '}') {
        this.pos++;
        return { kind: 'object', start, end: this.pos, members };
      }
      this.unexpected();
    }
  }

  private parseArray(): JsonNode {
    const start = this.pos;
    this.pos++; // '['
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', start, end: this.pos };
    }
    for (;;) {
      this.parseValue();
      this.skipWhitespace();
      const sep = this.text[this.pos];
      if (sep === ',') {
        this.pos++;
        this.skipWhitespace();
        continue;
      }
      if (sep === ']') {
        this.pos++;
        return { kind: 'array', start, end: this.pos };
      }
      this.unexpected();
    }
  }

  private scanString(): void {
    const t = this.text;
    this.pos++; // opening quote
    for (;;) {
      if (this.pos >= t.length) throw new ScanError('Unterminated string', this.pos);
      const code = t.charCodeAt(this.pos);
      if (code === 0x22) {
        this.pos++;
        return;
      }
      if (code === 0x5c) {
        const esc = t[this.pos + 1];
        if (esc === undefined) throw new ScanError('Unterminated string', this.pos + 1);
        if ('"\\/bfnrt'.includes(esc)) {
          this.pos += 2;
        } else if (esc === 'u') {
          for (let k = 2; k < 6; k++) {
            const h = t[this.pos + k];
            if (h === undefined || !/[0-9a-fA-F]/.test(h)) {
              throw new ScanError('Bad Unicode escape in string', this.pos);
            }
          }
          this.pos += 6;
        } else {
          throw new ScanError('Bad escaped character in string', this.pos);
        }
        continue;
      }
      if (code < 0x20) throw new ScanError('Bad control character in string', this.pos);
      this.pos++;
    }
  }

  private scanLiteral(word: string): JsonNode {
    const start = this.pos;
    for (let k = 0; k < word.length; k++) {
      if (this.text[this.pos] !== word[k]) this.unexpected();
      this.pos++;
    }
    return { kind: 'literal', start, end: this.pos };
  }

  private scanNumber(): void {
    const t = this.text;
    const isDigit = (i: number): boolean => {
      const ch = t[i];
      return ch !== undefined && ch >= '0' && ch <= '9';
    };
    if (t[this.pos] === '-') this.pos++;
    if (t[this.pos] === '0') {
      this.pos++; // no leading zeros: "01" fails on the next token check
    } else if (isDigit(this.pos)) {
      while (isDigit(this.pos)) this.pos++;
    } else {
      this.unexpected();
    }
    if (t[this.pos] === '.') {
      this.pos++;
      if (!isDigit(this.pos)) this.unexpected();
      while (isDigit(this.pos)) this.pos++;
    }
    if (t[this.pos] === 'e' || t[this.pos] === 'E') {
      this.pos++;
      if (t[this.pos] === '+' || t[this.pos] === '-') this.pos++;
      if (!isDigit(this.pos)) this.unexpected();
      while (isDigit(this.pos)) this.pos++;
    }
  }
}

/** 1-based line/column of `offset`, not counting a leading BOM as a column. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = text.startsWith(BOM) ? 1 : 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

interface ParsedDocument {
  value: Record<string, unknown>;
  root: JsonNode;
}

/**
 * Parses and validates the document, returning both the value (from
 * JSON.parse) and the structural map (from our scanner).
 */
function parseDocument(text: string, file: string): ParsedDocument {
  // A UTF-8 BOM is common from Windows editors; npm tolerates it and so do we.
  // We skip it rather than strip it so offsets stay valid in the original text.
  const bodyStart = text.startsWith(BOM) ? 1 : 0;
  let root: JsonNode;
  try {
    root = new Scanner(text, bodyStart).parseDocument();
  } catch (err) {
    if (!(err instanceof ScanError)) throw err;
    const { line, column } = lineColumn(text, err.offset);
    throw new PackageJsonError(
      `${file} is not valid JSON: ${err.message} at line ${line}, column ${column}`,
      { file, line, column },
    );
  }
  // The scanner accepted the text, so JSON.parse will too; using it for the
  // values guarantees we agree with Node on every detail.
  const value: unknown = JSON.parse(text.slice(bodyStart));
  if (root.kind !== 'object' || value === null || typeof value !== 'object' || Array.isArray(value)) {
    const { line, column } = lineColumn(text, root.start);
    throw new PackageJsonError(
      `${file} must contain a JSON object at the top level, found ${describe(value)} at line ${line}, column ${column}`,
      { file, line, column },
    );
  }
  return { value: value as Record<string, unknown>, root };
}

/**
 * Checks JSON text strictly (a kit manifest): valid syntax, nesting at most
 * MAX_JSON_DEPTH, and no key twice in one object. Throws PackageJsonError
 * naming the line and column.
 */
export function checkStrictJson(text: string, file: string): void {
  const bodyStart = text.startsWith(BOM) ? 1 : 0;
  const scanner = new Scanner(text, bodyStart);
  try {
    scanner.parseDocument();
  } catch (err) {
    if (!(err instanceof ScanError)) throw err;
    const { line, column } = lineColumn(text, err.offset);
    throw new PackageJsonError(`${file} is not valid JSON: ${err.message} at line ${line}, column ${column}`, { file, line, column });
  }
  if (scanner.duplicate) {
    const { line, column } = lineColumn(text, scanner.duplicate.offset);
    throw new PackageJsonError(`${file} has the key ${JSON.stringify(scanner.duplicate.key)} twice in one object (again at line ${line}, column ${column}); only one value can count, so remove the other`, { file, line, column });
  }
}

/**
 * Parses package.json text. Throws PackageJsonError (with line/column) when
 * the text is not valid JSON or its top level is not an object.
 */
export function parsePackageJson(text: string, fileName: string = DEFAULT_FILE): Record<string, unknown> {
  return parseDocument(text, fileName).value;
}

/** Serialises a brand-new package.json the way npm does. */
export function createPackageJson(fields: Record<string, unknown>): string {
  return JSON.stringify(fields, null, 2) + '\n';
}

/**
 * Returns the indentation unit of a JSON text: the leading whitespace of the
 * first indented line. JSON strings cannot contain raw newlines, so in any
 * conventionally formatted file that line is at depth one and its indentation
 * is exactly one unit. Falls back to two spaces (npm's default).
 */
export function detectIndent(text: string): string {
  const match = /^(?:\uFEFF)?([ \t]+)\S/m.exec(text);
  if (!match) return DEFAULT_INDENT;
  const ws = match[1]!;
  if (/^\t+$/.test(ws)) return '\t';
  if (/^ +$/.test(ws)) return ws;
  // Mixed tabs and spaces: no clear unit, use the default.
  return DEFAULT_INDENT;
}

/** The newline used by the file: whatever terminates its first line. */
function detectNewline(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Leading whitespace of the line that contains `offset`. */
function lineIndentAt(text: string, offset: number): string {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (lineStart === 0 && text.startsWith(BOM)) lineStart = 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart, offset));
  return m ? m[0] : '';
}

/** True when only spaces/tabs precede `offset` on its line. */
function isFirstOnLine(text: string, offset: number): boolean {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (lineStart === 0 && text.startsWith(BOM)) lineStart = 1;
  return /^[ \t]*$/.test(text.slice(lineStart, offset));
}

function hasNewline(text: string, start: number, end: number): boolean {
  return text.slice(start, end).includes('\n');
}

/**
 * Key/value separator used by a member (e.g. `: `, `:`, ` : `). Separators
 * spanning lines are not worth imitating, so they fall back to `: `.
 */
function keyValueSeparator(text: string, member: ObjectMember | undefined): string {
  if (!member) return ': ';
  const sep = text.slice(member.keyEnd, member.value.start);
  return sep.includes('\n') ? ': ' : sep;
}

/**
 * Separator between members of a single-line object (e.g. `, ` or `,`).
 * Taken from the object itself when it has two members, otherwise guessed
 * from the key/value separator so that compact files stay compact.
 */
function inlineMemberSeparator(text: string, members: ObjectMember[], kv: string): string {
  if (members.length >= 2) {
    const sep = text.slice(members[0]!.value.end, members[1]!.keyStart);
    if (!sep.includes('\n')) return sep;
  }
  return /:\s/.test(kv) ? ', ' : ',';
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  // Apply from the end so earlier offsets stay valid. For equal starts an
  // insertion (start === end) must go after a replacement ending there,
  // which descending `start` order already guarantees because a replacement
  // ending at X starts before X.
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function entry(name: string, kv: string, command: string): string {
  // JSON.stringify produces correct JSON escapes for quotes, backslashes,
  // control characters and lone surrogates.
  return JSON.stringify(name) + kv + JSON.stringify(command);
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * Adds npm scripts to package.json text without reformatting it.
 *
 * - New scripts are appended to the end of the existing `scripts` object in
 *   the order given, or a `scripts` object is added as the last top-level key.
 * - Scripts that already exist with the same command are reported as
 *   `identical`; with a different command as `conflicts` (left untouched
 *   unless `overwriteConflicts`, which replaces just the value string).
 * - Everything else in the file is preserved byte for byte.
 */
export function mergeScripts(
  text: string,
  scripts: Record<string, string>,
  options: MergeScriptsOptions = {},
): ScriptMergeResult {
  const file = options.fileName ?? DEFAULT_FILE;
  const { value, root } = parseDocument(text, file);
  const rootMembers = root.members!;

  // JSON.parse keeps the last of duplicate keys, so the last `scripts` member
  // is the one whose content is effective; edit that one.
  let scriptsMember: ObjectMember | undefined;
  for (const m of rootMembers) if (m.key === 'scripts') scriptsMember = m;

  if (scriptsMember && scriptsMember.value.kind !== 'object') {
    const { line, column } = lineColumn(text, scriptsMember.value.start);
    throw new PackageJsonError(
      `${file}: "scripts" must be an object, found ${describe(value['scripts'])} at line ${line}, column ${column}`,
      { file, line, column },
    );
  }

  const existing = (scriptsMember ? value['scripts'] : {}) as Record<string, unknown>;
  const added: string[] = [];
  const identical: string[] = [];
  const conflicts: ScriptConflict[] = [];
  const edits: Edit[] = [];

  for (const [name, wanted] of Object.entries(scripts)) {
    if (typeof wanted !== 'string') {
      throw new TypeError(`Script "${name}" must be a string command, got ${describe(wanted)}`);
    }
    if (!hasOwn(existing, name)) {
      added.push(name);
      continue;
    }
    const current = existing[name];
    if (current === wanted) {
      identical.push(name);
      continue;
    }
    // npm scripts are always strings, but a hand-edited file may hold
    // something else; report it in JSON form rather than as "[object Object]".
    conflicts.push({
      name,
      existing: typeof current === 'string' ? current : JSON.stringify(current),
      wanted,
    });
    if (options.overwriteConflicts) {
      // Duplicate script names: the last occurrence is the effective one.
      let target: ObjectMember | undefined;
      for (const m of scriptsMember!.value.members!) if (m.key === name) target = m;
      edits.push({ start: target!.value.start, end: target!.value.end, text: JSON.stringify(wanted) });
    }
  }

  if (added.length > 0) {
    edits.push(
      scriptsMember
        ? appendToScripts(text, root, scriptsMember, added, scripts)
        : addScriptsKey(text, root, added, scripts),
    );
  }

  const newText = edits.length > 0 ? applyEdits(text, edits) : text;
  return { text: newText, added, identical, conflicts, changed: newText !== text };
}

/** Builds the insertion that appends `names` to an existing scripts object. */
function appendToScripts(
  text: string,
  root: JsonNode,
  scriptsMember: ObjectMember,
  names: string[],
  scripts: Record<string, string>,
): Edit {
  const obj = scriptsMember.value;
  const members = obj.members!;
  const nl = detectNewline(text);

  if (members.length > 0) {
    const last = members[members.length - 1]!;
    const kv = keyValueSeparator(text, last);
    if (!hasNewline(text, obj.start, obj.end)) {
      // Single-line object such as `"scripts": { "a": "b" }`: stay on one line.
      const sep = inlineMemberSeparator(text, members, kv);
      const body = names.map((n) => sep + entry(n, kv, scripts[n]!)).join('');
      return { start: last.value.end, end: last.value.end, text: body };
    }
    // Multi-line: align with the last script if it starts its own line,
    // otherwise indent one unit deeper than the `"scripts"` key.
    const indent = isFirstOnLine(text, last.keyStart)
      ? lineIndentAt(text, last.keyStart)
      : lineIndentAt(text, scriptsMember.keyStart) + detectIndent(text);
    const body = names.map((n) => ',' + nl + indent + entry(n, kv, scripts[n]!)).join('');
    // Inserting right after the last value keeps whatever whitespace led up
    // to the closing brace (and so the brace's own indentation) untouched.
    return { start: last.value.end, end: last.value.end, text: body };
  }

  // Empty object `{}` / `{ }` / `{\n  }`. There is nothing of the user's inside
  // but whitespace, so we rewrite the inside of the braces.
  const kv = keyValueSeparator(text, scriptsMember);
  const inner = { start: obj.start + 1, end: obj.end - 1 };
  if (!hasNewline(text, root.start, root.end)) {
    // The whole document is on one line (minified); keep it that way.
    const sep = /:\s/.test(kv) ? ', ' : ',';
    return { ...inner, text: names.map((n) => entry(n, kv, scripts[n]!)).join(sep) };
  }
  const outer = lineIndentAt(text, scriptsMember.keyStart);
  const indent = outer + detectIndent(text);
  const body = names.map((n) => indent + entry(n, kv, scripts[n]!)).join(',' + nl);
  return { ...inner, text: nl + body + nl + outer };
}

/** Builds the insertion that adds `"scripts": {...}` as the last top-level key. */
function addScriptsKey(text: string, root: JsonNode, names: string[], scripts: Record<string, string>): Edit {
  const members = root.members!;
  const nl = detectNewline(text);
  const unit = detectIndent(text);

  if (members.length === 0) {
    // `{}` has no style to preserve; write what npm would write.
    const entries = names.map((n) => unit + unit + entry(n, ': ', scripts[n]!)).join(',' + nl);
    const body = nl + unit + '"scripts": {' + nl + entries + nl + unit + '}' + nl;
    return { start: root.start + 1, end: root.end - 1, text: body };
  }

  const last = members[members.length - 1]!;
  const kv = keyValueSeparator(text, last);
  if (!hasNewline(text, root.start, root.end)) {
    // One-line document: append an inline scripts object, mirroring the
    // padding the root object uses just inside its brace (`{ "a": 1 }`).
    const sep = inlineMemberSeparator(text, members, kv);
    const pad = text.slice(root.start + 1, members[0]!.keyStart);
    const entries = names.map((n) => entry(n, kv, scripts[n]!)).join(sep);
    return {
      start: last.value.end,
      end: last.value.end,
      text: sep + '"scripts"' + kv + '{' + pad + entries + pad + '}',
    };
  }

  const indent = isFirstOnLine(text, last.keyStart) ? lineIndentAt(text, last.keyStart) : unit;
  const entries = names.map((n) => indent + unit + entry(n, kv, scripts[n]!)).join(',' + nl);
  return {
    start: last.value.end,
    end: last.value.end,
    text: ',' + nl + indent + '"scripts"' + kv + '{' + nl + entries + nl + indent + '}',
  };
}
