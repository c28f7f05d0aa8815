// Next.js detection on fixture trees: package manager (packageManager field,
// then lockfile), Node version, standalone output, public/, custom port, and
// the header a previous run left in the Dockerfile.

import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/defaults.js';
import { Project } from '../../../src/project.js';
import { nextjs, nodeMajorFrom } from '../../../src/stacks/nextjs.js';
import type { PackageManagerFacts } from '../../../src/stacks/node-package-managers.js';
import type { Detection } from '../../../src/stacks/types.js';
import type { NextFacts } from '../../../src/stacks/nextjs.js';
import { makeTree, readFixture, type TreeEntry } from '../../helpers/tree.js';

/** The fixtures under test/fixtures/nextjs-detect. */
type FixtureName = 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-berry' | 'bun';

async function detectIn(files: Record<string, TreeEntry>): Promise<Detection<NextFacts>> {
  return nextjs.detect(new Project(makeTree(files)));
}

function fixture(name: FixtureName, extra: Record<string, TreeEntry> = {}): Record<string, TreeEntry> {
  return { ...readFixture(`nextjs-detect/${name}`), ...extra };
}

function packageJson(fields: Record<string, unknown>): string {
  return `${JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { next: '15.5.4', react: '19.1.1' }, ...fields }, null, 2)}\n`;
}

function pmOf(detection: Detection<NextFacts>): PackageManagerFacts | undefined {
  return detection.facts['packageManager'] as PackageManagerFacts | undefined;
}

describe('is it a Next.js project?', () => {
  it('next in dependencies or devDependencies makes an existing project', async () => {
    expect((await detectIn({ 'package.json': packageJson({}) })).existing).toBe(true);
    expect((await detectIn({ 'package.json': JSON.stringify({ devDependencies: { next: '15' } }) })).existing).toBe(true);
    expect(nextjs.matches(new Project(makeTree(fixture('npm'))))).toBe(true);
  });

  it('a package.json without next, no package.json, or broken JSON is not one', async () => {
    const trees: Record<string, TreeEntry>[] = [{ 'package.json': JSON.stringify({ dependencies: { react: '19' } }) }, {}, { 'package.json': '{ "dependencies": { "next": ' }];
    for (const files of trees) {
      const detection = await detectIn(files);
      expect(detection.existing).toBe(false);
      expect(nextjs.matches(new Project(makeTree(files)))).toBe(false);
    }
  });
});

describe('package manager from the lockfile', () => {
  it.each([
    ['npm', 'npm', 'package-lock.json', false],
    ['pnpm', 'pnpm', 'pnpm-lock.yaml', false],
    ['yarn-classic', 'yarn', 'yarn.lock', false],
    ['yarn-berry', 'yarn', 'yarn.lock', true],
    ['bun', 'bun', 'bun.lock', false],
  ] as const)('%s fixture → %s (%s, berry %s)', async (name, id, lockfile, berry) => {
    const detection = await detectIn(fixture(name));
    expect(detection.values['pm']).toBe(id);
    expect(pmOf(detection)).toMatchObject({ id, lockfile, yarnBerry: berry, version: '' });
    expect(detection.notes.some((n) => n.includes('no lockfile'))).toBe(false);
  });

  it('yarn berry is recognised by .yarnrc.yml alone, and by __metadata alone', async () => {
    const classicLock = readFixture('nextjs-detect/yarn-classic')['yarn.lock']!;
    const berryLock = readFixture('nextjs-detect/yarn-berry')['yarn.lock']!;
    const byConfig = await detectIn({ 'package.json': packageJson({}), 'yarn.lock': classicLock, '.yarnrc.yml': 'nodeLinker: node-modules\n' });
    expect(pmOf(byConfig)).toMatchObject({ id: 'yarn', yarnBerry: true, configFiles: ['.yarnrc.yml'] });
    const byMetadata = await detectIn({ 'package.json': packageJson({}), 'yarn.lock': berryLock });
    expect(pmOf(byMetadata)).toMatchObject({ id: 'yarn', yarnBerry: true, configFiles: [] });
  });

  it('yarn berry with a checked-in release keeps .yarn/releases for the image', async () => {
    const detection = await detectIn(fixture('yarn-berry', { '.yarn/releases/yarn-4.5.0.cjs': '// yarn\n' }));
    expect(pmOf(detection)?.yarnDirs).toEqual(['.yarn/releases']);
  });

  it('bun.lockb (binary) and npm-shrinkwrap.json count as lockfiles', async () => {
    const bun = await detectIn({ 'package.json': packageJson({}), 'bun.lockb': Buffer.from([0x23, 0x21, 0x00, 0xff, 0xfe]) });
    expect(pmOf(bun)).toMatchObject({ id: 'bun', lockfile: 'bun.lockb' });
    const shrinkwrap = await detectIn({ 'package.json': packageJson({}), 'npm-shrinkwrap.json': '{}' });
    expect(pmOf(shrinkwrap)).toMatchObject({ id: 'npm', lockfile: 'npm-shrinkwrap.json' });
  });

  it('config files the install reads are carried along; .npmrc as a secret, never a copied file', async () => {
    const detection = await detectIn(fixture('pnpm', { '.npmrc': 'auto-install-peers=true\n', 'pnpm-workspace.yaml': 'packages: []\n' }));
    expect(pmOf(detection)?.configFiles).toEqual(['pnpm-workspace.yaml']);
    expect(pmOf(detection)?.secretFiles).toEqual(['.npmrc']);
  });

  it('no lockfile: no detected manager and a note saying so', async () => {
    const detection = await detectIn({ 'package.json': packageJson({}) });
    expect(detection.values['pm']).toBeUndefined();
    expect(pmOf(detection)).toBeUndefined();
    expect(detection.notes.some((n) => n.startsWith('no lockfile found'))).toBe(true);
  });
});

