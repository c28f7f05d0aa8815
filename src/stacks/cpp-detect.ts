import path from 'node:path';
import type { Project } from '../project.js';
import { readAutotools, type AutotoolsFacts } from './cpp-autotools.js';
import { readMakeProject, scanLibraries, MAKEFILES, type MakeFacts, type MakeProgram } from './cpp-make.js';
import { boostComponent, BOOST_HEADERS, findPackageInfo, linkFlagLibrary, pkgConfigModulePackage, type LibraryInfo } from './cpp-packages.js';
import { sourcesListen } from './cpp-sources.js';

/**
 * Reads a C++ project the way CMake would, closely enough to learn what the
 * Dockerfile needs: the executables (add_executable), the libraries
 * (find_package, pkg_check_modules) and which executable links which library,
 * the C++ standard, the project version. It is a static reading: every branch
 * of an if() counts, function bodies are skipped, unresolvable variables are
 * left alone. Plain-Makefile projects get a lighter scan (`-l` flags,
 * pkg-config modules, `-std=`).
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

/** A library key → its packages: find_package names lower-cased, `boost` (headers) or `boost:<component>`. */
export function libraryInfo(key: string): LibraryInfo | undefined {
  if (key === 'boost') return BOOST_HEADERS;
  if (key.startsWith('boost:')) return boostComponent(key.slice('boost:'.length));
  return findPackageInfo(key);
}

// ---------------------------------------------------------------------------
// CMake language: commands and arguments

interface CmakeCommand {
  name: string;
  args: string[];
}

/** Skips a bracket `[==[ ... ]==]` opened at `start`; returns the index after it, or -1 if `start` opens none. */
function skipBracket(text: string, start: number): { end: number; content: string } | undefined {
  const open = /^\[(=*)\[/.exec(text.slice(start, start + 80));
  if (!open) return undefined;
  const close = `]${open[1]}]`;
  const from = start + open[0].length;
  const end = text.indexOf(close, from);
  if (end < 0) return { end: text.length, content: text.slice(from) };
  return { end: end + close.length, content: text.slice(from, end) };
}

function skipComment(text: string, i: number): number {
  const bracket = skipBracket(text, i + 1);
  if (bracket) return bracket.end;
  const eol = text.indexOf('\n', i);
  return eol < 0 ? text.length : eol;
}

/** Splits a CMakeLists.txt into commands. Quoted and bracket arguments stay one argument. */
export function parseCmake(text: string): CmakeCommand[] {
  const commands: CmakeCommand[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '#') {
      i = skipComment(text, i);
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 128));
    if (!ident) {
      i++;
      continue;
    }
    let j = i + ident[0].length;
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] !== '(') {
      i = j;
      continue;
    }
    const { args, end } = parseArguments(text, j + 1);
    commands.push({ name: ident[0].toLowerCase(), args });
    i = end;
  }
  return commands;
}

function parseArguments(text: string, start: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 1;
  let i = start;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '#') {
      i = skipComment(text, i);
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      i++;
      if (depth === 0) break;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) {
          const next = text[i + 1]!;
          if (next !== '\n') value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      i++;
      args.push(value);
    } else if (c === '[' && skipBracket(text, i)) {
      const bracket = skipBracket(text, i)!;
      args.push(bracket.content);
      i = bracket.end;
    } else {
      let value = '';
      while (i < n && !' \t\r\n()#"'.includes(text[i]!)) {
        if (text[i] === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      // An unquoted argument is a list: `a;b` is two arguments.
      args.push(...value.split(';').filter((v) => v !== ''));
    }
  }
  return { args, end: i };
}

// ---------------------------------------------------------------------------
// Reading a CMake project

