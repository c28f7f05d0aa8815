// Running the tool twice changes nothing the second time: every planned file
// is `identical`, the exit code is 0 and the tree is byte-for-byte the same,
// whether the second run repeats the flags or passes only --yes (the
// Dockerfile header carries the first run's choices).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';
import { makeTree, readFixture, snapshotTree, type TreeEntry } from '../helpers/tree.js';

interface Report {
  mode: string;
  written: boolean;
  files: { path: string; action: string; reason?: string }[];
}

async function runJson(argv: string[], cwd: string): Promise<{ code: number; report: Report; stderr: string }> {
  const result = await runMain([...argv, '--json'], { cwd });
  return { code: result.code, report: result.json<Report>(), stderr: result.stderr };
}

/** Runs the second time and checks: exit 0, all identical, nothing written, not a byte changed. */
async function expectNoChange(argv: string[], cwd: string): Promise<void> {
  const before = snapshotTree(cwd);
  const { code, report, stderr } = await runJson(argv, cwd);
  expect(code, `${argv.join(' ')}\n${stderr}`).toBe(0);
  expect(report.mode).toBe('existing');
  const changed = report.files.filter((f) => f.action !== 'identical');
  expect(changed, `second run ${argv.join(' ')} would change files\n${stderr}`).toEqual([]);
  expect(report.files.map((f) => f.path)).toEqual(expect.arrayContaining(['Dockerfile', '.dockerignore', 'README.Docker.md', 'package.json']));
  expect(report.written).toBe(false);
  expect(snapshotTree(cwd)).toEqual(before);
}

const VARIANTS: string[][] = [
  [],
  ['--port', '4000'],
  ['--runtime', 'distroless'],
  ['--pm', 'pnpm'],
  ['--pm', 'yarn'],
  ['--pm', 'bun'],
  ['--node-version', '24', '--runtime', 'distroless'],
  ['--name', 'storefront', '--port', '8080'],
];

describe('a new project, generated then run again', () => {
  it.each(VARIANTS.map((v) => [v.join(' ') || '(defaults)', v] as const))('%s', async (_title, variant) => {
    const cwd = makeTree();
    const first = await runJson(['my-app', '--stack', 'nextjs', '--yes', '--skip-install', ...variant], cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.report.files.every((f) => f.action === 'create')).toBe(true);
    const project = path.join(cwd, 'my-app');

    await expectNoChange(['--yes', '--skip-install', ...variant], project);
    await expectNoChange(['--yes'], project);
  });

  it('--no-compose, then the same flags', async () => {
    const cwd = makeTree();
    expect((await runJson(['my-app', '--stack', 'nextjs', '--yes', '--skip-install', '--no-compose'], cwd)).code).toBe(0);
    await expectNoChange(['--yes', '--no-compose'], path.join(cwd, 'my-app'));
  });

  it('--no-compose, then only --yes: the choice is remembered', async () => {
    const cwd = makeTree();
    expect((await runJson(['my-app', '--stack', 'nextjs', '--yes', '--skip-install', '--no-compose'], cwd)).code).toBe(0);
    await expectNoChange(['--yes'], path.join(cwd, 'my-app'));
  });

  it('the second run from the parent directory, naming the project, is identical too', async () => {
    const cwd = makeTree();
    expect((await runJson(['my-app', '--stack', 'nextjs', '--yes', '--skip-install', '--port', '4000'], cwd)).code).toBe(0);
    await expectNoChange(['my-app', '--yes'], cwd);
  });
});

describe('an existing project, run twice', () => {
  const FIXTURES = ['npm', 'pnpm', 'yarn-classic', 'yarn-berry', 'bun'];
  const extra: Record<string, TreeEntry> = {
    'next.config.mjs': "export default { output: 'standalone' };\n",
    'public/robots.txt': 'User-agent: *\n',
    'app/page.tsx': 'export default function Page() { return <h1>hi</h1>; }\n',
  };

  it.each(FIXTURES)('%s fixture, --yes twice', async (fixture) => {
    const cwd = makeTree({ ...readFixture(`nextjs-detect/${fixture}`), ...extra });
    const first = await runJson(['--yes'], cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.report.files.find((f) => f.path === 'package.json')?.action).toBe('merge');
    await expectNoChange(['--yes'], cwd);
  });

  it('flags that override detection on the first run are kept by a second run with only --yes', async () => {
    const cwd = makeTree({
      ...readFixture('nextjs-detect/npm'),
      ...extra,
      '.nvmrc': '22\n',
      'package.json': `${JSON.stringify({ name: 'shop', version: '1.0.0', scripts: { start: 'next start -p 5000' }, dependencies: { next: '15.5.4' } }, null, 2)}\n`,
    });
    const first = await runJson(['--yes', '--name', 'storefront', '--port', '4000', '--node-version', '24', '--runtime', 'distroless'], cwd);
    expect(first.code, first.stderr).toBe(0);
    await expectNoChange(['--yes'], cwd);
  });
});