describe('the packageManager field and the lockfile', () => {
  it.each([
    ['yarn@1.22.22', 'yarn-classic', '1.22.22', false],
    ['yarn@4.5.0', 'yarn-berry', '4.5.0', true],
    ['pnpm@9.12.0+sha512.deadbeef', 'pnpm', '9.12.0', false],
    ['bun@1.2.3', 'bun', '1.2.3', false],
  ] as const)('%s with its own lockfile (%s): the field pins the version', async (field, lockFixture, version, berry) => {
    const detection = await detectIn({ ...fixture(lockFixture), 'package.json': packageJson({ packageManager: field }) });
    expect(pmOf(detection)).toMatchObject({ id: field.split('@')[0], version, yarnBerry: berry });
    expect(detection.notes.join('\n')).not.toMatch(/packageManager/);
  });

  // The lockfile wins a contradiction: it is what the dependencies were resolved
  // with and what a frozen install needs; the field would point at a lockfile that does not exist.
  it.each([
    ['pnpm@9.12.0', 'npm', 'npm', 'package-lock.json'],
    ['yarn@4.5.0', 'npm', 'npm', 'package-lock.json'],
    ['bun@1.2.3', 'pnpm', 'pnpm', 'pnpm-lock.yaml'],
    ['npm@10.9.0', 'yarn-classic', 'yarn', 'yarn.lock'],
  ] as const)('%s against the %s lockfile: the lockfile wins, with a note saying why', async (field, lockFixture, id, lockfile) => {
    const detection = await detectIn({ ...fixture(lockFixture), 'package.json': packageJson({ packageManager: field }) });
    expect(detection.values['pm']).toBe(id);
    expect(pmOf(detection)).toMatchObject({ id, lockfile, version: '' });
    const note = detection.notes.find((n) => n.includes('packageManager'));
    expect(note).toContain(`"packageManager": "${field}"`);
    expect(note).toMatch(/the lockfile is what the dependencies were resolved with/);
    expect(detection.notes.some((n) => n.startsWith('no lockfile'))).toBe(false);
  });

  it('without any lockfile the field decides', async () => {
    const detection = await detectIn({ 'package.json': packageJson({ packageManager: 'pnpm@9.12.0' }) });
    expect(pmOf(detection)).toMatchObject({ id: 'pnpm', version: '9.12.0', lockfile: undefined });
  });

  it('a malformed field falls back to the lockfile', async () => {
    const detection = await detectIn({ ...fixture('pnpm'), 'package.json': packageJson({ packageManager: 'npm' }) });
    expect(detection.values['pm']).toBe('pnpm');
    expect(pmOf(detection)).toMatchObject({ id: 'pnpm', lockfile: 'pnpm-lock.yaml', version: '' });
  });
});

