import { defineConfig } from 'vitest/config';

// Unit and safety tests: no Docker engine, no network.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // A bound against hangs, not a speed test: the suite runs on busy 2-core
    // machines (other builds beside it), where a test can take ten times its
    // usual time. Timings belong in `npm run bench`.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
