/**
 * Existing Next.js apps on a real engine, one built project per concern group
 * so the suite stays inside the CI budget:
 *
 * 1. test/fixtures/nextjs/private-app (npm, Node 26): a `.npmrc` with a made-up
 *    token for a private scope, committed `.env` / `.env.production`, a secret
 *    `.env.local`, `basePath: '/docs'`, `cacheComponents` with a "use cache"
 *    function. Every target builds with `--secret id=npmrc`; the token is in
 *    no layer of any image (`docker save` searched) and in no history; the
 *    install saw the file; production serves the greeting from
 *    `.env.production` at /docs, the `.env.local` value is in no image; the
 *    container turns healthy (its HEALTHCHECK probes /docs); production carries
 *    the build's fetch cache; a page edit rebuilds with `npm ci` CACHED and the
 *    compile cache kept in its cache mount (timings are printed, not asserted).
 *    A build without the secret still works. Compose: `docker compose config`
 *    accepts the file and `up --no-build dev` serves from the development image.
 * 2. test/fixtures/nextjs/yarn-pnp-app: Yarn Berry with the default Plug'n'Play
 *    linker and a plugin in `.yarn/plugins`: production builds (node_modules
 *    inside the image) and serves.
 * 3. test/fixtures/nextjs/export-app: `output: 'export'`: production serves
 *    out/ from a static server with 200.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, build, cleanup, ensureImages, freePort, requireDocker, runCli, runId, runOnce } from '../helpers/docker.js';
import { expectCached, expectHealthcheckPasses, expectNonRoot, expectRebuilt, healthStatus, imageContains, imageHistory, replaceInFile, waitForPage, withServer } from '../helpers/nextjs-e2e.js';

const hasDocker = requireDocker();
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${runId}-nextjs-existing-`));
const TOKEN = 'cms-fake-token-5c81e0d7a9';
const LOCAL_ONLY = 'cms-local-only-3e9b';

function copyFixture(name: string, as = name): string {
  const dir = path.join(workRoot, as);
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'nextjs', name), dir, { recursive: true, filter: (source) => !/[\\/](node_modules|\.next)$/.test(source) });
  return dir;
}

/**
 * BuildKit's cache key of a RUN ignores secrets: a layer installed without the
 * secret would satisfy a build with it. A per-run package.json description makes
 * this run's install run for real, so its output shows what it saw.
 */