describe('Node.js version', () => {
  it.each([
    ['.nvmrc', '22\n', '22'],
    ['.nvmrc', 'v20.11.1\n', '20'],
    ['.node-version', '24.1.0\n', '24'],
    ['.node-version', '  22  \n', '22'],
  ])('%s %j → %s', async (file, content, major) => {
    const detection = await detectIn(fixture('npm', { [file]: content }));
    expect(detection.values['node-version']).toBe(major);
  });

  it.each([
    ['>=20.9.0', DEFAULTS.nodeMajor], // open range: the current LTS
    ['^22', '22'],
    ['^22.11.0', '22'],
    ['20 || 22', '22'],
    ['22.x', '22'],
    ['>=20.9 <23', '22'], // the highest major below the exclusive bound
    ['>=18 <=22', '22'],
    [`>=20 <=${DEFAULTS.nodeMajor}`, DEFAULTS.nodeMajor],
  ])('engines.node %j → %s', async (range, major) => {
    const detection = await detectIn(fixture('npm', { 'package.json': packageJson({ engines: { node: range } }) }));
    expect(detection.values['node-version']).toBe(major);
    expect(nodeMajorFrom(range)).toBe(major);
  });

  it('.nvmrc wins over .node-version, which wins over engines.node', async () => {
    const all = { '.nvmrc': '20\n', '.node-version': '22\n', 'package.json': packageJson({ engines: { node: '^24' } }) };
    expect((await detectIn(fixture('npm', all))).values['node-version']).toBe('20');
    const { '.nvmrc': _nvmrc, ...withoutNvmrc } = all;
    expect((await detectIn(fixture('npm', withoutNvmrc))).values['node-version']).toBe('22');
    const { '.node-version': _nodeVersion, ...enginesOnly } = withoutNvmrc;
    expect((await detectIn(fixture('npm', enginesOnly))).values['node-version']).toBe('24');
  });

  it('aliases that name no version (lts/*, node) detect nothing', async () => {
    for (const alias of ['lts/*', 'lts/unknowncodename', 'node', '']) {
      const detection = await detectIn(fixture('npm', { '.nvmrc': `${alias}\n` }));
      expect(detection.values['node-version'], alias).toBeUndefined();
    }
  });

  it('an LTS codename names its major (lts/iron is 20)', async () => {
    const detection = await detectIn(fixture('npm', { '.nvmrc': 'lts/iron\n' }));
    expect(detection.values['node-version']).toBe('20');
  });
});

describe('standalone output in next.config.{js,mjs,ts}', () => {
  const configs: Record<string, [on: string, off: string]> = {
    'next.config.js': ["/** @type {import('next').NextConfig} */\nmodule.exports = {\n  output: 'standalone',\n};\n", 'module.exports = {\n  reactStrictMode: true,\n};\n'],
    'next.config.mjs': ['const nextConfig = {\n  output: "standalone",\n};\n\nexport default nextConfig;\n', 'const nextConfig = { images: { unoptimized: true } };\nexport default nextConfig;\n'],
    'next.config.ts': [
      "import type { NextConfig } from 'next';\n\nconst nextConfig: NextConfig = {\n  output: `standalone`,\n};\n\nexport default nextConfig;\n",
      "import type { NextConfig } from 'next';\n\nconst nextConfig: NextConfig = {};\n\nexport default nextConfig;\n",
    ],
  };

  for (const [file, [on, off]] of Object.entries(configs)) {
    it(`${file}: on`, async () => {
      const detection = await detectIn(fixture('npm', { [file]: on }));
      expect(detection.facts).toMatchObject({ standalone: true, nextConfigFile: file });
      expect(detection.notes.some((n) => n.includes('standalone'))).toBe(false);
    });

    it(`${file}: off, with a note on how to switch`, async () => {
      const detection = await detectIn(fixture('npm', { [file]: off }));
      expect(detection.facts).toMatchObject({ standalone: false, nextConfigFile: file });
      expect(detection.notes.find((n) => n.includes('standalone'))).toMatch(new RegExp(`^${file.replace('.', '\\.')} does not set output: 'standalone'.*pass --standalone`));
      expect(detection.facts['standaloneEdit']).toMatchObject({ ok: true });
    });
  }

  it('no next.config at all: off, with a note', async () => {
    const detection = await detectIn(fixture('npm'));
    expect(detection.facts).toMatchObject({ standalone: false, nextConfigFile: '' });
    expect(detection.notes.some((n) => n.includes("output: 'standalone'"))).toBe(true);
  });

  it('a commented-out standalone line does not count', async () => {
    const config = "const nextConfig = {\n  // output: 'standalone',\n  /* output: 'standalone' */\n};\nexport default nextConfig;\n";
    const detection = await detectIn(fixture('npm', { 'next.config.mjs': config }));
    expect(detection.facts['standalone']).toBe(false);
  });
});

