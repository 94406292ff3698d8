import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    // Two cores on the build machines: more workers only fight over them.
    maxWorkers: 2,
  },
});
