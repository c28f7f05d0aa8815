import { DEFAULTS } from '../defaults.js';

/**
 * What a C++ library means for the image: the Debian packages the build needs
 * (`-dev` headers and link-time files) and the packages the shipped binary
 * needs at run time. Names are Debian stable's (trixie: note the `t64`
 * suffixes of the 64-bit time_t transition, e.g. libssl3t64). They were
 * checked with `apt-cache policy` in debian:trixie-slim; a release that moves
 * to a new Debian bumps them here.
 */
export interface LibraryInfo {
  /** The canonical find_package name, as shown to the user. */
  name: string;
  build: string[];
  runtime: string[];
  /**
   * Whether a fully static link works with Debian's packages (the `.a`
   * files exist and pull in no long chain of further static libraries).
   * A string explains why not.
   */
  staticLink: true | string;
  /**
   * What a static link needs beyond the library's own archive: Debian's
   * libcrypto.a is built with zlib and zstd support, so a static OpenSSL link
   * also needs -lz -lzstd at the end of the link line.
   */
  staticExtras?: { build: string[]; link: string[] };
}

/** Packages that hold data, not code: still needed by a static binary (CA bundle for TLS). */
export const DATA_PACKAGES = new Set(['ca-certificates', 'tzdata']);

/** What gcr.io/distroless/cc-debian13 holds (base: glibc, libssl, CA certificates, tzdata; cc adds libgcc, libstdc++, libgomp). */
export const DISTROLESS_CC_PACKAGES = new Set(['libc6', 'libgcc-s1', 'libstdc++6', 'libgomp1', 'libssl3t64', 'ca-certificates', 'tzdata', 'netbase']);

const NO_STATIC_FMT = 'Debian ships no static libfmt (libfmt.a)';

/** find_package names (lower-cased) → what they need. Boost is handled per component below. */
const LIBRARIES: Record<string, LibraryInfo> = {
  threads: { name: 'Threads', build: [], runtime: [], staticLink: true },
  openssl: {
    name: 'OpenSSL',
    build: ['libssl-dev', 'ca-certificates'],
    runtime: ['libssl3t64', 'ca-certificates'],
    staticLink: true,
    staticExtras: { build: ['zlib1g-dev', 'libzstd-dev'], link: ['-lz', '-lzstd'] },
  },
  zlib: { name: 'ZLIB', build: ['zlib1g-dev'], runtime: ['zlib1g'], staticLink: true },
  curl: {
    name: 'CURL',
    build: ['libcurl4-openssl-dev', 'ca-certificates'],
    runtime: ['libcurl4t64', 'ca-certificates'],
    staticLink: 'a static libcurl needs static builds of about a dozen more libraries (nghttp2, idn2, psl, ssh2, krb5...)',
  },
  fmt: { name: 'fmt', build: ['libfmt-dev'], runtime: ['libfmt10'], staticLink: NO_STATIC_FMT },
  spdlog: { name: 'spdlog', build: ['libspdlog-dev'], runtime: ['libspdlog1.15', 'libfmt10'], staticLink: 'Debian ships no static libspdlog or libfmt' },
  nlohmann_json: { name: 'nlohmann_json', build: ['nlohmann-json3-dev'], runtime: [], staticLink: true },
  sqlite3: { name: 'SQLite3', build: ['libsqlite3-dev'], runtime: ['libsqlite3-0'], staticLink: true },
  postgresql: { name: 'PostgreSQL', build: ['libpq-dev'], runtime: ['libpq5'], staticLink: 'a static libpq needs static OpenSSL, GSSAPI and LDAP builds' },
  libpqxx: { name: 'libpqxx', build: ['libpqxx-dev'], runtime: ['libpqxx-7.10', 'libpq5'], staticLink: 'a static libpqxx needs a static libpq (OpenSSL, GSSAPI, LDAP)' },
  'yaml-cpp': { name: 'yaml-cpp', build: ['libyaml-cpp-dev'], runtime: ['libyaml-cpp0.8'], staticLink: 'Debian ships no static yaml-cpp' },
  protobuf: { name: 'Protobuf', build: ['libprotobuf-dev', 'protobuf-compiler'], runtime: ['libprotobuf32t64'], staticLink: 'static protobuf needs static Abseil builds' },
  libxml2: { name: 'LibXml2', build: ['libxml2-dev'], runtime: ['libxml2'], staticLink: 'a static libxml2 needs static ICU and lzma builds' },
  eigen3: { name: 'Eigen3', build: ['libeigen3-dev'], runtime: [], staticLink: true },
  gtest: { name: 'GTest', build: ['libgtest-dev', 'libgmock-dev'], runtime: [], staticLink: true },
  catch2: { name: 'Catch2', build: ['catch2'], runtime: [], staticLink: true },
  doctest: { name: 'doctest', build: ['doctest-dev'], runtime: [], staticLink: true },
  benchmark: { name: 'benchmark', build: ['libbenchmark-dev'], runtime: [], staticLink: true },
  cli11: { name: 'CLI11', build: ['libcli11-dev'], runtime: [], staticLink: true },
  cxxopts: { name: 'cxxopts', build: ['libcxxopts-dev'], runtime: [], staticLink: true },
  pkgconfig: { name: 'PkgConfig', build: ['pkg-config'], runtime: [], staticLink: true },
  // Libraries C servers and tools link by -l flag or pkg-config (checked with apt-cache policy and dpkg-deb -c in trixie).
  libsystemd: { name: 'libsystemd', build: ['libsystemd-dev'], runtime: ['libsystemd0'], staticLink: 'a static libsystemd pulls in static builds of the libraries it loads (libcap, libgcrypt...)' },
  libevent: { name: 'libevent', build: ['libevent-dev'], runtime: ['libevent-2.1-7t64'], staticLink: true },
  libuv: { name: 'libuv', build: ['libuv1-dev'], runtime: ['libuv1t64'], staticLink: true },
  readline: { name: 'Readline', build: ['libreadline-dev'], runtime: ['libreadline8t64'], staticLink: 'a static readline also needs a static terminfo library (-ltinfo)' },
  pcre2: { name: 'PCRE2', build: ['libpcre2-dev'], runtime: ['libpcre2-8-0'], staticLink: true },
  uuid: { name: 'libuuid', build: ['uuid-dev'], runtime: ['libuuid1'], staticLink: true },
  lz4: { name: 'LZ4', build: ['liblz4-dev'], runtime: ['liblz4-1'], staticLink: true },
  zstd: { name: 'zstd', build: ['libzstd-dev'], runtime: ['libzstd1'], staticLink: true },
  bzip2: { name: 'BZip2', build: ['libbz2-dev'], runtime: ['libbz2-1.0'], staticLink: true },
  liblzma: { name: 'LibLZMA', build: ['liblzma-dev'], runtime: ['liblzma5'], staticLink: true },
};

