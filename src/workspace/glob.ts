/**
 * Workspace patterns (`apps/*`, `packages/**`, `tools/cli`, `!**\/test/**`,
 * `{apps,services}/*`) expanded to member folders by walking the root.
 *
 * Only the subset workspace managers document is implemented: `*`, `?`,
 * `[...]`, `{a,b}`, `**` and a leading `!`. A glob library would match paths,
 * but the folders still have to be walked (through the contained reader, never
 * through links), and matching segment by segment lets the walk prune at once;
 * the subset is a few dozen lines, cheaper than a dependency in the bundle.
 *
 * Negations apply to every positive pattern whatever their order, as in pnpm
 * (`ignore` of its glob library): the result does not depend on where the user
 * put the `!` line.
 */
import { dirProblem, isOutputDir, listSubdirs } from './contained-fs.js';
import { workspaceError, type Result, type WorkspaceError } from './types.js';

/** How deep below the root a member may sit: a `**` in a big tree must not walk it all. */
export const MAX_MEMBER_DEPTH = 8;
/** Folders one expansion may visit before it stops (with a note). */
const MAX_VISITED = 20_000;
/** Brace expansion cap: `{a,b}{c,d}...` multiplies. */
const MAX_ALTERNATIVES = 64;

/** A pattern as read from its file, with where it was written (for messages). */
export interface PatternSource {
  pattern: string;
  file: string;
  line: number | undefined;
}

type Segment = { kind: 'literal'; value: string } | { kind: 'glob'; re: RegExp } | { kind: 'globstar' };

interface CompiledPattern {
  source: PatternSource;
  negated: boolean;
  /** One segment list per brace alternative. */
  alternatives: Segment[][];
}

