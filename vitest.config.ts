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
    // Three forks on this 2-core machine: most slow files wait on child processes, servers, a browser or
    // Postgres, so a third file keeps the cores busy meanwhile. The whole suite took 284 s with 3 workers
    // against 390 s with one, measured back to back on a quiet machine (2026-12-03).
    maxWorkers: 3,
    // Within a fork the files run one after another in one process, so jieba, CC-CEDICT and the other big
    // modules are loaded once per fork, not once per file: 8 files took 47 s instead of 79 s. Test files
    // therefore leave no state behind: a file that changes process.env puts it back, and spies are restored
    // after each test. Files that run at once must not share folders or ports: each takes temporary ones.
    isolate: false,
    restoreMocks: true,
  },
});
