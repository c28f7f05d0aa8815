// Detection on a big tree: 100,000 files, most of them where detection must
// never look (node_modules, .git, vendor, build outputs). Measured as the wall
// time of a whole `--dry-run --yes` run per stack, which bounds detection.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, median } from './_lib.mjs';

const RUNS = 5;

function fill(root, dir, count, perDir, name) {
  for (let i = 0; i < count; i++) {
    const sub = path.join(root, dir, `d${Math.floor(i / perDir)}`, `e${Math.floor(i / (perDir * 10)) % 10}`);
    if (i % perDir === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, name(i)), 'x');
  }
}

function bigTree() {
  const root = mkdtempSync(path.join(tmpdir(), 'cms-bench-tree-'));
  fill(root, 'node_modules', 50_000, 100, (i) => `m${i}.js`);
  fill(root, '.git/objects', 15_000, 100, (i) => `o${i}`);
  fill(root, 'vendor', 10_000, 100, (i) => `v${i}.go`);
  fill(root, 'build', 5_000, 100, (i) => `b${i}.o`);
  fill(root, 'src', 20_000, 50, (i) => `s${i}.txt`);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'big', version: '1.0.0', scripts: { build: 'next build' }, dependencies: { next: '16.4.6' } }, null, 2));
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  return root;
}

export default async function detectSection() {
  const root = bigTree();
  const rows = [];
  try {
    for (const stack of ['nextjs', 'go', 'cpp']) {
      const times = [];
      let ok = true;
      for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        const result = spawnSync(process.execPath, [CLI, root, '--stack', stack, '--yes', '--dry-run', '--json'], { stdio: 'ignore' });
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        ok &&= result.status === 0;
      }
      rows.push([stack, '100,000', `${median(times).toFixed(0)} ms`, ok ? 'exit 0' : 'failed']);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return {
    title: 'Detection on a 100,000-file tree (whole --dry-run run, median of 5)',
    columns: ['stack', 'files', 'wall time', 'result'],
    rows,
    note: 'Files: 50k in node_modules, 15k in .git, 10k in vendor, 5k in build, 20k in src. Detection skips the first four and bounds its walk.',
  };
}
