// Next.js existing apps: the create-next-app default app's production image
// with and without --standalone, and the Next.js cache on an app with
// cacheComponents and a "use cache" fetch (test/fixtures/nextjs/private-app):
// first production build, rebuild after a page edit, image size.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, dockerAvailable, formatBytes, imageSize, removeImages, timedBuild } from './_lib.mjs';

const TITLE = 'Next.js existing apps (npm, Node 26)';
const COLUMNS = ['metric', 'value'];
const NAME = 'bench-next-cna';
// create-next-app's next.config.ts, as it writes it: no output setting.
const CNA_CONFIG = `import type { NextConfig } from "next";\n\nconst nextConfig: NextConfig = {\n  /* config options here */\n};\n\nexport default nextConfig;\n`;

function cli(args, cwd) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`create-multistage ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
}

/** A copy of `dir` without the generated Docker files, node_modules or .next: an existing app again. */
function existingCopy(dir, to) {
  const generated = new Set(['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md', 'node_modules', '.next']);
  cpSync(dir, to, { recursive: true, filter: (file) => !generated.has(path.basename(file)) });
  const pkgFile = path.join(to, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  for (const name of Object.keys(pkg.scripts)) if (name.startsWith('docker:')) delete pkg.scripts[name];
  writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
}

export default async function nextjsExistingSection() {
  if (!dockerAvailable()) {
    return { title: TITLE, columns: COLUMNS, rows: [], note: 'Skipped: no Docker engine (start one with ../shared/docker-e2e/engine.sh start).' };
  }
  if (existsSync(path.join(ROOT, '..', 'shared', 'docker-e2e', 'standins.sh'))) {
    const ensured = spawnSync('bash', [path.join(ROOT, 'test', 'e2e', 'standins.sh'), 'node:26-trixie-slim'], { stdio: 'inherit' });
    if (ensured.status !== 0) throw new Error('could not prepare the stand-in base images');
  }
  const work = mkdtempSync(path.join(tmpdir(), 'cms-bench-next-existing-'));
  const tags = { fallback: `${NAME}:bench-next-start`, standalone: `${NAME}:bench-standalone`, cacheFirst: 'bench-private-app:first', cacheEdit: 'bench-private-app:edited' };
  try {
    // The create-next-app default app: a new project (real npm install for its lockfile) with create-next-app's config.
    cli([NAME, '--stack', 'nextjs', '--yes'], work);
    const base = path.join(work, `${NAME}-existing`);
    existingCopy(path.join(work, NAME), base);
    writeFileSync(path.join(base, 'next.config.ts'), CNA_CONFIG);

    const fallbackDir = path.join(work, 'no-standalone');
    cpSync(base, fallbackDir, { recursive: true });
    cli(['.', '--yes', '--no-standalone', '--name', NAME], fallbackDir);
    timedBuild(fallbackDir, 'production', tags.fallback);

    const standaloneDir = path.join(work, 'standalone');
    cpSync(base, standaloneDir, { recursive: true });
    cli(['.', '--yes', '--standalone', '--name', NAME], standaloneDir);
    timedBuild(standaloneDir, 'production', tags.standalone);

    // The Next.js cache: first build, then a page edit.
    const cacheDir = path.join(work, 'private-app');
    cpSync(path.join(ROOT, 'test', 'fixtures', 'nextjs', 'private-app'), cacheDir, { recursive: true });
    cli(['.', '--yes'], cacheDir);
    const secret = ['--secret', `id=npmrc,src=${path.join(cacheDir, '.npmrc')}`];
    const first = timedBuild(cacheDir, 'production', tags.cacheFirst, secret).seconds;
    const page = path.join(cacheDir, 'app', 'page.tsx');
    writeFileSync(page, readFileSync(page, 'utf8').replace('Private app page', `Private app page (${Date.now()})`));
    const edit = timedBuild(cacheDir, 'production', tags.cacheEdit, secret).seconds;

    return {
      title: TITLE,
      columns: COLUMNS,
      rows: [
        ['create-next-app default app, production without --standalone (next start)', formatBytes(imageSize(tags.fallback))],
        ['create-next-app default app, production with --standalone', formatBytes(imageSize(tags.standalone))],
        ['cacheComponents app: first production build', `${first.toFixed(1)} s`],
        ['cacheComponents app: rebuild after a page edit (install cached, compile cache kept)', `${edit.toFixed(1)} s`],
        ['cacheComponents app: production image (fetch cache included)', formatBytes(imageSize(tags.cacheEdit))],
      ],
      note: 'The first build is cold only on a fresh engine: the npm and .next/cache mounts persist between bench runs. Base images are local stand-ins.',
    };
  } finally {
    removeImages(Object.values(tags));
    rmSync(work, { recursive: true, force: true });
  }
}
