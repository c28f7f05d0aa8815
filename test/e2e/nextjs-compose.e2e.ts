/**
 * `docker compose config` (the real Compose v2 plugin) accepts every
 * compose.yaml the Next.js stack writes: each package manager, a registry
 * secret, Yarn Plug'n'Play, a static export. No builds: rendering only.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireDocker, runCli, runId } from '../helpers/docker.js';

const hasDocker = requireDocker();
const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${runId}-nextjs-compose-`));

afterAll(() => {
  fs.rmSync(workRoot, { recursive: true, force: true });
});

function fixtureCopy(from: string, name: string): string {
  const dir = path.join(workRoot, name);
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', from), dir, { recursive: true });
  return dir;
}

const VARIANTS: { name: string; prepare: () => string; args: string[] }[] = [
  ...(['npm', 'pnpm', 'yarn', 'bun'] as const).map((pm) => ({ name: `new ${pm}`, prepare: () => workRoot, args: [`cms-compose-${pm}`, '--stack', 'nextjs', '--pm', pm, '--yes', '--skip-install'] })),
  { name: 'private registry (.npmrc secret)', prepare: () => fixtureCopy('nextjs/private-app', 'private-app'), args: ['.', '--yes'] },
  { name: "Yarn Plug'n'Play with a plugin", prepare: () => fixtureCopy('nextjs/yarn-pnp-app', 'yarn-pnp-app'), args: ['.', '--yes'] },
  { name: 'static export', prepare: () => fixtureCopy('nextjs/export-app', 'export-app'), args: ['.', '--yes'] },
  { name: 'pnpm app without standalone', prepare: () => fixtureCopy('nextjs/pnpm-app', 'pnpm-app'), args: ['.', '--yes'] },
  {
    name: 'bun with credentials in bunfig.toml',
    prepare: () => {
      const dir = fixtureCopy('nextjs-detect/bun', 'bun-secret');
      fs.writeFileSync(path.join(dir, 'bunfig.toml'), '[install.registry]\nurl = "https://npm.example.invalid/"\ntoken = "cms-fake"\n');
      return dir;
    },
    args: ['.', '--yes'],
  },
];

describe.skipIf(!hasDocker)('Next.js: docker compose config accepts every generated compose.yaml', () => {
  it.each(VARIANTS)('$name', ({ prepare, args }) => {
    const cwd = prepare();
    runCli(args, cwd);
    const dir = args[0] === '.' ? cwd : path.join(cwd, args[0]!);
    const result = spawnSync('docker', ['compose', 'config'], { cwd: dir, encoding: 'utf8' });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    // The dev service syncs the source with compose watch and rebuilds on package.json.
    expect(result.stdout).toMatch(/develop:\n\s+watch:/);
    expect(result.stdout).toMatch(/- path: \S*\/package\.json\n\s+action: rebuild/);
  });
});
