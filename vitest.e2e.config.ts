import { defineConfig } from 'vitest/config';

// Real-build suite: needs a Docker engine with BuildKit (see ../shared/docker-e2e).
// Builds run one file at a time: the CI machine has two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
