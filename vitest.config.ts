import { defineConfig } from 'vitest/config';

// Unit and safety tests: no Docker engine, no network.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 20_000,
  },
});
