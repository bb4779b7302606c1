import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Chromium and a CJK font, installed or asked for once before any test (tests/support/global-setup.ts).
    globalSetup: ['tests/support/global-setup.ts'],
    // Index builds, browser sessions and real servers are slow on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
