/**
 * go.work and the `replace` directives of go.mod files, read with their line
 * numbers so an error can point at the line to fix.
 *
 * stacks/go-detect.ts has a go.mod reader for the single-module stack; it keeps
 * no lines and drops replacements that are not local, so this small
 * directive reader exists beside it rather than changing it.
 */
import path from 'node:path';
import { workspaceError, type GoReplace, type Result, type WorkspaceError } from './types.js';

export interface GoDirective {
  verb: string;
  /** Tokens after the verb, quotes removed; `=>` is a token of its own. */
  args: string[];
  line: number;
}

/** Splits a line into tokens, honouring "quoted" and `raw` strings and dropping a `//` comment. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && line[i + 1] === '/') {
      break;
    } else if (c === '"' || c === '`') {
      let end = i + 1;
      let value = '';
      while (end < line.length && line[end] !== c) {
        if (c === '"' && line[end] === '\\' && end + 1 < line.length) end++;
        value += line[end];
        end++;
      }
      tokens.push(value);
      i = end + 1;
    } else if (c === '=' && line[i + 1] === '>') {
      tokens.push('=>');
      i += 2;
    } else if (c === '(' || c === ')') {
      // Parentheses are tokens of their own, as in Go's lexer: `use ()` is an empty block.
      tokens.push(c);
      i++;
    } else {
      let end = i;
      while (end < line.length && !/[\s()]/.test(line[end]!) && !(line[end] === '/' && line[end + 1] === '/') && !(line[end] === '=' && line[end + 1] === '>')) end++;
      tokens.push(line.slice(i, end));
      i = end;
    }
  }
  return tokens;
}

/** Every directive of a go.mod or go.work, single-line and block (`use ( ... )`) forms alike. */
export function goDirectives(text: string): GoDirective[] {
  const directives: GoDirective[] = [];
  let block: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const tokens = tokenize(raw);
    const line = index + 1;
    if (tokens.length === 0) return;
    if (block !== undefined) {
      if (tokens[0] === ')') block = undefined;
      else directives.push({ verb: block, args: tokens, line });
      return;
    }
    if (tokens.length === 2 && tokens[1] === '(') {
      block = tokens[0];
      return;
    }
    // `use ()` — an empty block on one line.
    if (tokens.length === 3 && tokens[1] === '(' && tokens[2] === ')') return;
    directives.push({ verb: tokens[0]!, args: tokens.slice(1), line });
  });
  return directives;
}

/** Go's rule: a replacement is a local directory when it is absolute or starts with ./ or ../. */
function isLocalPath(target: string): boolean {
  return (
    target.startsWith('./') ||
    target.startsWith('../') ||
    target === '.' ||
    target === '..' ||
    path.posix.isAbsolute(target) ||
    /^[A-Za-z]:[\\/]/.test(target) ||
    target.startsWith('.\\') ||
    target.startsWith('..\\')
  );
}

/**
 * `dir` (relative to the folder `base` of the file that names it) as a path
 * relative to the root, or why it cannot be one.
 */
export function insideRoot(base: string, dir: string): { dir: string } | { problem: string } {
  if (path.posix.isAbsolute(dir) || /^[A-Za-z]:[\\/]/.test(dir)) return { problem: 'is an absolute path: the build context is the workspace root, so use a path inside it' };
  const joined = path.posix.normalize(path.posix.join(base, dir.replace(/\\/g, '/'))).replace(/\/+$/, '') || '.';
  if (joined === '..' || joined.startsWith('../')) return { problem: 'points outside the repository: the build context is the workspace root, so the image cannot see it' };
  return { dir: joined };
}

/**
 * Local `replace` directives of a go.mod or go.work at `file`: those inside the
 * root as GoReplace, those outside as errors naming the line (the image build
 * cannot see them, and a build without them is not the user's build).
 */
export function localReplaces(directives: GoDirective[], file: string): { replaces: GoReplace[]; errors: WorkspaceError[] } {
  const base = path.posix.dirname(file);
  const replaces: GoReplace[] = [];
  const errors: WorkspaceError[] = [];
  for (const directive of directives) {
    if (directive.verb !== 'replace') continue;
    const arrow = directive.args.indexOf('=>');
    const target = arrow === -1 ? undefined : directive.args[arrow + 1];
    const from = directive.args[0];
    if (target === undefined || from === undefined || arrow === 0) {
      errors.push(workspaceError(file, directive.line, 'this replace directive is malformed (expected `replace <module> => <path or module version>`)'));
      continue;
    }
    if (!isLocalPath(target)) continue;
    const where = insideRoot(base, target);
    if ('problem' in where) errors.push(workspaceError(file, directive.line, `replace ${from} => ${target} ${where.problem}`));
    else replaces.push({ from, dir: where.dir, at: `${file}:${directive.line}` });
  }
  return { replaces, errors };
}

export interface GoWork {
  goLine: string;
  toolchain: string;
  uses: { dir: string; line: number }[];
  replaces: GoReplace[];
}

/** go.work at the root: `go`, `toolchain`, `use` (inside the root only) and local `replace` directives. */
export function parseGoWork(text: string, file = 'go.work'): Result<GoWork> {
  const directives = goDirectives(text);
  const errors: WorkspaceError[] = [];
  const work: GoWork = { goLine: '', toolchain: '', uses: [], replaces: [] };
  for (const directive of directives) {
    const [first] = directive.args;
    if (directive.verb === 'go' && first) work.goLine = first;
    else if (directive.verb === 'toolchain' && first) work.toolchain = first.replace(/^go/, '');
    else if (directive.verb === 'use') {
      if (first === undefined || directive.args.length > 1) {
        errors.push(workspaceError(file, directive.line, 'this use directive is malformed (expected one folder)'));
        continue;
      }
      const where = insideRoot('.', first);
      if ('problem' in where) errors.push(workspaceError(file, directive.line, `use ${first} ${where.problem}`));
      else if (!work.uses.some((use) => use.dir === where.dir)) work.uses.push({ dir: where.dir, line: directive.line });
    }
  }
  const replaced = localReplaces(directives, file);
  errors.push(...replaced.errors);
  work.replaces = replaced.replaces;
  if (errors.length > 0) return { ok: false, errors: errors as [WorkspaceError, ...WorkspaceError[]] };
  return { ok: true, value: work };
}

/** Import paths a Go source file names (single and grouped imports, with or without an alias). */
export function goImports(source: string): string[] {
  const imports: string[] = [];
  for (const match of source.matchAll(/^\s*import\s+(?:[\w.]+\s+)?"([^"]+)"/gm)) imports.push(match[1]!);
  for (const group of source.matchAll(/^\s*import\s*\(([^)]*)\)/gm)) {
    for (const match of group[1]!.matchAll(/^\s*(?:[\w.]+\s+)?"([^"]+)"/gm)) imports.push(match[1]!);
  }
  return imports;
}