/** Other spellings projects use for the same package. */
const ALIASES: Record<string, string> = {
  pq: 'postgresql',
  libpq: 'postgresql',
  sqlite: 'sqlite3',
  sqlite3: 'sqlite3',
  unofficial_sqlite3: 'sqlite3',
  nlohmann: 'nlohmann_json',
  yamlcpp: 'yaml-cpp',
  'yaml-cpp': 'yaml-cpp',
  gmock: 'gtest',
  googletest: 'gtest',
  eigen: 'eigen3',
  bzip2: 'bzip2',
  lzma: 'liblzma',
  libuuid: 'uuid',
};

/**
 * Boost: one -dev and one runtime package per compiled component. CMake
 * component names (program_options) become Debian names (program-options);
 * a few components live in another component's package.
 */
const BOOST_COMPONENT_PACKAGE: Record<string, string> = {
  unit_test_framework: 'test',
  prg_exec_monitor: 'test',
  test_exec_monitor: 'test',
  log_setup: 'log',
  wserialization: 'serialization',
  math_c99: 'math',
  math_c99f: 'math',
  math_c99l: 'math',
  math_tr1: 'math',
  math_tr1f: 'math',
  math_tr1l: 'math',
  stacktrace_basic: 'stacktrace',
  stacktrace_backtrace: 'stacktrace',
  stacktrace_addr2line: 'stacktrace',
  stacktrace_noop: 'stacktrace',
};
/** Compiled Boost libraries Debian packages as libboost-<x><version>; chrono went through the t64 rename. */
const BOOST_COMPILED = new Set([
  'atomic',
  'chrono',
  'container',
  'context',
  'contract',
  'coroutine',
  'date-time',
  'fiber',
  'filesystem',
  'graph',
  'iostreams',
  'json',
  'locale',
  'log',
  'math',
  'nowide',
  'program-options',
  'random',
  'regex',
  'serialization',
  'stacktrace',
  'system',
  'test',
  'thread',
  'timer',
  'type-erasure',
  'url',
  'wave',
]);
/** Compiled components whose static archives need further static libraries. */
const BOOST_NO_STATIC: Record<string, string> = {
  iostreams: 'a static Boost.Iostreams needs static bzip2, lzma and zstd builds',
  locale: 'a static Boost.Locale needs a static ICU',
};
/** Components that are headers only (or static only): the -dev package is enough. */
const BOOST_HEADER_ONLY = new Set(['headers', 'boost', 'exception']);

