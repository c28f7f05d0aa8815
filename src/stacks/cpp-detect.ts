import type { Project } from '../project.js';
import { readAutotools, type AutotoolsFacts } from './cpp-autotools.js';
import { readMakeProject, scanLibraries, MAKEFILES, type MakeFacts, type MakeProgram } from './cpp-make.js';
import { boostComponent, BOOST_HEADERS, findPackageInfo, type LibraryInfo } from './cpp-packages.js';
import { sourcesListen } from './cpp-sources.js';

/**
 * What detection learns about a C++ project, whatever its build system
 * (CppFacts, CppExecutable), and the lookup of a library key in the package
 * table. Makefile and autotools projects get their facts here, from their
 * readers (cpp-make.ts, cpp-autotools.ts) and a lighter scan than CMake's
 * (`-l` flags, pkg-config modules, `-std=`); CMake projects are read by
 * cpp-cmake.ts, which builds on these types.
 */

export { MAKEFILES };

export interface CppExecutable {
  /** The CMake target name (what `cmake --build --target` takes). */
  name: string;
  /** The file name of the built binary (OUTPUT_NAME, else the target name). */
  outputName: string;
  /** Directory of the CMakeLists.txt that defines it ('' for the top level). */
  dir: string;
  /** Looks like a test, benchmark or example: not shipped unless named with --targets. */
  test: boolean;
  /** Its sources implement `--healthcheck` (the generated service does): the image can probe itself. */
  selfProbe: boolean;
  /** Library keys it links (see libraryInfo), or null when some link item could not be resolved. */
  links: string[] | null;
}

export interface CppFacts {
  buildSystem: 'cmake' | 'make' | 'autotools';
  projectName: string;
  projectVersion: string;
  /** Highest C++ standard the build asks for ('' when it does not say). */
  cxxStandard: string;
  executables: CppExecutable[];
  /** Library keys the project finds (find_package, pkg_check_modules, -l flags). */
  libraries: string[];
  /** find_package / pkg-config names the table does not know. */
  unknownPackages: string[];
  /** The build mentions BUILD_TESTING or include(CTest): the release build can switch tests off. */
  usesBuildTesting: boolean;
  /** The build defines CTest tests (enable_testing, add_test, gtest/catch/doctest_discover_tests): the image gets a `test` stage. */
  definesTests?: boolean;
  /** FetchContent / ExternalProject / CPM download sources at configure time: the build needs git and CA certificates. */
  fetchesSources: boolean;
  /** Makefile projects: the prerequisites of `all`, a hint for --targets. */
  makeAllTargets: string[];
  /** Makefile and autotools projects: delegation, programs, bundled dependencies, tools, install. */
  make?: MakeFacts;
  /** Autotools projects: configure.ac, a shipped configure, the programs of Makefile.am. */
  autotools?: AutotoolsFacts;
  /** Make and autotools projects: false when no source accepts connections (the main target is then a command, not a service). */
  listens?: boolean;
}

/** What detection found: a CMake, Make or autotools project's facts, or nothing (a new project). */
export type CppDetection = CppFacts | undefined;

/** A library key → its packages: find_package names lower-cased, `boost` (headers) or `boost:<component>`. */
export function libraryInfo(key: string): LibraryInfo | undefined {
  if (key === 'boost') return BOOST_HEADERS;
  if (key.startsWith('boost:')) return boostComponent(key.slice('boost:'.length));
  return findPackageInfo(key);
}

/** The first Makefile make would read, if any. */
export function makefileOf(project: Project): string | undefined {
  return MAKEFILES.find((file) => project.isFile(file));
}

/** A program found in the Makefiles as an executable entry (its libraries are the project's: links null). */
function programExecutable(program: MakeProgram): CppExecutable {
  return { name: program.name, outputName: program.name, dir: program.dir, test: program.test, selfProbe: false, links: null };
}

export function detectMakefile(project: Project, makefile: string): { facts: CppFacts; notes: string[] } {
  const { facts: make, texts } = readMakeProject(project, makefile);
  const { libraries, unknownPackages } = scanLibraries(texts);
  const logical = texts.join('\n').replace(/\\\r?\n/g, ' ');
  const standards = [...logical.matchAll(/-std=(?:c|gnu)\+\+(\d+)/g)].map((m) => Number(m[1]));
  const standard = standards.length ? String(Math.max(...standards)) : '';
  const rootText = (project.readText(makefile) ?? '').replace(/\\\r?\n/g, ' ');
  const all =
    /^all\s*:(?!=)([^\n#]*)/m
      .exec(rootText)?.[1]
      ?.trim()
      .split(/\s+/)
      .filter((t) => /^[A-Za-z0-9_.+-]+$/.test(t)) ?? [];
  return {
    facts: {
      buildSystem: 'make',
      projectName: '',
      projectVersion: '',
      cxxStandard: standard,
      executables: make.programs.map(programExecutable),
      libraries,
      unknownPackages,
      usesBuildTesting: false,
      fetchesSources: false,
      makeAllTargets: all,
      make,
      listens: sourcesListen(project),
    },
    notes: [],
  };
}

export function detectAutotools(project: Project): { facts: CppFacts; notes: string[] } {
  const { facts: autotools, scan } = readAutotools(project);
  // The Makefile.am files are Makefiles too: bundled trees and tools read the same way (no root Makefile is needed).
  // (autoconf, automake and libtool for autoreconf come with the stack; PKG_CHECK_MODULES brings pkg-config through the libraries.)
  const make = readMakeProject(project, 'Makefile.am').facts;
  const libraries = [...scan.libraries];
  return {
    facts: {
      buildSystem: 'autotools',
      projectName: autotools.packageName,
      projectVersion: autotools.packageVersion,
      cxxStandard: '',
      executables: autotools.programs.map(programExecutable),
      libraries,
      unknownPackages: scan.unknownPackages,
      usesBuildTesting: false,
      fetchesSources: false,
      makeAllTargets: [],
      make: { ...make, programs: autotools.programs },
      autotools,
      listens: sourcesListen(project),
    },
    notes: [],
  };
}
