/**
 * Format-preserving edits of package.json.
 *
 * The CLI promises never to lose a byte of the user's files, so we never
 * re-serialise a parsed package.json: jsonc-parser maps where the members
 * live, and the new scripts are spliced in at those offsets, written in the
 * file's own style. Everything we did not mean to touch (odd spacing, compact
 * arrays, `\u00e9` escapes, key order, BOM, CRLF, the presence or absence of a
 * final newline) is carried over verbatim. The file is read as strict JSON
 * (./strict-json.ts), so a broken one is refused with its line and column.
 *
 * jsonc-parser's own `modify` is not used for the insertion: its formatter
 * rewrites the touched lines in its one style (`": "`, a member per line),
 * where we keep compact files compact and reuse the file's separators.
 */
import { applyEdits, type Edit, type Node } from 'jsonc-parser';
import { failAt, parseStrictJson } from './strict-json.js';

export { checkStrictJson, MAX_JSON_DEPTH, PackageJsonError } from './strict-json.js';

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

const DEFAULT_FILE = 'package.json';
const BOM = '\uFEFF';
const DEFAULT_INDENT = '  ';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Parses and validates a package.json: the value (from JSON.parse, so Node's semantics) and its tree. */
function parseDocument(text: string, file: string): { value: Record<string, unknown>; root: Node } {
  const root = parseStrictJson(text, file);
  const value: unknown = JSON.parse(text.startsWith(BOM) ? text.slice(1) : text);
  if (root.type !== 'object') {
    failAt(file, text, root.offset, (at) => `${file} must contain a JSON object at the top level, found ${describe(value)} ${at}`);
  }
  return { value: value as Record<string, unknown>, root };
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
  const ws = /^(?:\uFEFF)?([ \t]+)\S/m.exec(text)?.[1];
  // Mixed tabs and spaces: no clear unit, use the default.
  return ws && /^(?:\t+| +)$/.test(ws) ? (ws[0] === '\t' ? '\t' : ws) : DEFAULT_INDENT;
}

/** A member of an object in the tree: its key node and value node. */
interface Member {
  key: Node;
  value: Node;
}

const members = (object: Node): Member[] => (object.children ?? []).map((p) => ({ key: p.children![0]!, value: p.children![1]! }));
const endOf = (node: Node): number => node.offset + node.length;
const lastMember = (object: Node, key: string): Member | undefined =>
  members(object)
    .filter((m) => m.key.value === key)
    .pop();

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
export function mergeScripts(text: string, scripts: Record<string, string>, options: MergeScriptsOptions = {}): ScriptMergeResult {
  const file = options.fileName ?? DEFAULT_FILE;
  const { value, root } = parseDocument(text, file);
  // JSON.parse keeps the last of duplicate keys, so the last `scripts` member
  // is the one whose content is effective; edit that one.
  const scriptsMember = lastMember(root, 'scripts');
  if (scriptsMember && scriptsMember.value.type !== 'object') {
    failAt(file, text, scriptsMember.value.offset, (at) => `${file}: "scripts" must be an object, found ${describe(value['scripts'])} ${at}`);
  }

  const existing = (scriptsMember ? value['scripts'] : {}) as Record<string, unknown>;
  const added: string[] = [];
  const identical: string[] = [];
  const conflicts: ScriptConflict[] = [];
  const edits: Edit[] = [];
  for (const [name, wanted] of Object.entries(scripts)) {
    if (typeof wanted !== 'string') throw new TypeError(`Script "${name}" must be a string command, got ${describe(wanted)}`);
    if (!Object.prototype.hasOwnProperty.call(existing, name)) {
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
    conflicts.push({ name, existing: typeof current === 'string' ? current : JSON.stringify(current), wanted });
    if (options.overwriteConflicts) {
      // Duplicate script names: the last occurrence is the effective one.
      const target = lastMember(scriptsMember!.value, name)!.value;
      edits.push({ offset: target.offset, length: target.length, content: JSON.stringify(wanted) });
    }
  }
  if (added.length > 0) {
    const entries = added.map((name) => [name, scripts[name]!] as const);
    edits.push(scriptsMember ? appendToScripts(text, root, scriptsMember, entries) : addScriptsKey(text, root, entries));
  }
  const newText = edits.length > 0 ? applyEdits(text, edits) : text;
  return { text: newText, added, identical, conflicts, changed: newText !== text };
}

// ---------------------------------------------------------------------------
// Writing new members in the file's own style: its newline, indentation unit,
// key/value separator (`: `, `:`, ` : `) and, on one line, member separator.
// ---------------------------------------------------------------------------

type Entries = readonly (readonly [string, string])[];

/** The file's newline: whatever terminates its first line. */
const newlineOf = (text: string): string => (/^[^\n]*\r\n/.test(text) ? '\r\n' : '\n');

/** The offset where the line holding `offset` starts (after a leading BOM). */
function lineStart(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return start === 0 && text.startsWith(BOM) ? 1 : start;
}

/** Leading whitespace of the line that holds `offset`. */
const lineIndentAt = (text: string, offset: number): string => /^[ \t]*/.exec(text.slice(lineStart(text, offset), offset))![0];

/** True when only spaces/tabs precede `offset` on its line. */
const isFirstOnLine = (text: string, offset: number): boolean => /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));

