/**
 * One Makefile's text as make reads it: continuation lines joined, comments
 * dropped, simple variable assignments and rules with their recipes, and
 * `$(VAR)` expansion. Separate from cpp-make.ts, which walks a whole project
 * (delegation, programs, bundled trees) on top of this parse; the autotools
 * reader (cpp-autotools.ts) parses Makefile.am files with it too.
 */

export interface MakeRule {
  targets: string[];
  prerequisites: string;
  recipe: string[];
}

export interface ParsedMakefile {
  variables: Map<string, string>;
  rules: MakeRule[];
  text: string;
}

/** Continuation lines are one logical line to make; comments go (a `#` in a recipe is the shell's, also a comment). */
function logicalLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => (line.startsWith('\t') ? line : line.replace(/(^|[^\\])#.*$/, '$1')));
}

/** `$(VAR)` / `${VAR}` from simple assignments; unknown variables are empty, as in make. */
export function expandMake(value: string, variables: Map<string, string>): string {
  let out = value;
  for (let pass = 0; pass < 6; pass++) {
    const next = out.replace(/\$[({]([A-Za-z0-9_.-]+)[)}]/g, (_all, name: string) => variables.get(name) ?? '');
    if (next === out) break;
    out = next;
  }
  return out.trim();
}

export function parseMakefile(text: string): ParsedMakefile {
  const variables = new Map<string, string>();
  const rules: MakeRule[] = [];
  let current: MakeRule | undefined;
  for (const line of logicalLines(text)) {
    if (line.startsWith('\t')) {
      current?.recipe.push(line.slice(1).trim());
      continue;
    }
    if (line.trim() === '') continue;
    const assignment = /^\s*(?:export\s+|override\s+)?([A-Za-z0-9_.-]+)\s*(\?|:|::|\+|!)?=\s*(.*)$/.exec(line);
    if (assignment) {
      current = undefined;
      // Groups 1 and 3 always take part in a match; 2 (the operator) may not.
      const name = assignment[1]!;
      const op = assignment[2];
      const value = assignment[3]!;
      if (op === '?' && variables.has(name)) continue;
      if (op === '+') variables.set(name, `${variables.get(name) ?? ''} ${value}`.trim());
      else variables.set(name, value.trim());
      continue;
    }
    const rule = /^([^:=#]+?)\s*::?(?!=)\s*(.*)$/.exec(line);
    if (rule && !/^\s*(ifn?eq|ifn?def|else|endif|include|-include|sinclude|define|endef|vpath)\b/.test(line)) {
      const [recipeHead, inlineRecipe] = rule[2]!.split(/;(.*)/s);
      current = { targets: rule[1]!.trim().split(/\s+/), prerequisites: recipeHead ?? '', recipe: inlineRecipe ? [inlineRecipe.trim()] : [] };
      rules.push(current);
      continue;
    }
    current = undefined;
  }
  return { variables, rules, text };
}
