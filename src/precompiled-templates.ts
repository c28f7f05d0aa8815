/**
 * The built-in templates compiled at build time, found by their text. In the
 * source tree (tests, `tsc`) there are none and every template is compiled
 * when first used; `scripts/build.mjs` replaces this module in dist/ with one
 * holding every `.hbs` file under templates/, compiled with the same options
 * the engine uses. Looking a template up by its text, not its path, means a
 * template edited after the build (or an older version's) is never served
 * stale code: it simply has no entry and is compiled.
 */
export function precompiled(source: string): TemplateSpecification | undefined {
  void source;
  return undefined;
}

/**
 * In dist/ the compiled templates sit in one chunk per folder of templates/
 * (a stack's, and shared/); this imports the shared one and the folder's, so
 * that precompiled() finds them. Call it before rendering.
 */
export async function loadPrecompiled(folder: string): Promise<void> {
  void folder;
}
