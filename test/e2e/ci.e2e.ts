/**
 * From laptop to CI on a real engine: for the new project of each stack
 * (written with --ci github),
 * - `docker build --target test` passes, and after a test is broken on purpose
 *   it exits non-zero with the failing test named in the output;
 * - `docker buildx bake --print` accepts docker-bake.hcl and its default group
 *   lists every production target; each bake target, built with the
 *   equivalent `docker build` arguments, succeeds (this engine's buildx cannot
 *   pull the Dockerfile frontend, so bake itself only prints);
 * - the compiled stacks cross-compile for linux/arm64 on this amd64 engine
 *   without emulation: the `binaries` stage exported with --output type=local
 *   holds ARM aarch64 ELF files (`file`).
 * One project per stack carries every assertion, so each is built once. The
 * projects have the names (and so the cache-mount ids and, CI files being
 * dockerignored, the layers) of the new projects the stack suites build, so
 * the suites share one cold build; names are stable so caches stay warm.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, build, cleanup, ensureImages, requireDocker, runCli, runId } from '../helpers/docker.js';

const hasDocker = requireDocker();
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${runId}-ci-`));

afterAll(() => {
  cleanup();
  fs.rmSync(workRoot, { recursive: true, force: true });
});

/** A `docker build` that may fail: its exit status and the plain progress output. */
function tryBuild(dir: string, args: string[]): { status: number; output: string } {
  const result = spawnSync('docker', ['build', '--progress=plain', ...args, dir], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

interface BakeTarget {
  context?: string;
  dockerfile?: string;
  target?: string;
  args?: Record<string, string>;
  labels?: Record<string, string>;
  platforms?: string[];
  tags?: string[];
}
interface BakePrint {
  group: Record<string, { targets: string[] }>;
  target: Record<string, BakeTarget>;
}

/** `docker buildx bake --print` of the given targets (the default group when none). */
function bakePrint(dir: string, targets: string[] = []): BakePrint {
  const out = execFileSync('docker', ['buildx', 'bake', '-f', 'docker-bake.hcl', '--print', ...targets], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out) as BakePrint;
}

/**
 * Builds one bake target with the `docker build` arguments it stands for:
 * context, Dockerfile, target, build args and labels. Multi-platform targets
 * are built for this engine's platform (the arm64 runtime bases do not exist
 * here; the cross-compile itself is proven through the binaries stage).
 */
function buildBakeTarget(dir: string, name: string, target: BakeTarget): void {
  const buildArgs: Record<string, string> = { ...(target.args ?? {}) };
  const context = path.resolve(dir, target.context ?? '.');
  expect(target.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
  expect(target.target, `${name} names a Dockerfile stage`).toBeTruthy();
  build(context, target.target!, { tag: `${runId}-${path.basename(dir)}-bake-${name}`.toLowerCase(), buildArgs });
}

/** Exports the `binaries` stage for linux/arm64 and returns `file`'s verdict per exported file. */
function exportArm64Binaries(dir: string): Record<string, string> {
  const dest = path.join(workRoot, `${path.basename(dir)}-arm64`);
  const result = tryBuild(dir, ['--platform', 'linux/arm64', '--target', 'binaries', '--output', `type=local,dest=${dest}`]);
  expect(result.status, result.output.slice(-4000)).toBe(0);
  // No emulation: every RUN of the build ran on the engine's own platform (amd64).
  expect(result.output).not.toMatch(/exec format error/);
  const verdicts: Record<string, string> = {};
  for (const file of fs.readdirSync(dest)) verdicts[file] = execFileSync('file', ['-b', path.join(dest, file)], { encoding: 'utf8' }).trim();
  return verdicts;
}

function breakFile(file: string, from: string, to: string): () => void {
  const original = fs.readFileSync(file, 'utf8');
  expect(original).toContain(from);
  fs.writeFileSync(file, original.replace(from, to));
  return () => fs.writeFileSync(file, original);
}

interface StackCase {
  stack: string;
  dir: string;
  images: string[];
  /** The file, text and replacement that make one test fail, and the name the failure output must show. */
  breakTest: { file: string; from: string; to: string; failingName: RegExp };
  productionTargets: string[];
  /** Cross-compiles: the default platforms include linux/arm64 and the binaries export is checked. */
  arm64Binaries?: string[];
}

const CASES: StackCase[] = [
  {
    stack: 'go',
    dir: 'cms-go-new',
    images: ['golang:1.27-trixie', 'gcr.io/distroless/static-debian13:nonroot'],
    breakTest: { file: 'main_test.go', from: '"Hello from cms-go-new"', to: '"Goodbye from cms-go-new"', failingName: /--- FAIL: TestRootSaysHello/ },
    productionTargets: ['production'],
    arm64Binaries: ['cms-go-new'],
  },
  {
    stack: 'cpp',
    dir: 'cms-cpp-new',
    images: ['debian:trixie-slim', 'gcr.io/distroless/cc-debian13:nonroot'],
    breakTest: { file: 'tests/http_test.cpp', from: 'status == 404', to: 'status == 418', failingName: /FAILED: an unknown path answers 404/ },
    productionTargets: ['production', 'production-cli'],
    arm64Binaries: ['server', 'cli'],
  },
  {
    stack: 'nextjs',
    dir: 'cms-next-web',
    images: ['node:26-trixie-slim'],
    breakTest: { file: 'lib/title.mjs', from: '`${name} · ${app}`', to: '`${app} · ${name}`', failingName: /a page title names the page, then the app/ },
    productionTargets: ['production'],
  },
];

describe.skipIf(!hasDocker).each(CASES)('$stack new project with --ci github', (c) => {
  const dir = path.join(workRoot, c.dir);

  beforeAll(() => {
    ensureImages(c.images);
    runCli([c.dir, '--stack', c.stack, '--yes', '--ci', 'github'], workRoot);
  });

  it('docker build --target test passes, and fails naming the test once one is broken', () => {
    const passing = tryBuild(dir, ['--target', 'test']);
    expect(passing.status, passing.output.slice(-4000)).toBe(0);
    const restore = breakFile(path.join(dir, c.breakTest.file), c.breakTest.from, c.breakTest.to);
    try {
      const failing = tryBuild(dir, ['--target', 'test']);
      expect(failing.status).not.toBe(0);
      expect(failing.output).toMatch(c.breakTest.failingName);
    } finally {
      restore();
    }
  });

  it('bake --print lists every production target in the default group; every bake target builds with the equivalent docker build', () => {
    const defaults = bakePrint(dir);
    expect(defaults.group['default']?.targets.sort()).toEqual([...c.productionTargets].sort());
    for (const name of c.productionTargets) {
      const target = defaults.target[name]!;
      expect(target.target).toBe(name);
      expect(target.platforms).toEqual(c.arm64Binaries ? ['linux/amd64', 'linux/arm64'] : ['linux/amd64']);
    }
    const all = bakePrint(dir, [...c.productionTargets, 'development', 'test']);
    expect(Object.keys(all.target).sort()).toEqual([...c.productionTargets, 'development', 'test'].sort());
    for (const [name, target] of Object.entries(all.target)) buildBakeTarget(dir, name, target);
  });

  // Only the stacks that cross-compile have this case (Next.js builds for the target platform under emulation).
  const arm64Binaries = c.arm64Binaries;
  if (arm64Binaries) {
    it('cross-compiles for linux/arm64 without emulation: the exported binaries are ARM aarch64 ELF files', () => {
      const verdicts = exportArm64Binaries(dir);
      expect(Object.keys(verdicts).sort()).toEqual([...arm64Binaries].sort());
      for (const [file, verdict] of Object.entries(verdicts)) expect(verdict, file).toMatch(/^ELF 64-bit LSB .*ARM aarch64/);
    });
  }
});

describe.skipIf(!hasDocker)('a CMake project linking zlib (fixture)', () => {
  it('cross-compiles for linux/arm64 against zlib1g-dev:arm64 without emulation: both executables are ARM aarch64 ELF files', () => {
    ensureImages(['debian:trixie-slim']);
    const dir = path.join(workRoot, 'cms-cpp-zlib');
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'cpp', 'zlib-app'), dir, { recursive: true });
    // The new C++ project's name: the same cache mounts and base layers (cross toolchain included) serve both.
    runCli(['.', '--stack', 'cpp', '--yes', '--name', 'cms-cpp-new', '--runtime', 'slim'], dir);
    const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('zlib1g-dev:$TARGETARCH');
    const verdicts = exportArm64Binaries(dir);
    expect(Object.keys(verdicts).sort()).toEqual(['zserver', 'ztool']);
    for (const [file, verdict] of Object.entries(verdicts)) expect(verdict, file).toMatch(/^ELF 64-bit LSB .*ARM aarch64.*dynamically linked/);
  });
});
