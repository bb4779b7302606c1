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
    // The test files run one after another in one process (on 2 cores vitest runs one file at a time anyway),
    // so jieba, CC-CEDICT and the other big modules are loaded once, not once per file: 8 files took 47 s
    // instead of 79 s. Test files therefore leave no state behind: a file that changes process.env puts it
    // back, and spies are restored after each test.
    isolate: false,
    restoreMocks: true,
  },
});
