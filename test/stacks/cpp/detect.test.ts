// C++ detection: the CMake reader (executables, find_package → Debian
// packages, who links what, the standard, the version), plain-Makefile
// projects, and the package table itself.

import { describe, expect, it } from 'vitest';
import { Project } from '../../../src/project.js';
import { cpp } from '../../../src/stacks/cpp.js';
import { detectCmake } from '../../../src/stacks/cpp-cmake.js';
import { parseCmake } from '../../../src/stacks/cpp-cmake-syntax.js';
import { libraryInfo, type CppFacts } from '../../../src/stacks/cpp-detect.js';
import { boostComponent, DISTROLESS_CC_PACKAGES, findPackageInfo, isBuildOnlyPackage } from '../../../src/stacks/cpp-packages.js';
import { makeTree, readFixture, type TreeEntry } from '../../helpers/tree.js';

async function detectTree(files: Record<string, TreeEntry>) {
  const project = new Project(makeTree(files));
  const detection = await cpp.detect(project);
  return { project, detection, facts: detection.facts as CppFacts };
}

const runtimeOf = (keys: string[] | null): string[] => (keys ?? []).flatMap((k) => libraryInfo(k)?.runtime ?? []);

describe('parseCmake', () => {
  it('reads commands, quoted and bracket arguments, and skips every kind of comment', () => {
    const commands = parseCmake(
      [
        'project(Demo VERSION 1.0) # add_executable(in_comment x.cpp)',
        '#[==[ add_executable(in_bracket_comment x.cpp) ]==]',
        'ADD_EXECUTABLE( app "src/main file.cpp" [=[raw;arg]=] a;b )',
        'if((A OR B) AND C)',
        'endif()',
        'set(X "a \\"quoted\\" word")',
      ].join('\n'),
    );
    expect(commands.map((c) => c.name)).toEqual(['project', 'add_executable', 'if', 'endif', 'set']);
    expect(commands[1]!.args).toEqual(['app', 'src/main file.cpp', 'raw;arg', 'a', 'b']);
    expect(commands[2]!.args).toEqual(['A', 'OR', 'B', 'AND', 'C']);
    expect(commands[4]!.args).toEqual(['X', 'a "quoted" word']);
  });
});

describe('CMake project with two executables, OpenSSL, ZLIB, an unknown package and tests', () => {
  it('finds the executables through add_subdirectory, resolving ${PROJECT_NAME} and OUTPUT_NAME', async () => {
    const { facts } = await detectTree(readFixture('cpp/cmake-shop'));
    expect(facts.buildSystem).toBe('cmake');
    expect(facts.executables.map((e) => [e.name, e.outputName, e.test])).toEqual([
      ['shop-api', 'shop-api', false],
      ['ShopCtl', 'shopctl', false],
      ['shop_tests', 'shop_tests', true],
    ]);
    // Not targets: commented out, IMPORTED, defined inside a function body.
    const names = facts.executables.map((e) => e.name);
    for (const absent of ['not_a_target', 'nor_this', 'protoc', '${plugin_name}']) expect(names).not.toContain(absent);
  });

  it('maps find_package to Debian packages and reports the unknown one', async () => {
    const { facts, detection } = await detectTree(readFixture('cpp/cmake-shop'));
    expect(facts.libraries).toEqual(['openssl', 'zlib', 'threads', 'gtest']);
    expect(facts.unknownPackages).toEqual(['Frobnicator']);
    expect(detection.notes.join('\n')).toMatch(/no Debian package known for Frobnicator: .*--packages/);
    expect(detection.notes.join('\n')).toContain('not shipping test, benchmark or example executables: shop_tests');
    expect(detection.notes.join('\n')).toContain('OpenSSL (libssl-dev)');
    expect(libraryInfo('openssl')?.build).toContain('libssl-dev');
    expect(libraryInfo('zlib')?.build).toEqual(['zlib1g-dev']);
  });

  it('knows which executable links which library, through libraries and aliases', async () => {
    const { facts } = await detectTree(readFixture('cpp/cmake-shop'));
    const api = facts.executables.find((e) => e.name === 'shop-api')!;
    const ctl = facts.executables.find((e) => e.name === 'ShopCtl')!;
    expect(api.links).toEqual(['zlib', 'openssl']);
    expect(ctl.links).toEqual(['zlib']);
    expect(runtimeOf(api.links)).toEqual(['zlib1g', 'libssl3t64', 'ca-certificates']);
    expect(runtimeOf(ctl.links)).toEqual(['zlib1g']);
  });

  it('reads the standard, the version, BUILD_TESTING and a self-probing service', async () => {
    const { facts, detection } = await detectTree(readFixture('cpp/cmake-shop'));
    expect(facts.cxxStandard).toBe('17');
    expect(facts.projectVersion).toBe('1.4.0');
    expect(facts.usesBuildTesting).toBe(true);
    expect(facts.executables.find((e) => e.name === 'shop-api')!.selfProbe).toBe(true);
    expect(facts.executables.find((e) => e.name === 'ShopCtl')!.selfProbe).toBe(false);
    expect(detection.existing).toBe(true);
    expect(detection.values['targets']).toEqual(['shop-api', 'ShopCtl']);
    expect(detection.values['name']).toBe('shop');
  });
});