const FIND_PACKAGE_KEYWORDS = new Set([
  'EXACT', 'QUIET', 'MODULE', 'CONFIG', 'NO_MODULE', 'REQUIRED', 'COMPONENTS', 'OPTIONAL_COMPONENTS', 'NAMES', 'CONFIGS', 'HINTS',
  'PATHS', 'PATH_SUFFIXES', 'GLOBAL', 'NO_POLICY_SCOPE', 'BYPASS_PROVIDER', 'NO_DEFAULT_PATH', 'REGISTRY_VIEW', 'CMAKE_FIND_ROOT_PATH_BOTH',
  'ONLY_CMAKE_FIND_ROOT_PATH', 'NO_CMAKE_FIND_ROOT_PATH', 'NO_CMAKE_PATH', 'NO_CMAKE_ENVIRONMENT_PATH', 'NO_SYSTEM_ENVIRONMENT_PATH',
  'NO_CMAKE_PACKAGE_REGISTRY', 'NO_CMAKE_SYSTEM_PATH', 'NO_CMAKE_INSTALL_PREFIX', 'NO_CMAKE_SYSTEM_PACKAGE_REGISTRY', 'NO_PACKAGE_ROOT_PATH',
]);
const LINK_KEYWORDS = new Set(['PUBLIC', 'PRIVATE', 'INTERFACE', 'LINK_PUBLIC', 'LINK_PRIVATE', 'LINK_INTERFACE_LIBRARIES', 'debug', 'optimized', 'general']);
const EXECUTABLE_FLAGS = new Set(['WIN32', 'MACOSX_BUNDLE', 'EXCLUDE_FROM_ALL']);
const LIBRARY_FLAGS = new Set(['STATIC', 'SHARED', 'MODULE', 'OBJECT', 'INTERFACE', 'UNKNOWN', 'EXCLUDE_FROM_ALL', 'GLOBAL']);
const TEST_WORD = /(^|[^a-z])(tests?|unittests?|benchmarks?|bench|examples?|samples?|demos?|fuzz(ers?)?)([^a-z]|$)/i;
/** Link items that are the C/C++ runtime itself. */
const SYSTEM_LINKS = new Set(['m', 'dl', 'rt', 'pthread', 'stdc++', 'stdc++fs', 'atomic', 'c']);

/** Imported-target namespaces (`ZLIB::ZLIB`) → library keys, where the namespace differs from the find_package name. */
const NAMESPACE_KEYS: Record<string, string> = {
  sqlite: 'sqlite3',
  unofficial: 'sqlite3',
  'yaml-cpp': 'yaml-cpp',
  gtest: 'gtest',
  gmock: 'gtest',
  eigen3: 'eigen3',
  cli11: 'cli11',
};

interface TargetRecord {
  kind: 'executable' | 'library';
  name: string;
  dir: string;
  conditional: boolean;
  sources: string[];
  links: string[];
  outputName: string;
}

interface ReadState {
  project: Project;
  targets: Map<string, TargetRecord>;
  aliases: Map<string, string>;
  /** Library keys found, in order. */
  libraries: string[];
  unknownPackages: string[];
  /** pkg_check_modules prefix → library keys (for PkgConfig::<prefix>). */
  pkgConfigPrefixes: Map<string, string[]>;
  /** Directory-wide link_libraries(): apply to every target. */
  globalLinks: string[];
  cxxStandards: number[];
  projectName: string;
  projectVersion: string;
  usesBuildTesting: boolean;
  definesTests: boolean;
  fetchesSources: boolean;
  filesRead: number;
  notes: string[];
}

const MAX_CMAKE_FILES = 200;
const MAX_DEPTH = 8;

function addLibrary(state: ReadState, key: string): void {
  if (!state.libraries.includes(key)) state.libraries.push(key);
}

