// Next.js images for a new project (npm): production and development image
// sizes, a cold production build and a rebuild after a page edit.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, dockerAvailable, formatBytes, imageSize, removeImages, timedBuild } from './_lib.mjs';

const TITLE = 'Next.js images (new project, npm)';
const COLUMNS = ['metric', 'value'];
// A stable name: it sets the cache-mount ids, so repeated bench runs re-use one
// npm cache mount instead of piling up new ones.
const NAME = 'bench-next-web';
const IMAGES = ['node:26-trixie-slim', 'gcr.io/distroless/nodejs26-debian13:nonroot'];

function cli(args, cwd) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`create-multistage ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
}

export default async function nextjsSection() {
  if (!dockerAvailable()) {
    return { title: TITLE, columns: COLUMNS, rows: [], note: 'Skipped: no Docker engine (start one with ../shared/docker-e2e/engine.sh start).' };
  }
  // On the project machines the base images are local stand-ins; elsewhere docker pulls them.
  if (existsSync(path.join(ROOT, '..', 'shared', 'docker-e2e', 'standins.sh'))) {
    const ensured = spawnSync('bash', [path.join(ROOT, 'test', 'e2e', 'standins.sh'), ...IMAGES], { stdio: 'inherit' });
    if (ensured.status !== 0) throw new Error('could not prepare the stand-in base images');
  }

  const work = mkdtempSync(path.join(tmpdir(), 'cms-bench-next-'));
  const dir = path.join(work, NAME);
  const tags = { production: `${NAME}:bench`, development: `${NAME}:bench-dev`, rebuilt: `${NAME}:bench-rebuilt`, distroless: `${NAME}:bench-distroless` };
  try {
    // The real new-project flow, `npm install` on the host included (it writes the lockfile `npm ci` needs).
    cli([NAME, '--stack', 'nextjs', '--yes'], work);

    // Cold: --no-cache re-runs every step and BuildKit starts the cache mounts
    // (npm cache, .next/cache) empty, so npm downloads everything again.
    const cold = timedBuild(dir, 'production', tags.production, ['--no-cache']).seconds;
    timedBuild(dir, 'development', tags.development);

    // A page edit no earlier run made, so `next build` cannot come from the layer cache.
    const page = path.join(dir, 'app', 'page.tsx');
    const source = readFileSync(page, 'utf8');
    const marker = `${NAME} is running`;
    if (!source.includes(marker)) throw new Error(`${page} lacks "${marker}"`);
    writeFileSync(page, source.replace(marker, `${marker} (${Date.now()})`));
    const rebuild = timedBuild(dir, 'production', tags.rebuilt).seconds;

    // The same app on distroless Node: a copy re-rendered with --runtime distroless.
    const distrolessDir = path.join(work, `${NAME}-distroless`);
    cpSync(dir, distrolessDir, { recursive: true, filter: (file) => !/[\\/](node_modules|\.next)$/.test(file) });
    cli(['.', '--runtime', 'distroless', '--yes', '--force'], distrolessDir);
    timedBuild(distrolessDir, 'production', tags.distroless);

    return {
      title: TITLE,
      columns: COLUMNS,
      rows: [
        ['production image (standalone, node:26-trixie-slim)', formatBytes(imageSize(tags.production))],
        ['production image (standalone, distroless nodejs26)', formatBytes(imageSize(tags.distroless))],
        ['development image (all dependencies + source)', formatBytes(imageSize(tags.development))],
        ['cold production build (--no-cache, empty cache mounts)', `${cold.toFixed(1)} s`],
        ['production rebuild after a page edit (npm ci cached)', `${rebuild.toFixed(1)} s`],
      ],
      note: 'Base images are local stand-ins on the project machines (sizes within a few tens of MB of the public ones); the cold build downloads packages from the npm registry.',
    };
  } finally {
    removeImages(Object.values(tags));
    rmSync(work, { recursive: true, force: true });
  }
}
