/**
 * The C++ stack on a real engine. A new project (slim, then distroless), a
 * CMake fixture that links ZLIB and OpenSSL (slim, then fully static on
 * scratch) and a Makefile fixture build every production target; each
 * production image runs as uid 65532, the services answer GET /healthz with
 * 200 and pass their own HEALTHCHECK command, the tools run. The build output
 * shows each `build-<name>` stage compiling from the shared, configured
 * `builder` (configured once, then cached for the next executable), and a
 * source edit rebuilds without re-running any apt install. Projects as they
 * are in the wild: a root Makefile delegating to src/ with a bundled deps/
 * library (a TCP server and its client talk over a user-defined network), and
 * an autotools project linking zlib (zlib1g and no -dev package at run time).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  build,
  cachedSteps,
  cleanup,
  containerLogs,
  containerUid,
  ensureImages,
  freePort,
  inspectImage,
  requireDocker,
  runCli,
  runDetached,
  runId,
  runOnce,
  waitForHttp,
} from '../helpers/docker.js';

const haveDocker = requireDocker();
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${runId}-cpp-`));

beforeAll(() => {
  if (!haveDocker) return;
  ensureImages(['debian:trixie-slim', 'gcr.io/distroless/cc-debian13:nonroot']);
});

/** User-defined networks and the containers on them, removed after the suite. */
const networks: string[] = [];
const networkContainers: string[] = [];

function createNetwork(): string {
  const name = `${runId}-net-${networks.length}`;
  execFileSync('docker', ['network', 'create', name], { stdio: 'ignore' });
  networks.push(name);
  return name;
}

/** Runs a container on a network, unpublished: reachable only by its name from that network. */
function runOnNetwork(image: string, network: string, name: string): string {
  execFileSync('docker', ['run', '-d', '--name', name, '--network', network, image], { stdio: 'ignore' });
  networkContainers.push(name);
  return name;
}

afterAll(() => {
  for (const name of networkContainers) spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  for (const name of networks) spawnSync('docker', ['network', 'rm', name], { stdio: 'ignore' });
  cleanup();
  fs.rmSync(workRoot, { recursive: true, force: true });
});

/**
 * A project directory. The --name stays the same across runs and variants, so
 * the apt cache mounts and the toolchain layer are warm after the first run.
 */
function project(dir: string, fixture: string | undefined, flags: string[]): string {
  const root = path.join(workRoot, dir);
  if (fixture) fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'cpp', fixture), root, { recursive: true });
  if (fixture) runCli(['.', '--stack', 'cpp', '--yes', ...flags], root);
  else runCli([dir, '--stack', 'cpp', '--yes', ...flags], workRoot);
  return root;
}

function healthcheckOf(image: string): string[] | null {
  const raw = execFileSync('docker', ['image', 'inspect', '-f', '{{json .Config.Healthcheck}}', image], { encoding: 'utf8' }).trim();
  const parsed = JSON.parse(raw) as { Test?: string[] } | null;
  return parsed?.Test ?? null;
}

/** Runs the image's own HEALTHCHECK command inside the running container (exec form: no shell needed). */
function runHealthcheck(container: string, image: string): number {
  const test = healthcheckOf(image);
  expect(test?.[0]).toBe('CMD');
  return spawnSync('docker', ['exec', container, ...test!.slice(1)], { stdio: 'ignore' }).status ?? 1;
}

