// Go workspace (go.work fixture: services/api, services/web, libs/shared): per
// app the production image size and a cold build, then the rebuild of
// production-api after editing services/web (every step should be cached).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, dockerAvailable, formatBytes, imageSize, removeImages, timedBuild } from './_lib.mjs';

const TITLE = 'Go workspace images (go.work)';
const COLUMNS = ['app', 'production image', 'cold build (production)', 'rebuild after editing the other app'];
const IMAGES = ['golang:1.27-trixie', 'gcr.io/distroless/static-debian13:nonroot'];
// A stable folder name: the project name sets the cache-mount ids.
const DIR = 'bench-go-workspace';
const APPS = [
  { app: 'api', other: 'services/web/main.go' },
  { app: 'web', other: 'services/api/main.go' },
];

export default async function goWorkspaceSection() {
  if (!dockerAvailable()) {
    return { title: TITLE, columns: COLUMNS, rows: [], note: 'Skipped: no Docker engine (start one with ../shared/docker-e2e/engine.sh start).' };
  }
  if (existsSync(path.join(ROOT, '..', 'shared', 'docker-e2e', 'standins.sh'))) {
    spawnSync('bash', [path.join(ROOT, 'test', 'e2e', 'standins.sh'), ...IMAGES], { stdio: 'ignore' });
  }
  const work = mkdtempSync(path.join(tmpdir(), 'cms-bench-gows-'));
  const dir = path.join(work, DIR);
  cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'go-work'), dir, { recursive: true });
  const result = spawnSync(process.execPath, [CLI, dir, '--yes', '--no-compose'], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`create-multistage exited ${result.status}:\n${result.stderr}`);
  const rows = [];
  const tags = APPS.map(({ app }) => `${DIR}-${app}:bench`);
  try {
    for (const [index, { app, other }] of APPS.entries()) {
      const cold = timedBuild(dir, `production-${app}`, tags[index], ['--no-cache']).seconds;
      const size = imageSize(tags[index]);
      // An edit no earlier run made, in the other app only.
      const file = path.join(dir, other);
      writeFileSync(file, readFileSync(file, 'utf8').replace('via shared', `via shared ${Date.now()}`));
      const rebuild = timedBuild(dir, `production-${app}`, tags[index]).seconds;
      rows.push([app, formatBytes(size), `${cold.toFixed(1)} s`, `${rebuild.toFixed(1)} s`]);
    }
  } finally {
    removeImages(tags);
    rmSync(work, { recursive: true, force: true });
  }
  return {
    title: TITLE,
    columns: COLUMNS,
    rows,
    note: 'Cold build = `docker build --no-cache --target production-<app>` (module and build cache mounts start empty). Rebuild = the same target after editing the other app: its builder copies only its own module and libs/shared, so every step is cached.',
  };
}
