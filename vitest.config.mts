import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    // Starting Chromium while the other worker runs tests on the second core has taken over ten
    // seconds, the default for a hook.
    hookTimeout: 60_000,
    // Two cores on the build machines: more workers only fight over them.
    maxWorkers: 2,
  },
});