/** `{a,b}` → ['a', 'b'], nested and several braces alike; a pattern without braces is itself. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const body = pattern.slice(open + 1, i);
        const options: string[] = [];
        let level = 0;
        let start = 0;
        for (let k = 0; k < body.length; k++) {
          if (body[k] === '\\') k++;
          else if (body[k] === '{') level++;
          else if (body[k] === '}') level--;
          else if (body[k] === ',' && level === 0) {
            options.push(body.slice(start, k));
            start = k + 1;
          }
        }
        options.push(body.slice(start));
        // `{a}` is a literal brace pair in every glob dialect, not a one-way choice.
        if (options.length < 2) continue;
        const head = pattern.slice(0, open);
        const tails = expandBraces(pattern.slice(i + 1));
        const out: string[] = [];
        for (const option of options) for (const mid of expandBraces(option)) for (const tail of tails) out.push(head + mid + tail);
        return out.slice(0, MAX_ALTERNATIVES);
      }
    }
  }
  return [pattern];
}

/** One path segment's glob as a regular expression; a leading dot is never matched by a wildcard. */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) re += escapeRe(segment[++i]!);
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        const body = segment
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += escapeRe(c);
  }
  const dotGuard = /^[*?[]/.test(segment) ? '(?!\\.)' : '';
  return new RegExp(`^${dotGuard}${re}$`);
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

function hasMagic(segment: string): boolean {
  return /[*?[]/.test(segment.replace(/\\./g, ''));
}

/** Compiles one pattern, refusing what leads outside the root and what this subset cannot match faithfully. */
export function compilePattern(source: PatternSource): Result<CompiledPattern> {
  const fail = (text: string): Result<CompiledPattern> => ({ ok: false, errors: [workspaceError(source.file, source.line, text)] });
  const negated = source.pattern.startsWith('!');
  const body = (negated ? source.pattern.slice(1) : source.pattern).trim();
  const shown = JSON.stringify(source.pattern);
  if (body === '') return fail(`the workspace pattern ${shown} is empty`);
  if (body.startsWith('/') || /^[A-Za-z]:[\\/]/.test(body)) return fail(`the workspace pattern ${shown} is an absolute path: patterns are relative to the workspace root`);
  if (/[@!+*?]\(/.test(body)) return fail(`the workspace pattern ${shown} uses extended glob syntax (like @(a|b)), which create-multistage does not read: use {a,b} or list the folders`);
  const alternatives: Segment[][] = [];
  for (const alternative of expandBraces(body)) {
    const parts = alternative.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.includes('..')) return fail(`the workspace pattern ${shown} leads outside the workspace root (..): the build context is the root, so a member outside it cannot be built`);
    alternatives.push(
      parts.map((part): Segment => (part === '**' ? { kind: 'globstar' } : hasMagic(part) ? { kind: 'glob', re: segmentRegExp(part) } : { kind: 'literal', value: part.replace(/\\(.)/g, '$1') })),
    );
  }
  return { ok: true, value: { source, negated, alternatives } };
}

/** Whether a relative path (POSIX, not '.') matches a compiled pattern; used for negations. */
function matchesPath(segments: Segment[], parts: string[]): boolean {
  const memo = new Map<string, boolean>();
  const match = (si: number, pi: number): boolean => {
    const key = `${si}:${pi}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (si === segments.length) result = pi === parts.length;
    else {
      const seg = segments[si]!;
      if (seg.kind === 'globstar') result = match(si + 1, pi) || (pi < parts.length && !parts[pi]!.startsWith('.') && match(si, pi + 1));
      else if (pi === parts.length) result = false;
      else if (seg.kind === 'literal') result = seg.value === parts[pi] && match(si + 1, pi + 1);
      else result = seg.re.test(parts[pi]!) && match(si + 1, pi + 1);
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

export interface ExpandOptions {
  /** A matched folder is a member only when this says so (it has a package.json, a go.mod). */
  isMember: (dir: string) => boolean;
  /** `**` does not descend below these folders (a nested workspace root is its own workspace). */
  stopAt?: (dir: string) => boolean;
}

export interface Expansion {
  /** Member folders, sorted, each with the first positive pattern that matched it (`file:line`). */
  members: { dir: string; listedBy: string }[];
  notes: string[];
}

function at(source: PatternSource): string {
  return `${source.file}${source.line === undefined ? '' : `:${source.line}`}`;
}

/** Expands the patterns below `root`. Errors (every one) for patterns that cannot be used. */
export function expandPatterns(root: string, sources: PatternSource[], options: ExpandOptions): Result<Expansion> {
  const errors: WorkspaceError[] = [];
  const compiled: CompiledPattern[] = [];
  for (const source of sources) {
    const result = compilePattern(source);
    if (result.ok) compiled.push(result.value);
    else errors.push(...result.errors);
  }
  if (errors.length > 0) return { ok: false, errors: errors as [WorkspaceError, ...WorkspaceError[]] };

  const notes = new Set<string>();
  const found = new Map<string, string>();
  let visited = 0;
  const join = (dir: string, name: string): string => (dir === '.' ? name : `${dir}/${name}`);
  const depthOf = (dir: string): number => (dir === '.' ? 0 : dir.split('/').length);

  for (const pattern of compiled.filter((p) => !p.negated)) {
    const matched = new Set<string>();
    for (const segments of pattern.alternatives) {
      const seen = new Set<string>();
      // `starRoot`: the folder where the current `**` began, so a link is noted once, where it would be a member.
      const visit = (dir: string, si: number, starRoot?: string): void => {
        const key = `${si}\0${dir}`;
        if (seen.has(key)) return;
        seen.add(key);
        if (++visited > MAX_VISITED) {
          notes.add(`stopped expanding workspace patterns after ${MAX_VISITED} folders: list the member folders more precisely`);
          return;
        }
        if (si === segments.length) {
          if (dir !== '.') matched.add(dir);
          return;
        }
        const seg = segments[si]!;
        if (seg.kind === 'literal') {
          const child = join(dir, seg.value);
          if (seg.value === 'node_modules') return;
          const problem = dirProblem(root, child);
          if (problem === undefined) visit(child, si + 1);
          else if (problem.includes('symbolic link')) notes.add(`${problem}: not a workspace member (${at(pattern.source)})`);
          return;
        }
        if (depthOf(dir) >= MAX_MEMBER_DEPTH) {
          notes.add(`${at(pattern.source)}: ${JSON.stringify(pattern.source.pattern)} is not followed deeper than ${MAX_MEMBER_DEPTH} folders`);
          return;
        }
        if (seg.kind === 'globstar') {
          visit(dir, si + 1);
          if (dir !== '.' && options.stopAt?.(dir)) return;
        }
        const { dirs, links } = listSubdirs(root, dir);
        const last = si + 1 === segments.length;
        for (const name of links) {
          if (last && (seg.kind === 'globstar' ? (starRoot ?? dir) === dir : seg.re.test(name)))
            notes.add(`${dirProblem(root, join(dir, name)) ?? join(dir, name)}: not a workspace member (${at(pattern.source)})`);
        }
        for (const name of dirs) {
          // `**` does not descend into build outputs: a `dist/package.json` a build copied is not a member.
          // A single `*` still matches such a name (`tools/build` can be a real package).
          if (seg.kind === 'globstar') {
            if (!isOutputDir(name)) visit(join(dir, name), si, starRoot ?? dir);
          } else if (seg.re.test(name)) visit(join(dir, name), si + 1);
        }
      };
      visit('.', 0);
    }
    const members = [...matched].filter((dir) => options.isMember(dir));
    if (members.length === 0) notes.add(`${at(pattern.source)}: the workspace pattern ${JSON.stringify(pattern.source.pattern)} matches no package`);
    for (const dir of members) if (!found.has(dir)) found.set(dir, at(pattern.source));
  }

  const negations = compiled.filter((p) => p.negated);
  const members = [...found.entries()]
    .filter(([dir]) => !negations.some((n) => n.alternatives.some((segments) => matchesPath(segments, dir.split('/')))))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([dir, listedBy]) => ({ dir, listedBy }));
  return { ok: true, value: { members, notes: [...notes] } };
}
