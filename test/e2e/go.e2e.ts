/**
 * The Go stack on a real engine. Four projects — a new one, two binaries
 * (cmd/api + cmd/worker, scratch), vendored modules (slim) and one without
 * go.sum whose toolchain line picks Go 1.24 — build every target; each
 * production image runs as uid 65532, answers GET /healthz with 200, passes its
 * own HEALTHCHECK command, and is at most 3 MB larger than its binary plus the
 * runtime base. After a source edit the rebuild re-uses the cached module
 * download. The two-binary builder also cross-compiles for linux/arm64 on this
 * amd64 engine (no emulation), re-using the same download step. A project that
 * keeps its own Dockerfile gets ours beside it: the npm script it wrote builds
 * production from Dockerfile.multistage and the image serves.
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
  removeContainer,
  requireDocker,
  runCli,
  runDetached,
  runId,
  waitForHttp,
} from '../helpers/docker.js';
import { PassThrough } from 'node:stream';
import { main } from '../../src/index.js';
import { fakePrompter } from '../helpers/fake-prompter.js';

const MB = 1024 * 1024;
const GO_IMAGES = ['golang:1.27-trixie', 'golang:1.24-trixie'];
const RUNTIME_IMAGES = {
  distroless: 'gcr.io/distroless/static-debian13:nonroot',
  slim: 'debian:trixie-slim',
  scratch: '',
} as const;

interface Case {
  /** Directory name, so also the project name and the cache-mount ids (stable: warm caches across runs). */
  dir: string;
  /** Fixture under test/fixtures/go, or undefined for a new project. */
  fixture?: string;
  flags: string[];
  runtime: keyof typeof RUNTIME_IMAGES;
  port: number;
  /** Binary name per production target. */
  targets: Record<string, string>;
  /** Binaries whose image declares a HEALTHCHECK (distroless/scratch need a self-probing binary; slim probes the port). */
  healthchecks: string[];
  /**
   * A source edit for the rebuild check (unique per run, so the layer cache of an
   * earlier run cannot serve the compile), the dependency step that must stay
   * cached, and what GET / answers afterwards.
   */
  edit: { file: string; from: string; to: string; dependencyStep: string; body: string };
  goImage: string;
  /** Binaries given a GET /tmpfile handler (os.CreateTemp in the image's /tmp), which must answer 200. */
  tempFileProbe?: string[];
}

/**
 * Added to a main package: GET /tmpfile creates a temporary file where Go puts
 * them ($TMPDIR, else /tmp) as the non-root user, and answers its name.
 */
const TEMP_FILE_HANDLER = `package main

import (
	"fmt"
	"net/http"
	"os"
)

func init() {
	http.HandleFunc("/tmpfile", func(w http.ResponseWriter, r *http.Request) {
		f, err := os.CreateTemp("", "probe-*")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer os.Remove(f.Name())
		fmt.Fprintln(w, f.Name())
	})
}
`;

const CASES: Case[] = [
  {
    dir: 'cms-go-new',
    flags: ['--stack', 'go'],
    runtime: 'distroless',
    port: 8080,
    targets: { production: 'cms-go-new' },
    healthchecks: ['cms-go-new'],
    edit: { file: 'main.go', from: 'Hello from', to: `Hi (${runId}) from`, dependencyStep: 'go mod download', body: `Hi (${runId}) from cms-go-new` },
    goImage: 'golang:1.27-trixie',
  },
  {
    dir: 'cms-go-duo',
    fixture: 'two-binaries',
    flags: ['--runtime', 'scratch'],
    runtime: 'scratch',
    port: 8080,
    targets: { production: 'api', 'production-worker': 'worker' },
    healthchecks: ['api'],
    edit: { file: 'internal/version/version.go', from: 'duo 1.0.0', to: `duo ${runId}`, dependencyStep: 'go mod download', body: `api duo ${runId}` },
    goImage: 'golang:1.27-trixie',
    // scratch is empty: the Dockerfile must give it a /tmp the non-root user can write.
    tempFileProbe: ['api'],
  },
  {
    dir: 'cms-go-vendored',
    fixture: 'vendored',
    flags: ['--runtime', 'slim'],
    runtime: 'slim',
    port: 8080,
    targets: { production: 'greeter' },
    healthchecks: ['greeter'],
    // Vendored: nothing is downloaded; the vendor/ copy is the dependency step.
    edit: { file: 'main.go', from: 'greet.Hello())', to: `greet.Hello(), "${runId}")`, dependencyStep: 'COPY vendor ./vendor', body: `hello from greet ${runId}` },
    goImage: 'golang:1.27-trixie',
  },
  {
    dir: 'cms-go-nosum',
    fixture: 'no-gosum',
    flags: [],
    runtime: 'distroless',
    port: 8081,
    targets: { production: 'legacy' },
    healthchecks: ['legacy'],
    edit: { file: 'main.go', from: '"legacy"', to: `"legacy ${runId}"`, dependencyStep: 'go mod download', body: `legacy ${runId}` },
    goImage: 'golang:1.24-trixie',
  },
];

