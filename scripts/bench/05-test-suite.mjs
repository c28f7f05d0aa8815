// Time of the generative safety test (test/safety/generative.test.ts) per
// stack: the suite checks a few hundred random combinations per run and must
// stay far inside its timeout on a busy machine. Timings live here, not in
// assertions: a test never depends on the machine's speed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './_lib.mjs';

const CASES = 150;

export default async function testSuiteSection() {
  const out = mkdtempSync(path.join(tmpdir(), 'cms-bench-vitest-'));
  const report = path.join(out, 'report.json');
  try {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/safety/generative.test.ts', '--reporter=json', `--outputFile=${report}`], {
      cwd: ROOT,
      env: { ...process.env, SAFETY_CASES: String(CASES) },
      stdio: 'ignore',
    });
    const json = JSON.parse(readFileSync(report, 'utf8'));
    const rows = json.testResults.flatMap((file) =>
      file.assertionResults
        .filter((t) => t.title.startsWith('renders'))
        .map((t) => [t.ancestorTitles.at(-1), CASES, `${(t.duration / 1000).toFixed(1)} s`, `${(t.duration / CASES).toFixed(1)} ms`, t.status]),
    );
    return {
      title: `Generative safety test: ${CASES} random valid combinations per stack (render + write + rule checks)`,
      columns: ['stack', 'cases', 'time', 'per case', 'result'],
      rows,
      note: `vitest exit ${result.status}. Each test's timeout is 120 s; a busy 2-core machine needs a few seconds.`,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
