// `npm run golden:update`: runs the golden test (test/golden) in update mode,
// which stores what each case writes instead of comparing it. npm runs
// `npm run build` first. Extra arguments go to vitest (`-- -t go/new`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const result = spawnSync(process.execPath, [vitest, 'run', 'test/golden', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, UPDATE_GOLDEN: '1' },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
