/**
 * pnpm-workspace.yaml's `packages:` list, with the line of each pattern.
 *
 * The file is real YAML (pnpm 9+ also keeps catalogs, overrides and build
 * settings in it, with anchors, flow collections and block scalars), so it is
 * read with the `yaml` library rather than a line reader. Only the library's
 * concrete syntax tree is used (`Parser`, `LineCounter`, `CST.resolveAsScalar`):
 * its composer and document model, two thirds of its code, would build every
 * node of the file to hand back one list of strings. That chunk (about 34 kB
 * minified, scripts/shims/yaml-cst.mjs) is imported lazily, so a run without a
 * pnpm workspace never loads it.
 *
 * A CST is what was written, not what it means, so two jobs of the composer are
 * done here: the syntax checks it made (kept to the ones a hand-edited file
 * trips over, see `syntaxErrors`), and the YAML 1.2 core schema's reading of a
 * plain scalar (`~` is null, `3` a number), since a pattern must be a string.
 */
import type { CST } from 'yaml';
import type { PatternSource } from './glob.js';
import { workspaceError, type Result, type WorkspaceError } from './types.js';

export const PNPM_WORKSPACE_FILE = 'pnpm-workspace.yaml';

type YamlError = { offset: number; message: string };
type Resolve = typeof CST.resolveAsScalar;

/** Plain scalars the core schema does not read as strings (YAML 1.2.2, 10.3.2), null apart. */
const CORE_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const CORE_NOT_STRING = [
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  // The core schema's int, float and exponent forms in one: digits, an optional fraction, an optional exponent.
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
];
/** Tags that make any scalar a string: `!` (non-specific, on a plain scalar too) and `!!str`. */
const STRING_TAGS = new Set(['!', '!!str', '!<tag:yaml.org,2002:str>']);
const NULL_TAGS = new Set(['!!null', '!<tag:yaml.org,2002:null>']);

/** The tokens that may stand between the nodes of a collection; anything else there is a syntax error the parser set aside. */
const PROP_TOKENS = new Set(['space', 'newline', 'comment', 'anchor', 'tag', 'seq-item-ind', 'explicit-key-ind', 'map-value-ind', 'comma', 'doc-start', 'byte-order-mark']);

/**
 * The patterns under `packages:`; an empty list when the file has no such key
 * (a settings-only file: the root is then pnpm's only project).
 */
export async function parsePnpmWorkspace(text: string): Promise<Result<PatternSource[]>> {
  const file = PNPM_WORKSPACE_FILE;
  // Under vitest `yaml` is the library's CommonJS build, which a dynamic import wraps as `{ default: module }`.
  const loaded: typeof import('yaml') & { default?: typeof import('yaml') } = await import('yaml');
  const { LineCounter, Parser, CST: cst } = loaded.default ?? loaded;
  const lineCounter = new LineCounter();
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line || 1;
  const fail = (offset: number, message: string): Result<PatternSource[]> => ({ ok: false, errors: [workspaceError(file, lineOf(offset), message)] });

  const syntax = syntaxErrors(tokens, cst.resolveAsScalar);
  if (syntax.length > 0) {
    const [first, ...rest] = syntax.map((error): WorkspaceError => workspaceError(file, lineOf(error.offset), `is not valid YAML: ${error.message.split('\n')[0]}`));
    return { ok: false, errors: [first!, ...rest] };
  }
  // Every scalar resolved without error above, so this one cannot throw.
  const read = (token: CST.Token | null | undefined, props: readonly CST.SourceToken[]): ScalarValue => scalarValue(token, props, cst.resolveAsScalar);

  const doc = tokens.find((token): token is CST.Document => token.type === 'document');
  const root = doc?.value;
  // No document at all (an empty or comment-only file) reads as null; `---` alone, as before, is an empty scalar, not a map.
  if (doc === undefined || (root === undefined && !doc.start.some((token) => token.type === 'doc-start'))) return { ok: true, value: [] };
  if (root === undefined) return fail(doc.offset, 'must be a mapping (packages: followed by a list of patterns)');
  const mapItems = root.type === 'block-map' || (root.type === 'flow-collection' && root.start.type === 'flow-map-start') ? root.items : undefined;
  if (mapItems === undefined) return fail(root.offset, 'must be a mapping (packages: followed by a list of patterns)');

  // The first `packages` key counts, as with the library (duplicate keys are accepted: uniqueKeys was false).
  const entry = mapItems.find((item: CST.CollectionItem) => read(item.key, item.start).string === 'packages');
  if (entry === undefined) return { ok: true, value: [] };
  const valueProps = entry.sep ?? [];
  const packages = entry.value;
  if (read(packages, valueProps).isNull) return { ok: true, value: [] };
  // `packages: !!str` and the like: a tagged empty value, a string.
  if (packages === undefined) return fail(entry.key?.offset ?? entry.sep?.[0]?.offset ?? root.offset, '`packages` must be a list of folder patterns');
  const isList = packages.type === 'block-seq' || (packages.type === 'flow-collection' && packages.start.type === 'flow-seq-start');
  if (!isList) return fail(packages.offset, '`packages` must be a list of folder patterns');

  const patterns: PatternSource[] = [];
  for (const item of packages.items) {
    // What is left of `[a, ]` after its last comma, or comments after a block list's last entry.
    if (!item.key && !item.value && !item.sep && !item.start.some((token) => token.type === 'seq-item-ind' || token.type === 'explicit-key-ind')) continue;
    // In a flow sequence `[a: b]` is a one-pair map, kept as key and value; a plain entry is the item's `value`.
    const pair = item.sep?.some((token) => token.type === 'map-value-ind') || item.start.some((token) => token.type === 'explicit-key-ind');
    const node = pair ? (item.key ?? item.value) : item.value;
    const at = node?.offset ?? item.start.find((token) => token.type === 'seq-item-ind' || token.type === 'explicit-key-ind')?.offset ?? packages.offset;
    const pattern = pair ? undefined : read(node, item.start).string;
    if (pattern === undefined) return fail(at, 'every entry of `packages` must be a folder pattern (a string)');
    patterns.push({ pattern, file, line: lineOf(at) });
  }
  return { ok: true, value: patterns };
}

