// C and C++ projects as they are in the wild: root Makefiles that delegate to
// src/ (`$(MAKE) -C src`, `cd src && $(MAKE)`, a `.DEFAULT:` rule), programs
// linked in subdirectories, bundled dependencies in deps/ with their tools,
// libraries from `-l` flags and pkg-config, autotools, CMake next to a
// Makefile, unknown libraries, non-HTTP servers and their ports. Detection
// first, then what the CLI renders from it (zero DOCKERFILE-RULES violations).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from '../../../src/project.js';
import { cpp } from '../../../src/stacks/cpp.js';
import { parseConfigureArgs } from '../../../src/stacks/cpp-questions.js';
import { libraryInfo, type CppFacts } from '../../../src/stacks/cpp-detect.js';
import { readMakeProject } from '../../../src/stacks/cpp-make.js';
import { parseMakefile } from '../../../src/stacks/cpp-makefile-syntax.js';
import { detectSourcePort } from '../../../src/stacks/cpp-sources.js';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';
import { runMain } from '../../helpers/run-main.js';
import { filesIn, makeTree, readFixture, snapshotTree, type TreeEntry } from '../../helpers/tree.js';

async function detectTree(files: Record<string, TreeEntry>) {
  const project = new Project(makeTree(files));
  const detection = await cpp.detect(project);
  return { project, detection, facts: detection.facts as CppFacts, notes: detection.notes.join('\n') };
}

