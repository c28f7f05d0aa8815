// A pnpm + turbo workspace with two Next.js apps (test/fixtures/workspaces/pnpm-turbo):
// each app's production image size, a cold build of each, and the rebuild of
// one app after a page edit in the other (the point of per-app stages).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, dockerAvailable, formatBytes, imageSize, removeImages, timedBuild } from './_lib.mjs';

const TITLE = 'Next.js workspace (pnpm + turbo, apps/web and apps/docs sharing packages/ui)';
const COLUMNS = ['metric', 'value'];
const IMAGES = ['node:26-trixie-slim'];

function cli(args, cwd) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`create-multistage ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
}

export default async function nextjsWorkspaceSection() {
  if (!dockerAvailable()) {
    return { title: TITLE, columns: COLUMNS, rows: [], note: 'Skipped: no Docker engine (start one with ../shared/docker-e2e/engine.sh start).' };
  }
  if (existsSync(path.join(ROOT, '..', 'shared', 'docker-e2e', 'standins.sh'))) {
    const ensured = spawnSync('bash', [path.join(ROOT, 'test', 'e2e', 'standins.sh'), ...IMAGES], { stdio: 'inherit' });
    if (ensured.status !== 0) throw new Error('could not prepare the stand-in base images');
  }
  const work = mkdtempSync(path.join(tmpdir(), 'cms-bench-ws-'));
  // A stable folder and project name: the cache-mount ids stay the same between bench runs.
  const dir = path.join(work, 'bench-ws');
  const tags = { web: 'bench-ws-web:bench', docs: 'bench-ws-docs:bench' };
  try {
    cpSync(path.join(ROOT, 'test', 'fixtures', 'workspaces', 'pnpm-turbo'), dir, { recursive: true });
    cli(['--yes', '--name', 'bench-ws'], dir);
    const coldWeb = timedBuild(dir, 'production-web', tags.web, ['--no-cache']).seconds;
    const coldDocs = timedBuild(dir, 'production-docs', tags.docs, ['--no-cache']).seconds;
    // A page edit in docs no earlier run made: web must come entirely from the cache, docs re-runs next build only.
    const page = path.join(dir, 'apps', 'docs', 'app', 'page.jsx');
    writeFileSync(page, readFileSync(page, 'utf8').replace('The docs app', `The docs app (${Date.now()})`));
    const webAfter = timedBuild(dir, 'production-web', tags.web).seconds;
    const docsAfter = timedBuild(dir, 'production-docs', tags.docs).seconds;
    return {
      title: TITLE,
      columns: COLUMNS,
      rows: [
        ['production-web image (standalone, node:26-trixie-slim)', formatBytes(imageSize(tags.web))],
        ['production-docs image (standalone, with public/)', formatBytes(imageSize(tags.docs))],
        ['cold build production-web (--no-cache)', `${coldWeb.toFixed(1)} s`],
        ['cold build production-docs (--no-cache)', `${coldDocs.toFixed(1)} s`],
        ['rebuild production-web after editing apps/docs (all cached)', `${webAfter.toFixed(1)} s`],
        ['rebuild production-docs after editing apps/docs (install cached)', `${docsAfter.toFixed(1)} s`],
      ],
      note: 'Base images are local stand-ins on the project machines; cold builds download packages from the npm registry.',
    };
  } finally {
    removeImages(Object.values(tags));
    rmSync(work, { recursive: true, force: true });
  }
}