interface ScalarValue {
  /** The value when the token is a scalar that YAML reads as a string. */
  string: string | undefined;
  /** A null: an untagged `~`, `null` or empty plain scalar, or a `!!null` one. */
  isNull: boolean;
}

/**
 * What a scalar token means, with its properties (`props`, where the parser
 * put its anchor and tag). No token at all (`key:` and nothing) is an empty
 * plain scalar.
 */
function scalarValue(token: CST.Token | null | undefined, props: readonly CST.SourceToken[], resolve: Resolve): ScalarValue {
  if (token && !isScalar(token)) return { string: undefined, isNull: false };
  const value = token ? (resolve(token, true, () => {})?.value ?? '') : '';
  const tag = tagOf(props);
  if (tag !== undefined) {
    // Other tags (`!!int`, `!custom`) name a type that is not a folder pattern.
    return { string: STRING_TAGS.has(tag) ? value : undefined, isNull: NULL_TAGS.has(tag) };
  }
  if (token && token.type !== 'scalar') return { string: value, isNull: false };
  if (CORE_NULL.test(value)) return { string: undefined, isNull: true };
  return { string: CORE_NOT_STRING.some((re) => re.test(value)) ? undefined : value, isNull: false };
}

/** The last tag among a node's properties (the parser keeps them in the item before the node). */
function tagOf(props: readonly CST.SourceToken[]): string | undefined {
  return props.filter((token) => token.type === 'tag').pop()?.source;
}

/** A plain, quoted or block scalar (an alias is not one: it stands for a node elsewhere). */
function isScalar(token: CST.Token | null | undefined): token is CST.FlowScalar | CST.BlockScalar {
  return token?.type === 'scalar' || token?.type === 'single-quoted-scalar' || token?.type === 'double-quoted-scalar' || token?.type === 'block-scalar';
}

/**
 * The syntax errors the library's composer would report, in file order. The
 * parser reports few itself (`error` tokens); it keeps what does not fit where
 * it was met (an unclosed `[`, a key out of line with its siblings), and the
 * composer judged it. The checks here are the composer's for what a
 * hand-written workspace file can get wrong: stray tokens, unclosed flow
 * collections, bad quoting or escapes (`resolveAsScalar` reports those), keys
 * or entries out of column, a second document. Duplicate keys are allowed, as
 * they were (the library ran with uniqueKeys off); the first `packages` counts.
 */
