/**
 * Reads autotools projects: configure.ac (AC_INIT, AC_CHECK_LIB,
 * AC_SEARCH_LIBS, PKG_CHECK_MODULES, libtool) and the Makefile.am files it
 * reaches through SUBDIRS (bin_PROGRAMS and their link variables). Separate
 * from cpp-make.ts, which reads plain Makefiles; this reader only borrows its
 * Makefile parse, its limits and its library scan.
 */
import type { Project } from '../project.js';
import { isBundled, MAX_MAKEFILES, NAME_RE, relativeDir, scanLibraries, TEST_WORD, type LibraryScan, type MakeProgram } from './cpp-make.js';
import { expandMake, parseMakefile } from './cpp-makefile-syntax.js';

export interface AutotoolsFacts {
  /** A `configure` script is shipped: no autoreconf needed. */
  hasConfigure: boolean;
  /** configure.ac (or configure.in), when present. */
  configureAc: string;
  packageName: string;
  packageVersion: string;
  programs: MakeProgram[];
  /** LT_INIT / AC_PROG_LIBTOOL: autoreconf needs libtool. */
  libtool: boolean;
}

/** configure.ac macros: arguments in [brackets] or bare, comma-separated. */
function macroArgs(text: string, macro: string): string[][] {
  const calls: string[][] = [];
  for (const match of text.matchAll(new RegExp(`\\b${macro}\\s*\\(([^)]*)\\)`, 'g'))) {
    calls.push(
      match[1]!.split(',').map((arg) =>
        arg
          .trim()
          .replace(/^\[|\]$/g, '')
          .trim(),
      ),
    );
  }
  return calls;
}

export function configureAcOf(project: Project): string | undefined {
  return ['configure.ac', 'configure.in'].find((file) => project.isFile(file));
}

export function isAutotools(project: Project): boolean {
  return configureAcOf(project) !== undefined || (project.isFile('configure') && project.isFile('Makefile.in'));
}

/** Reads configure.ac and the Makefile.am files it names (SUBDIRS). */
export function readAutotools(project: Project): { facts: AutotoolsFacts; scan: LibraryScan } {
  const configureAc = configureAcOf(project) ?? '';
  const ac = configureAc ? (project.readText(configureAc) ?? '') : '';
  const init = macroArgs(ac, 'AC_INIT')[0] ?? [];
  const facts: AutotoolsFacts = {
    hasConfigure: project.isFile('configure'),
    configureAc,
    packageName: init[0] ?? '',
    packageVersion: init[1] ?? '',
    programs: [],
    libtool: /\b(LT_INIT|AC_PROG_LIBTOOL|AM_PROG_LIBTOOL)\b/.test(ac),
  };
  const texts: string[] = [];
  const flags: string[] = [];
  for (const [lib] of [...macroArgs(ac, 'AC_CHECK_LIB'), ...macroArgs(ac, 'AC_SEARCH_LIBS').map((args) => [args[1] ?? ''])]) {
    for (const name of (lib ?? '').split(/\s+/)) if (name) flags.push(`-l${name}`);
  }
  for (const args of macroArgs(ac, 'PKG_CHECK_MODULES')) flags.push(`$(pkg-config --libs ${(args[1] ?? '').replace(/[<>=]+\s*[\d.]+/g, ' ')})`);
  texts.push(flags.join(' '));

  const queue = [''];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_MAKEFILES) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const am = project.readText(dir ? `${dir}/Makefile.am` : 'Makefile.am');
    if (am === undefined) continue;
    const parsed = parseMakefile(am);
    texts.push(
      [...parsed.variables]
        .filter(([name]) => /_(LDADD|LIBADD|LDFLAGS|LIBS)$|^LIBS$/.test(name))
        .map(([, value]) => value)
        .join(' '),
    );
    for (const [name, value] of parsed.variables) {
      if (!/^(bin|sbin|libexec)_PROGRAMS$/.test(name)) continue;
      for (const program of expandMake(value, parsed.variables).split(/\s+/)) {
        if (NAME_RE.test(program) && !facts.programs.some((p) => p.name === program)) facts.programs.push({ name: program, dir, test: TEST_WORD.test(program) });
      }
    }
    for (const sub of expandMake(parsed.variables.get('SUBDIRS') ?? '', parsed.variables).split(/\s+/)) {
      const rel = relativeDir(dir, sub);
      if (rel !== undefined && rel !== dir && !isBundled(rel)) queue.push(rel);
    }
  }
  return { facts, scan: scanLibraries(texts) };
}