describe('the ZLIB + OpenSSL fixture the e2e suite builds', () => {
  it('gives the server zlib only and the tool zlib and libcrypto', async () => {
    const { facts } = await detectTree(readFixture('cpp/zlib-app'));
    expect(facts.libraries).toEqual(['zlib', 'openssl']);
    expect(facts.executables.map((e) => [e.name, e.links])).toEqual([
      ['zserver', ['zlib']],
      ['ztool', ['zlib', 'openssl']],
    ]);
    expect(facts.executables.every((e) => !e.selfProbe)).toBe(true);
  });
});

describe('CMake reading details', () => {
  it('Boost components become per-component packages; a component reached through another counts', async () => {
    const { facts } = await detectTree({
      'CMakeLists.txt': [
        'project(b)',
        'find_package(Boost 1.80 REQUIRED COMPONENTS filesystem program_options)',
        'add_executable(fs main.cpp)',
        'target_link_libraries(fs PRIVATE Boost::filesystem Boost::system)',
        'add_executable(opts opts.cpp)',
        'target_link_libraries(opts PRIVATE Boost::program_options Boost::headers)',
      ].join('\n'),
    });
    expect(facts.libraries).toEqual(['boost', 'boost:filesystem', 'boost:program_options', 'boost:system']);
    const [fs, opts] = facts.executables;
    expect(runtimeOf(fs!.links)).toEqual(['libboost-filesystem1.83.0', 'libboost-system1.83.0']);
    expect(runtimeOf(opts!.links)).toEqual(['libboost-program-options1.83.0']);
    expect(boostComponent('chrono')?.runtime).toEqual(['libboost-chrono1.83.0t64']);
    expect(boostComponent('unit_test_framework')?.build).toContain('libboost-test-dev');
  });

  it('components right after REQUIRED, pkg-config modules, old-style variables and raw -l flags', async () => {
    const { facts } = await detectTree({
      'CMakeLists.txt': [
        'project(p)',
        'find_package(Boost REQUIRED thread)',
        'find_package(PkgConfig REQUIRED)',
        'pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl>=7.80)',
        'find_package(SQLite3 REQUIRED)',
        'add_executable(fetch fetch.cpp)',
        'target_link_libraries(fetch PkgConfig::CURL ${SQLite3_LIBRARIES} -lz m)',
      ].join('\n'),
    });
    expect(facts.libraries).toEqual(['boost', 'boost:thread', 'pkgconfig', 'curl', 'sqlite3', 'zlib']);
    expect(facts.executables[0]!.links).toEqual(['curl', 'sqlite3', 'zlib']);
  });

  it('an unresolvable link item means "needs every library found" (null), never a guess', async () => {
    const { facts } = await detectTree({
      'CMakeLists.txt': 'project(p)\nfind_package(fmt REQUIRED)\nadd_executable(a a.cpp)\ntarget_link_libraries(a ${SOME_LIBS} /opt/lib/libx.so)\n',
    });
    expect(facts.executables[0]!.links).toBeNull();
  });

  it('a known target that no find_package provides is built in the tree (FetchContent): nothing to install', async () => {
    const { facts, detection } = await detectTree({
      'CMakeLists.txt': [
        'project(p)',
        'include(FetchContent)',
        'FetchContent_Declare(fmt GIT_REPOSITORY https://github.com/fmtlib/fmt GIT_TAG 11.0.2)',
        'FetchContent_MakeAvailable(fmt)',
        'add_executable(a a.cpp)',
        'target_link_libraries(a PRIVATE fmt::fmt)',
      ].join('\n'),
    });
    expect(facts.executables[0]!.links).toEqual([]);
    expect(facts.fetchesSources).toBe(true);
    expect(detection.notes.join('\n')).toContain('git and CA certificates');
  });

  it('follows include() of project .cmake files and stops at paths that leave the project', async () => {
    const { facts } = await detectTree({
      'CMakeLists.txt': 'project(p)\ninclude(cmake/deps.cmake)\nadd_subdirectory(../outside)\nadd_subdirectory(app)\n',
      'cmake/deps.cmake': 'find_package(ZLIB REQUIRED)\n',
      'app/CMakeLists.txt': 'add_executable(app main.cpp)\ntarget_link_libraries(app ZLIB::ZLIB)\n',
    });
    expect(facts.libraries).toEqual(['zlib']);
    expect(facts.executables.map((e) => e.name)).toEqual(['app']);
  });

  it('executables inside test/example conditions or directories are marked as tests', async () => {
    const { facts } = await detectTree({
      'CMakeLists.txt': 'project(p)\nadd_executable(app a.cpp)\nif(ENABLE_EXAMPLES)\n  add_executable(demo_one d.cpp)\nendif()\nadd_subdirectory(bench)\n',
      'bench/CMakeLists.txt': 'add_executable(speed s.cpp)\n',
    });
    expect(facts.executables.map((e) => [e.name, e.test])).toEqual([
      ['app', false],
      ['demo_one', true],
      ['speed', true],
    ]);
  });

  it('reading stays bounded: at most 200 CMake files, at most 8 directory levels', () => {
    const wide: Record<string, string> = { 'CMakeLists.txt': `project(p)\n${Array.from({ length: 300 }, (_, i) => `add_subdirectory(d${i})`).join('\n')}\n` };
    for (let i = 0; i < 300; i++) wide[`d${i}/CMakeLists.txt`] = `add_executable(e${i} m.cpp)\n`;
    const many = detectCmake(new Project(makeTree(wide)));
    expect(many.facts.executables).toHaveLength(199);
    expect(many.notes).toContain('stopped reading CMake files after 200');

    const deep: Record<string, string> = { 'CMakeLists.txt': 'project(p)\nadd_subdirectory(l1)\n' };
    let dir = '';
    for (let level = 1; level <= 20; level++) {
      dir = dir ? `${dir}/l${level}` : `l${level}`;
      deep[`${dir}/CMakeLists.txt`] = `add_executable(level${level} m.cpp)\nadd_subdirectory(l${level + 1})\n`;
    }
    expect(detectCmake(new Project(makeTree(deep))).facts.executables.map((e) => e.name)).toEqual(Array.from({ length: 8 }, (_, i) => `level${i + 1}`));
  });
});