export function boostComponent(component: string): LibraryInfo | undefined {
  const lower = component.toLowerCase();
  if (BOOST_HEADER_ONLY.has(lower)) return { name: `Boost ${component}`, build: ['libboost-dev'], runtime: [], staticLink: true };
  const debian = BOOST_COMPONENT_PACKAGE[lower] ?? lower.replace(/_/g, '-');
  if (!BOOST_COMPILED.has(debian)) return undefined;
  const runtime = `libboost-${debian}${DEFAULTS.boost}${debian === 'chrono' ? 't64' : ''}`;
  return { name: `Boost ${component}`, build: ['libboost-dev', `libboost-${debian}-dev`], runtime: [runtime], staticLink: BOOST_NO_STATIC[debian] ?? true };
}

/** A find_package name → its packages, or undefined when the table does not know it. */
export function findPackageInfo(name: string): LibraryInfo | undefined {
  const key = name.toLowerCase();
  const canonical = ALIASES[key] ?? key;
  return LIBRARIES[canonical];
}

/** The headers-only part of Boost (find_package(Boost) without components). */
export const BOOST_HEADERS: LibraryInfo = { name: 'Boost', build: ['libboost-dev'], runtime: [], staticLink: true };

/** pkg-config module names (pkg_check_modules) → find_package names. */
const PKG_CONFIG_MODULES: Record<string, string> = {
  zlib: 'ZLIB',
  openssl: 'OpenSSL',
  libssl: 'OpenSSL',
  libcrypto: 'OpenSSL',
  libcurl: 'CURL',
  sqlite3: 'SQLite3',
  libpq: 'PostgreSQL',
  libpqxx: 'libpqxx',
  fmt: 'fmt',
  spdlog: 'spdlog',
  'yaml-cpp': 'yaml-cpp',
  protobuf: 'Protobuf',
  'libxml-2.0': 'LibXml2',
  libsystemd: 'libsystemd',
  libevent: 'libevent',
  libuv: 'libuv',
  readline: 'Readline',
  'libpcre2-8': 'PCRE2',
  uuid: 'uuid',
  liblz4: 'LZ4',
  libzstd: 'zstd',
  bzip2: 'BZip2',
  liblzma: 'LibLZMA',
  eigen3: 'Eigen3',
  nlohmann_json: 'nlohmann_json',
};

export function pkgConfigModulePackage(module: string): string | undefined {
  return PKG_CONFIG_MODULES[module.toLowerCase()];
}

/** `-l<name>` linker flags (Makefiles, raw target_link_libraries items) → find_package names; '' = part of the C/C++ runtime. */
const LINK_FLAGS: Record<string, string> = {
  z: 'ZLIB',
  ssl: 'OpenSSL',
  crypto: 'OpenSSL',
  curl: 'CURL',
  sqlite3: 'SQLite3',
  pq: 'PostgreSQL',
  pqxx: 'libpqxx',
  fmt: 'fmt',
  spdlog: 'spdlog',
  'yaml-cpp': 'yaml-cpp',
  protobuf: 'Protobuf',
  xml2: 'LibXml2',
  pthread: 'Threads',
  systemd: 'libsystemd',
  event: 'libevent',
  event_core: 'libevent',
  event_pthreads: 'libevent',
  uv: 'libuv',
  readline: 'Readline',
  'pcre2-8': 'PCRE2',
  uuid: 'uuid',
  lz4: 'LZ4',
  zstd: 'zstd',
  bz2: 'BZip2',
  lzma: 'LibLZMA',
  m: '',
  dl: '',
  rt: '',
  c: '',
  stdc: '',
  'stdc++': '',
  'stdc++fs': '',
  gcc: '',
  gcc_s: '',
  atomic: '',
};

/**
 * A `-l` name → a library (find_package name, or `Boost:<component>` for
 * `-lboost_<component>`), '' for the C/C++ runtime itself, undefined when unknown.
 */
export function linkFlagLibrary(lib: string): string | undefined {
  const boost = /^boost_([a-z0-9_]+?)(?:-mt)?$/.exec(lib);
  if (boost) return `Boost:${boost[1]}`;
  return LINK_FLAGS[lib];
}

/**
 * Build-only packages given with --packages: headers and tools. Everything else
 * the user names (a runtime library such as libyaml-cpp0.8, or data such as
 * tzdata) is installed in the production image too.
 */
const BUILD_TOOL_PACKAGES = new Set([
  'pkg-config',
  'pkgconf',
  'make',
  'cmake',
  'ninja-build',
  'git',
  'autoconf',
  'automake',
  'libtool',
  'bison',
  'flex',
  'm4',
  'nasm',
  'yasm',
  'gettext',
  'python3',
  'perl',
  'xxd',
  'curl',
  'wget',
  'patch',
  'file',
  'build-essential',
  'g++',
  'gcc',
  'clang',
]);

export function isBuildOnlyPackage(pkg: string): boolean {
  return pkg.endsWith('-dev') || pkg.endsWith('-compiler') || pkg.endsWith('-dbg') || BUILD_TOOL_PACKAGES.has(pkg);
}