function syntaxErrors(tokens: readonly CST.Token[], resolve: Resolve): YamlError[] {
  const errors: YamlError[] = [];
  const report = (offset: number, message: string): void => void errors.push({ offset, message });
  // `block`: the tokens of a block collection's item, where a tab may not indent (it may in a flow collection).
  const props = (list: readonly CST.Token[] | undefined, block = false): void => {
    list?.forEach((token, i) => {
      const lineStart = i === 0 || list[i - 1]?.type === 'newline';
      const next = list[i + 1]?.type;
      if (block && lineStart && token.type === 'space' && token.source.includes('\t') && next !== 'comment' && next !== 'newline') {
        report(token.offset, 'Tabs are not allowed as indentation');
      }
    });
    const anchors = list?.filter((token) => token.type === 'anchor') ?? [];
    const tags = list?.filter((token) => token.type === 'tag') ?? [];
    if (anchors[1]) report(anchors[1].offset, 'A node can have at most one anchor');
    if (tags[1]) report(tags[1].offset, 'A node can have at most one tag');
    for (const token of list ?? []) {
      if (token.type === 'error') report(token.offset, token.message);
      else if (!PROP_TOKENS.has(token.type)) report(token.offset, `Unexpected ${token.type} token`);
    }
  };
  const node = (token: CST.Token | null | undefined): void => {
    if (!token) return;
    switch (token.type) {
      case 'error':
        return report(token.offset, token.message);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        // Checks quotes, escapes, block scalar headers and what follows the value on its line.
        return void resolve(token, true, (offset, _code, message) => report(offset, message));
      case 'alias':
        return props(token.end?.filter((end) => end.type !== 'space' && end.type !== 'comment' && end.type !== 'newline'));
      case 'block-map':
        for (const item of token.items) {
          props(item.start, true);
          const explicit = item.start.some((start) => start.type === 'explicit-key-ind');
          if (item.key && !explicit) {
            if (item.key.type === 'block-seq' || item.key.type === 'block-map')
              report(item.key.offset, `A ${item.key.type === 'block-seq' ? 'block sequence' : 'block map'} may not be used as an implicit map key`);
            else if ('indent' in item.key && item.key.indent !== token.indent) report(item.key.offset, 'All mapping items must start at the same column');
            else if ('source' in item.key && item.key.source.includes('\n')) report(item.key.offset, 'Implicit keys need to be on a single line');
            else if (!item.sep?.some((sep) => sep.type === 'map-value-ind')) report(item.key.offset, 'Implicit map keys need to be followed by map values');
          }
          if (item.value?.type === 'block-map' && !item.sep?.some((sep) => sep.type === 'newline')) report(item.value.offset, 'Nested mappings are not allowed in compact mappings');
          node(item.key);
          props(item.sep, true);
          node(item.value);
        }
        return;
      case 'block-seq':
        for (const item of token.items) {
          props(item.start, true);
          if (item.value && !item.start.some((start) => start.type === 'seq-item-ind')) report(item.value.offset, 'All sequence items must start at the same column');
          node(item.value);
        }
        return;
      case 'flow-collection': {
        const name = token.start.type === 'flow-seq-start' ? 'flow sequence' : 'flow map';
        for (const [i, item] of token.items.entries()) {
          props(item.start);
          // The parser files each comma at the start of the item after it: `[, a]` and `[a, , b]` are errors, `[a, ]` is not.
          const commas = item.start.filter((start) => start.type === 'comma');
          const filled = item.key || item.value || item.sep || item.start.some((start) => start.type === 'anchor' || start.type === 'tag');
          if ((i === 0 && commas[0]) || commas[1]) report((commas[1] ?? commas[0])!.offset, `Unexpected , in ${name}`);
          else if (i > 0 && filled && !commas[0]) report((item.key ?? item.value ?? item.start[0] ?? token.start).offset, `Missing , between ${name} items`);
          node(item.key);
          props(item.sep);
          node(item.value);
        }
        const close = token.start.type === 'flow-seq-start' ? 'flow-seq-end' : 'flow-map-end';
        const [end, ...after] = token.end;
        if (end?.type !== close) report(end?.offset ?? token.offset, `Expected ${name} to end with ${close === 'flow-seq-end' ? ']' : '}'}`);
        return props(after);
      }
      default:
        return props([token]);
    }
  };
  let documents = 0;
  for (const token of tokens) {
    if (token.type === 'document') {
      if (++documents === 2) report(token.offset, 'more than one document (---) in the file');
      props(token.start);
      node(token.value);
      props(token.end);
    } else if (token.type === 'doc-end') props(token.end);
    else if (token.type !== 'directive') node(token);
  }
  return errors.sort((a, b) => a.offset - b.offset);
}
