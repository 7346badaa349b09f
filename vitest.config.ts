import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-helpers/setup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
