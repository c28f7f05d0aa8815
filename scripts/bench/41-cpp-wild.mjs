// C and C++ projects as they are in the wild, on a real engine: a root
// Makefile delegating to src/ with a bundled deps/ library (server and client)
// and an autotools project linking zlib. Per production image: its size
// against the binary plus the runtime base image; what is left over is the
// runtime packages and image metadata.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, dockerAvailable, formatBytes, imageSize, removeImages, timedBuild } from './_lib.mjs';

const RUNTIME_BASE = 'debian:trixie-slim';
const FIXTURES = [
  {
    fixture: 'make-recursive',
    label: 'Makefile → src/, bundled deps/',
    targets: [
      ['production', 'kvd'],
      ['production-kvc', 'kvc'],
    ],
  },
  { fixture: 'autotools-zlib', label: 'autotools + zlib', targets: [['production', 'zpack']] },
];

function generate(work, fixture) {
  const dir = path.join(work, fixture);
  cpSync(path.join(ROOT, 'test', 'fixtures', 'cpp', fixture), dir, { recursive: true });
  const result = spawnSync(process.execPath, [CLI, '.', '--stack', 'cpp', '--yes', '--name', `cms-bench-${fixture}`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`create-multistage failed:\n${result.stdout}${result.stderr}`);
  return dir;
}

/** The binary's size inside the image (slim has coreutils). */
function binarySize(image, binary) {
  const result = spawnSync('docker', ['run', '--rm', '--entrypoint', 'stat', image, '-c', '%s', `/usr/local/bin/${binary}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`stat /usr/local/bin/${binary} in ${image} failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

export default async function cppWildSection() {
  const title = 'C/C++ in the wild: production image vs binary + runtime base';
  const columns = ['project', 'image', 'production', 'binary', `runtime base (${RUNTIME_BASE})`, 'production − (binary + base)', 'build'];
  if (!dockerAvailable()) return { title, columns, rows: [], note: 'Skipped: no Docker engine (start one with ../shared/docker-e2e/engine.sh start).' };
  const ensure = spawnSync('bash', [path.join(ROOT, 'test/e2e/standins.sh'), RUNTIME_BASE], { stdio: 'inherit' });
  if (ensure.status !== 0) throw new Error(`could not provide the ${RUNTIME_BASE} base image`);

  const base = imageSize(RUNTIME_BASE);
  const work = mkdtempSync(path.join(tmpdir(), 'cms-bench-cpp-wild-'));
  const tags = [];
  const rows = [];
  try {
    for (const { fixture, label, targets } of FIXTURES) {
      const dir = generate(work, fixture);
      for (const [target, binary] of targets) {
        const tag = `cms-bench-${fixture}:${target}`;
        const { seconds } = timedBuild(dir, target, tag);
        tags.push(tag);
        const size = imageSize(tag);
        const bin = binarySize(tag, binary);
        rows.push([label, `${target} (${binary})`, formatBytes(size), formatBytes(bin), formatBytes(base), formatBytes(size - bin - base), `${seconds.toFixed(1)} s`]);
      }
    }
  } finally {
    removeImages(tags);
    rmSync(work, { recursive: true, force: true });
  }
  return {
    title,
    columns,
    rows,
    note: 'Builds use the layer cache (a warm toolchain); the remainder is the runtime packages (zlib1g is already in slim) and image metadata.',
  };
}
