import { defineConfig } from 'vitest/config';

// Unit and safety tests: no Docker engine, no network.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/golden/<group>/<case>/ holds generated projects (their own tests
    // included), data for test/golden/golden.test.ts, never tests of ours.
    exclude: ['test/e2e/**', 'test/golden/*/*/**', 'node_modules/**'],
    // A bound against hangs, not a speed test: the suite runs on busy 2-core
    // machines (other builds beside it), where a test can take ten times its
    // usual time. Timings belong in `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
