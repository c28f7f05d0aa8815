// The packed package as a newcomer meets it: installed globally from the
// tarball it prints no npm warning (no lifecycle script that needs a file the
// package does not ship), and `npm exec --package=<tarball>` — the README's way
// to try it from a clone before publication — runs the CLI. Offline: the
// package has no runtime dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cms-package-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** npm with a private cache and prefix, and none of the npm_config_* the test runner was started with. */
function npm(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: root, NO_COLOR: '1', npm_config_cache: path.join(root, 'cache'), npm_config_update_notifier: 'false' };
  return spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
}

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string; scripts: Record<string, string>; files: string[] };

it('runs no install-time script from a file the package does not ship', () => {
  // npm runs these on install of the published package; prepack runs only where the package is packed.
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook], hook).toBeUndefined();
});

it('installs globally from the packed tarball without a warning, and npm exec --package runs it', () => {
  // npm test has just built dist/; prepack would rebuild it (emptying dist/ first) under the tests running beside this one.
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', root, '--silent'], process.cwd());
  expect(packed.status, packed.stderr).toBe(0);
  const tarball = path.join(root, `create-multistage-${pkg.version}.tgz`);
  expect(fs.existsSync(tarball)).toBe(true);

  const installed = npm(['install', '--global', '--prefix', path.join(root, 'global'), '--offline', '--no-audit', '--no-fund', tarball], root);
  expect(installed.status, installed.stderr).toBe(0);
  expect(installed.stderr).not.toMatch(/warn/i);
  const bin = path.join(root, 'global', 'bin', 'create-multistage');
  expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toContain(pkg.version);

  const exec = npm(['exec', '--offline', `--package=${tarball}`, '--', 'create-multistage', '--version'], root);
  expect(exec.status, exec.stderr).toBe(0);
  expect(exec.stdout).toContain(pkg.version);
}, 300_000);