const isOneLine = (text: string, node: Node): boolean => !text.slice(node.offset, endOf(node)).includes('\n');

/** Separator between a member's key and value; one spanning lines is not worth imitating. */
function keyValueSeparator(text: string, member: Member): string {
  const sep = text.slice(endOf(member.key), member.value.offset);
  return sep.includes('\n') ? ': ' : sep;
}

/**
 * Separator between members of a one-line object (`, ` or `,`): the object's
 * own when it has two members, otherwise guessed from the key/value separator
 * so that compact files stay compact.
 */
function inlineSeparator(text: string, list: Member[], kv: string): string {
  const own = list.length >= 2 ? text.slice(endOf(list[0]!.value), list[1]!.key.offset) : undefined;
  if (own !== undefined && !own.includes('\n')) return own;
  return /:\s/.test(kv) ? ', ' : ',';
}

/** `"name"<kv>"command"`; JSON.stringify escapes quotes, backslashes, control characters and lone surrogates. */
const entry =
  (kv: string) =>
  ([name, command]: readonly [string, string]): string =>
    JSON.stringify(name) + kv + JSON.stringify(command);

/** The edit that appends `entries` to an existing scripts object. */
function appendToScripts(text: string, root: Node, scripts: Member, entries: Entries): Edit {
  const list = members(scripts.value);
  const nl = newlineOf(text);
  const last = list[list.length - 1];
  if (last) {
    const kv = keyValueSeparator(text, last);
    // Inserting right after the last value keeps whatever whitespace led up
    // to the closing brace (and so the brace's own indentation) untouched.
    const at = { offset: endOf(last.value), length: 0 };
    if (isOneLine(text, scripts.value)) {
      // `"scripts": { "a": "b" }` stays on one line.
      const sep = inlineSeparator(text, list, kv);
      return { ...at, content: entries.map((e) => sep + entry(kv)(e)).join('') };
    }
    // Align with the last script if it starts its own line, otherwise indent
    // one unit deeper than the `"scripts"` key.
    const indent = isFirstOnLine(text, last.key.offset) ? lineIndentAt(text, last.key.offset) : lineIndentAt(text, scripts.key.offset) + detectIndent(text);
    return { ...at, content: entries.map((e) => ',' + nl + indent + entry(kv)(e)).join('') };
  }
  // Empty object `{}` / `{ }` / `{\n  }`: nothing of the user's inside but
  // whitespace, so the inside of the braces is rewritten.
  const kv = keyValueSeparator(text, scripts);
  const inside = { offset: scripts.value.offset + 1, length: scripts.value.length - 2 };
  // A document all on one line (minified) stays that way.
  if (isOneLine(text, root)) return { ...inside, content: entries.map(entry(kv)).join(/:\s/.test(kv) ? ', ' : ',') };
  const outer = lineIndentAt(text, scripts.key.offset);
  const indent = outer + detectIndent(text);
  return { ...inside, content: nl + entries.map((e) => indent + entry(kv)(e)).join(',' + nl) + nl + outer };
}

/** The edit that adds `"scripts": {...}` as the last top-level key. */
function addScriptsKey(text: string, root: Node, entries: Entries): Edit {
  const list = members(root);
  const nl = newlineOf(text);
  const unit = detectIndent(text);
  const last = list[list.length - 1];
  if (!last) {
    // `{}` has no style to preserve; write what npm would write.
    const body = entries.map((e) => unit + unit + entry(': ')(e)).join(',' + nl);
    return { offset: root.offset + 1, length: root.length - 2, content: `${nl}${unit}"scripts": {${nl}${body}${nl}${unit}}${nl}` };
  }
  const kv = keyValueSeparator(text, last);
  const at = { offset: endOf(last.value), length: 0 };
  if (isOneLine(text, root)) {
    // One-line document: an inline scripts object, mirroring the padding the
    // root object uses just inside its brace (`{ "a": 1 }`).
    const sep = inlineSeparator(text, list, kv);
    const pad = text.slice(root.offset + 1, list[0]!.key.offset);
    return { ...at, content: `${sep}"scripts"${kv}{${pad}${entries.map(entry(kv)).join(sep)}${pad}}` };
  }
  const indent = isFirstOnLine(text, last.key.offset) ? lineIndentAt(text, last.key.offset) : unit;
  const body = entries.map((e) => indent + unit + entry(kv)(e)).join(',' + nl);
  return { ...at, content: `,${nl}${indent}"scripts"${kv}{${nl}${body}${nl}${indent}}` };
}
