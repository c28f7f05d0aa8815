import path from 'node:path';
import type { Project } from '../project.js';
import { linkFlagLibrary, pkgConfigModulePackage } from './cpp-packages.js';
import { expandMake, parseMakefile, type MakeRule, type ParsedMakefile } from './cpp-makefile-syntax.js';

/**
 * Reads Makefile projects the way a person skimming them would:
 * which directories the root Makefile descends into (`$(MAKE) -C src`,
 * `cd src && $(MAKE) $@`, a `.DEFAULT:` rule), which rules link a program
 * (`-o $@` without `-c`) and where, the bundled dependency trees (`deps/`,
 * `third_party/`) and the tools their builds run, the libraries named by
 * `-l` flags and `pkg-config`, and whether an `install` rule takes a staging
 * prefix. One Makefile's parse is cpp-makefile-syntax.ts; autotools projects
 * (`configure.ac`, `Makefile.am`) are read by cpp-autotools.ts with this
 * module's limits and library scan. Static and bounded: nothing is run, at
 * most MAX_MAKEFILES files are read.
 */

export const MAKEFILES = ['GNUmakefile', 'makefile', 'Makefile'];
/** Directories that hold bundled third-party code: built by the project, never shipped, never searched for its binaries. */
export const BUNDLED_DIRS = ['deps', 'third_party', 'third-party', 'thirdparty', 'vendor', 'external', 'extern'];
export const MAX_MAKEFILES = 40;

export interface MakeProgram {
  /** The binary's file name (what `make <name>` builds). */
  name: string;
  /** Project-relative directory of the Makefile (or Makefile.am) that links it ('' for the root). */
  dir: string;
  /** Looks like a test or benchmark program. */
  test: boolean;
}

export interface BundledDependency {
  dir: string;
  /** How it builds: its own Makefile, a shipped configure script, configure.ac only (autoreconf), or CMake. */
  build: 'make' | 'configure' | 'autoreconf' | 'cmake';
}

export interface MakeFacts {
  /** Directories the root Makefile hands the build to, in the order found. */
  delegatesTo: string[];
  /** How the root delegates: a catch-all rule (`.DEFAULT:` or `%:`) forwards every goal; `-C`/`cd` in recipes forward only their own rules. */
  catchAll: boolean;
  /** Goals the root Makefile has rules for. */
  rootGoals: string[];
  /** Programs found in any Makefile read (root, delegated directories). */
  programs: MakeProgram[];
  bundled: BundledDependency[];
  /** Debian packages the build's own recipes run (pkg-config, autoconf..., perl, tcl, cmake). */
  tools: string[];
  /** The staging variable the `install` rule honours, when it has one. */
  install: 'DESTDIR' | 'PREFIX' | '';
  /** The Makefiles set OPTIMIZATION with ?= (redis style): `make OPTIMIZATION=-O0` gives a debug build. */
  optimizationVariable: boolean;
  /** Makefiles read, project-relative. */
  files: string[];
}

export interface LibraryScan {
  libraries: string[];
  unknownPackages: string[];
}

export const TEST_WORD = /(^|[^a-z])(tests?|unittests?|check|benchmarks?|bench|examples?|demos?|fuzz(ers?)?)([^a-z]|$)/i;
/** Goals that run tests: the tools only they use are not installed. */
const TEST_GOAL = /^(test|tests|check|runtest.*|.*-test|test-.*|bench.*|valgrind|helgrind|coverage|lcov|gcov)$/i;
export const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

