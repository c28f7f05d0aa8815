/**
 * pnpm-workspace.yaml's `packages:` list, with the line of each pattern.
 *
 * The file is real YAML (pnpm 9+ also keeps catalogs, overrides and build
 * settings in it, with anchors and flow collections), so it is parsed with the
 * `yaml` library rather than a line reader. The library is imported lazily:
 * esbuild puts it in a chunk of its own (about 115 kB minified) that a run
 * without a pnpm workspace never loads.
 */
import type { PatternSource } from './glob.js';
import { workspaceError, type Result } from './types.js';

export const PNPM_WORKSPACE_FILE = 'pnpm-workspace.yaml';

/**
 * The patterns under `packages:`; an empty list when the file has no such key
 * (a settings-only file: the root is then pnpm's only project).
 */
export async function parsePnpmWorkspace(text: string): Promise<Result<PatternSource[]>> {
  const file = PNPM_WORKSPACE_FILE;
  // The esbuild bundle turns yaml (CommonJS there) into `{ default: module }` under a dynamic import.
  const loaded: typeof import('yaml') & { default?: typeof import('yaml') } = await import('yaml');
  const { LineCounter, isScalar, isSeq, isMap, parseDocument } = loaded.default ?? loaded;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineOf = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : lineCounter.linePos(offset).line || 1);
  if (doc.errors.length > 0) {
    const [first, ...rest] = doc.errors.map((error) => workspaceError(file, lineOf(error.pos[0]), `is not valid YAML: ${error.message.split('\n')[0]}`));
    return { ok: false, errors: [first!, ...rest] };
  }
  if (doc.contents === null) return { ok: true, value: [] };
  if (!isMap(doc.contents)) return { ok: false, errors: [workspaceError(file, lineOf(doc.contents.range?.[0]), 'must be a mapping (packages: followed by a list of patterns)')] };
  const packages = doc.contents.get('packages', true);
  if (packages === undefined || (isScalar(packages) && packages.value === null)) return { ok: true, value: [] };
  if (!isSeq(packages)) return { ok: false, errors: [workspaceError(file, lineOf(packages.range?.[0]), '`packages` must be a list of folder patterns')] };
  const patterns: PatternSource[] = [];
  for (const item of packages.items) {
    const line = lineOf(isScalar(item) || isSeq(item) || isMap(item) ? item.range?.[0] : undefined);
    if (!isScalar(item) || typeof item.value !== 'string') return { ok: false, errors: [workspaceError(file, line, 'every entry of `packages` must be a folder pattern (a string)')] };
    patterns.push({ pattern: item.value, file, line });
  }
  return { ok: true, value: patterns };
}