describe('plain Makefile projects', () => {
  it('reads -l flags, the standard, the all: target and the rules that link programs', async () => {
    const { facts, detection } = await detectTree(readFixture('cpp/makefile-app'));
    expect(facts.buildSystem).toBe('make');
    expect(facts.libraries).toEqual(['zlib', 'threads']);
    expect(facts.cxxStandard).toBe('17');
    expect(facts.makeAllTargets).toEqual(['hello', 'hello-cli']);
    expect(detection.values['targets']).toEqual(['hello', 'hello-cli']);
    expect(detection.notes.join('\n')).toContain('programs: hello (built as ./hello), hello-cli (built as ./hello-cli)');
  });

  it('without a rule that links a program, the binaries are for the user to name', async () => {
    const { detection } = await detectTree({ Makefile: 'all: hello\nhello: hello.o\n', 'hello.c': '' });
    expect(detection.values['targets']).toBeUndefined();
    expect(detection.notes.join('\n')).toContain('Makefile project: no rule that links a program was found; --targets names the binaries `make <name>` builds (its all: target lists hello)');
  });

  it('pkg-config modules in a Makefile, and unknown -l flags reported', async () => {
    const { facts } = await detectTree({
      Makefile: 'LDLIBS = $(shell pkg-config --libs openssl sqlite3) -lfrob\napp: app.o\n',
      'app.cpp': 'int main() {}\n',
    });
    expect(facts.libraries).toEqual(['pkgconfig', 'openssl', 'sqlite3']);
    expect(facts.unknownPackages).toEqual(['-lfrob']);
  });
});