function freshInstall(dir: string, label: string): void {
  const file = path.join(dir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  pkg.description = `${pkg.description} (${runId} ${label})`;
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

afterAll(() => {
  cleanup();
  fs.rmSync(workRoot, { recursive: true, force: true });
});

describe.skipIf(!hasDocker)('Next.js: existing apps on a real engine', () => {
  beforeAll(() => {
    ensureImages(['node:26-trixie-slim']);
  });

  describe('private registry, env files, basePath and the Next.js cache (private-app)', () => {
    const dir = copyFixture('private-app');
    const secret = ['--secret', `id=npmrc,src=${path.join(dir, '.npmrc')}`];
    const images: Partial<Record<'development' | 'builder' | 'production', string>> = {};
    const timings: Record<string, number> = {};

    beforeAll(() => {
      freshInstall(dir, 'with the secret');
      runCli(['.', '--yes'], dir);
    });

    it('renders the secret mount, the NEXT_PUBLIC_* ARGs, the basePath probe and a .dockerignore by Next.js rules', () => {
      const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('--mount=type=secret,id=npmrc,target=/app/.npmrc');
      expect(dockerfile).not.toMatch(/^COPY .*\.npmrc/m);
      expect(dockerfile).toMatch(/^ARG NEXT_PUBLIC_GREETING$/m);
      expect(dockerfile).toContain("fetch('http://127.0.0.1:3000/docs')");
      const ignore = fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8').split('\n');
      expect(ignore).toEqual(expect.arrayContaining(['.env*.local', '.npmrc']));
      expect(ignore).not.toContain('.env*');
      const scripts = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts as Record<string, string>;
      expect(scripts['docker:build']).toContain('--secret id=npmrc,src=.npmrc');
    });

    it('builds every target with the secret; the install saw .npmrc', () => {
      const development = build(dir, 'development', { args: secret });
      expect(development.output).toContain('cms-npmrc-visible=true');
      images.development = development.image;
      const builder = build(dir, 'builder', { args: secret });
      images.builder = builder.image;
      const production = build(dir, 'production', { args: secret });
      images.production = production.image;
      // The first production build (next build runs in the builder step): on a cold CI machine the cache mounts start empty.
      timings['first'] = builder.seconds + production.seconds;
    });

    it('the token is in no layer of any image and in no image history', () => {
      for (const image of Object.values(images)) {
        expect(imageContains(image!, TOKEN), `${image} holds the token`).toBe(false);
        expect(imageHistory(image!)).not.toContain(TOKEN);
        // The .npmrc itself never reached an image either.
        expect(runOnce(image!, ['sh', '-c', 'test ! -e /app/.npmrc']).status).toBe(0);
      }
    });

    it('production serves the .env.production greeting under /docs, no .env.local value, and turns healthy', async () => {
      const production = images.production!;
      await withServer(
        production,
        3000,
        'Hello from env-production',
        90_000,
        async (container, body) => {
          expect(body).toContain('Private App');
          // React separates text and expression with <!-- -->.
          expect(body).toMatch(/local:(?:<!-- -->)?none/);
          expectNonRoot(production, container, { user: '1000:1000', uid: '1000' });
          expectHealthcheckPasses(production, container);
          // Docker's own verdict: the first probe runs after the 30 s interval.
          const deadline = Date.now() + 120_000;
          while (healthStatus(container) !== 'healthy' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2_000));
          expect(healthStatus(container)).toBe('healthy');
        },
        { urlPath: '/docs' },
      );
      for (const image of Object.values(images)) expect(imageContains(image!, LOCAL_ONLY), `${image} holds the .env.local value`).toBe(false);
    });

    it('production carries the build-time fetch cache', () => {
      const listing = runOnce(images.production!, ['sh', '-c', 'ls -A /app/.next/cache/fetch-cache | wc -l; ls -ld /app/.next/cache/fetch-cache']);
      expect(listing.status, listing.output).toBe(0);
      expect(Number(listing.output.split('\n')[0]), listing.output).toBeGreaterThan(0);
      expect(listing.output).toMatch(/node\s+node/);
    });

    it('the page shows the value the build fetched', async () => {
      await withServer(images.production!, 3000, 'next 16.4.6 from the build-time fetch cache', 90_000, () => {}, { urlPath: '/docs' });
    });

    it('a page edit rebuilds on the cached npm ci with the compile cache kept in its mount; timings printed', async () => {
      replaceInFile(path.join(dir, 'app', 'page.tsx'), 'Private app page', `Private app page edited ${runId}`);
      const rebuilt = build(dir, 'production', { args: secret, tag: `${runId}-private-app-edited` });
      timings['edit'] = rebuilt.seconds;
      expectCached(rebuilt.output, 'npm ci');
      expectRebuilt(rebuilt.output, 'npm run build');
      // The cache mount holds the previous build's compile cache: list it through a throwaway build on the same id.
      const probeDir = fs.mkdtempSync(path.join(workRoot, 'cache-probe-'));
      fs.writeFileSync(
        path.join(probeDir, 'Dockerfile'),
        `FROM node:26-trixie-slim AS probe\nRUN --mount=type=cache,id=private-app-next-cache,target=/cache ls -A /cache > /listing && echo ${runId}\n`,
      );
      const probe = build(probeDir, 'probe', { tag: `${runId}-cache-probe` });
      const listing = runOnce(probe.image, ['cat', '/listing']).output.split('\n').filter(Boolean);
      expect(listing.length, `the next cache mount is empty: ${probe.output.slice(-1000)}`).toBeGreaterThan(0);
      console.log(`private-app: first production build ${timings['first']!.toFixed(1)} s, page-edit rebuild ${timings['edit']!.toFixed(1)} s; cache mount holds ${listing.join(', ')}`);
      await withServer(rebuilt.image, 3000, `Private app page edited ${runId}`, 90_000, () => {}, { urlPath: '/docs' });
    });

    it('builds without the secret too (the mount is optional)', () => {
      const copy = copyFixture('private-app', 'private-app-nosecret');
      freshInstall(copy, 'without the secret');
      runCli(['.', '--yes', '--name', 'private-app'], copy);
      const plain = build(copy, 'dependencies', { tag: `${runId}-private-app-nosecret` });
      expect(plain.output).toContain('cms-npmrc-visible=false');
    });

    it('compose: config accepts the file; up --no-build runs dev from the development image', async () => {
      const config = spawnSync('docker', ['compose', 'config', '--quiet'], { cwd: dir, encoding: 'utf8' });
      expect(config.status, config.stderr).toBe(0);
      // compose cannot build here (the # syntax frontend): tag the image compose expects, then run without building.
      execFileSync('docker', ['tag', images.development!, 'private-app:dev']);
      const hostPort = await freePort();
      const project = `${runId}-compose`;
      const override = path.join(workRoot, `${project}.override.yaml`);
      fs.writeFileSync(override, `services:\n  dev:\n    ports: !override\n      - "127.0.0.1:${hostPort}:3000"\n`);
      const compose = (...args: string[]) => spawnSync('docker', ['compose', '-p', project, '-f', 'compose.yaml', '-f', override, ...args], { cwd: dir, encoding: 'utf8' });
      try {
        const up = compose('up', '--no-build', '-d', 'dev');
        expect(up.status, `${up.stdout}${up.stderr}`).toBe(0);
        const container = compose('ps', '-q', 'dev').stdout.trim();
        // next dev loads .env and .env.development (not .env.production): the site name comes from .env.
        const body = await waitForPage(`http://127.0.0.1:${hostPort}/docs`, 'Private App', container, 240_000);
        expect(body).toContain('Private app page');
      } finally {
        compose('down', '--remove-orphans');
        spawnSync('docker', ['rmi', 'private-app:dev'], { stdio: 'ignore' });
      }
    });
  });

  describe("Yarn Berry with Plug'n'Play and a plugin (yarn-pnp-app)", () => {
    it('builds production with node_modules inside the image and serves the page', async () => {
      const dir = copyFixture('yarn-pnp-app');
      const output = runCli(['.', '--yes'], dir);
      expect(output).toMatch(/Plug'n'Play: the image installs with nodeLinker node-modules/);
      const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('COPY .yarn/plugins ./.yarn/plugins');
      expect(dockerfile).toContain('ENV YARN_NODE_LINKER=node-modules');
      const production = build(dir, 'production');
      await withServer(production.image, 3000, 'Served by Yarn PnP', 90_000, (container) => {
        expectNonRoot(production.image, container, { user: '1000:1000', uid: '1000' });
      });
    });
  });

  describe("output: 'export' (export-app)", () => {
    it('production serves the exported page from a static server with 200', async () => {
      const dir = copyFixture('export-app');
      runCli(['.', '--yes'], dir);
      const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).not.toContain('"start"');
      const production = build(dir, 'production');
      await withServer(production.image, 3000, 'Exported static page', 90_000, (container) => {
        expectNonRoot(production.image, container, { user: '1000:1000', uid: '1000' });
        expectHealthcheckPasses(production.image, container);
      });
      // A static site: no Next.js server in the image.
      expect(runOnce(production.image, ['sh', '-c', 'test -f /app/out/index.html && test ! -e /app/node_modules/next']).status).toBe(0);
    });
  });
});
