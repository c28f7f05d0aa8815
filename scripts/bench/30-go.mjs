// Go images: per case, production and development image sizes, a cold
// production build and a rebuild after a source edit.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, dockerAvailable, formatBytes, imageSize, removeImages, timedBuild } from './_lib.mjs';

const TITLE = 'Go images';
const COLUMNS = ['case', 'production image', 'development image', 'cold build (production)', 'rebuild after a source edit'];

// Stable directory names: the project name sets the cache-mount ids, so repeated
// bench runs measure the same thing instead of piling up new caches.
const CASES = [
  { label: 'new project (distroless)', dir: 'bench-go-new', flags: ['--stack', 'go'], edit: ['main.go', 'Hello from'] },
  { label: 'two binaries: api + worker (scratch)', dir: 'bench-go-duo', fixture: 'two-binaries', flags: ['--runtime', 'scratch'], edit: ['internal/version/version.go', 'duo 1.0.0'] },
  { label: 'vendored modules (slim)', dir: 'bench-go-vendored', fixture: 'vendored', flags: ['--runtime', 'slim'], edit: ['main.go', 'greet.Hello()'] },
  { label: 'no go.sum, Go 1.24 from the toolchain line', dir: 'bench-go-nosum', fixture: 'no-gosum', flags: [], edit: ['main.go', '"legacy"'] },
];

const IMAGES = ['golang:1.27-trixie', 'golang:1.24-trixie', 'gcr.io/distroless/static-debian13:nonroot', 'debian:trixie-slim'];

function generate(work, c) {
  const dir = path.join(work, c.dir);
  if (c.fixture) cpSync(path.join(ROOT, 'test', 'fixtures', 'go', c.fixture), dir, { recursive: true });
  const args = c.fixture ? [dir, '--yes', '--name', c.dir, ...c.flags] : [c.dir, '--yes', ...c.flags];
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`create-multistage ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return dir;
}

export default async function goSection() {
  if (!dockerAvailable()) {
    return { title: TITLE, columns: COLUMNS, rows: [], note: 'Skipped: no Docker engine (start one with ../shared/docker-e2e/engine.sh start).' };
  }
  // On the project machines the base images are local stand-ins; elsewhere docker pulls them.
  const standins = path.join(ROOT, 'test', 'e2e', 'standins.sh');
  if (existsSync(path.join(ROOT, '..', 'shared', 'docker-e2e', 'standins.sh'))) {
    spawnSync('bash', [standins, ...IMAGES], { stdio: 'ignore' });
  }

  const work = mkdtempSync(path.join(tmpdir(), 'cms-bench-go-'));
  const rows = [];
  try {
    for (const c of CASES) {
      const dir = generate(work, c);
      const tags = [`${c.dir}:bench`, `${c.dir}:bench-dev`];
      try {
        // Cold: --no-cache. BuildKit then also starts the cache mounts (Go module and build
        // caches) empty, so this is a compile from scratch, as on a fresh builder.
        const cold = timedBuild(dir, 'production', tags[0], ['--no-cache']).seconds;
        const production = imageSize(tags[0]);
        timedBuild(dir, 'development', tags[1]);
        const development = imageSize(tags[1]);
        // A source edit no earlier run made, so the compile cannot come from the layer cache.
        const [file, marker] = c.edit;
        const source = readFileSync(path.join(dir, file), 'utf8');
        if (!source.includes(marker)) throw new Error(`${c.dir}: ${file} lacks ${marker}`);
        writeFileSync(path.join(dir, file), source.replace(marker, `${marker} /* ${Date.now()} */`));
        const rebuild = timedBuild(dir, 'production', tags[0]).seconds;
        rows.push([c.label, formatBytes(production), formatBytes(development), `${cold.toFixed(1)} s`, `${rebuild.toFixed(1)} s`]);
      } finally {
        removeImages(tags);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return {
    title: TITLE,
    columns: COLUMNS,
    rows,
    note: 'Cold build = `docker build --no-cache --target production`: no layer cache, and the Go module and build cache mounts start empty (base images are local). Rebuild = the production build after editing one .go file: the module download stays cached and the build cache mount is warm.',
  };
}
