// Finding a kit: a directory, a .tgz (built with tar, with and without a top
// folder, npm's package/ prefix), a package installed in the project (or a
// parent), installed globally, fetched with `npm pack` (the user's npm config
// applies, scripts never run), and the package.json pin. Archives are read
// by our own ustar reader, which refuses every entry that could escape.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/errors.js';
import { KitFetchError, KitNotFoundError } from '../../../src/kit/errors.js';
import { loadKit } from '../../../src/kit/load.js';
import { parsePackageSpec, readKitPin, resolveKit } from '../../../src/kit/resolve.js';
import { defaultNpmRunner, type NpmRunner } from '../../../src/npm.js';
import { ArchiveError, readTarGz } from '../../../src/tar.js';
import type { RunReport } from '../../../src/create.js';
import { KIT_STACKS as STACKS } from '../../../src/stacks/index.js';
import { makeTree, snapshotTree, tempDir } from '../../helpers/tree.js';
import { ACME_KIT, makeKit, manifest, paxHeader, tarGz } from '../../helpers/kit.js';

/** An npm that must not be called (a test that reaches it has resolved wrongly). */
const noNpm: NpmRunner = (args) => {
  throw new Error(`npm ${args.join(' ')} was not expected`);
};

/** Copies the acme kit (as an npm package with this name and version) into `dir`. */
function installKit(dir: string, name = '@acme/multistage-kit', version = '1.0.0'): string {
  const target = path.join(dir, ...name.split('/'));
  fs.cpSync(ACME_KIT, target, { recursive: true });
  fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify({ name, version }));
  return target;
}

async function dryRun(cwd: string, args: string[], npm: NpmRunner = noNpm): Promise<{ code: number; report: RunReport; stderr: string }> {
  const result = await runMainWithNpm(['--yes', '--skip-install', '--dry-run', '--json', ...args], cwd, npm);
  return { code: result.code, report: result.code === 0 ? result.json<RunReport>() : ({} as RunReport), stderr: result.stderr };
}

/** runMain with an npm runner (run-main.ts does not pass one through, so call main directly). */
async function runMainWithNpm(argv: string[], cwd: string, npm: NpmRunner) {
  const { main } = await import('../../../src/index.js');
  const { Writable } = await import('node:stream');
  const chunks = { out: '', err: '' };
  const stream = (key: 'out' | 'err') =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks[key] += chunk.toString();
        done();
      },
    });
  const code = await main(argv, { cwd, env: { NO_COLOR: '1' }, stdout: stream('out'), stderr: stream('err'), stdinIsTTY: false, npm, install: () => 0 });
  return { code, stdout: chunks.out, stderr: chunks.err, json: <T>() => JSON.parse(chunks.out) as T };
}

describe('a kit directory', () => {
  it('--kit <dir> relative to the working directory', async () => {
    const cwd = makeTree();
    fs.cpSync(ACME_KIT, path.join(cwd, 'kits', 'acme'), { recursive: true });
    const { code, report } = await dryRun(cwd, ['app', '--stack', 'nextjs', '--kit', './kits/acme']);
    expect(code).toBe(0);
    expect(report.kit).toMatchObject({ name: 'acme-platform', version: '1.0.0', origin: 'directory ./kits/acme' });
    expect(report.files.map((f) => f.path)).toEqual(expect.arrayContaining(['.multistage/ca/acme-root-ca.crt', '.github/workflows/docker.yml']));
    expect(snapshotTree(cwd)['app']).toBeUndefined();
  });

  it('a spec naming an existing directory is that directory, never a registry package of the same name', async () => {
    const cwd = makeTree();
    fs.cpSync(ACME_KIT, path.join(cwd, 'acme-kit'), { recursive: true });
    const { code, report } = await dryRun(cwd, ['app', '--stack', 'nextjs', '--kit', 'acme-kit']);
    expect(code).toBe(0);
    expect(report.kit?.origin).toBe('directory acme-kit');
  });

  it('a missing directory, or a spec that is no package name, is a usage error naming it', async () => {
    const cwd = makeTree();
    for (const spec of ['./no-such-kit', 'Not A Package!']) {
      const result = await runMainWithNpm(['app', '--stack', 'nextjs', '--yes', '--kit', spec], cwd, noNpm);
      expect(result.code).toBe(EXIT.usage);
      expect(result.stderr).toContain(spec);
    }
    expect(() => resolveKit('./nope', { baseDir: cwd, projectDir: cwd, npm: noNpm })).toThrow(KitNotFoundError);
    expect(snapshotTree(cwd)).toEqual({});
  });

  it('a folder without multistage-kit.json is not a kit', () => {
    const dir = makeTree({ 'README.md': 'hi' });
    expect(() => loadKit(dir, { baseDir: dir, projectDir: dir, npm: noNpm }, STACKS)).toThrow(/has no multistage-kit.json/);
  });
});

