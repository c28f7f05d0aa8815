/**
 * Issue 13, Node half, on the real engine: a pnpm + turbo workspace
 * (apps/web, apps/docs, packages/ui used by both) generated at the root with
 * --yes; both production images serve text rendered by packages/ui as a
 * non-root user; web's image holds nothing of apps/docs; a page edit in docs
 * leaves production-web fully cached and re-runs no dependency step of
 * production-docs. Then npm and Yarn Berry workspaces build both apps, and a
 * run inside apps/web builds with the script it wrote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, build, cachedSteps, cleanup, ensureImages, requireDocker, runCli, runId, runOnce } from '../helpers/docker.js';
import { expectCached, expectNonRoot, expectRebuilt, imageContains, replaceInFile, withServer } from '../helpers/nextjs-e2e.js';

const hasDocker = requireDocker();
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${runId}-ws-node-`));
const UI_TEXT = 'Rendered by acme-ui-banner';

function copyFixture(name: string, as: string): string {
  const dir = path.join(workRoot, as);
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspaces', name), dir, { recursive: true });
  return dir;
}

/**
 * Steps of our stages that did not come from the cache. BuildKit's own
 * `[internal]` loads and the FROM lines (the base image is resolved, never
 * reported CACHED) are not build steps.
 */
function uncachedSteps(output: string): string[] {
  const cached = new Set(cachedSteps(output));
  return [...output.matchAll(/^#\d+ (\[[^\]]+\] .*)$/gm)].map((m) => m[1]!).filter((step) => !step.startsWith('[internal]') && !/^\[[^\]]+\] FROM /.test(step) && !cached.has(step));
}

beforeAll(() => {
  if (hasDocker) ensureImages(['node:26-trixie-slim']);
});
afterAll(() => {
  cleanup();
  fs.rmSync(workRoot, { recursive: true, force: true });
});

describe.runIf(hasDocker)('Node workspaces on the real engine', () => {
  it('pnpm + turbo at the root: both apps serve packages/ui, non-root, isolated and cached per app', async () => {
    const dir = copyFixture('pnpm-turbo', 'turbo');
    runCli(['--yes'], dir);
    const web = build(dir, 'production-web', { tag: `${runId}-ws-web` });
    const docs = build(dir, 'production-docs', { tag: `${runId}-ws-docs` });
    for (const [image, port, text] of [
      [web.image, 3000, 'The web app'],
      [docs.image, 3001, 'The docs app'],
    ] as const) {
      await withServer(image, port, UI_TEXT, 120_000, (container, body) => {
        expect(body).toContain(text);
        expectNonRoot(image, container, { user: '1000:1000', uid: '1000' });
      });
    }
    // The web image: server.js at apps/web, and no file of apps/docs.
    expect(runOnce(web.image, ['ls', '/app/apps']).output.trim().split('\n')).toEqual(['web']);
    expect(imageContains(web.image, 'The docs app')).toBe(false);

    // The run id makes the edit new to the build cache: an edit an earlier run made would come back CACHED.
    replaceInFile(path.join(dir, 'apps/docs/app/page.jsx'), 'The docs app', `The edited docs app ${runId}`);
    const webAgain = build(dir, 'production-web', { tag: `${runId}-ws-web` });
    expect(uncachedSteps(webAgain.output), 'production-web after a docs edit').toEqual([]);
    const docsAgain = build(dir, 'production-docs', { tag: `${runId}-ws-docs` });
    expectCached(docsAgain.output, 'turbo prune docs --docker');
    expectCached(docsAgain.output, 'pnpm install --frozen-lockfile');
    expectRebuilt(docsAgain.output, 'pnpm --filter docs run build');
    await withServer(docsAgain.image, 3001, 'The edited docs app', 120_000, () => {});
  }, 1_200_000);

  it('development-web: next dev serves the packages/ui text as the node user', async () => {
    const dir = copyFixture('pnpm-turbo', 'turbo-dev');
    runCli(['--yes'], dir);
    const dev = build(dir, 'development-web', { tag: `${runId}-ws-dev-web` });
    // next dev compiles the page on the first request: allow for a busy machine.
    await withServer(dev.image, 3000, UI_TEXT, 300_000, (container) => expectNonRoot(dev.image, container, { user: '1000:1000', uid: '1000' }));
  }, 1_200_000);

  it.each([
    ['npm', 'npm ci --workspace apps/web'],
    ['yarn-berry', 'yarn workspaces focus web'],
  ])(
    '%s workspaces build both apps',
    async (fixture, install) => {
      const dir = copyFixture(fixture, fixture);
      runCli(['--yes'], dir);
      const web = build(dir, 'production-web', { tag: `${runId}-${fixture}-web` });
      expect(web.output).toContain(install);
      build(dir, 'production-docs', { tag: `${runId}-${fixture}-docs` });
      await withServer(web.image, 3000, UI_TEXT, 120_000, (container) => expectNonRoot(web.image, container, { user: '1000:1000', uid: '1000' }));
    },
    1_200_000,
  );

  it('inside apps/web: the written script builds from there with the root as context', () => {
    const dir = copyFixture('pnpm-turbo', 'inside');
    const app = path.join(dir, 'apps/web');
    runCli(['--yes'], app);
    expect(fs.existsSync(path.join(app, 'Dockerfile.dockerignore'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
    const script = (JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['docker:build:web']!;
    expect(script).toBe('docker build -f Dockerfile --target production-web -t acme-web ../..');
    const result = spawnSync('npm', ['run', 'docker:build:web'], { cwd: app, encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' } });
    expect(result.status, `${result.stdout}${result.stderr}`.slice(-4000)).toBe(0);
    try {
      expect(runOnce('acme-web', ['ls', '/app/apps/web/server.js']).status).toBe(0);
    } finally {
      execFileSync('docker', ['rmi', '-f', 'acme-web'], { stdio: 'ignore' });
    }
  }, 1_200_000);
});
