// The published package: size, runtime dependencies, start-up and generation time.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { CLI, ROOT, formatBytes, median } from './_lib.mjs';

const RUNS = 7;

function timeRun(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`create-multistage ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export default async function packageSection() {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }))[0];
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const runtimeDeps = Object.keys(pkg.dependencies ?? {}).length;

  const help = [];
  const generate = [];
  for (let i = 0; i < RUNS; i++) {
    help.push(timeRun(['--version'], ROOT));
    const dir = mkdtempSync(path.join(tmpdir(), 'cms-bench-'));
    try {
      generate.push(timeRun(['app', '--stack', 'nextjs', '--yes', '--skip-install'], dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    title: 'Package',
    columns: ['metric', 'value'],
    rows: [
      ['packed tarball size (goal: ≤ 200 kB, issue 12)', formatBytes(packed.size)],
      ['unpacked size', formatBytes(packed.unpackedSize)],
      ['files in the package', packed.entryCount],
      ['runtime dependencies', runtimeDeps],
      [`median start-up (--version, ${RUNS} runs)`, `${median(help).toFixed(0)} ms`],
      [`median generation, new Next.js project, no install (${RUNS} runs)`, `${median(generate).toFixed(0)} ms`],
    ],
  };
}
