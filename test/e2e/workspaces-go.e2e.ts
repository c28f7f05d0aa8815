/**
 * Go workspaces on a real engine: the go.work fixture (services/api,
 * services/web, libs/shared). Run at the root with --yes, both production
 * targets build, run as uid 65532 and answer /healthz with 200; after an edit
 * of services/web, rebuilding production-api re-runs no step (all CACHED).
 * Run inside services/api, the npm script it wrote builds production-api from
 * there (Dockerfile below the context root, context ../..) and the image serves.
 * The development image runs `go run` and answers /healthz.
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
  removeContainer,
  requireDocker,
  runCli,
  runDetached,
  runId,
  waitForHttp,
} from '../helpers/docker.js';

const hasDocker = requireDocker();
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/workspaces/go-work');
const APPS = { api: 8081, web: 8082 } as const;

/** A copy of the fixture in a folder with a stable name (the project name, so the cache-mount ids stay warm across runs). */
function copyFixture(): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-gows-e2e-'));
  const dir = path.join(parent, 'gows-e2e');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  // A repository top, so the workspace-root search stops here.
  fs.mkdirSync(path.join(dir, '.git'));
  return dir;
}

/** The step lines of one build (`[builder-api 2/4] COPY ...`), FROM lines aside. */
function buildSteps(output: string): string[] {
  const steps = new Set<string>();
  for (const match of output.matchAll(/^#\d+ \[([^\]]+)\] (.*)$/gm)) {
    if (!match[1]!.startsWith('internal') && !/^FROM /.test(match[2]!)) steps.add(`[${match[1]}] ${match[2]}`);
  }
  return [...steps];
}

async function expectServes(image: string, port: number): Promise<void> {
  const hostPort = await freePort();
  const container = runDetached(image, { containerPort: port, hostPort });
  try {
    const health = await waitForHttp(`http://127.0.0.1:${hostPort}/healthz`);
    expect(health.status, containerLogs(container)).toBe(200);
    expect(containerUid(container)).toBe('65532');
  } finally {
    removeContainer(container);
  }
}

describe.skipIf(!hasDocker)('Go workspace (go.work): real builds', () => {
  const dirs: string[] = [];
  beforeAll(() => {
    ensureImages(['golang:1.27-trixie', 'gcr.io/distroless/static-debian13:nonroot']);
  });
  afterAll(() => {
    cleanup();
    for (const dir of dirs) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('at the root with --yes: both production targets build, run as 65532 and answer /healthz; an edit of web leaves production-api all CACHED', async () => {
    const dir = copyFixture();
    dirs.push(dir);
    runCli(['--yes', '--no-compose'], dir);
    for (const [app, port] of Object.entries(APPS)) {
      const { image } = build(dir, `production-${app}`);
      await expectServes(image, port);
    }
    const main = path.join(dir, 'services/web/main.go');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('via shared', `via shared ${runId}`));
    const rebuilt = build(dir, 'production-api');
    const steps = buildSteps(rebuilt.output);
    expect(steps.length).toBeGreaterThan(4);
    const cached = new Set(cachedSteps(rebuilt.output));
    expect(
      steps.filter((step) => !cached.has(step)),
      rebuilt.output.slice(-3000),
    ).toEqual([]);
  });

  it('development-api: the development image runs `go run` and answers /healthz', async () => {
    const dir = copyFixture();
    dirs.push(dir);
    runCli(['--yes', '--no-compose'], dir);
    const { image } = build(dir, 'development-api');
    const hostPort = await freePort();
    // `go run` compiles when the container starts: allow for a busy machine.
    const container = runDetached(image, { containerPort: APPS.api, hostPort });
    try {
      const health = await waitForHttp(`http://127.0.0.1:${hostPort}/healthz`, 300_000);
      expect(health.status, containerLogs(container)).toBe(200);
    } finally {
      removeContainer(container);
    }
  });

  it('inside services/api: the docker:build:api script it wrote builds production-api from there, and the image serves', async () => {
    const dir = copyFixture();
    dirs.push(dir);
    const appDir = path.join(dir, 'services/api');
    runCli(['--yes', '--no-compose'], appDir);
    expect(fs.existsSync(path.join(appDir, 'Dockerfile.dockerignore'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
    const scripts = (JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const words = scripts['docker:build:api']!.split(' ');
    expect(words.slice(0, 2)).toEqual(['docker', 'build']);
    const tagAt = words.indexOf('-t');
    const image = `${runId}-inside-api`;
    words[tagAt + 1] = image;
    const result = spawnSync('docker', [...words.slice(1), '--progress=plain'], { cwd: appDir, encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' } });
    try {
      expect(result.status, `${result.stdout}${result.stderr}`.slice(-4000)).toBe(0);
      expect(execFileSync('docker', ['image', 'inspect', image, '--format', '{{.Config.User}}'], { encoding: 'utf8' }).trim()).toBe('65532:65532');
      await expectServes(image, APPS.api);
    } finally {
      spawnSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    }
  });
});
