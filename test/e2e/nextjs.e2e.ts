/**
 * The Next.js stack on a real engine.
 *
 * 1. A new project (npm): the CLI writes the app and runs `npm install` on the
 *    host, then `development`, `builder` and `production` build; production
 *    runs as a non-root user and serves the page, passes its own HEALTHCHECK
 *    command; the development image serves the page from `next dev`. After a
 *    page edit the production rebuild re-uses the cached `npm ci` layer and
 *    serves the new text. The same project rendered with `--runtime distroless`
 *    runs on distroless Node as uid 65532.
 * 2. An existing app (test/fixtures/nextjs/pnpm-app): pnpm pinned by
 *    `packageManager`, port 4000 in its scripts, Node 24 from `.nvmrc`, and no
 *    standalone output, so production is the `next start` fallback with pruned
 *    node_modules. Same checks, on port 4000, plus: dev dependencies are gone
 *    from the production image and `public/` is served.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, build, cleanup, containerUid, ensureImages, inspectImage, requireDocker, runCli, runId, runOnce } from '../helpers/docker.js';
import { expectCached, expectHealthcheckPasses, expectNonRoot, expectRebuilt, replaceInFile, withServer } from '../helpers/nextjs-e2e.js';

const hasDocker = requireDocker();
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${runId}-nextjs-`));

// Stable names across runs: the cache-mount ids derive from them, so a second
// run finds the npm/pnpm stores warm (the layer cache is what the tests probe).
const NEW_APP = 'cms-next-web';
const DISTROLESS_COPY = 'cms-next-web-distroless';
const PNPM_APP = 'pnpm-app';

const newAppDir = path.join(workRoot, NEW_APP);
const pnpmAppDir = path.join(workRoot, PNPM_APP);

type TargetImages = Record<'development' | 'builder' | 'production', string>;

/** The images of a project, once its build test has passed; later tests fail with this message instead of a TypeError. */
function builtImages(images: TargetImages | undefined): TargetImages {
  if (!images) throw new Error('the targets were not built: see the failed build test above');
  return images;
}