const hasDocker = requireDocker();
let workRoot = '';
const extraImages: string[] = [];

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

/** Copies one file out of an image without running it (works for any platform). */
function fileFromImage(image: string, file: string): Buffer {
  const name = `${runId}-cp-${Math.random().toString(16).slice(2, 8)}`;
  execFileSync('docker', ['create', '--name', name, image, '/nonexistent'], { stdio: 'ignore' });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-go-cp-'));
  try {
    execFileSync('docker', ['cp', `${name}:${file}`, path.join(out, 'file')], { stdio: 'ignore' });
    return fs.readFileSync(path.join(out, 'file'));
  } finally {
    spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** The image's HEALTHCHECK test (["CMD", ...]), or undefined when it declares none. */
function healthcheckOf(image: string): string[] | undefined {
  const raw = JSON.parse(execFileSync('docker', ['image', 'inspect', image], { encoding: 'utf8' }))[0];
  const test = raw.Config.Healthcheck?.Test as string[] | undefined;
  return test && test[0] === 'CMD' ? test.slice(1) : undefined;
}

function baseSize(runtime: keyof typeof RUNTIME_IMAGES): number {
  const image = RUNTIME_IMAGES[runtime];
  return image ? inspectImage(image).size : 0;
}

describe.skipIf(!hasDocker)('Go stack: real builds', () => {
  beforeAll(() => {
    ensureImages([...GO_IMAGES, RUNTIME_IMAGES.distroless, RUNTIME_IMAGES.slim]);
    workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-go-e2e-'));
    for (const c of CASES) {
      const dir = path.join(workRoot, c.dir);
      if (c.fixture) copyDir(path.join(REPO_ROOT, 'test', 'fixtures', 'go', c.fixture), dir);
      for (const binary of c.tempFileProbe ?? []) fs.writeFileSync(path.join(dir, 'cmd', binary, 'tmpfile_e2e.go'), TEMP_FILE_HANDLER);
      // --name keeps image names and cache-mount ids unique to this suite (a fixture would be named after its module).
      runCli(c.fixture ? [dir, '--yes', '--name', c.dir, ...c.flags] : [c.dir, '--yes', ...c.flags], workRoot);
    }
  });

  afterAll(() => {
    cleanup();
    if (extraImages.length) spawnSync('docker', ['rmi', '-f', ...extraImages], { stdio: 'ignore' });
    if (workRoot) fs.rmSync(workRoot, { recursive: true, force: true });
  });

  describe.each(CASES.map((c) => [c.dir, c] as const))('%s', (_name, c) => {
    const dir = (): string => path.join(workRoot, c.dir);
    const images: Record<string, string> = {};

    it('the Dockerfile uses the expected Go image', () => {
      expect(fs.readFileSync(path.join(dir(), 'Dockerfile'), 'utf8')).toContain(`ARG GO_IMAGE=${c.goImage}\n`);
    });

    it('builds development without touching the builder, then builder and every production target', () => {
      const development = build(dir(), 'development');
      expect(development.output).not.toMatch(/\[builder /);
      expect(development.output).not.toMatch(/\[production/);
      images['builder'] = build(dir(), 'builder').image;
      for (const target of Object.keys(c.targets)) images[target] = build(dir(), target).image;
    });

    it.each(Object.entries(c.targets))('%s (/app/%s): uid 65532, /healthz 200, its HEALTHCHECK passes, size within 3 MB of binary + base', async (target, binary) => {
      const image = images[target]!;
      const info = inspectImage(image);
      expect(info.user).toBe('65532:65532');
      expect(info.entrypoint).toEqual([`/app/${binary}`]);
      // Each image is titled for what it holds: the project, or project-<binary> for another target.
      expect(info.labels['org.opencontainers.image.title']).toBe(target === 'production' ? c.dir : `${c.dir}-${binary}`);

      const hostPort = await freePort();
      const container = runDetached(image, { containerPort: c.port, hostPort });
      try {
        const response = await waitForHttp(`http://127.0.0.1:${hostPort}/healthz`, 30_000);
        expect(response.status, containerLogs(container)).toBe(200);
        expect(containerUid(container)).toBe('65532');
        if (c.tempFileProbe?.includes(binary)) {
          const temp = await waitForHttp(`http://127.0.0.1:${hostPort}/tmpfile`, 30_000);
          expect(temp.status, `os.CreateTemp as uid 65532: ${temp.body}`).toBe(200);
          expect(temp.body).toMatch(/^\/tmp\/probe-\d+\n$/);
        }
        const healthcheck = healthcheckOf(image);
        expect(healthcheck !== undefined, `HEALTHCHECK of ${target}`).toBe(c.healthchecks.includes(binary));
        if (healthcheck) {
          const probe = spawnSync('docker', ['exec', container, ...healthcheck], { encoding: 'utf8' });
          expect(probe.status, `${healthcheck.join(' ')}: ${probe.stderr}`).toBe(0);
        }
      } finally {
        removeContainer(container);
      }

      const binarySize = fileFromImage(images['builder']!, `/out/${binary}`).length;
      const allowed = binarySize + baseSize(c.runtime) + 3 * MB;
      expect(info.size, `image ${info.size} B, binary ${binarySize} B, base ${baseSize(c.runtime)} B`).toBeLessThanOrEqual(allowed);
    });

    it('after a source edit, production rebuilds with the dependency step CACHED', async () => {
      const { file, from, to, dependencyStep, body } = c.edit;
      const abs = path.join(dir(), file);
      const source = fs.readFileSync(abs, 'utf8');
      expect(source).toContain(from);
      fs.writeFileSync(abs, source.replace(from, to));
      const rebuilt = build(dir(), 'production', { tag: `${runId}-${c.dir}-rebuilt` });
      const cached = cachedSteps(rebuilt.output);
      expect(
        cached.some((step) => step.includes(dependencyStep)),
        `${dependencyStep} not among the cached steps:\n${cached.join('\n')}`,
      ).toBe(true);
      expect(
        cached.some((step) => step.includes('go build')),
        'the edited source must be compiled again',
      ).toBe(false);

      const hostPort = await freePort();
      const container = runDetached(rebuilt.image, { containerPort: c.port, hostPort });
      try {
        const response = await waitForHttp(`http://127.0.0.1:${hostPort}/`, 30_000);
        expect(response.body).toContain(body);
      } finally {
        removeContainer(container);
      }
    });
  });

  it('the new project: the development image serves with `go run`', async () => {
    const image = build(path.join(workRoot, 'cms-go-new'), 'development').image;
    const hostPort = await freePort();
    const container = runDetached(image, { containerPort: 8080, hostPort });
    try {
      // `go run` compiles when the container starts: on a busy 2-core machine that took over
      // two minutes. A hang guard, not a speed test.
      const response = await waitForHttp(`http://127.0.0.1:${hostPort}/healthz`, 600_000);
      expect(response.status, containerLogs(container)).toBe(200);
    } finally {
      removeContainer(container);
    }
  });

  it('keep mine + ours beside it: the scripts it wrote build and run production from Dockerfile.multistage; compose config names it', async () => {
    // The user's own Dockerfile without our stages, kept; the choice made at the prompt as a person would.
    const dir = path.join(workRoot, 'cms-go-beside');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/beside\n\ngo 1.27\n');
    fs.writeFileSync(
      path.join(dir, 'main.go'),
      'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(":8080", nil)\n}\n',
    );
    const theirs = 'FROM debian:trixie-slim\nCMD ["true"]\n';
    fs.writeFileSync(path.join(dir, 'Dockerfile'), theirs);
    const name = `${runId}-beside`;
    const prompter = fakePrompter({ 'Dockerfile: what now?': 'beside', '': 'default' });
    const code = await main([dir, '--name', name], { cwd: workRoot, env: { NO_COLOR: '1' }, stdout: new PassThrough(), stderr: new PassThrough(), stdinIsTTY: true, prompter });
    expect(code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(theirs);

    const scripts = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const built = spawnSync('sh', ['-c', scripts['docker:build']!], { cwd: dir, encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' }, maxBuffer: 64 * MB });
    expect(built.status, `${scripts['docker:build']}\n${built.stderr.slice(-3000)}`).toBe(0);
    extraImages.push(name);
    const hostPort = await freePort();
    const container = runDetached(name, { containerPort: 8080, hostPort });
    try {
      expect((await waitForHttp(`http://127.0.0.1:${hostPort}/healthz`, 30_000)).status, containerLogs(container)).toBe(200);
    } finally {
      removeContainer(container);
    }
    const config = spawnSync('docker', ['compose', 'config', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(config.status, config.stderr).toBe(0);
    const services = (JSON.parse(config.stdout) as { services: Record<string, { build: { dockerfile: string; target: string } }> }).services;
    for (const service of Object.values(services)) expect(service.build.dockerfile).toBe('Dockerfile.multistage');
  });

  it('two binaries cross-compile for linux/arm64 without emulation, re-using the module download', () => {
    const tag = `${runId}-cms-go-duo-builder-arm64`;
    const result = spawnSync('docker', ['build', '--progress=plain', '--platform', 'linux/arm64', '--target', 'builder', '-t', tag, path.join(workRoot, 'cms-go-duo')], {
      encoding: 'utf8',
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
      maxBuffer: 64 * MB,
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output.slice(-4000)).toBe(0);
    extraImages.push(tag);
    expect(output).toContain('GOOS=linux GOARCH=arm64 go build');
    expect(cachedSteps(output).some((step) => step.includes('go mod download'))).toBe(true);
    for (const binary of ['api', 'worker']) {
      const elf = fileFromImage(tag, `/out/${binary}`);
      // ELF e_machine at offset 18: 0xB7 is AArch64.
      expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(elf.readUInt16LE(18), binary).toBe(0xb7);
    }
  });
});
