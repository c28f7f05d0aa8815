// Start-up against the bare runtime and against create-vite 9.3.0 (issue 12):
//   - `--version` minus `node -e 0`, in ms (goal: within 20 ms);
//   - a warm non-interactive generation (a new Next.js project, no install)
//     against create-vite's (`--template react-ts --no-interactive`), as a
//     ratio (goal: at or under 1.0x).
// The commands are measured side by side in one run: each round runs every
// command once, in an order that rotates from round to round, so a load spike
// from other work on the machine hits them alike. Absolute figures on a busy
// machine are noisy; the ratios of interleaved runs are what to read.
// BENCH_RUNS sets the rounds (default 21); BENCH_BASELINE=<package folder>
// adds another build of this CLI (bin/ and dist/ of an earlier commit) as one
// more pair of commands, for a before/after in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT, median } from './_lib.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 21);
const WARMUP = 2;
const CREATE_VITE = 'create-vite@9.3.0';

/** create-vite's published tarball, unpacked once into a cache folder (npm pack: the user's registry and auth). */
function createVite() {
  const cache = path.join(ROOT, 'node_modules', '.cache', 'create-multistage-bench', CREATE_VITE);
  const bin = path.join(cache, 'package', 'index.js');
  if (existsSync(bin)) return bin;
  mkdirSync(cache, { recursive: true });
  execFileSync('npm', ['pack', CREATE_VITE, '--pack-destination', cache, '--ignore-scripts', '--silent'], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(cache).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${CREATE_VITE} left no tarball in ${cache}`);
  execFileSync('tar', ['xzf', tarball], { cwd: cache });
  return bin;
}

const env = { ...process.env, NO_COLOR: '1' };

/** One timed run of `node <args>` in `cwd`, in ms; a failing command fails the bench. */
function timed(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** Runs `args` in a fresh empty folder (created and removed outside the timing). */
function inFreshDir(args) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cms-bench-start-'));
  try {
    return timed(args, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function startupSection() {
  const vite = createVite();
  const commands = [
    { name: 'node -e 0', run: () => timed(['-e', '0'], ROOT) },
    { name: 'create-multistage --version', run: () => timed([CLI, '--version'], ROOT) },
    { name: `${CREATE_VITE} app --template react-ts --no-interactive`, run: () => inFreshDir([vite, 'app', '--template', 'react-ts', '--no-interactive']) },
    { name: 'create-multistage app --stack nextjs --yes --skip-install', run: () => inFreshDir([CLI, 'app', '--stack', 'nextjs', '--yes', '--skip-install']) },
  ];
  const baseline = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : undefined;
  if (baseline) {
    const cli = path.join(baseline, 'bin', 'create-multistage.js');
    commands.push(
      { name: 'baseline --version', run: () => timed([cli, '--version'], ROOT) },
      { name: 'baseline app --stack nextjs --yes --skip-install', run: () => inFreshDir([cli, 'app', '--stack', 'nextjs', '--yes', '--skip-install']) },
    );
  }
  const times = commands.map(() => []);
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (round + k) % commands.length;
      const ms = commands[i].run();
      if (round >= WARMUP) times[i].push(ms);
    }
  }
  const med = times.map(median);
  // Paired per round, then the median: each pair ran back to back, under the same load.
  const pairedDiff = (a, b) => median(times[a].map((t, r) => t - times[b][r]));
  const pairedRatio = (a, b) => median(times[a].map((t, r) => t / times[b][r]));
  const rows = commands.map((c, i) => [c.name, `${med[i].toFixed(0)} ms`, `${Math.min(...times[i]).toFixed(0)} ms`]);
  const ratios = [
    ['--version minus node -e 0 (goal: ≤ 20 ms)', `${pairedDiff(1, 0).toFixed(0)} ms`],
    [`warm generation vs ${CREATE_VITE} (goal: ≤ 1.0x)`, `${pairedRatio(3, 2).toFixed(2)}x`],
  ];
  if (baseline) {
    ratios.push(['baseline: --version minus node -e 0', `${pairedDiff(4, 0).toFixed(0)} ms`], [`baseline: warm generation vs ${CREATE_VITE}`, `${pairedRatio(5, 2).toFixed(2)}x`]);
  }
  const note = `${RUNS} interleaved rounds after ${WARMUP} warm-up rounds (BENCH_RUNS to change). Figures from a shared machine are noisy: read the ratios, which pair runs made back to back.`;
  return [
    { title: 'Start-up: medians of interleaved runs', columns: ['command', 'median', 'fastest'], rows },
    { title: 'Start-up ratios (median of per-round pairs)', columns: ['measure', 'value'], rows: ratios, note },
  ];
}