/** Expands `${VAR}` from `vars`, innermost first; unknown variables stay as written. */
function expand(value: string, vars: Map<string, string>): string {
  let out = value;
  for (let pass = 0; pass < 8; pass++) {
    const next = out.replace(/\$\{([A-Za-z0-9_.+\-/]+)\}/g, (all, name: string) => vars.get(name) ?? `\u0000{${name}}`);
    if (next === out) break;
    out = next;
  }
  return out.replace(/\u0000\{/g, '${');
}

function expandArgs(args: string[], vars: Map<string, string>): string[] {
  return args.flatMap((arg) => {
    const value = expand(arg, vars);
    // A variable holding a list expands to several arguments.
    return value.includes(';') && arg.includes('${') ? value.split(';').filter((v) => v !== '') : [value];
  });
}

/** A project-relative path from a path written in `dir`, or undefined when it leaves the project. */
function projectPath(dir: string, written: string): string | undefined {
  if (written.includes('${') || written.includes('$<')) return undefined;
  const joined = written.startsWith('@root/') ? written.slice('@root/'.length) : path.posix.join(dir, written);
  const normal = path.posix.normalize(joined);
  if (normal.startsWith('..') || path.posix.isAbsolute(normal)) return undefined;
  return normal === '.' ? '' : normal;
}

function findPackageComponents(args: string[]): string[] {
  const components: string[] = [];
  let collecting = false;
  for (const arg of args.slice(1)) {
    if (arg === 'COMPONENTS' || arg === 'OPTIONAL_COMPONENTS' || arg === 'REQUIRED') {
      collecting = true;
      continue;
    }
    if (FIND_PACKAGE_KEYWORDS.has(arg)) {
      collecting = false;
      continue;
    }
    if (collecting) components.push(arg);
  }
  return components;
}

function recordFindPackage(state: ReadState, args: string[]): void {
  const name = args[0];
  if (!name || name.includes('${')) return;
  if (name.toLowerCase() === 'boost') {
    addLibrary(state, 'boost');
    for (const component of findPackageComponents(args)) {
      if (boostComponent(component)) addLibrary(state, `boost:${component.toLowerCase()}`);
      else if (!state.unknownPackages.includes(`Boost ${component}`)) state.unknownPackages.push(`Boost ${component}`);
    }
    return;
  }
  if (findPackageInfo(name)) addLibrary(state, name.toLowerCase());
  else if (!state.unknownPackages.includes(name)) state.unknownPackages.push(name);
}

function recordPkgConfig(state: ReadState, args: string[]): void {
  const [prefix, ...rest] = args;
  if (!prefix) return;
  const keys: string[] = [];
  for (const arg of rest) {
    if (/^[A-Z_]+$/.test(arg)) continue; // REQUIRED, QUIET, IMPORTED_TARGET, GLOBAL, NO_CMAKE_PATH...
    const module = arg.replace(/[<>=].*$/, '');
    const pkg = pkgConfigModulePackage(module);
    if (pkg) {
      keys.push(pkg.toLowerCase());
      addLibrary(state, pkg.toLowerCase());
    } else if (!state.unknownPackages.includes(module)) {
      state.unknownPackages.push(module);
      keys.push(`unknown:${module}`);
    }
  }
  state.pkgConfigPrefixes.set(prefix, keys);
}

function readCmakeFile(state: ReadState, file: string, dir: string, vars: Map<string, string>, depth: number): void {
  if (state.filesRead >= MAX_CMAKE_FILES) {
    if (!state.notes.some((n) => n.startsWith('stopped reading CMake files'))) state.notes.push(`stopped reading CMake files after ${MAX_CMAKE_FILES}`);
    return;
  }
  const text = state.project.readText(file);
  if (text === undefined) return;
  state.filesRead++;
  const commands = parseCmake(text);
  const conditions: string[] = [];
  let skipDepth = 0;
  vars.set('CMAKE_CURRENT_SOURCE_DIR', dir ? `@root/${dir}` : '@root');
  vars.set('CMAKE_CURRENT_LIST_DIR', dir ? `@root/${dir}` : '@root');

  for (const command of commands) {
    const { name } = command;
    // Function and macro bodies run only when called; reading them as top-level code would invent targets.
    if (name === 'function' || name === 'macro') {
      skipDepth++;
      continue;
    }
    if (name === 'endfunction' || name === 'endmacro') {
      skipDepth = Math.max(0, skipDepth - 1);
      continue;
    }
    if (skipDepth > 0) continue;
    const raw = command.args.join(' ');
    if (/BUILD_TESTING|\bCTest\b/.test(raw) && (name === 'if' || name === 'include' || name === 'option' || name === 'elseif')) state.usesBuildTesting = true;
    if (name === 'enable_testing' || name === 'add_test' || /^(gtest|catch|doctest)_discover_tests$/.test(name) || (name === 'include' && /^CTest$/.test(raw.trim()))) {
      state.definesTests = true;
    }
    if (name === 'if') {
      conditions.push(raw);
      continue;
    }
    if (name === 'elseif' || name === 'else') {
      conditions[conditions.length - 1] = `${conditions[conditions.length - 1] ?? ''} ${raw}`;
      continue;
    }
    if (name === 'endif') {
      conditions.pop();
      continue;
    }
    const args = expandArgs(command.args, vars);
    const inTestBlock = conditions.some((c) => TEST_WORD.test(c) || /BUILD_TESTING/.test(c));

    switch (name) {
      case 'project': {
        const projectName = args[0] ?? '';
        vars.set('PROJECT_NAME', projectName);
        vars.set('PROJECT_SOURCE_DIR', dir ? `@root/${dir}` : '@root');
        const versionIndex = args.indexOf('VERSION');
        const version = versionIndex >= 0 ? (args[versionIndex + 1] ?? '') : '';
        vars.set('PROJECT_VERSION', version);
        if (!state.projectName) {
          state.projectName = projectName;
          state.projectVersion = version;
          vars.set('CMAKE_PROJECT_NAME', projectName);
          vars.set('CMAKE_PROJECT_VERSION', version);
        }
        break;
      }
      case 'set': {
        const [variable, ...values] = args;
        if (!variable) break;
        const value = values.filter((v) => v !== 'CACHE' && v !== 'PARENT_SCOPE');
        const cacheIndex = values.indexOf('CACHE');
        vars.set(variable, (cacheIndex >= 0 ? values.slice(0, cacheIndex) : value).join(';'));
        if (variable === 'CMAKE_CXX_STANDARD' && /^\d+$/.test(values[0] ?? '')) state.cxxStandards.push(Number(values[0]));
        break;
      }
      case 'list': {
        const [op, variable, ...values] = args;
        if ((op === 'APPEND' || op === 'PREPEND') && variable) {
          const existing = vars.get(variable);
          const items = op === 'APPEND' ? [existing, ...values] : [...values, existing];
          vars.set(variable, items.filter((v): v is string => v !== undefined && v !== '').join(';'));
        }
        break;
      }
      case 'add_executable':
      case 'add_library': {
        const [target, ...rest] = args;
        if (!target || target.includes('${')) {
          if (target) state.notes.push(`${file}: could not resolve the ${name} name ${target}`);
          break;
        }
        if (rest.includes('IMPORTED')) break;
        if (rest[0] === 'ALIAS') {
          if (rest[1]) state.aliases.set(target, rest[1]);
          break;
        }
        const flags = name === 'add_executable' ? EXECUTABLE_FLAGS : LIBRARY_FLAGS;
        const sources = rest.filter((s) => !flags.has(s));
        state.targets.set(target, {
          kind: name === 'add_executable' ? 'executable' : 'library',
          name: target,
          dir,
          conditional: inTestBlock,
          sources: sources.map((s) => {
            const objects = /^\$<TARGET_OBJECTS:([^>]+)>$/.exec(s);
            return objects ? `$<TARGET_OBJECTS:${objects[1]}>` : s;
          }),
          links: sources.flatMap((s) => {
            const objects = /^\$<TARGET_OBJECTS:([^>]+)>$/.exec(s);
            return objects ? [objects[1]!] : [];
          }),
          outputName: target,
        });
        break;
      }
      case 'target_sources': {
        const target = state.targets.get(args[0] ?? '');
        if (target) target.sources.push(...args.slice(1).filter((s) => !LINK_KEYWORDS.has(s) && s !== 'FILE_SET' && s !== 'FILES'));
        break;
      }
      case 'target_link_libraries': {
        const target = state.targets.get(args[0] ?? '');
        if (target) target.links.push(...args.slice(1).filter((s) => !LINK_KEYWORDS.has(s)));
        break;
      }
      case 'link_libraries':
        state.globalLinks.push(...args.filter((s) => !LINK_KEYWORDS.has(s)));
        break;
      case 'set_target_properties': {
        const propertiesAt = args.indexOf('PROPERTIES');
        if (propertiesAt < 0) break;
        const names = args.slice(0, propertiesAt);
        const properties = args.slice(propertiesAt + 1);
        for (let k = 0; k + 1 < properties.length; k += 2) {
          const [property, value] = [properties[k]!, properties[k + 1]!];
          if (property === 'OUTPUT_NAME' && /^[A-Za-z0-9_.+-]+$/.test(value)) {
            for (const targetName of names) {
              const target = state.targets.get(targetName);
              if (target) target.outputName = value;
            }
          } else if (property === 'OUTPUT_NAME' && !value.includes('${')) {
            // A name a Dockerfile cannot COPY safely (a space, quotes...): said, not dropped silently.
            state.notes.push(`OUTPUT_NAME ${JSON.stringify(value)} of ${names.join(', ')} is not a plain file name (letters, digits, . _ + -); the image uses the target name instead — rename the output to build it as is`);
          }
          if (property === 'CXX_STANDARD' && /^\d+$/.test(value)) state.cxxStandards.push(Number(value));
        }
        break;
      }
      case 'target_compile_features':
        for (const arg of args) {
          const feature = /^cxx_std_(\d+)$/.exec(arg);
          if (feature) state.cxxStandards.push(Number(feature[1]));
        }
        break;
      case 'find_package':
        recordFindPackage(state, args);
        break;
      case 'fetchcontent_declare':
      case 'externalproject_add':
      case 'cpmaddpackage':
        state.fetchesSources = true;
        break;
      case 'pkg_check_modules':
      case 'pkg_search_module':
        addLibrary(state, 'pkgconfig');
        recordPkgConfig(state, args);
        break;
      case 'add_subdirectory': {
        const sub = projectPath(dir, args[0] ?? '');
        if (sub === undefined || depth >= MAX_DEPTH) break;
        const subFile = sub ? `${sub}/CMakeLists.txt` : 'CMakeLists.txt';
        if (subFile === file) break;
        // A subdirectory sees a copy of the parent's variables; its own set() calls stay local.
        readCmakeFile(state, subFile, sub, new Map(vars), depth + 1);
        vars.set('CMAKE_CURRENT_SOURCE_DIR', dir ? `@root/${dir}` : '@root');
        break;
      }
      case 'include': {
        const written = args[0] ?? '';
        const candidates = written.endsWith('.cmake') ? [projectPath(dir, written)] : [`cmake/${written}.cmake`, `CMake/${written}.cmake`];
        const included = candidates.find((c) => c !== undefined && state.project.isFile(c));
        if (included && depth < MAX_DEPTH) readCmakeFile(state, included, dir, vars, depth + 1);
        vars.set('CMAKE_CURRENT_SOURCE_DIR', dir ? `@root/${dir}` : '@root');
        break;
      }
      default:
        break;
    }
  }
}

/** Library keys a link item stands for; null when it cannot be resolved. */
function resolveLinkItem(state: ReadState, item: string, seen: Set<string>): string[] | null {
  const bare = item.replace(/^\$<(?:BUILD_INTERFACE|LINK_ONLY|INSTALL_INTERFACE):(.+)>$/, '$1');
  if (bare.startsWith('$<INSTALL_INTERFACE:')) return [];
  const target = state.targets.get(state.aliases.get(bare) ?? bare);
  if (target) return resolveTarget(state, target, seen);
  if (SYSTEM_LINKS.has(bare) || bare === '${CMAKE_THREAD_LIBS_INIT}' || bare === '${CMAKE_DL_LIBS}' || bare === 'Threads::Threads') return [];
  const flag = /^-l(.+)$/.exec(bare)?.[1] ?? (/^[A-Za-z0-9_+.-]+$/.test(bare) ? bare : undefined);
  if (flag !== undefined) {
    // A raw `-lz` needs the system library whether or not CMake was asked to find it.
    const library = linkFlagLibrary(flag);
    if (library === '') return [];
    const key = library?.startsWith('Boost:') ? `boost:${library.slice('Boost:'.length)}` : library?.toLowerCase();
    if (key && libraryInfo(key)) {
      addLibrary(state, key);
      return [key];
    }
  }
  const imported = /^([A-Za-z0-9_.+-]+)::([A-Za-z0-9_.+-]+)$/.exec(bare);
  if (imported) {
    // Both groups always take part in a match.
    const namespace = imported[1]!;
    const component = imported[2]!;
    const ns = namespace.toLowerCase();
    if (ns === 'boost') {
      const comp = component.toLowerCase();
      if (comp === 'boost' || comp === 'headers' || comp === 'disable_autolinking' || comp === 'dynamic_linking') return ['boost'];
      if (!boostComponent(comp)) return null;
      // Components reached through another one (filesystem links system) need their packages too.
      addLibrary(state, `boost:${comp}`);
      return [`boost:${comp}`];
    }
    if (ns === 'pkgconfig') return state.pkgConfigPrefixes.get(component) ?? null;
    const key = NAMESPACE_KEYS[ns] ?? ns;
    // A known target whose package was not found comes from FetchContent or a vendored copy: built here, nothing to install.
    if (libraryInfo(key)) return state.libraries.includes(key) ? [key] : [];
    // find_package(Foo) of a package the table does not know: its packages come from --packages.
    if (state.unknownPackages.some((u) => u.toLowerCase() === ns)) return [];
    return null;
  }
  // ${ZLIB_LIBRARIES}, ${OPENSSL_CRYPTO_LIBRARY}, ${Boost_LIBRARIES}...
  const variable = /^\$\{([A-Za-z0-9]+)_[A-Z_]*LIBRAR(?:Y|IES)\}$/.exec(bare);
  if (variable) {
    const prefix = variable[1]!.toLowerCase();
    if (prefix === 'boost') return state.libraries.filter((k) => k === 'boost' || k.startsWith('boost:'));
    if (libraryInfo(prefix) && state.libraries.includes(prefix)) return [prefix];
    if (state.pkgConfigPrefixes.has(variable[1]!)) return state.pkgConfigPrefixes.get(variable[1]!)!;
  }
  return null;
}

function resolveTarget(state: ReadState, target: TargetRecord, seen: Set<string>): string[] | null {
  if (seen.has(target.name)) return [];
  seen.add(target.name);
  const keys: string[] = [];
  for (const item of [...target.links, ...state.globalLinks]) {
    const resolved = resolveLinkItem(state, item, seen);
    if (resolved === null) return null;
    for (const key of resolved) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

function hasSelfProbe(project: Project, target: TargetRecord): boolean {
  for (const source of target.sources) {
    const file = projectPath(target.dir, source);
    if (file === undefined || !/\.(c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx|ipp)$/i.test(file)) continue;
    if (project.readText(file)?.includes('"--healthcheck"')) return true;
  }
  return false;
}

function isTestTarget(target: TargetRecord): boolean {
  return target.conditional || TEST_WORD.test(target.name) || target.dir.split('/').some((part) => TEST_WORD.test(part));
}

/** Files that bring dependencies or settings the generated image does not apply, and what to do about each. */
const DEPENDENCY_MANIFESTS: [string, string][] = [
  ['vcpkg.json', 'vcpkg dependencies are not installed in the image; the Dockerfile installs Debian packages for find_package — add the ones missing with --packages, or add a vcpkg install step to the dependencies stage'],
  ['conanfile.*', 'Conan dependencies are not installed in the image; the Dockerfile installs Debian packages for find_package — add the ones missing with --packages, or add a conan install step to the dependencies stage'],
  ['CMakePresets.json', 'the presets are not used: the image configures with plain cmake -G Ninja -DCMAKE_BUILD_TYPE=Release; put the cache variables a build needs into the builder stage'],
];

export function detectCmake(project: Project): { facts: CppFacts; notes: string[] } {
  const state: ReadState = {
    project,
    targets: new Map(),
    aliases: new Map(),
    libraries: [],
    unknownPackages: [],
    pkgConfigPrefixes: new Map(),
    globalLinks: [],
    cxxStandards: [],
    projectName: '',
    projectVersion: '',
    usesBuildTesting: false,
    definesTests: false,
    fetchesSources: false,
    filesRead: 0,
    notes: [],
  };
  readCmakeFile(state, 'CMakeLists.txt', '', new Map(), 0);
  // Package managers and presets the image does not use: say what the user must do.
  for (const [file, advice] of DEPENDENCY_MANIFESTS) {
    const found = file === 'conanfile.*' ? project.entries().find((name) => /^conanfile\.(txt|py)$/.test(name)) : project.isFile(file) ? file : undefined;
    if (found) state.notes.push(`${found}: ${advice}`);
  }
  const executables: CppExecutable[] = [...state.targets.values()]
    .filter((t) => t.kind === 'executable')
    .map((t) => ({
      name: t.name,
      outputName: t.outputName,
      dir: t.dir,
      test: isTestTarget(t),
      selfProbe: hasSelfProbe(project, t),
      links: resolveTarget(state, t, new Set()),
    }));
  const standard = state.cxxStandards.length ? String(Math.max(...state.cxxStandards)) : '';
  return {
    facts: {
      buildSystem: 'cmake',
      projectName: state.projectName,
      projectVersion: state.projectVersion,
      cxxStandard: standard,
      executables,
      libraries: state.libraries,
      unknownPackages: state.unknownPackages,
      usesBuildTesting: state.usesBuildTesting,
      definesTests: state.definesTests,
      fetchesSources: state.fetchesSources,
      makeAllTargets: [],
    },
    notes: state.notes,
  };
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
  const all = /^all\s*:(?!=)([^\n#]*)/m.exec(rootText)?.[1]?.trim().split(/\s+/).filter((t) => /^[A-Za-z0-9_.+-]+$/.test(t)) ?? [];
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

/** Whether the tree holds C or C++ sources near the top (a Makefile alone could build anything). */
export function hasCppSources(project: Project): boolean {
  return project.walk({ maxDepth: 2, limit: 1, accept: (file) => /\.(c|cc|cpp|cxx|c\+\+)$/i.test(file) }).length > 0;
}
