import path from 'node:path';
import type { RenderedFile } from '../render.js';

/**
 * Every generated file that can hold a comment records how it was made: the
 * answers (the `# create-multistage: --stack … --port …` line the Dockerfile
 * already carried) and the tool's version, plus the kit's name and version
 * when a kit was used. A later run renders that record again to know what the
 * user changed (the base of a three-way merge); `check` uses it for drift.
 */
export interface Stamp {
  /** The answers line without its comment syntax: `create-multistage: --stack go --port 8080`. */
  answers: string;
  version: string;
  kit?: { name: string; version: string };
}

const ANSWERS_PREFIX = 'create-multistage:';
const VERSION_PREFIX = 'create-multistage-version:';

type CommentStyle = 'hash' | 'html';

/** How a file takes a comment, or undefined (JSON, certificates, anything we do not know). */
export function commentStyle(rel: string): CommentStyle | undefined {
  const base = path.posix.basename(rel);
  if (base === 'Dockerfile' || base.startsWith('Dockerfile.') || base.endsWith('.Dockerfile')) return 'hash';
  if (base === '.dockerignore' || base === '.gitignore' || base === 'Makefile') return 'hash';
  const ext = path.posix.extname(base).toLowerCase();
  if (['.yaml', '.yml', '.toml', '.sh', '.hcl', '.conf', '.properties'].includes(ext)) return 'hash';
  if (['.md', '.markdown', '.html'].includes(ext)) return 'html';
  return undefined;
}

function comment(style: CommentStyle, body: string): string {
  return style === 'hash' ? `# ${body}` : `<!-- ${body} -->`;
}

export function versionBody(stamp: Pick<Stamp, 'version' | 'kit'>): string {
  return `${VERSION_PREFIX} ${stamp.version}${stamp.kit ? ` kit ${stamp.kit.name} ${stamp.kit.version}` : ''}`;
}

/**
 * The file with its stamp. A Dockerfile already has the answers line (its
 * template puts it under `# syntax=`): the version line goes right after it.
 * Other files get both lines at the top (after a `#!` line).
 */
export function stampContent(rel: string, content: string, stamp: Stamp): string {
  const style = commentStyle(rel);
  if (!style) return content;
  const lines = content.split('\n');
  const answersAt = lines.findIndex((line, index) => index < 10 && line.startsWith(`# ${ANSWERS_PREFIX}`));
  if (answersAt !== -1 && style === 'hash') {
    lines.splice(answersAt + 1, 0, comment(style, versionBody(stamp)));
    return lines.join('\n');
  }
  const at = lines[0]?.startsWith('#!') || lines[0]?.startsWith('# syntax=') ? 1 : 0;
  lines.splice(at, 0, comment(style, stamp.answers), comment(style, versionBody(stamp)));
  return lines.join('\n');
}

/** The stamp a run writes: its answers line, the running version and the plugin (kit) that took part. */
export function stampFor(header: string, version: string, plugin?: { name: string; version: string }): Stamp {
  return { answers: answersFromHeader(header), version, ...(plugin ? { kit: { name: plugin.name, version: plugin.version } } : {}) };
}

export function stampFiles(files: RenderedFile[], stamp: Stamp): RenderedFile[] {
  return files.map((file) => (file.kind === 'docker' ? { ...file, content: stampContent(file.path, file.content, stamp) } : file));
}

/** The `header` a stack's context carries (`# create-multistage: …`) as a stamp's answers. */
export function answersFromHeader(header: string): string {
  return header.replace(/^#\s*/, '');
}

const STAMP_LINE = /^(?:#|<!--)\s*(create-multistage(?:-version)?:.*?)\s*(?:-->)?\s*$/;

/** The stamp of a file's text (looked for in its first lines), or undefined when it has none or no version. */
export function readStamp(text: string): Stamp | undefined {
  let answers: string | undefined;
  let versionLine: string | undefined;
  for (const line of text.split(/\r?\n/, 12)) {
    const body = STAMP_LINE.exec(line)?.[1];
    if (!body) continue;
    if (body.startsWith(VERSION_PREFIX)) versionLine ??= body;
    else answers ??= body;
  }
  if (!answers || !versionLine) return undefined;
  const match = /^create-multistage-version: (\S+)(?: kit (\S+) (\S+))?$/.exec(versionLine);
  if (!match) return undefined;
  return { answers, version: match[1]!, ...(match[2] ? { kit: { name: match[2], version: match[3]! } } : {}) };
}

/** The answers line as flags: `--stack go --port 8080 --no-compose` → { stack, flags, noCompose }. */
export function parseAnswers(answers: string): { stack?: string; flags: Record<string, string>; noCompose: boolean } {
  const flags: Record<string, string> = {};
  let stack: string | undefined;
  for (const match of answers.slice(ANSWERS_PREFIX.length).matchAll(/--([a-z][a-z-]*) (?!--)(\S+)/g)) {
    if (match[1] === 'stack') stack = match[2];
    else flags[match[1]!] = match[2]!;
  }
  return { ...(stack ? { stack } : {}), flags, noCompose: / --no-compose(?= |$)/.test(answers) };
}