/** Builds development first and checks BuildKit skipped the build-only stages for it. */
function buildAllTargets(dir: string): TargetImages {
  const development = build(dir, 'development');
  expect(development.output).not.toMatch(/\[builder /);
  expect(development.output).not.toMatch(/\[production /);
  return { development: development.image, builder: build(dir, 'builder').image, production: build(dir, 'production').image };
}

afterAll(() => {
  cleanup();
  fs.rmSync(workRoot, { recursive: true, force: true });
});

describe.skipIf(!hasDocker)('Next.js: real builds', () => {
  beforeAll(() => {
    ensureImages(['node:26-trixie-slim', 'node:24-trixie-slim', 'gcr.io/distroless/nodejs26-debian13:nonroot']);
  });

  describe('a new project with npm', () => {
    const pageText = `${NEW_APP} is running`;
    let images: TargetImages | undefined;

    beforeAll(() => {
      // The real flow, install included: npm reaches the registry and writes package-lock.json.
      runCli([NEW_APP, '--stack', 'nextjs', '--yes'], workRoot);
    });

    it('is installed with a lockfile and targets the default Node image', () => {
      expect(fs.existsSync(path.join(newAppDir, 'package-lock.json'))).toBe(true);
      expect(fs.existsSync(path.join(newAppDir, 'node_modules', 'next', 'package.json'))).toBe(true);
      const dockerfile = fs.readFileSync(path.join(newAppDir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('ARG NODE_IMAGE=node:26-trixie-slim\n');
      expect(dockerfile).toMatch(/^\s+npm ci$/m);
      expect(fs.readFileSync(path.join(newAppDir, 'app', 'page.tsx'), 'utf8')).toContain(pageText);
    });

    it('builds development (nothing of builder or production), builder and production', () => {
      images = buildAllTargets(newAppDir);
    });

    it('production runs as a non-root user, answers GET / with the page, and passes its HEALTHCHECK', async () => {
      const { production } = builtImages(images);
      await withServer(production, 3000, pageText, 60_000, (container) => {
        expectNonRoot(production, container, { user: '1000:1000', uid: '1000' });
        expectHealthcheckPasses(production, container);
      });
      // Standalone output: the server and its traced files, not the project's node_modules.
      const listing = runOnce(production, ['sh', '-c', 'ls -A /app && test ! -e /app/node_modules/typescript && test ! -e /app/app/page.tsx']);
      expect(listing.status, listing.output).toBe(0);
      expect(listing.output).toContain('server.js');
    });

    it('the development image answers GET / from next dev', async () => {
      await withServer(builtImages(images).development, 3000, pageText, 180_000, (container) => {
        expect(containerUid(container)).not.toBe('0');
      });
    });

    it('after a page edit, production rebuilds on the cached npm ci layer and serves the new text', async () => {
      const edited = `${NEW_APP} was edited (${runId})`;
      replaceInFile(path.join(newAppDir, 'app', 'page.tsx'), pageText, edited);
      const rebuilt = build(newAppDir, 'production', { tag: `${runId}-${NEW_APP}-production-edited` });
      expectCached(rebuilt.output, 'npm ci');
      expectRebuilt(rebuilt.output, 'npm run build');
      await withServer(rebuilt.image, 3000, edited, 60_000, (_container, body) => {
        expect(body).not.toContain(pageText);
      });
    });

    it('with --runtime distroless, production runs on distroless Node as uid 65532', async () => {
      // A copy of the project as the previous test left it (page edited), so its builder stage comes from the cache.
      const dir = path.join(workRoot, DISTROLESS_COPY);
      fs.cpSync(newAppDir, dir, { recursive: true, filter: (source) => !/[\\/](node_modules|\.next)$/.test(source) });
      // The copy is an existing project now: re-rendering with another runtime changes the Dockerfile, hence --force.
      runCli(['.', '--runtime', 'distroless', '--yes', '--force'], dir);
      expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain('ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs26-debian13:nonroot\n');
      const production = build(dir, 'production').image;
      expect(inspectImage(production).entrypoint).toEqual(['/nodejs/bin/node']);
      await withServer(production, 3000, `${NEW_APP} was edited (${runId})`, 60_000, (container) => {
        expectNonRoot(production, container, { user: '65532:65532', uid: '65532' });
        expectHealthcheckPasses(production, container);
      });
      // No shell in the image: distroless it is.
      const shell = runOnce(production, [], ['--entrypoint', '/bin/sh']);
      expect(shell.status).not.toBe(0);
      expect(shell.output).toMatch(/\/bin\/sh.*no such file/);
    });
  });

  describe('an existing pnpm app without standalone output (fixture)', () => {
    const pageText = 'Orders dashboard served by pnpm-app';
    let images: TargetImages | undefined;

    beforeAll(() => {
      fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'nextjs', PNPM_APP), pnpmAppDir, {
        recursive: true,
        filter: (source) => !/[\\/](node_modules|\.next)$/.test(source),
      });
    });

    it('detects pnpm, port 4000, Node 24 and no standalone output', () => {
      expect(fs.existsSync(path.join(pnpmAppDir, 'pnpm-lock.yaml')), 'the committed lockfile is part of the fixture').toBe(true);
      const result = spawnSync(process.execPath, [CLI, '.', '--yes', '--json'], {
        cwd: pnpmAppDir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.mode).toBe('existing');
      expect(report.answers).toMatchObject({ name: PNPM_APP, pm: 'pnpm', port: 4000, 'node-version': '24', runtime: 'slim' });
      expect(report.sources).toMatchObject({ pm: 'detected', port: 'detected', 'node-version': 'detected' });
      expect(report.notes.join('\n')).toMatch(/does not set output: 'standalone'/);

      const dockerfile = fs.readFileSync(path.join(pnpmAppDir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('ARG NODE_IMAGE=node:24-trixie-slim\n');
      expect(dockerfile).toContain('pnpm@10.34.8');
      expect(dockerfile).toContain('pnpm install --frozen-lockfile');
      expect(dockerfile).not.toContain('.next/standalone');
      expect(dockerfile).toMatch(/"start","--hostname","0.0.0.0","--port","4000"\]/);
    });

    it('builds development (nothing of builder or production), builder and production', () => {
      images = buildAllTargets(pnpmAppDir);
    });

    it('production (next start fallback) runs as non-root on port 4000, serves the page and public/, passes its HEALTHCHECK', async () => {
      const { production } = builtImages(images);
      await withServer(production, 4000, pageText, 60_000, async (container, _body, hostPort) => {
        expectNonRoot(production, container, { user: '1000:1000', uid: '1000' });
        expectHealthcheckPasses(production, container);
        const publicFile = await fetch(`http://127.0.0.1:${hostPort}/status.txt`);
        expect(publicFile.status).toBe(200);
        expect(await publicFile.text()).toContain('ok from public/');
      });
      // Pruned: next is there for `next start`, the dev dependencies (typescript) are not; no source tree.
      const pruned = runOnce(production, ['sh', '-c', 'test -e node_modules/next/package.json && test ! -e node_modules/typescript && test ! -e app/page.tsx && test -d .next']);
      expect(pruned.status, pruned.output).toBe(0);
    });

    it('the development image answers GET / on port 4000 from next dev', async () => {
      await withServer(builtImages(images).development, 4000, pageText, 180_000, (container) => {
        expect(containerUid(container)).not.toBe('0');
      });
    });

    it('after a page edit, production rebuilds on the cached pnpm install and prune and serves the new text', async () => {
      const edited = `Orders dashboard edited (${runId})`;
      replaceInFile(path.join(pnpmAppDir, 'app', 'page.tsx'), pageText, edited);
      const rebuilt = build(pnpmAppDir, 'production', { tag: `${runId}-${PNPM_APP}-production-edited` });
      expectCached(rebuilt.output, 'pnpm install --frozen-lockfile');
      expectCached(rebuilt.output, 'pnpm prune');
      expectRebuilt(rebuilt.output, 'pnpm run build');
      await withServer(rebuilt.image, 4000, edited, 60_000, (_container, body) => {
        expect(body).not.toContain(pageText);
      });
    });
  });
});
