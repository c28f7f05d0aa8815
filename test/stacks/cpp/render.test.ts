// C++ rendering through the whole CLI: every runtime × static × one/two
// executables × extra packages, for a new project, CMake and Makefile
// projects. Each combination either renders a Dockerfile with zero
// DOCKERFILE-RULES violations and the promised shape, or is refused with a
// message that names the flag; a second run with no flags plans every file
// identical.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDockerfile, formatViolations } from '../../helpers/dockerfile-rules.js';
import { runMain } from '../../helpers/run-main.js';
import { filesIn, makeTree, readFixture, snapshotTree, type TreeEntry } from '../../helpers/tree.js';

const EXPECTED_STAGES = ['base', 'dependencies', 'development', 'builder', 'production'];

interface Generated {
  dir: string;
  files: Record<string, string>;
  stdout: string;
}

async function run(tree: Record<string, TreeEntry>, argv: string[], target = '.') {
  const cwd = makeTree(tree);
  const result = await runMain([target, '--yes', ...argv], { cwd });
  return { result, dir: path.join(cwd, target) };
}

async function generate(tree: Record<string, TreeEntry>, argv: string[], target = '.'): Promise<Generated> {
  const { result, dir } = await run(tree, argv, target);
  expect(result.code, `${argv.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  const files: Record<string, string> = {};
  for (const rel of filesIn(snapshotTree(dir))) files[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  return { dir, files, stdout: result.stdout };
}

/** Stage name → its instructions (continuations joined, comments dropped), in file order. */
function stages(dockerfile: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of dockerfile.replace(/\\\n/g, ' ').split('\n')) {
    const instruction = line.trim().replace(/\s+/g, ' ');
    if (instruction === '' || instruction.startsWith('#')) continue;
    const from = /^FROM (?:--platform=\S+ )?(\S+) AS (\S+)$/.exec(instruction);
    if (from) {
      current = [`FROM ${from[1]}`];
      result.set(from[2]!, current);
    } else {
      current?.push(instruction);
    }
  }
  return result;
}

function stage(dockerfile: string, name: string): string[] {
  const found = stages(dockerfile).get(name);
  if (!found) throw new Error(`no stage ${name} in:\n${dockerfile}`);
  return found;
}

function expectClean(files: Record<string, string>): void {
  const dockerfile = files['Dockerfile']!;
  const violations = checkDockerfile(dockerfile, { dockerignore: files['.dockerignore']!, expectedStages: EXPECTED_STAGES });
  expect(violations, `${formatViolations(violations)}\n\n${dockerfile}`).toEqual([]);
  for (const [rel, text] of Object.entries(files)) {
    expect(text, `${rel} has an unrendered template tag`).not.toContain('{{');
    expect(text, `${rel} has an HTML-escaped character`).not.toMatch(/&#x[0-9A-F]+;|&quot;|&amp;|&lt;|&gt;/);
  }
}

// ---------------------------------------------------------------------------

interface ProjectCase {
  id: string;
  tree: Record<string, TreeEntry>;
  argv: string[];
  target: string;
  /** Executables shipped, main first, and their binary names. */
  executables: { name: string; output: string; suffix: string }[];
  buildSystem: 'cmake' | 'make';
  /** Shared libraries (Debian runtime packages) per executable when linked dynamically. */
  runtime: Record<string, string[]>;
  /** The main executable answers `--healthcheck`. */
  selfProbe: boolean;
  /** The main executable is a server (a Make project whose sources accept no connections ships commands only). */
  service: boolean;
  /** CMake defines CTest tests: the Dockerfile has a `test` stage. */
  tests?: boolean;
}

const HEADER_ONLY_TREE: Record<string, TreeEntry> = {
  'CMakeLists.txt': [
    'cmake_minimum_required(VERSION 3.20)',
    'project(jsonsvc VERSION 0.3.0 LANGUAGES CXX)',
    'find_package(nlohmann_json REQUIRED)',
    'find_package(Threads REQUIRED)',
    'add_executable(jsonsvc main.cpp)',
    'target_link_libraries(jsonsvc PRIVATE nlohmann_json::nlohmann_json Threads::Threads)',
  ].join('\n'),
  'main.cpp': 'int main() {}\n',
};

const PROJECTS: ProjectCase[] = [
  {
    id: 'new project',
    tree: {},
    argv: ['--stack', 'cpp'],
    target: 'hello-svc',
    executables: [
      { name: 'server', output: 'server', suffix: 'server' },
      { name: 'cli', output: 'cli', suffix: 'cli' },
    ],
    buildSystem: 'cmake',
    runtime: { server: [], cli: [] },
    selfProbe: true,
    service: true,
    tests: true,
  },
  {
    id: 'CMake, two executables (ZLIB, OpenSSL)',
    tree: readFixture('cpp/zlib-app'),
    argv: [],
    target: '.',
    executables: [
      { name: 'zserver', output: 'zserver', suffix: 'zserver' },
      { name: 'ztool', output: 'ztool', suffix: 'ztool' },
    ],
    buildSystem: 'cmake',
    runtime: { zserver: ['zlib1g'], ztool: ['zlib1g', 'libssl3t64', 'ca-certificates'] },
    selfProbe: false,
    service: true,
  },
  {
    id: 'CMake, one executable of two',
    tree: readFixture('cpp/zlib-app'),
    argv: ['--targets', 'ztool'],
    target: '.',
    executables: [{ name: 'ztool', output: 'ztool', suffix: 'ztool' }],
    buildSystem: 'cmake',
    runtime: { ztool: ['zlib1g', 'libssl3t64', 'ca-certificates'] },
    selfProbe: false,
    service: true,
  },
  {
    id: 'CMake, header-only libraries',
    tree: HEADER_ONLY_TREE,
    argv: [],
    target: '.',
    executables: [{ name: 'jsonsvc', output: 'jsonsvc', suffix: 'jsonsvc' }],
    buildSystem: 'cmake',
    runtime: { jsonsvc: [] },
    selfProbe: false,
    service: true,
  },
  {
    id: 'Makefile, two binaries',
    tree: readFixture('cpp/makefile-app'),
    argv: ['--targets', 'hello,hello-cli'],
    target: '.',
    executables: [
      { name: 'hello', output: 'hello', suffix: 'hello' },
      { name: 'hello-cli', output: 'hello-cli', suffix: 'hello-cli' },
    ],
    buildSystem: 'make',
    runtime: { hello: ['zlib1g'], 'hello-cli': ['zlib1g'] },
    selfProbe: false,
    service: false,
  },
  {
    id: 'Makefile, one binary',
    tree: readFixture('cpp/makefile-app'),
    argv: ['--targets', 'hello-cli'],
    target: '.',
    executables: [{ name: 'hello-cli', output: 'hello-cli', suffix: 'hello-cli' }],
    buildSystem: 'make',
    runtime: { 'hello-cli': ['zlib1g'] },
    selfProbe: false,
    service: false,
  },
];

const PACKAGE_SETS = [
  { id: 'no extra packages', packages: [] as string[], buildOnly: [] as string[], runtime: [] as string[] },
  { id: 'a library and its headers', packages: ['libyaml-cpp-dev', 'libyaml-cpp0.8'], buildOnly: ['libyaml-cpp-dev'], runtime: ['libyaml-cpp0.8'] },
  { id: 'a tool and data', packages: ['pkg-config', 'tzdata'], buildOnly: ['pkg-config'], runtime: ['tzdata'] },
];
const RUNTIMES = ['slim', 'distroless', 'scratch'] as const;
const DISTROLESS_HAS = new Set(['libssl3t64', 'ca-certificates', 'tzdata']);
const DATA = new Set(['ca-certificates', 'tzdata']);

interface Combination {
  project: ProjectCase;
  runtime: (typeof RUNTIMES)[number];
  static: boolean;
  packages: (typeof PACKAGE_SETS)[number];
}

/** The refusal a combination must meet, worked out from the contract (undefined: it must render). */
function expectedRefusal(c: Combination): RegExp | undefined {
  const linkStatic = c.static || c.runtime === 'scratch';
  const needed = (exe: string) => [...(linkStatic ? c.project.runtime[exe]!.filter((p) => DATA.has(p)) : c.project.runtime[exe]!), ...c.packages.runtime];
  if (c.runtime === 'distroless' && c.project.executables.some((e) => needed(e.name).some((p) => !DISTROLESS_HAS.has(p)))) {
    return /^--runtime distroless: \S+ needs .+ at run time, which gcr\.io\/distroless\/cc-debian13 does not have\. Use --runtime slim/m;
  }
  if (c.runtime === 'scratch' && c.packages.runtime.some((p) => !DATA.has(p))) return /^--runtime scratch: an empty image cannot hold the packages libyaml-cpp0\.8; use --runtime slim\./m;
  return undefined;
}

const combinations: Combination[] = PROJECTS.flatMap((project) =>
  RUNTIMES.flatMap((runtime) => [false, true].flatMap((isStatic) => PACKAGE_SETS.map((packages) => ({ project, runtime, static: isStatic, packages })))),
);

function argvOf(c: Combination): string[] {
  return [...c.project.argv, '--runtime', c.runtime, ...(c.static ? ['--static'] : []), ...(c.packages.packages.length ? ['--packages', c.packages.packages.join(',')] : [])];
}

describe('every project × runtime × static × packages combination', () => {
  it.each(combinations.map((c) => [`${c.project.id}, ${c.runtime}${c.static ? ', --static' : ''}, ${c.packages.id}`, c] as const))('%s', async (_title, c) => {
    const refusal = expectedRefusal(c);
    if (refusal) {
      const { result, dir } = await run(c.project.tree, argvOf(c), c.project.target);
      expect(result.code, result.stdout).toBe(2);
      expect(result.stderr).toMatch(refusal);
      // Refused before anything is written.
      expect(fs.existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
      return;
    }

    const { files, dir } = await generate(c.project.tree, argvOf(c), c.project.target);
    expectClean(files);
    const dockerfile = files['Dockerfile']!;
    const linkStatic = c.static || c.runtime === 'scratch';
    const [main, ...others] = c.project.executables;

    // Stage order: the core stages, one build stage per executable FROM builder, then the production targets.
    const order = [...stages(dockerfile).keys()];
    expect(order).toEqual([
      'base',
      'dependencies',
      'development',
      'builder',
      ...c.project.executables.map((e) => `build-${e.suffix}`),
      'binaries',
      ...(c.project.tests ? ['test'] : []),
      'production',
      ...others.map((e) => `production-${e.suffix}`),
    ]);
    for (const e of c.project.executables) {
      const build = stage(dockerfile, `build-${e.suffix}`);
      expect(build[0]).toBe('FROM builder');
      const compile = build.find((i) => i.startsWith('RUN '))!;
      if (c.project.buildSystem === 'cmake') expect(compile).toContain(`cmake --build build --target ${e.name} `);
      else expect(compile).toContain(`make -j"$(nproc)" ${e.name} `);
      expect(compile).toContain(`/out/${e.output}`);
      // A static build proves it is static before anything ships it.
      expect(compile.includes(`${e.output} is not fully static`)).toBe(linkStatic);
    }

    // The shared builder: configured once, release, static flags when asked.
    const builder = stage(dockerfile, 'builder');
    if (c.project.buildSystem === 'cmake') {
      const configure = builder.find((i) => i.startsWith('RUN cmake -S . -B build -G Ninja'))!;
      expect(configure).toContain('-DCMAKE_BUILD_TYPE=Release');
      expect(configure.includes('-DCMAKE_EXE_LINKER_FLAGS=-static')).toBe(linkStatic);
      expect(builder.indexOf('COPY . .')).toBeLessThan(builder.indexOf(configure));
    } else {
      expect(builder).toContain('COPY . .');
      for (const e of c.project.executables) expect(stage(dockerfile, `build-${e.suffix}`).join('\n').includes('LDFLAGS=-static')).toBe(linkStatic);
    }

    // dependencies: apt only, never the source; the extra packages go there.
    const dependencies = stage(dockerfile, 'dependencies');
    expect(dependencies.some((i) => i.startsWith('COPY'))).toBe(false);
    for (const pkg of c.packages.packages) expect(dependencies.join('\n')).toContain(pkg);

    // base: the shared toolchain, apt done right.
    const baseInstall = stage(dockerfile, 'base').find((i) => i.startsWith('RUN '))!;
    expect(baseInstall).toContain(c.project.buildSystem === 'cmake' ? 'install -y --no-install-recommends g++ cmake ninja-build' : 'install -y --no-install-recommends g++ make');
    expect(baseInstall).toMatch(/--mount=type=cache,id=[a-z0-9.-]+-apt-cache,target=\/var\/cache\/apt,sharing=locked/);
    expect(baseInstall).toMatch(/--mount=type=cache,id=[a-z0-9.-]+-apt-lists,target=\/var\/lib\/apt,sharing=locked/);

    // development: debug build and gdb, from the libraries, with the source.
    const development = stage(dockerfile, 'development');
    expect(development[0]).toBe('FROM dependencies');
    expect(development.join('\n')).toContain('--no-install-recommends gdb');
    if (c.project.buildSystem === 'cmake') expect(development.join('\n')).toContain('-DCMAKE_BUILD_TYPE=Debug');

    // production targets: the right runtime, non-root, exactly the packages each binary needs.
    for (const e of c.project.executables) {
      const name = e === main ? 'production' : `production-${e.suffix}`;
      const production = stage(dockerfile, name);
      expect(production[0]).toBe(c.runtime === 'scratch' ? 'FROM scratch' : 'FROM ${RUNTIME_IMAGE}');
      expect(production.filter((i) => i.startsWith('USER '))).toEqual(['USER 65532:65532']);
      expect(production).toContain(`COPY --from=build-${e.suffix} /out/${e.output} /usr/local/bin/${e.output}`);
      expect(production).toContain(`ENTRYPOINT ["/usr/local/bin/${e.output}"]`);
      const install = production.find((i) => i.startsWith('RUN ') && i.includes('apt-get install'));
      const shared = linkStatic ? c.project.runtime[e.name]!.filter((p) => DATA.has(p)) : c.project.runtime[e.name]!;
      const wanted = [...new Set([...shared, ...c.packages.runtime])];
      if (c.runtime === 'slim' && wanted.length > 0) {
        expect(install).toBeDefined();
        expect(
          install!
            .replace(/.*--no-install-recommends /, '')
            .split(' ')
            .sort(),
        ).toEqual([...wanted].sort());
      } else {
        expect(install).toBeUndefined();
      }
      if (c.runtime === 'scratch') {
        expect(production.includes('COPY --from=dependencies /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt')).toBe(wanted.includes('ca-certificates'));
        expect(production.includes('COPY --from=dependencies /usr/share/zoneinfo /usr/share/zoneinfo')).toBe(wanted.includes('tzdata'));
      }
      const healthcheck = production.find((i) => i.startsWith('HEALTHCHECK'));
      // Binaries whose links were read from Makefiles are proven complete by ldd in the slim image itself.
      expect(production.some((i) => i.startsWith('RUN ') && i.includes(`ldd /usr/local/bin/${e.output}`))).toBe(c.project.buildSystem === 'make' && c.runtime === 'slim');
      if (e === main && c.project.service) {
        expect(production).toContain('EXPOSE 8080');
        if (c.project.selfProbe) expect(healthcheck).toContain(`CMD ["/usr/local/bin/${e.output}","--healthcheck"]`);
        // Any TCP server, HTTP or not: bash opens a connection to the port.
        else if (c.runtime === 'slim') expect(healthcheck).toContain('CMD ["bash","-c","exec 3<>/dev/tcp/127.0.0.1/8080"]');
        else {
          // Nothing to probe with: disabled, with the reason.
          expect(healthcheck).toBe('HEALTHCHECK NONE');
          expect(dockerfile).toContain(`# No probe: ${c.runtime} has no shell or tool to open a connection with`);
        }
      } else {
        // A command: no port, and an explicit, explained HEALTHCHECK NONE.
        expect(healthcheck).toBe('HEALTHCHECK NONE');
        expect(production.some((i) => i.startsWith('EXPOSE'))).toBe(false);
        expect(dockerfile).toContain(`# CIS-4.6 exception: ${e.output} is a command that runs to completion`);
      }
    }
    const runtimeArg = /^ARG RUNTIME_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(runtimeArg).toBe(c.runtime === 'slim' ? 'debian:trixie-slim' : c.runtime === 'distroless' ? 'gcr.io/distroless/cc-debian13:nonroot' : undefined);
    expect(dockerfile).toMatch(/^ARG BUILDER_IMAGE=debian:trixie-slim$/m);

    // The header spells out what the run chose; scratch's implied --static included.
    const header = dockerfile.split('\n')[1]!;
    expect(header).toContain(`--runtime ${c.runtime}`);
    expect(header.includes('--static true')).toBe(linkStatic);
    expect(header.includes(`--packages ${c.packages.packages.join(',')}`)).toBe(c.packages.packages.length > 0);

    // npm scripts: one docker:build:<name> per extra executable.
    const scripts = JSON.parse(files['package.json']!).scripts as Record<string, string>;
    for (const e of others) expect(scripts[`docker:build:${e.suffix}`]).toMatch(new RegExp(`^docker build --target production-${e.suffix} -t \\S+-${e.suffix} \\.$`));
    expect(Object.keys(scripts).filter((k) => k.startsWith('docker:build:') && k !== 'docker:build:dev')).toHaveLength(others.length);

    // A second run, with no flags at all, reads the header back and changes nothing.
    const again = await runMain(['.', '--yes', '--json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    const report = again.json<{ stack: string; files: { path: string; action: string }[] }>();
    expect(report.stack).toBe('cpp');
    expect(
      report.files.filter((f) => f.action !== 'identical'),
      JSON.stringify(report.files),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

describe('a new project', () => {
  it('is a CMake project with a static library shared by the service and the tool', async () => {
    const { files } = await generate({}, ['--stack', 'cpp', '--port', '9090'], 'svc');
    const cmake = files['CMakeLists.txt']!;
    expect(cmake).toContain('project(svc VERSION 0.1.0 LANGUAGES CXX)');
    expect(cmake).toContain('add_library(common STATIC src/common/http.cpp)');
    expect(cmake).toMatch(/add_executable\(server apps\/service\/main\.cpp\)\ntarget_link_libraries\(server PRIVATE common\)/);
    expect(cmake).toMatch(/add_executable\(cli apps\/tool\/main\.cpp\)\ntarget_link_libraries\(cli PRIVATE common\)/);
    expect(cmake).toContain('APP_DEFAULT_PORT=9090');
    expect(files['apps/service/main.cpp']).toContain('"--healthcheck"');
    expect(files['apps/service/main.cpp']).toContain('SIGTERM');
    expect(files['apps/tool/main.cpp']).toContain('"--version"');
    expect(files['.gitignore']).toContain('build/');
    expect(stage(files['Dockerfile']!, 'production')).toContain('EXPOSE 9090');
    expect(stage(files['Dockerfile']!, 'production')).toContain('ENV PORT=9090');
    expect(files['compose.yaml']).toContain('"9090:9090"');
    expect(JSON.parse(files['package.json']!)).toMatchObject({ name: 'svc', private: true, scripts: { 'docker:build:cli': 'docker build --target production-cli -t svc-cli .' } });
  });

  it('--targets names the two executables (a space after a comma is fine)', async () => {
    const { files } = await generate({}, ['--stack', 'cpp', '--targets', 'api, shopctl'], 'svc');
    expect(files['CMakeLists.txt']).toContain('add_executable(api apps/service/main.cpp)');
    expect(files['CMakeLists.txt']).toContain('add_executable(shopctl apps/tool/main.cpp)');
    expect([...stages(files['Dockerfile']!).keys()].slice(-6)).toEqual(['build-api', 'build-shopctl', 'binaries', 'test', 'production', 'production-shopctl']);
  });

  it('--packages none is the explicit empty list, and the header leaves it out', async () => {
    const { files } = await generate({}, ['--stack', 'cpp', '--packages', 'none'], 'svc');
    expect(files['Dockerfile']!.split('\n')[1]).toBe('# create-multistage: --stack cpp --name svc --port 8080 --targets server,cli --runtime slim');
    expect(stage(files['Dockerfile']!, 'dependencies').some((i) => i.startsWith('RUN'))).toBe(false);
  });

  it('--static alone means scratch', async () => {
    const { files } = await generate({}, ['--stack', 'cpp', '--static'], 'svc');
    expect(files['Dockerfile']!.split('\n')[1]).toBe('# create-multistage: --stack cpp --name svc --port 8080 --targets server,cli --static true --runtime scratch');
    expect(stage(files['Dockerfile']!, 'production')[0]).toBe('FROM scratch');
  });

  it.each([
    [['--targets', 'a,b,c'], /--targets for a new project names its two executables/],
    [['--targets', 'server,common'], /"common" is the name of the new project's shared library/],
    [['--targets', 'server,server'], /--targets lists a name twice/],
    [['--targets', 'bad name,x'], /--targets item "bad name" must be an executable name/],
    [['--targets', 'server,cli '], /--targets item "cli " must be an executable name/],
    [['--targets', 'server\n,cli'], /--targets item "server\\n" must be an executable name/],
    [['--packages', 'tzdata '], /--packages item "tzdata " must be a Debian package name/],
    [['--packages', 'libfoo-dev,Bad_Name'], /--packages item "Bad_Name" must be a Debian package name/],
    [['--packages', 'libfoo-dev;rm -rf /'], /--packages item "libfoo-dev;rm -rf \/" must be a Debian package name/],
    [['--packages='], /--packages must be a comma-separated list of Debian packages .* or none; got ""/],
    [['--packages', 'libfoo-dev,'], /--packages must be a comma-separated list of Debian packages/],
    [['--packages', 'lib--x'], /--packages item "lib--x" must be a Debian package name/],
    [['--runtime', 'alpine'], /--runtime must be one of slim, distroless, scratch/],
    [['--static=maybe'], /--static is a switch/],
  ])('%j is refused (exit 2)', async (argv, message) => {
    const { result, dir } = await run({}, ['--stack', 'cpp', ...argv], 'svc');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('existing CMake projects', () => {
  it('ships executables by target name, with lower-case stage names, OUTPUT_NAME binaries and tests switched off', async () => {
    const { files, stdout } = await generate(readFixture('cpp/cmake-shop'), []);
    expectClean(files);
    const dockerfile = files['Dockerfile']!;
    expect([...stages(dockerfile).keys()].slice(4)).toEqual(['build-shop-api', 'build-shopctl', 'binaries', 'test', 'production', 'production-shopctl']);
    // The project defines tests: the test stage builds them with BUILD_TESTING=ON and runs ctest.
    expect(stage(dockerfile, 'test').join('\n')).toMatch(/-DBUILD_TESTING=ON[\s\S]*ctest --test-dir \/build\/test --output-on-failure/);
    expect(JSON.parse(files['package.json']!).scripts['docker:test']).toBe('docker build --target test .');
    expect(stage(dockerfile, 'build-shopctl').join('\n')).toContain('cmake --build build --target ShopCtl ');
    expect(stage(dockerfile, 'build-shopctl').join('\n')).toContain('-name shopctl ');
    expect(stage(dockerfile, 'builder').join('\n')).toContain('-DBUILD_TESTING=OFF');
    // The test framework is still installed: development configures with tests on.
    expect(stage(dockerfile, 'dependencies').join('\n')).toContain('libgtest-dev');
    // shop-api answers --healthcheck: the image probes itself.
    expect(stage(dockerfile, 'production').join('\n')).toContain('CMD ["/usr/local/bin/shop-api","--healthcheck"]');
    expect(stage(dockerfile, 'production').find((i) => i.startsWith('RUN '))).toContain('--no-install-recommends zlib1g libssl3t64 ca-certificates');
    expect(stage(dockerfile, 'production-shopctl').find((i) => i.startsWith('RUN '))).toContain('--no-install-recommends zlib1g');
    expect(stage(dockerfile, 'production-shopctl').find((i) => i.startsWith('RUN '))).not.toContain('libssl3t64');
    expect(stdout).toContain('no Debian package known for Frobnicator');
    expect(files['README.Docker.md']).toContain('- `Frobnicator`');
    expect(JSON.parse(files['package.json']!).scripts['docker:build:shopctl']).toBe('docker build --target production-shopctl -t shop-shopctl .');
    expect(files['Dockerfile']).toContain('org.opencontainers.image.version="1.4.0"');
  });

  it('--targets must name add_executable() targets', async () => {
    const { result } = await run(readFixture('cpp/cmake-shop'), ['--targets', 'shop-api,worker']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--targets: worker is not an add_executable() target of this CMake project (found: shop-api, ShopCtl, shop_tests).');
  });

  it('a test executable ships when named', async () => {
    const { files } = await generate(readFixture('cpp/cmake-shop'), ['--targets', 'shop-api,shop_tests']);
    expect(stages(files['Dockerfile']!).has('production-shop_tests')).toBe(true);
  });

  it('--static is refused for a library Debian cannot link statically, and explained', async () => {
    const tree = {
      'CMakeLists.txt': 'project(f)\nfind_package(fmt REQUIRED)\nadd_executable(f main.cpp)\ntarget_link_libraries(f PRIVATE fmt::fmt)\n',
      'main.cpp': 'int main() {}\n',
    };
    const { result } = await run(tree, ['--static']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--static: f links fmt, which cannot be linked statically from Debian's packages (Debian ships no static libfmt (libfmt.a)). Use --runtime slim instead.");
    const ok = await generate(tree, []);
    expect(stage(ok.files['Dockerfile']!, 'production').find((i) => i.startsWith('RUN '))).toContain('--no-install-recommends libfmt10');
  });

  it('a static OpenSSL link gets the archives libcrypto.a needs', async () => {
    const { files } = await generate(readFixture('cpp/zlib-app'), ['--static']);
    const configure = stage(files['Dockerfile']!, 'builder').find((i) => i.startsWith('RUN cmake'))!;
    expect(configure).toContain('"-DCMAKE_CXX_STANDARD_LIBRARIES=-lz -lzstd"');
    expect(configure).toContain('-DOPENSSL_USE_STATIC_LIBS=ON');
    expect(configure).toContain('-DZLIB_USE_STATIC_LIBS=ON');
    expect(configure).toContain('-DCMAKE_PROJECT_INCLUDE=/usr/local/share/cmake/static-libraries.cmake');
    expect(stage(files['Dockerfile']!, 'dependencies').join('\n')).toContain('libzstd-dev');
  });
});

/** A Makefile whose programs link through make's implicit rules: nothing says which goals are programs. */
const IMPLICIT_RULES_TREE: Record<string, TreeEntry> = {
  Makefile: 'CXXFLAGS += -std=c++17\nLDLIBS += -lz\n\nall: hello hello-cli\n\nhello: hello.o greet.o\nhello-cli: cli.o greet.o\n',
  'hello.cpp': 'int main() {}\n',
  'cli.cpp': 'int main() {}\n',
  'greet.cpp': '\n',
};

describe('Makefile projects', () => {
  it('--targets is required when no rule links a program: --yes alone is refused with a hint from the all: target', async () => {
    const { result } = await run(IMPLICIT_RULES_TREE, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--targets is required for a Makefile project: name the binaries `make <name>` builds (e.g. --targets hello,hello-cli).');
  });

  it('without a terminal and without --yes, the missing answers are named', async () => {
    const cwd = makeTree(IMPLICIT_RULES_TREE);
    const result = await runMain(['.'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--targets <value>');
  });

  it('keeps the binaries make leaves in the project root out of the context', async () => {
    const { files } = await generate(readFixture('cpp/makefile-app'), ['--targets', 'hello,hello-cli']);
    const ignore = files['.dockerignore']!.split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['hello', 'hello-cli', '*.o']));
    expect(stage(files['Dockerfile']!, 'development')).toContain('CMD ["bash","-c","make -j\\"$(nproc)\\" hello hello-cli && exec \\"$(find . -name hello -type f -perm -u+x -print -quit)\\""]');
    expect(files['README.Docker.md']).toContain('## Makefile projects');
  });
});

describe('the shared apt cache mount', () => {
  it('every stage that installs through it removes Debian’s docker-clean hook first (a runtime stage would empty the cache)', async () => {
    const { files } = await generate(readFixture('cpp/zlib-app'), ['--stack', 'cpp', '--name', 'zlib-app', '--runtime', 'slim']);
    const dockerfile = files['Dockerfile']!;
    const users = [...stages(dockerfile)].flatMap(([name, instructions]) => instructions.filter((i) => i.includes('target=/var/cache/apt')).map((i) => ({ name, instruction: i })));
    // base, dependencies, development and both runtime stages install packages.
    expect(users.map((u) => u.name)).toEqual(expect.arrayContaining(['base', 'production', 'production-ztool']));
    for (const { name, instruction } of users) {
      expect(instruction, name).toMatch(/ rm -f \/etc\/apt\/apt\.conf\.d\/docker-clean && apt-get update /);
    }
  });
});