/** The step ids of a build's output for one stage, e.g. `[build-server 1/1]`. */
function steps(output: string, stageName: string): string[] {
  return [...new Set([...output.matchAll(/^#\d+ \[([^\]]+)\] (.*)$/gm)].filter((m) => m[1]!.startsWith(`${stageName} `)).map((m) => `[${m[1]}] ${m[2]}`))];
}

function stopGracefully(container: string): number {
  execFileSync('docker', ['stop', '-t', '10', container], { stdio: 'ignore' });
  return Number(execFileSync('docker', ['inspect', '-f', '{{.State.ExitCode}}', container], { encoding: 'utf8' }).trim());
}

async function serveAndProbe(image: string, expectBody: RegExp): Promise<string> {
  const port = await freePort();
  const container = runDetached(image, { containerPort: 8080, hostPort: port });
  const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`);
  expect(health.status, containerLogs(container)).toBe(200);
  expect(health.body).toMatch(expectBody);
  expect(containerUid(container)).toBe('65532');
  expect(runHealthcheck(container, image), 'the image HEALTHCHECK command').toBe(0);
  return container;
}

describe.runIf(haveDocker)('C++ on a real engine', () => {
  describe('a new project (slim)', () => {
    let dir = '';
    let production = '';

    it('builds production from the shared builder and serves /healthz as uid 65532', async () => {
      dir = project('cms-cpp-new', undefined, ['--name', 'cms-cpp-new']);
      // A per-run marker in the source: an earlier run's layer cache cannot serve the builder or the compiles.
      const shared = path.join(dir, 'src', 'common', 'http.cpp');
      fs.writeFileSync(shared, `// e2e run ${runId}\n${fs.readFileSync(shared, 'utf8')}`);
      const result = build(dir, 'production');
      expect(cachedSteps(result.output).some((s) => s.startsWith('[builder 2/2]') || s.startsWith('[build-server '))).toBe(false);
      production = result.image;
      // The main executable's stage compiled, from the configured builder; the tool's stage was skipped.
      expect(steps(result.output, 'build-server').join('\n')).toContain('RUN cmake --build build --target server');
      expect(steps(result.output, 'builder').join('\n')).toContain('RUN cmake -S . -B build -G Ninja');
      expect(steps(result.output, 'build-cli')).toEqual([]);
      expect(inspectImage(production).user).toBe('65532:65532');

      const container = await serveAndProbe(production, /^ok\n$/);
      const root = await waitForHttp(`http://127.0.0.1:${await portOf(container)}/`);
      expect(root.body).toBe('Hello from cms-cpp-new 0.1.0\n');
      // SIGTERM (docker stop) ends it cleanly and quickly.
      expect(stopGracefully(container)).toBe(0);
      expect(containerLogs(container)).toContain('stopping');
    });

    it('builds production-cli from the same builder (cached) and the tool runs as uid 65532', () => {
      const result = build(dir, 'production-cli');
      const cached = cachedSteps(result.output);
      // The builder was configured once, by the production build; this build re-uses it and compiles only the tool.
      expect(cached.some((s) => s.startsWith('[builder 2/2] RUN cmake -S . -B build'))).toBe(true);
      expect(steps(result.output, 'build-cli').join('\n')).toContain('RUN cmake --build build --target cli');
      expect(cached.some((s) => s.startsWith('[build-cli '))).toBe(false);
      expect(steps(result.output, 'build-server')).toEqual([]);

      expect(inspectImage(result.image).user).toBe('65532:65532');
      expect(runOnce(result.image, ['--version'])).toEqual({ status: 0, output: 'cms-cpp-new 0.1.0\n' });
      expect(runOnce(result.image, ['/healthz']).output).toBe('GET /healthz -> 200 OK: ok\n');
      expect(runOnce(result.image, [], ['--entrypoint', 'id']).output.trim()).toMatch(/^uid=65532 gid=65532/);
      expect(healthcheckOf(result.image)).toEqual(['NONE']);
    });

    it('development builds no release binary, runs a debug build with gdb, and serves', async () => {
      const result = build(dir, 'development');
      expect(steps(result.output, 'builder')).toEqual([]);
      expect(result.output).not.toMatch(/^#\d+ \[build-/m);
      expect(runOnce(result.image, ['gdb', '--version']).output).toMatch(/GNU gdb/);
      const port = await freePort();
      const container = runDetached(result.image, { containerPort: 8080, hostPort: port });
      const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`);
      expect(health.status, containerLogs(container)).toBe(200);
    });

    it('a source edit rebuilds without re-running any apt install', async () => {
      const file = path.join(dir, 'src', 'common', 'http.cpp');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"Hello from "', `"Hi (${runId}) from "`));
      const result = build(dir, 'production', { tag: `${production}-edited` });
      const cached = cachedSteps(result.output);
      expect(cached.some((s) => /^\[base \d+\/\d+\] RUN/.test(s) && s.includes('g++ cmake ninja-build'))).toBe(true);
      expect(cached.some((s) => s.startsWith('[builder 1/2] COPY . .'))).toBe(false);
      const ran = [...result.output.matchAll(/^#(\d+) \[[^\]]+\] RUN .*apt-get install.*$/gm)].map((m) => m[1]);
      const cachedIds = new Set([...result.output.matchAll(/^#(\d+) CACHED$/gm)].map((m) => m[1]));
      expect(
        ran.every((id) => cachedIds.has(id)),
        'every apt-get install step is a cache hit',
      ).toBe(true);
      const container = await serveAndProbe(result.image, /^ok\n$/);
      const root = await waitForHttp(`http://127.0.0.1:${await portOf(container)}/`);
      expect(root.body).toBe(`Hi (${runId}) from cms-cpp-new 0.1.0\n`);
    });
  });

  it('a new project on distroless cc: the service probes itself without a shell', async () => {
    const dir = project('cms-cpp-new-distroless', undefined, ['--name', 'cms-cpp-new', '--runtime', 'distroless']);
    const result = build(dir, 'production');
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain('ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian13:nonroot');
    expect(inspectImage(result.image).user).toBe('65532:65532');
    await serveAndProbe(result.image, /^ok\n$/);
    const tool = build(dir, 'production-cli');
    expect(runOnce(tool.image, ['--version'])).toEqual({ status: 0, output: 'cms-cpp-new 0.1.0\n' });
  });

  describe('an existing CMake project linking ZLIB and OpenSSL', () => {
    it('slim: each image gets exactly its runtime libraries; both targets build from one builder', async () => {
      const dir = project('cms-cpp-zlib', 'zlib-app', ['--name', 'cms-cpp-zlib']);
      const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/AS production\n[^]*?--no-install-recommends zlib1g\n/);
      expect(dockerfile).toMatch(/AS production-ztool\n[^]*?--no-install-recommends zlib1g libssl3t64 ca-certificates\n/);

      const server = build(dir, 'production');
      expect(steps(server.output, 'build-zserver').join('\n')).toContain('--target zserver');
      expect(inspectImage(server.image).user).toBe('65532:65532');
      // No --healthcheck in zserver: slim probes the port with bash.
      expect(healthcheckOf(server.image)).toEqual(['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/8080']);
      await serveAndProbe(server.image, /^ok zlib 1\.3\.\d+\n$/);

      const tool = build(dir, 'production-ztool');
      expect(cachedSteps(tool.output).some((s) => s.startsWith('[builder 2/2] RUN cmake -S . -B build'))).toBe(true);
      expect(steps(tool.output, 'build-ztool').join('\n')).toContain('--target ztool');
      expect(inspectImage(tool.image).user).toBe('65532:65532');
      const version = runOnce(tool.image, ['--version']);
      expect(version.status, version.output).toBe(0);
      expect(version.output).toMatch(/^ztool 2\.1\.0 zlib 1\.3\.\d+ OpenSSL 3\.\d+\.\d+/);
      expect(runOnce(tool.image, ['--uid']).output.trim()).toBe('65532');
      expect(runOnce(tool.image, ['abc']).output).toContain('sha256=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });

    it('slim: a runtime stage keeps the shared apt cache, so the next production build downloads no package', () => {
      const dir = project('cms-cpp-zlib-aptcache', 'zlib-app', ['--name', 'cms-cpp-zlib']);
      // A runtime base with a new layer (Debian slim plus one small file; a label alone keeps
      // the layers, and so the cache) re-runs only the production stage's apt install.
      const rebased: string[] = [];
      const rebase = (): string => {
        const tag = `${runId}-runtime-${rebased.length}`;
        const made = spawnSync('docker', ['build', '-q', '-t', tag, '-'], { input: `FROM debian:trixie-slim\nRUN echo ${tag} > /etc/cms-e2e-rebase\n`, encoding: 'utf8' });
        expect(made.status, made.stderr).toBe(0);
        rebased.push(tag);
        return tag;
      };
      const install = (output: string): string => {
        const step = [...output.matchAll(/^#(\d+) \[production-ztool \d+\/\d+\] RUN .*apt-get install.*$/gm)][0];
        expect(step, 'the production stage ran its apt-get install').toBeDefined();
        const lines = output.split('\n').filter((line) => line.startsWith(`#${step![1]} `));
        expect(lines, 'the install ran (not CACHED)').not.toContain(`#${step![1]} CACHED`);
        return lines.join('\n');
      };
      try {
        // production-ztool installs libssl3t64 and ca-certificates, which Debian slim lacks.
        // The first build fills the cache with them (if an earlier run has not).
        install(build(dir, 'production-ztool', { tag: `${runId}-aptcache-1`, buildArgs: { RUNTIME_IMAGE: rebase() } }).output);
        const second = install(build(dir, 'production-ztool', { tag: `${runId}-aptcache-2`, buildArgs: { RUNTIME_IMAGE: rebase() } }).output);
        // apt-get: "Need to get 0 B/<size> of archives" when every .deb is already in /var/cache/apt.
        expect(second, 'second install').toMatch(/Need to get 0 B\/[\d.,]+ [kM]?B of archives/);
        expect(second).not.toMatch(/Get:\d+ \S+ \S+ \S+ (libssl3t64|ca-certificates) /);
      } finally {
        spawnSync('docker', ['rmi', '-f', ...rebased], { stdio: 'ignore' });
      }
    });

    it('--static: fully static binaries on scratch', async () => {
      const dir = project('cms-cpp-zlib-static', 'zlib-app', ['--name', 'cms-cpp-zlib', '--static']);
      expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain('FROM scratch AS production-ztool');

      const server = build(dir, 'production');
      expect(inspectImage(server.image).user).toBe('65532:65532');
      expect(inspectImage(server.image).size).toBeLessThan(10 * 1024 * 1024);
      // scratch has nothing to probe with and zserver has no --healthcheck: disabled, with the reason (documented exception).
      expect(healthcheckOf(server.image)).toEqual(['NONE']);
      const port = await freePort();
      const container = runDetached(server.image, { containerPort: 8080, hostPort: port });
      const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`);
      expect(health.status, containerLogs(container)).toBe(200);
      expect(containerUid(container)).toBe('65532');

      const tool = build(dir, 'production-ztool');
      expect(inspectImage(tool.image).size).toBeLessThan(15 * 1024 * 1024);
      const version = runOnce(tool.image, ['--version']);
      expect(version.status, version.output).toBe(0);
      expect(version.output).toMatch(/^ztool 2\.1\.0 zlib 1\.3\.\d+ OpenSSL 3\./);
      expect(runOnce(tool.image, ['--uid']).output.trim()).toBe('65532');
      expect(healthcheckOf(tool.image)).toEqual(['NONE']);
    });
  });

  it('a Makefile project: make <name> in the shared builder, binaries on slim', () => {
    const dir = project('cms-cpp-make', 'makefile-app', ['--name', 'cms-cpp-make', '--targets', 'hello,hello-cli']);
    const tool = build(dir, 'production-hello-cli');
    expect(steps(tool.output, 'build-hello-cli').join('\n')).toContain('make -j"$(nproc)" hello-cli');
    expect(inspectImage(tool.image).user).toBe('65532:65532');
    expect(runOnce(tool.image, ['--version']).output).toMatch(/^hello-cli 1\.0 \(hello, zlib 1\.3\.\d+\)\n$/);
    expect(runOnce(tool.image, [], ['--entrypoint', 'id']).output.trim()).toMatch(/^uid=65532 gid=65532/);
    const hello = build(dir, 'production');
    expect(runOnce(hello.image).output).toMatch(/^hello, zlib 1\.3\.\d+\n$/);
  });
});

describe.runIf(haveDocker)('C and C++ as they are in the wild', () => {
  it('a root Makefile delegating to src/ with a bundled deps/ library: a TCP server and its client, talking over a user-defined network', async () => {
    const dir = project('cms-cpp-kv', 'make-recursive', ['--name', 'cms-cpp-kv']);
    // A per-run marker in the bundled library: the cache of an earlier run cannot serve the compiles.
    const library = path.join(dir, 'deps', 'kvproto', 'kvproto.c');
    fs.writeFileSync(library, `/* e2e run ${runId} */\n${fs.readFileSync(library, 'utf8')}`);
    const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    // Detected: the port the sources name, the programs in src/, make <name> through the .DEFAULT: rule.
    expect(dockerfile).toContain('EXPOSE 7379');
    expect(dockerfile).toContain('(src/kvd, read from the Makefiles), not searching deps.');

    const server = build(dir, 'production');
    const serverSteps = steps(server.output, 'build-kvd').join('\n');
    expect(serverSteps).toContain('RUN make -j"$(nproc)" kvd');
    // The bundled static library was built first, by the project's own Makefiles, and linked in.
    expect(server.output).toMatch(/ar rcs libkvproto\.a kvproto\.o/);
    expect(server.output).toMatch(/-o kvd kvd\.o \.\.\/deps\/kvproto\/libkvproto\.a/);
    expect(inspectImage(server.image).user).toBe('65532:65532');
    expect(healthcheckOf(server.image)).toEqual(['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/7379']);

    const client = build(dir, 'production-kvc');
    expect(steps(client.output, 'build-kvc').join('\n')).toContain('RUN make -j"$(nproc)" kvc');
    expect(inspectImage(client.image).user).toBe('65532:65532');
    expect(healthcheckOf(client.image)).toEqual(['NONE']);

    const network = createNetwork();
    const kvd = runOnNetwork(server.image, network, `${runId}-kvd`);
    // The client container reaches the server container by name; the answer comes from the bundled library.
    let answer = { status: 1, output: '' };
    for (let attempt = 0; attempt < 60 && answer.status !== 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 1000));
      answer = runOnce(client.image, [kvd, '7379', 'PING'], ['--network', network]);
    }
    expect(answer, containerLogs(kvd)).toEqual({ status: 0, output: '+PONG\n' });
    expect(runOnce(client.image, [kvd, '7379', 'ECHO', 'over', 'the', 'network'], ['--network', network])).toEqual({ status: 0, output: '+over the network\n' });
    expect(runOnce(client.image, [kvd, '7379', 'VERSION'], ['--network', network]).output).toBe('+kvproto 1.0\n');
    // The server runs as uid 65532 and passes its own TCP probe.
    expect(containerLogs(kvd)).toContain('on 7379 as uid 65532');
    expect(containerUid(kvd)).toBe('65532');
    expect(runHealthcheck(kvd, server.image)).toBe(0);
  });

  it('an autotools project linking zlib: autoreconf, ./configure, make install; zlib1g and no -dev package at run time', () => {
    const dir = project('cms-cpp-zpack', 'autotools-zlib', ['--name', 'cms-cpp-zpack']);
    const source = path.join(dir, 'src', 'zpack.c');
    fs.writeFileSync(source, `/* e2e run ${runId} */\n${fs.readFileSync(source, 'utf8')}`);
    const result = build(dir, 'production');
    expect(steps(result.output, 'builder').join('\n')).toContain('RUN autoreconf -fi');
    expect(result.output).toMatch(/checking for compress2 in -lz\.\.\. yes/);
    expect(steps(result.output, 'build-zpack').join('\n')).toContain('make install DESTDIR=/staging');
    expect(inspectImage(result.image).user).toBe('65532:65532');

    expect(runOnce(result.image, ['--version']).output).toMatch(/^zpack 1\.2\.0 zlib 1\.3\.\d+\n$/);
    expect(runOnce(result.image, ['--uid']).output).toBe('65532\n');
    // CRC-32 of "hello" is 3610a686.
    expect(runOnce(result.image, ['hello'])).toEqual({ status: 0, output: '5 -> 13 bytes, crc32=3610a686\n' });
    const packages = runOnce(result.image, ['-W', '-f=${Package} ${Status}\\n'], ['--entrypoint', 'dpkg-query']);
    expect(packages.status).toBe(0);
    const installed = packages.output
      .split('\n')
      .filter((line) => line.endsWith(' install ok installed'))
      .map((line) => line.split(' ')[0]!);
    expect(installed).toContain('zlib1g');
    expect(installed.filter((name) => name.endsWith('-dev'))).toEqual([]);
    expect(healthcheckOf(result.image)).toEqual(['NONE']);
  });
});

/** The host port a container publishes 8080 on. */
async function portOf(container: string): Promise<number> {
  const mapping = execFileSync('docker', ['port', container, '8080/tcp'], { encoding: 'utf8' }).trim().split('\n')[0]!;
  return Number(mapping.split(':').pop());
}