async function generate(tree: Record<string, TreeEntry>, argv: string[]) {
  const cwd = makeTree(tree);
  const result = await runMain(['.', '--yes', '--stack', 'cpp', ...argv], { cwd });
  expect(result.code, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  const files: Record<string, string> = {};
  for (const rel of filesIn(snapshotTree(cwd))) files[rel] = fs.readFileSync(path.join(cwd, rel), 'utf8');
  const violations = checkDockerfile(files['Dockerfile']!, { dockerignore: files['.dockerignore']!, expectedStages: ['base', 'dependencies', 'development', 'builder', 'production'] });
  expect(violations, `${formatViolations(violations)}\n\n${files['Dockerfile']}`).toEqual([]);
  for (const [rel, text] of Object.entries(files)) expect(text, `${rel} has an unrendered template tag`).not.toContain('{{');
  return { cwd, files, dockerfile: files['Dockerfile']!, stdout: result.stdout };
}

/** Stage name → its text (continuation lines joined, comments kept). */
function stageText(dockerfile: string, name: string): string {
  const lines = dockerfile.replace(/\s*\\\n\s*/g, ' ').split('\n');
  const start = lines.findIndex((line) => new RegExp(`^FROM \\S+ AS ${name}$`).test(line));
  if (start < 0) throw new Error(`no stage ${name} in:\n${dockerfile}`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('FROM '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

const SERVER_C = 'int main(void) { int s = 0; listen(s, 1); return 0; }\n';
const TOOL_C = 'int main(void) { return 0; }\n';

describe('a root Makefile that delegates to src/ and bundles deps/ (the e2e fixture)', () => {
  it('follows both forms of delegation, finds the programs in src/ and the bundled library', async () => {
    const { facts, detection, notes } = await detectTree(readFixture('cpp/make-recursive'));
    expect(facts.buildSystem).toBe('make');
    expect(facts.make!.delegatesTo).toEqual(['src']);
    expect(facts.make!.catchAll).toBe(true);
    expect(facts.executables.map((e) => [e.name, e.dir, e.test])).toEqual([
      ['kvd', 'src', false],
      ['kvc', 'src', false],
    ]);
    expect(facts.make!.bundled).toEqual([{ dir: 'deps/kvproto', build: 'make' }]);
    // tclsh runs only in src/'s test rule: the build does not need tcl.
    expect(facts.make!.tools).toEqual([]);
    expect(facts.make!.install).toBe('DESTDIR');
    expect(detection.values['targets']).toEqual(['kvd', 'kvc']);
    expect(detection.values['port']).toBe(7379);
    expect(notes).toContain('Makefile hands the build to src/ (a catch-all rule forwards every goal)');
    expect(notes).toContain('programs: kvd (built as src/kvd), kvc (built as src/kvc)');
    expect(notes).toContain("bundled dependencies, built by the project's own build: deps/kvproto (make)");
    expect(notes).toContain('port 7379: the only listening port the sources name');
  });

  it('renders make <name> through the catch-all rule, a search for the binary that skips deps/, and a TCP probe', async () => {
    const { dockerfile, files, stdout } = await generate(readFixture('cpp/make-recursive'), ['--name', 'kv']);
    expect(stdout).toContain('note: programs: kvd (built as src/kvd), kvc (built as src/kvc)');
    const build = stageText(dockerfile, 'build-kvd');
    expect(build).toContain('RUN make -j"$(nproc)" kvd ');
    expect(build).toContain('binary="$(find src . \\( -path ./deps \\) -prune -o -name kvd -type f -perm -u+x -print -quit)"');
    expect(build).toContain('(src/kvd, read from the Makefiles), not searching deps.');
    expect(build).toContain('install -D -s -m 0755 "$binary" /out/kvd');
    const production = stageText(dockerfile, 'production');
    expect(production).toContain('EXPOSE 7379');
    expect(production).toContain('CMD ["bash","-c","exec 3<>/dev/tcp/127.0.0.1/7379"]');
    expect(production).toContain('libs="$(ldd /usr/local/bin/kvd)"');
    const client = stageText(dockerfile, 'production-kvc');
    expect(client).toContain('HEALTHCHECK NONE');
    expect(client).not.toContain('EXPOSE');
    // The binaries a local build leaves in src/ stay out of the context (make would think them up to date).
    expect(files['.dockerignore']!.split('\n')).toEqual(expect.arrayContaining(['src/kvd', 'src/kvc']));
    // Development: a debug build through CFLAGS, the forwarded goals one after another, then the server from wherever make left it.
    const development = stageText(dockerfile, 'development');
    expect(development).toContain('ENV CFLAGS="-O0 -g" CXXFLAGS="-O0 -g"');
    expect(development).toContain('RUN make -j"$(nproc)" kvd && make -j"$(nproc)" kvc');
    expect(development).toContain('exec \\"$(find src . \\\\( -path ./deps \\\\) -prune -o -name kvd -type f -perm -u+x -print -quit)\\"');
    expect(files['compose.yaml']).toContain('- .:/app');
  });

  it("--make-install takes the binaries from the project's install rule, staged with DESTDIR", async () => {
    const { dockerfile } = await generate(readFixture('cpp/make-recursive'), ['--make-install']);
    const build = stageText(dockerfile, 'build-kvd');
    expect(build).toContain('RUN make -j"$(nproc)" && make install DESTDIR=/staging');
    expect(build).toContain('binary="$(find /staging -name kvd -type f -perm -u+x -print -quit)"');
    expect(dockerfile.split('\n')[1]).toContain('--make-install true');
  });
});

describe('delegation and programs in subdirectories', () => {
  it('`$(MAKE) -C src` in a rule: the root has no rule for the program, so the default goal builds it', async () => {
    const tree = {
      Makefile: 'all:\n\t$(MAKE) -C src\n',
      'src/Makefile': 'LIBS = $(shell pkg-config --libs openssl) -lsqlite3\n\nserver: server.o\n\t$(CC) -o $@ server.o $(LIBS)\n\nserver.o: server.c\n\t$(CC) -c -o $@ $<\n',
      'src/server.c': SERVER_C,
    };
    const { facts, notes } = await detectTree(tree);
    expect(facts.make!.delegatesTo).toEqual(['src']);
    expect(facts.make!.catchAll).toBe(false);
    // server.o is compiled (-c), not linked: not a program.
    expect(facts.executables.map((e) => [e.name, e.dir])).toEqual([['server', 'src']]);
    expect(facts.libraries).toEqual(['sqlite3', 'pkgconfig', 'openssl']);
    expect(notes).toContain('Makefile hands the build to src/ (its rules run make there)');
    const { dockerfile } = await generate(tree, []);
    const build = stageText(dockerfile, 'build-server');
    expect(build).toContain('`make` (the default goal: the root Makefile has no rule for server)');
    expect(build).toContain('RUN make -j"$(nproc)" && binary="$(find src . -name server -type f');
    expect(stageText(dockerfile, 'dependencies')).toContain('--no-install-recommends libsqlite3-dev pkg-config libssl-dev ca-certificates');
    expect(stageText(dockerfile, 'production')).toContain('--no-install-recommends libsqlite3-0 libssl3t64 ca-certificates');
  });

  it('`cd src && $(MAKE) $@` in a rule, and a `.DEFAULT:` rule, both delegate; programs named through variables are found', async () => {
    const cd = await detectTree({
      Makefile: 'all:\n\tcd src && $(MAKE) all\n',
      'src/Makefile': 'PROG = tool$(SUFFIX)\n$(PROG): main.o\n\t$(CXX) $(LDFLAGS) -o $(PROG) main.o -lz\n',
      'src/main.cpp': TOOL_C,
    });
    expect(cd.facts.make!.delegatesTo).toEqual(['src']);
    expect(cd.facts.executables.map((e) => [e.name, e.dir])).toEqual([['tool', 'src']]);
    expect(cd.facts.libraries).toEqual(['zlib']);

    const fallback = await detectTree({
      Makefile: 'default: all\n\n.DEFAULT:\n\tcd src && $(MAKE) $@\n',
      'src/Makefile': 'all: app\napp: app.o\n\t$(CC) -o $@ $^ -lm\n',
      'src/app.c': TOOL_C,
    });
    expect(fallback.facts.make!.delegatesTo).toEqual(['src']);
    expect(fallback.facts.make!.catchAll).toBe(true);
    expect(fallback.facts.executables.map((e) => [e.name, e.dir])).toEqual([['app', 'src']]);
    // -lm is the C library itself.
    expect(fallback.facts.libraries).toEqual([]);
    // A project that accepts no connections ships commands: no port to ask about, no EXPOSE.
    expect(fallback.facts.listens).toBe(false);
    const { dockerfile, stdout } = await generate(
      { Makefile: 'default: all\n\n.DEFAULT:\n\tcd src && $(MAKE) $@\n', 'src/Makefile': 'all: app\napp: app.o\n\t$(CC) -o $@ $^\n', 'src/app.c': TOOL_C },
      [],
    );
    expect(stdout).not.toContain('--port');
    const production = stageText(dockerfile, 'production');
    expect(production).not.toContain('EXPOSE');
    expect(production).toContain('# CIS-4.6 exception: app is a command that runs to completion');
  });

  it('test and benchmark programs are found but not shipped', async () => {
    const { detection, facts } = await detectTree({
      Makefile: 'all: srv test_srv\nsrv: srv.o\n\t$(CC) -o $@ $^\ntest_srv: t.o\n\t$(CC) -o $@ $^\n',
      'srv.c': SERVER_C,
    });
    expect(facts.executables.map((e) => [e.name, e.test])).toEqual([
      ['srv', false],
      ['test_srv', true],
    ]);
    expect(detection.values['targets']).toEqual(['srv']);
  });
});

describe('bundled dependencies and the tools their builds need', () => {
  it('a bundled dependency that runs autoreconf needs autoconf, automake and libtool in the builder', async () => {
    const tree = {
      Makefile: 'all: deps\n\t$(MAKE) -C src\ndeps:\n\tcd deps/jemalloc && ./autogen.sh && ./configure && $(MAKE)\n',
      'deps/jemalloc/configure.ac': 'AC_INIT([jemalloc], [5])\n',
      'deps/jemalloc/Makefile.in': '',
      'deps/hiredis/Makefile': 'all:\n\tperl gen.pl > x.h\n',
      'src/Makefile': 'srv: srv.o\n\t$(CC) -o $@ $^\n\ntest:\n\ttclsh tests/all.tcl\n\tpython3 tests/run.py\n',
      'src/srv.c': SERVER_C,
    };
    const { facts, notes } = await detectTree(tree);
    expect(facts.make!.bundled).toEqual([
      { dir: 'deps/hiredis', build: 'make' },
      { dir: 'deps/jemalloc', build: 'autoreconf' },
    ]);
    // perl from the bundled hiredis build; tclsh and python3 only run the tests.
    expect(facts.make!.tools.sort()).toEqual(['autoconf', 'automake', 'libtool', 'perl']);
    expect(notes).toContain("bundled dependencies, built by the project's own build: deps/hiredis (make), deps/jemalloc (autoreconf)");
    const { dockerfile } = await generate(tree, []);
    const base = stageText(dockerfile, 'base');
    expect(base).toMatch(/--no-install-recommends g\+\+ make \S*(autoconf|automake|libtool|perl)/);
    for (const tool of ['autoconf', 'automake', 'libtool', 'perl']) expect(base).toContain(` ${tool}`);
    expect(base).not.toContain('tcl');
    expect(base).not.toContain('python3');
    expect(stageText(dockerfile, 'build-srv')).toContain('\\( -path ./deps \\) -prune -o -name srv');
  });
});

describe('libraries and the notes about them', () => {
  it('an unknown library gets a note naming --packages, and the README lists it', async () => {
    const tree = { Makefile: 'app: app.o\n\t$(CC) -o $@ $^ -lfrob $(shell pkg-config --libs libwidget)\n', 'app.c': TOOL_C };
    const { facts, notes } = await detectTree(tree);
    expect(facts.unknownPackages).toEqual(['-lfrob', 'libwidget']);
    expect(notes).toContain('no Debian package known for -lfrob: add its -dev package and its runtime library with --packages (e.g. --packages libfoo-dev,libfoo1)');
    expect(notes).toContain('no Debian package known for libwidget');
    const { files } = await generate(tree, []);
    expect(files['README.Docker.md']).toContain('- `-lfrob`');
  });

  it('pkg-config modules and -l flags of common C server libraries map to trixie packages', async () => {
    const { facts } = await detectTree({
      Makefile: 'srv: srv.o\n\t$(CC) -o $@ $^ $(shell pkg-config --libs libsystemd libevent) -luv -lreadline -llz4 -lzstd\n',
      'srv.c': SERVER_C,
    });
    expect(facts.libraries).toEqual(['libuv', 'readline', 'lz4', 'zstd', 'pkgconfig', 'libsystemd', 'libevent']);
    expect(facts.libraries.flatMap((key) => libraryInfo(key)!.runtime)).toEqual(['libuv1t64', 'libreadline8t64', 'liblz4-1', 'libzstd1', 'libsystemd0', 'libevent-2.1-7t64']);
  });

  it('a project with both CMake and a Makefile is built with CMake, and says so', async () => {
    const { facts, notes } = await detectTree({
      'CMakeLists.txt': 'project(both)\nadd_executable(both main.cpp)\n',
      Makefile: 'both: main.o\n\t$(CXX) -o $@ $^\n',
      'main.cpp': TOOL_C,
    });
    expect(facts.buildSystem).toBe('cmake');
    expect(facts.executables.map((e) => e.name)).toEqual(['both']);
    expect(notes).toContain('found both CMakeLists.txt and Makefile: using CMake (the Makefile build is not used; delete or rename CMakeLists.txt to build with it)');
  });

  it('-l flags in sub-Makefiles count; those of bundled dependencies do not', async () => {
    const { facts } = await detectTree({
      Makefile: 'all:\n\t$(MAKE) -C src\n',
      'src/Makefile': 'srv: srv.o\n\t$(CC) -o $@ $^ -lssl -lcrypto -lz -lsystemd\n',
      'src/srv.c': SERVER_C,
      'deps/lua/Makefile': 'lua: lua.o\n\t$(CC) -o $@ $^ -lreadline\n',
    });
    expect(facts.libraries).toEqual(['openssl', 'zlib', 'libsystemd']);
    expect(facts.unknownPackages).toEqual([]);
    expect(libraryInfo('libsystemd')).toMatchObject({ build: ['libsystemd-dev'], runtime: ['libsystemd0'] });
  });
});

describe('autotools projects', () => {
  it('configure.ac next to C sources is a C/C++ project without --stack', () => {
    expect(cpp.matches(new Project(makeTree(readFixture('cpp/autotools-zlib'))))).toBe(true);
    expect(cpp.matches(new Project(makeTree({ 'configure.ac': 'AC_INIT([x], [1])\n', 'README.md': '' })))).toBe(false);
  });

  it('reads configure.ac and Makefile.am: the programs, the libraries, the name and version', async () => {
    const { facts, detection, notes } = await detectTree(readFixture('cpp/autotools-zlib'));
    expect(facts.buildSystem).toBe('autotools');
    expect(facts.autotools!.hasConfigure).toBe(false);
    expect(facts.executables.map((e) => [e.name, e.dir])).toEqual([['zpack', 'src']]);
    expect(facts.libraries).toEqual(['zlib']);
    expect(facts.projectName).toBe('zpack');
    expect(facts.projectVersion).toBe('1.2.0');
    expect(detection.values['name']).toBe('zpack');
    expect(notes).toContain('the builder runs autoreconf -fi (no configure script is shipped), then ./configure --prefix=/usr/local');
  });

  it('renders autoreconf, ./configure with --configure-args, make install DESTDIR per target, and zlib1g at run time', async () => {
    const { dockerfile, files, cwd } = await generate(readFixture('cpp/autotools-zlib'), ['--configure-args=--disable-silent-rules --with-zlib=/usr']);
    expect(stageText(dockerfile, 'base')).toContain('--no-install-recommends g++ make autoconf automake libtool');
    expect(stageText(dockerfile, 'builder')).toContain('RUN autoreconf -fi && ./configure --prefix=/usr/local --disable-silent-rules --with-zlib=/usr');
    const build = stageText(dockerfile, 'build-zpack');
    expect(build).toContain('RUN make -j"$(nproc)" && make install DESTDIR=/staging');
    const production = stageText(dockerfile, 'production');
    expect(production).toContain('--no-install-recommends zlib1g\n');
    expect(production).not.toMatch(/-dev\b/);
    // zpack accepts no connections: a command, not a service.
    expect(production).toContain('HEALTHCHECK NONE');
    expect(production).not.toContain('EXPOSE');
    // Development: an out-of-tree debug build, so the mounted source does not hide it.
    const development = stageText(dockerfile, 'development');
    expect(development).toContain('RUN /app/configure --prefix=/usr/local CFLAGS="-O0 -g" CXXFLAGS="-O0 -g" --disable-silent-rules --with-zlib=/usr');
    expect(development).toContain('"make -C /build/debug -j\\"$(nproc)\\" && exec /build/debug/src/zpack"');
    expect(files['.dockerignore']).toContain('config.status');
    // The header records the options so a bare re-run changes nothing.
    expect(dockerfile.split('\n')[1]).toContain('--configure-args --disable-silent-rules,--with-zlib=/usr');
    const again = await runMain(['.', '--yes', '--json'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<{ files: { action: string }[] }>().files.every((f) => f.action === 'identical')).toBe(true);
  });

  it('a shipped configure script needs no autoreconf; --static links with LDFLAGS=-static', async () => {
    const tree = { ...readFixture('cpp/autotools-zlib'), configure: { content: '#!/bin/sh\n', mode: 0o755 } };
    const { dockerfile } = await generate(tree, ['--static']);
    expect(stageText(dockerfile, 'base')).not.toContain('autoconf');
    expect(stageText(dockerfile, 'builder')).toContain('RUN ./configure --prefix=/usr/local LDFLAGS=-static');
    expect(stageText(dockerfile, 'build-zpack')).toContain('zpack is not fully static');
  });

  it('--configure-args is validated: no spaces inside an option, no shell characters', () => {
    expect(parseConfigureArgs('--enable-foo --with-bar=/opt/x CFLAGS=-O2')).toEqual(['--enable-foo', '--with-bar=/opt/x', 'CFLAGS=-O2']);
    expect(parseConfigureArgs('--enable-modules=a,b,--without-x')).toEqual(['--enable-modules=a,b', '--without-x']);
    expect(parseConfigureArgs('none')).toEqual([]);
    for (const bad of ['--x; rm -rf /', '--x=$(id)', '--x="a b"', '`id`', '--x && y']) expect(() => parseConfigureArgs(bad), bad).toThrow(/must be a \.\/configure option/);
  });

  it('--configure-args and --make-install are refused where they do not apply', async () => {
    const cwd = makeTree(readFixture('cpp/makefile-app'));
    const result = await runMain(['.', '--yes', '--configure-args=--enable-x'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--configure-args does not apply to this existing cpp project');
    const noInstall = await runMain(['.', '--yes', '--make-install'], { cwd });
    expect(noInstall.code).toBe(2);
    expect(noInstall.stderr).toContain('--make-install does not apply');
  });
});

describe('ports of servers that do not speak HTTP', () => {
  it('a port the sources name once is detected; none, or several, is unknown', () => {
    expect(detectSourcePort(new Project(makeTree({ 'src/main.c': '#define SERVER_PORT 6379\n' })))).toBe(6379);
    expect(detectSourcePort(new Project(makeTree({ 'main.cpp': 'addr.sin_port = htons(5432);\n' })))).toBe(5432);
    expect(detectSourcePort(new Project(makeTree({ 'main.cpp': 'int port = getenv("PORT") ? atoi(getenv("PORT")) : 9000;\n' })))).toBe(9000);
    expect(detectSourcePort(new Project(makeTree({ 'a.c': '#define PORT 1000\n', 'b.c': '#define ADMIN_PORT 2000\n' })))).toBeUndefined();
    expect(detectSourcePort(new Project(makeTree({ 'a.c': 'int x = 3;\n' })))).toBeUndefined();
  });

  it('under --yes, an unknown port takes the default only with a note naming --port', async () => {
    const tree = { Makefile: 'srv: srv.o\n\t$(CC) -o $@ $^\n', 'srv.c': SERVER_C };
    const { stdout, dockerfile } = await generate(tree, []);
    expect(stdout).toContain('note: no listening port found in the sources: using 8080; pass --port <n> if the server listens on another one');
    expect(dockerfile).toContain('CMD ["bash","-c","exec 3<>/dev/tcp/127.0.0.1/8080"]');
    const given = await generate(tree, ['--port', '6000']);
    expect(given.stdout).not.toContain('no listening port found');
    expect(given.dockerfile).toContain('CMD ["bash","-c","exec 3<>/dev/tcp/127.0.0.1/6000"]');
  });

  it('distroless and scratch cannot open a TCP connection: HEALTHCHECK NONE with the reason; distroless is checked by ldd in the builder', async () => {
    const tree = { Makefile: 'srv: srv.o\n\t$(CC) -o $@ $^\n', 'srv.c': SERVER_C };
    const distroless = await generate(tree, ['--runtime', 'distroless', '--port', '7000']);
    const production = stageText(distroless.dockerfile, 'production');
    expect(production).toContain('# No probe: distroless has no shell or tool to open a connection with');
    expect(production).toContain('HEALTHCHECK NONE');
    expect(production).not.toContain('RUN ');
    expect(stageText(distroless.dockerfile, 'build-srv')).toContain('grep -vxF -e libc6');
    const scratch = await generate(tree, ['--runtime', 'scratch', '--port', '7000']);
    expect(stageText(scratch.dockerfile, 'production')).toContain('HEALTHCHECK NONE');
  });
});

describe('parseMakefile and readMakeProject details', () => {
  it('continuation lines, comments, conditional assignment and inline recipes', () => {
    const parsed = parseMakefile('A ?= 1\nA ?= 2\nB = x \\\n  y # comment\nall: a b ; echo hi\n\techo there\n');
    expect(parsed.variables.get('A')).toBe('1');
    expect(parsed.variables.get('B')).toBe('x    y');
    expect(parsed.rules[0]).toEqual({ targets: ['all'], prerequisites: 'a b ', recipe: ['echo hi', 'echo there'] });
  });

  it('never leaves the project: a sub-make into ../ is not followed', () => {
    const project = new Project(makeTree({ Makefile: 'all:\n\t$(MAKE) -C ../elsewhere\n\t$(MAKE) -C /abs\n' }));
    const { facts } = readMakeProject(project, 'Makefile');
    expect(facts.delegatesTo).toEqual([]);
    expect(facts.files).toEqual(['Makefile']);
  });
});
