// `create-multistage check`: drift of the generated files plus the Dockerfile
// rules, on a fresh generated project and on a 100,000-file tree holding one.
// Anchor: `--version`, the CLI's bare start-up, measured the same way.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, median } from './_lib.mjs';

const RUNS = 7;

function timed(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: result.status };
}

function series(args, cwd) {
  const runs = Array.from({ length: RUNS }, () => timed(args, cwd));
  const statuses = [...new Set(runs.map((r) => r.status))];
  return [`${median(runs.map((r) => r.ms)).toFixed(0)} ms`, statuses.map((s) => `exit ${s}`).join(', ')];
}

function fill(root, dir, count, perDir, name) {
  for (let i = 0; i < count; i++) {
    const sub = path.join(root, dir, `d${Math.floor(i / perDir)}`, `e${Math.floor(i / (perDir * 10)) % 10}`);
    if (i % perDir === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, name(i)), 'x');
  }
}

export default async function checkSection() {
  const root = mkdtempSync(path.join(tmpdir(), 'cms-bench-check-'));
  try {
    const generated = timed(['app', '--stack', 'go', '--yes', '--skip-install'], root);
    if (generated.status !== 0) throw new Error('could not generate the Go project for the check bench');
    const project = path.join(root, 'app');
    const small = series(['check', project], root);

    const big = path.join(root, 'big');
    mkdirSync(big);
    if (timed([big, '--stack', 'go', '--name', 'big', '--yes', '--skip-install'], root).status !== 0) throw new Error('could not generate the big project');
    fill(big, 'node_modules', 50_000, 100, (i) => `m${i}.js`);
    fill(big, '.git/objects', 15_000, 100, (i) => `o${i}`);
    fill(big, 'vendor', 10_000, 100, (i) => `v${i}.go`);
    fill(big, 'build', 5_000, 100, (i) => `b${i}.o`);
    fill(big, 'src', 20_000, 50, (i) => `s${i}.txt`);
    const large = series(['check', big], root);
    const anchor = series(['--version'], root);
    return {
      title: `check (median of ${RUNS})`,
      columns: ['run', 'files', 'wall time', 'result'],
      rows: [
        ['anchor: create-multistage --version', '-', ...anchor],
        ['check on a new Go project', '8', ...small],
        ['check on a 100,000-file tree (Go project inside)', '100,000', ...large],
      ],
      note: 'The big tree: 50k files in node_modules, 15k in .git, 10k in vendor, 5k in build (all skipped), 20k in src (searched for Dockerfiles). No network, no engine.',
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