/** Tools a recipe may run → the Debian packages that provide them. */
const RECIPE_TOOLS: { pattern: RegExp; packages: string[] }[] = [
  { pattern: /\bpkg-config\b/, packages: ['pkg-config'] },
  { pattern: /\b(autoreconf|autoconf|aclocal|autoheader)\b|\bautogen\.sh\b/, packages: ['autoconf', 'automake', 'libtool'] },
  { pattern: /\b(automake|libtoolize)\b/, packages: ['autoconf', 'automake', 'libtool'] },
  { pattern: /(^|[\s;&|(`])perl\b/, packages: ['perl'] },
  { pattern: /\btclsh[0-9.]*\b/, packages: ['tcl'] },
  { pattern: /(^|[\s;&|(`])cmake\b/, packages: ['cmake'] },
  { pattern: /(^|[\s;&|(`])python3?\b/, packages: ['python3'] },
  { pattern: /(^|[\s;&|(`])(bison|yacc)\b/, packages: ['bison'] },
  { pattern: /(^|[\s;&|(`])(flex|lex)\b/, packages: ['flex'] },
];

/** A project-relative directory from one written in a Makefile in `dir`; undefined when it leaves the project or is not plain. */
export function relativeDir(dir: string, written: string): string | undefined {
  if (!written || /[$*?[\]]/.test(written)) return undefined;
  const joined = path.posix.normalize(path.posix.join(dir, written));
  if (joined.startsWith('..') || path.posix.isAbsolute(joined)) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/** Directories a recipe line hands a make run to: `$(MAKE) -C dir`, `cd dir && $(MAKE)`, `make -C dir`. */
function subMakeDirs(line: string, variables: Map<string, string>): string[] {
  const expanded = line.replace(/\$[({]MAKE[)}]/g, 'make');
  const dirs: string[] = [];
  for (const match of expanded.matchAll(/\bmake\b[^;&|]*?\s-C\s*(\S+)/g)) dirs.push(expandMake(match[1]!, variables));
  for (const match of expanded.matchAll(/\bcd\s+(\S+)\s*(?:&&|;)\s*(?:\S+=\S+\s+)*make\b/g)) dirs.push(expandMake(match[1]!, variables));
  return dirs.map((d) => d.replace(/^["']|["']$/g, ''));
}

/** Whether a rule links a program: an output `-o <target>` (or `$@`) and no `-c` (compile only). */
function linksProgram(rule: MakeRule, target: string, variables: Map<string, string>): boolean {
  return rule.recipe.some((line) => {
    if (/\s-c(\s|$)/.test(line) || /\b(ar|\$\(AR\))\s/.test(line)) return false;
    const output = /\s-o\s*(\S+)/.exec(line)?.[1];
    return output !== undefined && (output === '$@' || output === '$(@)' || output === '${@}' || expandMake(output, variables) === target);
  });
}

function addUnique(list: string[], ...items: string[]): void {
  for (const item of items) if (!list.includes(item)) list.push(item);
}

/**
 * Reads the root Makefile and every directory it hands the build to, plus the
 * bundled dependency trees. `makefile` is the root Makefile's name.
 */
export function readMakeProject(project: Project, makefile: string): { facts: MakeFacts; texts: string[] } {
  const facts: MakeFacts = { delegatesTo: [], catchAll: false, rootGoals: [], programs: [], bundled: [], tools: [], install: '', optimizationVariable: false, files: [] };
  const texts: string[] = [];
  const queue: { file: string; dir: string }[] = [{ file: makefile, dir: '' }];
  const seenDirs = new Set<string>();
  let installRecipe: string[] | undefined;

  while (queue.length > 0 && facts.files.length < MAX_MAKEFILES) {
    const { file, dir } = queue.shift()!;
    if (seenDirs.has(dir)) continue;
    seenDirs.add(dir);
    const text = project.readText(file);
    if (text === undefined) continue;
    facts.files.push(file);
    const bundled = isBundled(dir);
    const parsed = parseMakefile(text);
    if (!bundled) texts.push(text);
    if (/^\s*OPTIMIZATION\s*\?=/m.test(text)) facts.optimizationVariable = true;

    for (const rule of parsed.rules) {
      const targets = rule.targets.map((t) => expandMake(t, parsed.variables)).filter((t) => t !== '');
      const testRule = targets.length > 0 && targets.every((t) => TEST_GOAL.test(t));
      if (dir === '') {
        if (targets.includes('.DEFAULT') || targets.includes('%')) facts.catchAll = true;
        addUnique(facts.rootGoals, ...targets.filter((t) => NAME_RE.test(t)));
      }
      if (targets.includes('install') && installRecipe === undefined && !bundled) installRecipe = rule.recipe;
      for (const line of rule.recipe) {
        for (const written of subMakeDirs(line, parsed.variables)) {
          const sub = relativeDir(dir, written);
          if (sub === undefined || sub === dir) continue;
          if (dir === '' && !isBundled(sub)) addUnique(facts.delegatesTo, sub);
          const subMakefile = MAKEFILES.map((m) => (sub ? `${sub}/${m}` : m)).find((f) => project.isFile(f));
          if (subMakefile && !testRule) queue.push({ file: subMakefile, dir: sub });
        }
        if (testRule) continue;
        for (const tool of RECIPE_TOOLS) if (tool.pattern.test(line)) addUnique(facts.tools, ...tool.packages);
      }
      if (bundled) continue;
      for (const target of targets) {
        if (!NAME_RE.test(target) || /\.(o|a|so|lo|la|obj|dylib|dll)$/.test(target) || target.startsWith('.')) continue;
        if (!linksProgram(rule, target, parsed.variables)) continue;
        if (!facts.programs.some((p) => p.name === target)) facts.programs.push({ name: target, dir, test: TEST_WORD.test(target) });
      }
    }
  }

  if (installRecipe) {
    // A root install that only forwards (`cd src && $(MAKE) install`) stages through the sub-Makefile's variables.
    const forwarded = installRecipe.length === 0 || installRecipe.some((line) => subMakeDirs(line, new Map()).length > 0);
    const recipes = forwarded ? texts.join('\n') : installRecipe.join('\n');
    if (/\$[({]DESTDIR[)}]/.test(recipes)) facts.install = 'DESTDIR';
    else if (/\$[({](PREFIX|prefix)[)}]/.test(recipes)) facts.install = 'PREFIX';
  } else if (facts.catchAll) {
    // `.DEFAULT: cd src && $(MAKE) $@` forwards `install` too.
    const sub = texts.slice(1).join('\n');
    if (/^install\s*:/m.test(sub)) facts.install = /\$[({]DESTDIR[)}]/.test(sub) ? 'DESTDIR' : /\$[({](PREFIX|prefix)[)}]/.test(sub) ? 'PREFIX' : '';
  }

  facts.bundled = readBundled(project);
  for (const dep of facts.bundled) {
    // What a bundled Makefile runs to build (not to test) is a build tool too.
    const bundledMakefile = MAKEFILES.map((m) => `${dep.dir}/${m}`).find((f) => project.isFile(f));
    const bundledText = bundledMakefile && !facts.files.includes(bundledMakefile) ? project.readText(bundledMakefile) : undefined;
    if (bundledText !== undefined) addUnique(facts.tools, ...recipeTools(parseMakefile(bundledText)));
    if (dep.build === 'autoreconf') addUnique(facts.tools, 'autoconf', 'automake', 'libtool');
    if (dep.build === 'cmake') addUnique(facts.tools, 'cmake');
    if (dep.build === 'configure' && project.readText(`${dep.dir}/configure`)?.includes('PKG_CONFIG')) addUnique(facts.tools, 'pkg-config');
  }
  return { facts, texts };
}

/** Tools the recipes of non-test rules run. */
function recipeTools(parsed: ParsedMakefile): string[] {
  const tools: string[] = [];
  for (const rule of parsed.rules) {
    if (rule.targets.length > 0 && rule.targets.every((t) => TEST_GOAL.test(t))) continue;
    for (const line of rule.recipe) for (const tool of RECIPE_TOOLS) if (tool.pattern.test(line)) addUnique(tools, ...tool.packages);
  }
  return tools;
}

export function isBundled(dir: string): boolean {
  return BUNDLED_DIRS.includes(dir.split('/')[0] ?? '');
}

/** Each directory directly under deps/, third_party/...: how it builds. */
function readBundled(project: Project): BundledDependency[] {
  const found: BundledDependency[] = [];
  for (const root of BUNDLED_DIRS) {
    if (!project.isDir(root)) continue;
    for (const name of project.listDir(root)) {
      const dir = `${root}/${name}`;
      if (!project.isDir(dir)) continue;
      const has = (file: string) => project.isFile(`${dir}/${file}`);
      if (has('configure')) found.push({ dir, build: 'configure' });
      else if (has('configure.ac') || has('configure.in') || has('autogen.sh')) found.push({ dir, build: 'autoreconf' });
      else if (MAKEFILES.some(has)) found.push({ dir, build: 'make' });
      else if (has('CMakeLists.txt')) found.push({ dir, build: 'cmake' });
    }
  }
  return found;
}

/** `-l` flags and `pkg-config` modules anywhere in the texts → library keys, and what no table knows. */
export function scanLibraries(texts: string[]): LibraryScan {
  const libraries: string[] = [];
  const unknownPackages: string[] = [];
  const add = (key: string) => addUnique(libraries, key);
  for (const text of texts) {
    const logical = text.replace(/\\\r?\n/g, ' ');
    for (const match of logical.matchAll(/(?:^|[\s'"=(,[])-l([A-Za-z0-9_+.-]+)/g)) {
      const library = linkFlagLibrary(match[1]!);
      if (library === '') continue;
      if (library === undefined) addUnique(unknownPackages, `-l${match[1]}`);
      else if (library.startsWith('Boost:')) addUnique(libraries, 'boost', `boost:${library.slice('Boost:'.length)}`);
      else add(library.toLowerCase());
    }
    for (const match of logical.matchAll(/pkg-config((?:\s+--?[A-Za-z-]+(?:=\S+)?)*)\s+([^)`;|&\n]+)/g)) {
      add('pkgconfig');
      for (const module of match[2]!.trim().split(/\s+/)) {
        if (module.startsWith('-') || module.startsWith('$') || /^[<>=]/.test(module) || /^[\d.]+$/.test(module)) continue;
        const pkg = pkgConfigModulePackage(module);
        if (pkg) add(pkg.toLowerCase());
        else addUnique(unknownPackages, module);
      }
    }
  }
  return { libraries, unknownPackages };
}