describe('a kit archive', () => {
  const previousTmp = process.env['TMPDIR'];
  afterEach(() => {
    if (previousTmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previousTmp;
  });

  it('built with `tar -czf` from inside the kit, or with the kit folder on top', async () => {
    const cwd = makeTree();
    execFileSync('tar', ['-czf', path.join(cwd, 'flat.tgz'), '-C', ACME_KIT, '.']);
    execFileSync('tar', ['-czf', path.join(cwd, 'nested.tar.gz'), '-C', path.dirname(ACME_KIT), 'acme']);
    for (const archive of ['flat.tgz', 'nested.tar.gz']) {
      const { code, report, stderr } = await dryRun(cwd, ['app', '--stack', 'nextjs', '--kit', archive]);
      expect(code, stderr).toBe(0);
      expect(report.kit).toMatchObject({ name: 'acme-platform', origin: `archive ${archive}` });
      expect(report.files.map((f) => f.path)).toContain('.multistage/ca/acme-root-ca.crt');
    }
  });

  it('an npm tarball: the package/ prefix is stripped', () => {
    const staging = tempDir();
    fs.cpSync(ACME_KIT, path.join(staging, 'package'), { recursive: true });
    const cwd = makeTree();
    execFileSync('tar', ['-czf', path.join(cwd, 'acme-multistage-kit-1.0.0.tgz'), '-C', staging, 'package']);
    const kit = loadKit('acme-multistage-kit-1.0.0.tgz', { baseDir: cwd, projectDir: cwd, npm: noNpm }, STACKS);
    expect(kit.name).toBe('acme-platform');
    expect(kit.configs['*']!.caCertificates.map((c) => c.fileName)).toEqual(['acme-root-ca.crt']);
  });

  it('is extracted into a temporary folder that is gone once the kit is loaded', () => {
    const cwd = makeTree();
    execFileSync('tar', ['-czf', path.join(cwd, 'kit.tgz'), '-C', ACME_KIT, '.']);
    fs.writeFileSync(path.join(cwd, 'bad.tgz'), tarGz([{ name: 'multistage-kit.json', content: '{"name": 1}' }]));
    const tmp = tempDir();
    process.env['TMPDIR'] = tmp;
    const resolved = resolveKit('kit.tgz', { baseDir: cwd, projectDir: cwd, npm: noNpm });
    expect(resolved.root.startsWith(tmp)).toBe(true);
    expect(fs.existsSync(path.join(resolved.root, 'multistage-kit.json'))).toBe(true);
    resolved.cleanup();
    expect(fs.readdirSync(tmp)).toEqual([]);
    loadKit('kit.tgz', { baseDir: cwd, projectDir: cwd, npm: noNpm }, STACKS);
    expect(fs.readdirSync(tmp)).toEqual([]);
    // Also when the kit turns out invalid.
    expect(() => loadKit('bad.tgz', { baseDir: cwd, projectDir: cwd, npm: noNpm }, STACKS)).toThrow(/name must be a string/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('reads pax and GNU long names', () => {
    const long = `${'deep/'.repeat(30)}file.txt`;
    const entries = readTarGz(
      tarGz([paxHeader({ path: long }), { name: 'ignored-short-name', content: 'pax' }, { name: '././@LongLink', type: 'L', content: `${long}.gnu\0` }, { name: 'short', content: 'gnu' }]),
    );
    expect(entries.map((e) => [e.path, e.content.toString()])).toEqual([
      [long, 'pax'],
      [`${long}.gnu`, 'gnu'],
    ]);
  });

  const refusals: [string, Parameters<typeof tarGz>[0], RegExp][] = [
    ['an absolute path', [{ name: '/etc/cron.d/evil', content: 'x' }], /"\/etc\/cron.d\/evil" has an absolute path/],
    ['a path with ..', [{ name: 'kit/../../evil', content: 'x' }], /"kit\/..\/..\/evil" climbs out with ".."/],
    ['a pax path with ..', [paxHeader({ path: '../evil' }), { name: 'fine', content: 'x' }], /"..\/evil" climbs out/],
    ['a symbolic link', [{ name: 'link', type: '2', linkname: '/etc/passwd' }], /"link" is a symbolic link/],
    ['a hard link', [{ name: 'hard', type: '1', linkname: 'multistage-kit.json' }], /"hard" is a hard link/],
    ['a character device', [{ name: 'tty', type: '3' }], /"tty" is a character device/],
    ['a block device', [{ name: 'disk', type: '4' }], /"disk" is a block device/],
    ['a FIFO', [{ name: 'pipe', type: '6' }], /"pipe" is a FIFO/],
    ['a backslash in a name', [{ name: 'a\\..\\b', content: 'x' }], /backslashes/],
  ];
  it.each(refusals)('refuses %s', (_what, entries, message) => {
    const archive = tarGz([{ name: 'multistage-kit.json', content: JSON.stringify(manifest()) }, ...entries]);
    expect(() => readTarGz(archive)).toThrow(ArchiveError);
    expect(() => readTarGz(archive)).toThrow(message);
  });

  it('refuses a damaged archive and a file given twice', () => {
    const good = tarGz([{ name: 'a', content: 'x' }]);
    expect(() => readTarGz(Buffer.from('not gzip'))).toThrow(/not a readable .tgz/);
    const raw = execFileSync('gzip', ['-dc'], { input: good });
    raw[0] = 'b'.charCodeAt(0); // the name changes, the stored checksum does not
    expect(() => readTarGz(gzipSync(raw))).toThrow(/bad header checksum/);
    const cwd = makeTree();
    fs.writeFileSync(
      path.join(cwd, 'twice.tgz'),
      tarGz([
        { name: 'multistage-kit.json', content: '{}' },
        { name: 'multistage-kit.json', content: '{}' },
      ]),
    );
    expect(() => resolveKit('twice.tgz', { baseDir: cwd, projectDir: cwd, npm: noNpm })).toThrow(/holds multistage-kit.json twice/);
  });

  it('through the CLI, an unsafe archive is refused with exit 2 and nothing written', async () => {
    const cwd = makeTree();
    fs.writeFileSync(
      path.join(cwd, 'evil.tgz'),
      tarGz([
        { name: 'multistage-kit.json', content: JSON.stringify(manifest()) },
        { name: '../../escaped', content: 'x' },
      ]),
    );
    const before = snapshotTree(cwd);
    const result = await runMainWithNpm(['app', '--stack', 'nextjs', '--yes', '--kit', 'evil.tgz'], cwd, noNpm);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('climbs out with ".."');
    expect(snapshotTree(cwd)).toEqual(before);
    expect(fs.existsSync(path.join(path.dirname(cwd), 'escaped'))).toBe(false);
  });
});

describe('an npm package', () => {
  it('parses names with scopes and versions and refuses anything else', () => {
    expect(parsePackageSpec('@acme/kit')).toEqual({ name: '@acme/kit' });
    expect(parsePackageSpec('@acme/kit@1.2.3')).toEqual({ name: '@acme/kit', version: '1.2.3' });
    expect(parsePackageSpec('acme-kit@^1')).toEqual({ name: 'acme-kit', version: '^1' });
    for (const bad of ['Acme', 'kit name', '@acme', 'kit@1 2', 'kit;rm -rf', '@acme/kit@']) expect(parsePackageSpec(bad), bad).toBeUndefined();
  });

  it('installed in the project: resolved from its node_modules', async () => {
    const cwd = makeTree({ 'app/package.json': JSON.stringify({ name: 'app', dependencies: { next: '16.0.0' } }) });
    installKit(path.join(cwd, 'app', 'node_modules'));
    const { code, report, stderr } = await dryRun(cwd, ['app', '--kit', '@acme/multistage-kit']);
    expect(code, stderr).toBe(0);
    expect(report.kit?.origin).toBe(`package @acme/multistage-kit 1.0.0 (${path.join('app', 'node_modules', '@acme', 'multistage-kit')})`);
  });

  it('installed in a parent folder (a monorepo root), the way Node resolves it', () => {
    const root = makeTree({ 'packages/web/package.json': '{"name":"web"}' });
    installKit(path.join(root, 'node_modules'));
    const resolved = resolveKit('@acme/multistage-kit', { baseDir: root, projectDir: path.join(root, 'packages', 'web'), npm: noNpm });
    expect(resolved.root).toBe(path.join(root, 'node_modules', '@acme', 'multistage-kit'));
  });

  it('installed globally: found under `npm root -g` (real npm, with the prefix from the environment)', () => {
    const prefix = tempDir();
    installKit(path.join(prefix, 'lib', 'node_modules'), 'acme-global-kit');
    const project = makeTree();
    const resolved = resolveKit('acme-global-kit', { baseDir: project, projectDir: project, npm: defaultNpmRunner({ npm_config_prefix: prefix }) });
    expect(resolved.root).toBe(path.join(prefix, 'lib', 'node_modules', 'acme-global-kit'));
    expect(resolved.origin).toBe('package acme-global-kit 1.0.0 (global)');
  });

  it('not installed: fetched with `npm pack --ignore-scripts` from the project, so its .npmrc applies', async () => {
    const cwd = makeTree({ 'app/.npmrc': 'registry=https://npm.example.internal/\n' });
    const calls: { args: string[]; cwd: string }[] = [];
    const npm: NpmRunner = (args, where) => {
      calls.push({ args, cwd: where });
      if (args[0] === 'root') return { status: 0, stdout: `${tempDir()}\n`, stderr: '' };
      const destination = args[args.indexOf('--pack-destination') + 1]!;
      const staging = tempDir();
      fs.cpSync(ACME_KIT, path.join(staging, 'package'), { recursive: true });
      execFileSync('tar', ['-czf', path.join(destination, 'acme-multistage-kit-2.0.0.tgz'), '-C', staging, 'package']);
      return { status: 0, stdout: '[{"filename":"acme-multistage-kit-2.0.0.tgz"}]', stderr: '' };
    };
    const { code, report, stderr } = await dryRun(cwd, ['app', '--stack', 'nextjs', '--kit', '@acme/multistage-kit@^2'], npm);
    expect(code, stderr).toBe(0);
    expect(report.kit?.origin).toBe('package @acme/multistage-kit@^2 (npm pack)');
    const pack = calls.find((c) => c.args[0] === 'pack')!;
    expect(pack.args).toEqual(['pack', '@acme/multistage-kit@^2', '--pack-destination', expect.any(String), '--ignore-scripts', '--json']);
    // The pack folder is removed afterwards.
    expect(fs.existsSync(pack.args[3]!)).toBe(false);
    // npm runs in the project, so its .npmrc (registry, auth) applies.
    expect(pack.cwd).toBe(path.join(cwd, 'app'));
  });

  it('an installed copy of another version is skipped for an exact version', () => {
    const project = makeTree();
    installKit(path.join(project, 'node_modules'), 'acme-kit', '1.0.0');
    const asked: string[][] = [];
    const npm: NpmRunner = (args) => {
      asked.push(args);
      return { status: 1, stdout: '', stderr: 'npm error 404 Not Found - GET https://registry.npmjs.org/acme-kit' };
    };
    expect(resolveKit('acme-kit@1.0.0', { baseDir: project, projectDir: project, npm }).root).toBe(path.join(project, 'node_modules', 'acme-kit'));
    expect(() => resolveKit('acme-kit@2.0.0', { baseDir: project, projectDir: project, npm })).toThrow(KitFetchError);
    expect(asked.map((a) => a[0])).toEqual(['root', 'pack']);
  });

  it('a failed `npm pack` exits 1 with npm’s message', async () => {
    const cwd = makeTree();
    const npm: NpmRunner = (args) =>
      args[0] === 'root'
        ? { status: 0, stdout: `${tempDir()}\n`, stderr: '' }
        : { status: 1, stdout: '', stderr: 'npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/@acme%2fnope' };
    const result = await runMainWithNpm(['app', '--stack', 'nextjs', '--yes', '--kit', '@acme/nope'], cwd, npm);
    expect(result.code).toBe(EXIT.failed);
    expect(result.stderr).toContain('Could not fetch the kit @acme/nope with `npm pack`');
    expect(result.stderr).toContain('404 Not Found');
    expect(result.stderr).not.toContain('Unexpected error');
    expect(snapshotTree(cwd)).toEqual({});
  });
});

describe('the package.json pin', () => {
  it('"multistage": { "kit" } is used, a relative path resolving against the project', async () => {
    const cwd = makeTree({
      'repo/package.json': JSON.stringify({ name: 'web', dependencies: { next: '16.0.0' }, multistage: { kit: '../kits/acme' } }),
    });
    fs.cpSync(ACME_KIT, path.join(cwd, 'kits', 'acme'), { recursive: true });
    const { code, report, stderr } = await dryRun(cwd, ['repo']);
    expect(code, stderr).toBe(0);
    expect(report.kit).toMatchObject({ name: 'acme-platform', origin: 'directory ../kits/acme' });
    expect(report.sources['runtime']).toBe('locked');
  });

  it('is read from the current directory when no directory is given', async () => {
    const cwd = makeTree({ 'package.json': JSON.stringify({ name: 'web', dependencies: { next: '16.0.0' }, multistage: { kit: './kit' } }) });
    fs.cpSync(ACME_KIT, path.join(cwd, 'kit'), { recursive: true });
    const { code, report } = await dryRun(cwd, []);
    expect(code).toBe(0);
    expect(report.kit?.name).toBe('acme-platform');
  });

  it('--kit wins over the pin', async () => {
    const other = makeKit(manifest({ name: 'other-kit' }));
    const cwd = makeTree({ 'package.json': JSON.stringify({ name: 'web', dependencies: { next: '16.0.0' }, multistage: { kit: './does-not-exist' } }) });
    const { code, report, stderr } = await dryRun(cwd, ['--kit', other]);
    expect(code, stderr).toBe(0);
    expect(report.kit?.name).toBe('other-kit');
  });

  it('a malformed pin is a usage error; a package.json without one means no kit', async () => {
    const bad = makeTree({ 'package.json': JSON.stringify({ name: 'web', dependencies: { next: '16.0.0' }, multistage: { kit: 42 } }) });
    const result = await runMainWithNpm(['--yes'], bad, noNpm);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('package.json "multistage" must be an object whose "kit" is a kit');
    expect(readKitPin(makeTree({ 'package.json': '{"name":"x"}' }))).toBeUndefined();
    expect(readKitPin(makeTree({ 'package.json': '{ not json' }))).toBeUndefined();
    const { code, report } = await dryRun(makeTree({ 'package.json': JSON.stringify({ name: 'web', dependencies: { next: '16.0.0' } }) }), []);
    expect(code).toBe(0);
    expect(report.kit).toBeUndefined();
  });

  it('a word that only looks like a pinned project (a flag value) never brings in its kit', async () => {
    const cwd = makeTree({
      'package.json': JSON.stringify({ name: 'web', dependencies: { next: '16.0.0' } }),
      'shop/package.json': JSON.stringify({ name: 'shop', multistage: { kit: './missing-kit' } }),
    });
    const { code, report, stderr } = await dryRun(cwd, ['--name', 'shop']);
    expect(code, stderr).toBe(0);
    expect(report.kit).toBeUndefined();
    expect(report.answers['name']).toBe('shop');
  });

  it('the directory after a kit stack’s flags is still found (the pre-scan is re-checked)', async () => {
    const kit = makeKit(manifest({ name: 'pinned' }));
    const cwd = makeTree({ 'repo/package.json': JSON.stringify({ name: 'web', dependencies: { next: '16.0.0' }, multistage: { kit } }) });
    const { code, report, stderr } = await dryRun(cwd, ['--port=4000', 'repo']);
    expect(code, stderr).toBe(0);
    expect(report.kit?.name).toBe('pinned');
    expect(report.answers['port']).toBe(4000);
  });
});
