/**
 * The libraries of a CMake project: find_package() and pkg_check_modules()
 * calls recorded as library keys (see libraryInfo), and every link item a
 * target names (an imported target, a `-l` flag, a `${Foo_LIBRARIES}`
 * variable, another target) resolved to the keys it stands for. Separate
 * from the file reader (cpp-cmake-read.ts): this is the package knowledge,
 * that is the walk through the CMake files.
 */
import { libraryInfo } from './cpp-detect.js';
import { addLibrary, type ReadState, type TargetRecord } from './cpp-cmake-state.js';
import { boostComponent, findPackageInfo, linkFlagLibrary, pkgConfigModulePackage } from './cpp-packages.js';

const FIND_PACKAGE_KEYWORDS = new Set([
  'EXACT',
  'QUIET',
  'MODULE',
  'CONFIG',
  'NO_MODULE',
  'REQUIRED',
  'COMPONENTS',
  'OPTIONAL_COMPONENTS',
  'NAMES',
  'CONFIGS',
  'HINTS',
  'PATHS',
  'PATH_SUFFIXES',
  'GLOBAL',
  'NO_POLICY_SCOPE',
  'BYPASS_PROVIDER',
  'NO_DEFAULT_PATH',
  'REGISTRY_VIEW',
  'CMAKE_FIND_ROOT_PATH_BOTH',
  'ONLY_CMAKE_FIND_ROOT_PATH',
  'NO_CMAKE_FIND_ROOT_PATH',
  'NO_CMAKE_PATH',
  'NO_CMAKE_ENVIRONMENT_PATH',
  'NO_SYSTEM_ENVIRONMENT_PATH',
  'NO_CMAKE_PACKAGE_REGISTRY',
  'NO_CMAKE_SYSTEM_PATH',
  'NO_CMAKE_INSTALL_PREFIX',
  'NO_CMAKE_SYSTEM_PACKAGE_REGISTRY',
  'NO_PACKAGE_ROOT_PATH',
]);

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

export function recordFindPackage(state: ReadState, args: string[]): void {
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

export function recordPkgConfig(state: ReadState, args: string[]): void {
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

export function resolveTarget(state: ReadState, target: TargetRecord, seen: Set<string>): string[] | null {
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
