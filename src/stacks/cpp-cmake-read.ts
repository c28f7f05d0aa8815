/**
 * Walks a CMake project's files the way CMake would, closely enough to learn
 * what the Dockerfile needs: project() name and version, variables (set,
 * list), targets and their sources, links and output names, the C++
 * standard, tests, sources fetched at configure time, and the files reached
 * through add_subdirectory() and include(). It is a static reading: every
 * branch of an if() counts, function bodies are skipped, unresolvable
 * variables are left alone. The grammar is cpp-cmake-syntax.ts; what a
 * find_package() or pkg_check_modules() call means is cpp-cmake-libraries.ts.
 */
import path from 'node:path';
import { recordFindPackage, recordPkgConfig } from './cpp-cmake-libraries.js';
import { addLibrary, type ReadState } from './cpp-cmake-state.js';
import { parseCmake } from './cpp-cmake-syntax.js';

const LINK_KEYWORDS = new Set(['PUBLIC', 'PRIVATE', 'INTERFACE', 'LINK_PUBLIC', 'LINK_PRIVATE', 'LINK_INTERFACE_LIBRARIES', 'debug', 'optimized', 'general']);
const EXECUTABLE_FLAGS = new Set(['WIN32', 'MACOSX_BUNDLE', 'EXCLUDE_FROM_ALL']);
const LIBRARY_FLAGS = new Set(['STATIC', 'SHARED', 'MODULE', 'OBJECT', 'INTERFACE', 'UNKNOWN', 'EXCLUDE_FROM_ALL', 'GLOBAL']);
export const TEST_WORD = /(^|[^a-z])(tests?|unittests?|benchmarks?|bench|examples?|samples?|demos?|fuzz(ers?)?)([^a-z]|$)/i;

const MAX_CMAKE_FILES = 200;
const MAX_DEPTH = 8;

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
export function projectPath(dir: string, written: string): string | undefined {
  if (written.includes('${') || written.includes('$<')) return undefined;
  const joined = written.startsWith('@root/') ? written.slice('@root/'.length) : path.posix.join(dir, written);
  const normal = path.posix.normalize(joined);
  if (normal.startsWith('..') || path.posix.isAbsolute(normal)) return undefined;
  return normal === '.' ? '' : normal;
}

export function readCmakeFile(state: ReadState, file: string, dir: string, vars: Map<string, string>, depth: number): void {
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
            state.notes.push(
              `OUTPUT_NAME ${JSON.stringify(value)} of ${names.join(', ')} is not a plain file name (letters, digits, . _ + -); the image uses the target name instead — rename the output to build it as is`,
            );
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
