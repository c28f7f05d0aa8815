/**
 * New Next.js projects with every package manager, on the Node lines whose
 * images differ: pnpm, Yarn classic, Yarn Berry and bun on the default line
 * (Node 26: no Yarn, no corepack in the image), Yarn classic and Yarn Berry on
 * Node 24 (Yarn 1 links and an older corepack in the image). npm on Node 26 is
 * proved by nextjs.e2e.ts.
 *
 * Each project is created by the CLI the way a user runs it (its package
 * manager runs the install on the host through corepack shims; bun, which the
 * host lacks, installs in the official bun image). Then: development builds
 * (nothing of builder/production) and answers 200 from `next dev`, its package
 * manager runs offline as uid 1000 (no download at start); production runs
 * non-root and answers GET / with the page; a page edit rebuilds production
 * with the package-manager setup and the install CACHED.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, cleanup, ensureImages, requireDocker, runCli, runId, runOnce } from '../helpers/docker.js';
import { expectCached, expectNonRoot, expectRebuilt, replaceInFile, withServer } from '../helpers/nextjs-e2e.js';
import { DEFAULTS } from '../../src/defaults.js';

const hasDocker = requireDocker();
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${runId}-nextjs-pm-`));
const shims = path.join(workRoot, 'shims');

interface Case {
  name: string;
  pm: 'pnpm' | 'yarn' | 'bun';
  node: string;
  classic?: boolean;
  lockfile: string;
  /** Steps that must come from the cache after a page edit. */
  cached: string[];
  build: string;
  /** Runs the package manager offline as the development user. */
  offline: string[];
}

const CASES: Case[] = [
  {
    name: 'cms-pm-pnpm-26',
    pm: 'pnpm',
    node: '26',
    lockfile: 'pnpm-lock.yaml',
    cached: [`npm install -g pnpm@${DEFAULTS.pnpm}`, 'pnpm install --frozen-lockfile'],
    build: 'pnpm run build',
    offline: ['pnpm', '--version'],
  },
  {
    name: 'cms-pm-yarn1-26',
    pm: 'yarn',
    classic: true,
    node: '26',
    lockfile: 'yarn.lock',
    cached: ['npm install -g --force yarn@1.22.22', 'yarn install --frozen-lockfile'],
    build: 'yarn run build',
    offline: ['yarn', '--version'],
  },
  { name: 'cms-pm-berry-26', pm: 'yarn', node: '26', lockfile: 'yarn.lock', cached: ['corepack prepare yarn@', 'yarn install --immutable'], build: 'yarn run build', offline: ['yarn', '--version'] },
  { name: 'cms-pm-bun-26', pm: 'bun', node: '26', lockfile: 'bun.lock', cached: ['bun install --frozen-lockfile'], build: 'bun run build', offline: ['bun', '--version'] },
  {
    name: 'cms-pm-yarn1-24',
    pm: 'yarn',
    classic: true,
    node: '24',
    lockfile: 'yarn.lock',
    cached: ['npm install -g --force yarn@1.22.22', 'yarn install --frozen-lockfile'],
    build: 'yarn run build',
    offline: ['yarn', '--version'],
  },
  { name: 'cms-pm-berry-24', pm: 'yarn', node: '24', lockfile: 'yarn.lock', cached: ['corepack prepare yarn@', 'yarn install --immutable'], build: 'yarn run build', offline: ['yarn', '--version'] },
];

/** Host-side corepack: yarn and pnpm shims in a private directory, downloading from the npm registry. */
function corepackEnv(): Record<string, string> {
  return {
    PATH: `${shims}${path.delimiter}${process.env['PATH'] ?? ''}`,
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    COREPACK_NPM_REGISTRY: process.env['COREPACK_NPM_REGISTRY'] ?? 'https://registry.npmjs.org',
    COREPACK_INTEGRITY_KEYS: '0',
  };
}

function createProject(c: Case): string {
  const args = [c.name, '--stack', 'nextjs', '--pm', c.pm, '--node-version', c.node, '--yes'];
  const env: Record<string, string> = { ...corepackEnv() };
  // `yarn create` on Yarn 1 is how a Yarn classic project is made.
  if (c.classic) env['npm_config_user_agent'] = 'yarn/1.22.22 npm/? node/v20.0.0 linux x64';
  const dir = path.join(workRoot, c.name);
  if (c.pm === 'bun') {
    runCli([...args, '--skip-install'], workRoot, env);
    // The host has no bun: the official bun image writes the lockfile, as `bun install` would.
    execFileSync('docker', ['run', '--rm', '-u', '0', '-v', `${dir}:/app`, '-w', '/app', `oven/bun:${DEFAULTS.bun}`, 'bun', 'install', '--lockfile-only'], { stdio: 'inherit' });
  } else {
    runCli(args, workRoot, env);
  }
  return dir;
}

afterAll(() => {
  cleanup();
  fs.rmSync(workRoot, { recursive: true, force: true });
});

describe.skipIf(!hasDocker)('Next.js: new projects with every package manager', () => {
  beforeAll(() => {
    ensureImages(['node:26-trixie-slim', 'node:24-trixie-slim', `oven/bun:${DEFAULTS.bun}`, `oven/bun:${DEFAULTS.bun}-slim`]);
    fs.mkdirSync(shims, { recursive: true });
    execFileSync('corepack', ['enable', '--install-directory', shims, 'yarn', 'pnpm']);
  });

  describe.each(CASES)('$name', (c) => {
    const pageText = `${c.name} is running`;
    let dir = '';
    let production = '';
    let development = '';

    it(`is created with ${c.pm}${c.classic ? ' (classic)' : ''} on Node ${c.node}, with its lockfile`, () => {
      dir = createProject(c);
      expect(fs.existsSync(path.join(dir, c.lockfile)), `${c.lockfile} was written`).toBe(true);
      const dockerfile = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain(`ARG NODE_IMAGE=node:${c.node}-trixie-slim\n`);
      if (c.classic) expect(fs.existsSync(path.join(dir, '.yarnrc.yml'))).toBe(false);
    });

    it('production builds, runs non-root and answers GET / with the page', async () => {
      production = build(dir, 'production').image;
      await withServer(production, 3000, pageText, 90_000, (container) => {
        expectNonRoot(production, container, { user: '1000:1000', uid: '1000' });
      });
    });

    it('development builds without builder/production, runs its package manager offline as uid 1000, and answers 200', async () => {
      const result = build(dir, 'development');
      expect(result.output).not.toMatch(/\[builder /);
      development = result.image;
      const offline = runOnce(development, c.offline, ['--network', 'none', '--user', '1000:1000']);
      expect(offline.status, offline.output).toBe(0);
      expect(offline.output).not.toMatch(/download/i);
      await withServer(development, 3000, pageText, 240_000, () => {});
    });

    it('a page edit rebuilds production with the setup and the install CACHED', async () => {
      const edited = `${c.name} was edited (${runId})`;
      replaceInFile(path.join(dir, 'app', 'page.tsx'), pageText, edited);
      const rebuilt = build(dir, 'production', { tag: `${runId}-${c.name}-edited` });
      for (const step of c.cached) expectCached(rebuilt.output, step);
      expectRebuilt(rebuilt.output, c.build);
      await withServer(rebuilt.image, 3000, edited, 90_000, () => {});
      console.log(`${c.name}: page-edit rebuild ${rebuilt.seconds.toFixed(1)} s`);
    });
  });
});