describe('stack matching', () => {
  it('CMakeLists.txt, or a Makefile next to C/C++ sources without go.mod', () => {
    expect(cpp.matches(new Project(makeTree({ 'CMakeLists.txt': 'project(x)\n' })))).toBe(true);
    expect(cpp.matches(new Project(makeTree({ Makefile: 'all:\n', 'src/main.cpp': '' })))).toBe(true);
    expect(cpp.matches(new Project(makeTree({ Makefile: 'all:\n', 'README.md': '' })))).toBe(false);
    expect(cpp.matches(new Project(makeTree({ Makefile: 'all:\n', 'go.mod': 'module x\n', 'c/x.c': '' })))).toBe(false);
    expect(cpp.matches(new Project(makeTree({ 'package.json': '{}' })))).toBe(false);
  });

  it('an empty directory is a new project', async () => {
    const { detection } = await detectTree({});
    expect(detection.existing).toBe(false);
  });
});

describe('the package table', () => {
  const names = ['Threads', 'OpenSSL', 'ZLIB', 'CURL', 'Boost', 'fmt', 'spdlog', 'nlohmann_json', 'SQLite3', 'PostgreSQL', 'libpqxx', 'yaml-cpp', 'Protobuf', 'LibXml2', 'Eigen3', 'GTest'];
  it('knows at least the libraries the contract names, with valid Debian names', () => {
    for (const name of names) {
      const info = name === 'Boost' ? libraryInfo('boost') : findPackageInfo(name);
      expect(info, name).toBeDefined();
      for (const pkg of [...info!.build, ...info!.runtime]) expect(pkg, `${name}: ${pkg}`).toMatch(/^[a-z0-9][a-z0-9+.-]+$/);
    }
    expect(findPackageInfo('libpq')?.name).toBe('PostgreSQL');
  });

  it('runtime lists carry no build packages; build lists carry the headers', () => {
    for (const name of names) {
      const info = name === 'Boost' ? libraryInfo('boost')! : findPackageInfo(name)!;
      for (const pkg of info.runtime) expect(isBuildOnlyPackage(pkg), `${name} runtime ${pkg}`).toBe(false);
      if (info.build.length)
        expect(
          info.build.some((p) => p.endsWith('-dev') || p === 'catch2'),
          name,
        ).toBe(true);
    }
  });

  it('trixie names (t64 transition) for the runtime libraries', () => {
    expect(findPackageInfo('OpenSSL')!.runtime).toContain('libssl3t64');
    expect(findPackageInfo('ZLIB')!.runtime).toEqual(['zlib1g']);
    expect(findPackageInfo('CURL')!.runtime).toContain('libcurl4t64');
    expect(findPackageInfo('PostgreSQL')!.runtime).toEqual(['libpq5']);
    expect(findPackageInfo('SQLite3')!.runtime).toEqual(['libsqlite3-0']);
    expect(findPackageInfo('fmt')!.runtime).toEqual(['libfmt10']);
    expect(findPackageInfo('spdlog')!.runtime).toEqual(['libspdlog1.15', 'libfmt10']);
  });

  it('distroless cc provides OpenSSL but not zlib', () => {
    expect(findPackageInfo('OpenSSL')!.runtime.every((p) => DISTROLESS_CC_PACKAGES.has(p))).toBe(true);
    expect(DISTROLESS_CC_PACKAGES.has('zlib1g')).toBe(false);
  });

  it('--packages: -dev packages and tools are build-only, libraries and data are not', () => {
    expect(isBuildOnlyPackage('libyaml-cpp-dev')).toBe(true);
    expect(isBuildOnlyPackage('pkg-config')).toBe(true);
    expect(isBuildOnlyPackage('protobuf-compiler')).toBe(true);
    expect(isBuildOnlyPackage('libyaml-cpp0.8')).toBe(false);
    expect(isBuildOnlyPackage('tzdata')).toBe(false);
  });
});