describe('public/', () => {
  it('present', async () => {
    expect((await detectIn(fixture('npm', { 'public/favicon.ico': Buffer.from([0, 1, 2]) }))).facts['hasPublic']).toBe(true);
    expect((await detectIn(fixture('npm', { public: { dir: true } }))).facts['hasPublic']).toBe(true);
  });

  it('absent, or a file named public', async () => {
    expect((await detectIn(fixture('npm'))).facts['hasPublic']).toBe(false);
    expect((await detectIn(fixture('npm', { public: 'not a dir' }))).facts['hasPublic']).toBe(false);
  });
});

describe('custom port from the scripts', () => {
  it.each([
    [{ start: 'next start -p 4000' }, 4000],
    [{ start: 'next start --port=5000' }, 5000],
    [{ start: 'next start --port 5001' }, 5001],
    [{ start: 'next start', dev: 'next dev -p 4100' }, 4100],
    [{ start: 'PORT=4200 next start' }, 4200],
    [{ start: 'next start -p 4000', dev: 'next dev -p 4100' }, 4000],
  ])('%j → %i', async (scripts, port) => {
    const detection = await detectIn(fixture('npm', { 'package.json': packageJson({ scripts }) }));
    expect(detection.values['port']).toBe(port);
  });

  it.each([[{ start: 'next start' }], [{ start: 'node server.js -p 4000' }], [{}]])('%j → nothing', async (scripts) => {
    const detection = await detectIn(fixture('npm', { 'package.json': packageJson({ scripts }) }));
    expect(detection.values['port']).toBeUndefined();
  });
});

describe('project name', () => {
  it('from package.json (scope dropped, lower-cased)', async () => {
    const detection = await detectIn({ 'package.json': packageJson({ name: '@acme/Web_Shop' }) });
    expect(detection.values['name']).toBe('web_shop');
  });
});

describe("a previous run's header in the Dockerfile", () => {
  const header = '# create-multistage: --stack nextjs --name shop --port 8080 --node-version 24 --pm pnpm --runtime distroless';

  it('restores the recorded answers', async () => {
    const detection = await detectIn({
      'package.json': packageJson({}),
      Dockerfile: `# syntax=docker/dockerfile:1\n${header}\nFROM scratch\n`,
    });
    expect(detection.values).toMatchObject({ name: 'shop', port: '8080', 'node-version': '24', pm: 'pnpm', runtime: 'distroless' });
  });

  it('is read only within the first lines, and only for this stack', async () => {
    const late = await detectIn({ 'package.json': packageJson({}), Dockerfile: `${'# x\n'.repeat(6)}${header}\n` });
    expect(late.values['runtime']).toBeUndefined();
    const otherStack = await detectIn({ 'package.json': packageJson({}), Dockerfile: '# create-multistage: --stack go --runtime scratch\n' });
    expect(otherStack.values['runtime']).toBeUndefined();
  });

  it('wins over fresh detection, so a re-run reproduces the files the flags chose', async () => {
    // The first run was given --name, --port, --node-version and --pm over what the project says.
    const detection = await detectIn({
      ...fixture('npm', { '.nvmrc': '20\n' }),
      'package.json': packageJson({ name: 'fixture-npm', scripts: { start: 'next start -p 5000' } }),
      Dockerfile: `# syntax=docker/dockerfile:1\n${header}\n`,
    });
    expect(detection.values).toMatchObject({ name: 'shop', port: '8080', 'node-version': '24', runtime: 'distroless' });
  });

  it('a header in a directory without package.json still names the stack for a re-run', async () => {
    const detection = await detectIn({ Dockerfile: `${header}\n` });
    expect(detection.existing).toBe(false);
    expect(detection.values['runtime']).toBe('distroless');
  });
});
