/**
 * Reads and edits next.config.{ts,mjs,js,cjs,mts}: what output mode and
 * basePath it sets, and adding `output: 'standalone'` on request.
 *
 * No JavaScript parser ships with the tool (the package has no runtime
 * dependencies), so the edit only touches forms it recognises for certain:
 * one object literal that is plainly the exported config. Anything else is
 * refused with the line the user should add; a wrong edit of someone's config
 * is worse than none.
 */

export const NEXT_CONFIG_FILES = ['next.config.ts', 'next.config.mjs', 'next.config.js', 'next.config.cjs', 'next.config.mts'];

/** The source with comments blanked out (same length, so positions still match). */
export function blankComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (comment, offset: number) => {
    // `https://...` inside a string is not a comment.
    if (comment.startsWith('//') && offset > 0 && source[offset - 1] === ':') return comment;
    return comment.replace(/[^\n]/g, ' ');
  });
}

export interface NextConfigFacts {
  /** `output` when set to a string literal: 'standalone', 'export', or '' when unset. */
  output: string;
  /** `basePath` when set to a string literal starting with '/', else ''. */
  basePath: string;
}

export function readNextConfig(source: string): NextConfigFacts {
  const code = blankComments(source);
  const output = /\boutput\s*:\s*['"`]([a-z-]+)['"`]/.exec(code)?.[1] ?? '';
  const basePath = /\bbasePath\s*:\s*['"`](\/[A-Za-z0-9/_.-]*)['"`]/.exec(code)?.[1] ?? '';
  return { output, basePath: basePath.replace(/\/+$/, '') };
}

export type StandaloneEdit = { ok: true; content: string; form: string } | { ok: false; reason: string };

const OUTPUT_LINE = "output: 'standalone',";

/**
 * Where the exported config object starts, as the index of its `{`.
 * Recognised: `const nextConfig[: NextConfig] = {` exported by name (also
 * through a wrapper such as `withMDX(nextConfig)`), `module.exports = {`,
 * `export default {`, and a function config that returns one object literal
 * (`(phase) => ({`, or a single `return {`).
 */
function findConfigObject(code: string): { index: number; form: string } | { reason: string } {
  const candidates: { index: number; form: string }[] = [];
  const exported = /(?:export\s+default|module\.exports\s*=)\s*([\s\S]{0,200}?)(?:;|\n\s*\n|$)/.exec(code)?.[1] ?? '';
  for (const match of code.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w$.<>[\]]+\s*)?=\s*\{/g)) {
    const name = match[1]!;
    if (new RegExp(`(?:^|[^\\w$])${name.replace(/\$/g, '\\$')}(?:[^\\w$]|$)`).test(exported)) {
      candidates.push({ index: match.index! + match[0].length - 1, form: `const ${name} = {...}` });
    }
  }
  for (const [pattern, form] of [
    [/module\.exports\s*=\s*\{/g, 'module.exports = {...}'],
    [/export\s+default\s*\{/g, 'export default {...}'],
    [/(?:module\.exports\s*=|export\s+default)\s*(?:async\s*)?(?:\([^()]*(?:\([^()]*\)[^()]*)*\)|[A-Za-z_$][\w$]*)\s*(?::\s*[\w$.<>[\]]+\s*)?=>\s*\(\s*\{/g, 'a function returning {...}'],
  ] as const) {
    for (const match of code.matchAll(pattern)) candidates.push({ index: match.index! + match[0].length - 1, form });
  }
  if (candidates.length === 0 && /(?:module\.exports\s*=|export\s+default)\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>\s*\{)/.test(code)) {
    const returns = [...code.matchAll(/\breturn\s*\{/g)];
    if (returns.length === 1) candidates.push({ index: returns[0]!.index! + returns[0]![0].length - 1, form: 'a function returning {...}' });
    else return { reason: `its function config has ${returns.length === 0 ? 'no' : 'several'} \`return {\` to add to` };
  }
  if (candidates.length === 0) return { reason: 'no exported config object literal was found' };
  if (candidates.length > 1) return { reason: 'more than one config object could be the exported one' };
  return candidates[0]!;
}

/** Adds `output: 'standalone'` to the exported config object, or says why it cannot. */
export function addStandaloneOutput(source: string): StandaloneEdit {
  const code = blankComments(source);
  const existing = /\boutput\s*:\s*([^,\n}]+)/.exec(code);
  if (existing) return { ok: false, reason: `it already sets output to ${existing[1]!.trim()}` };
  if (/\.\.\.\s*[A-Za-z_$]/.test(code) && /\boutput\b/.test(code)) return { ok: false, reason: 'output may come from a spread object' };
  const found = findConfigObject(code);
  if ('reason' in found) return { ok: false, reason: found.reason };
  const brace = found.index;
  const after = source.slice(brace + 1);
  // Follow the object's own indentation (or two spaces deeper than its line).
  const lineStart = source.lastIndexOf('\n', brace) + 1;
  const baseIndent = /^[ \t]*/.exec(source.slice(lineStart))![0];
  const nextLine = /^[^\n]*\n([ \t]*)\S/.exec(after);
  const closesRightAway = /^\s*\}/.test(after);
  const indent = !closesRightAway && nextLine ? nextLine[1]! : `${baseIndent}${baseIndent.includes('\t') ? '\t' : '  '}`;
  const insertion = closesRightAway
    ? `\n${indent}${OUTPUT_LINE}\n${baseIndent}${after.replace(/^\s*/, '')}`
    : /^[ \t]*\n/.test(after)
      ? `\n${indent}${OUTPUT_LINE}${after}`
      : // `{ reactStrictMode: true }` on one line
        ` ${OUTPUT_LINE}${after}`;
  return { ok: true, content: source.slice(0, brace + 1) + insertion, form: found.form };
}
