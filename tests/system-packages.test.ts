/**
 * `npm test` on a machine without Chromium or a CJK font stops before any test with the command to run
 * (when it may not install them itself), and passes the check on a machine that has them.
 */
import { describe, expect, it } from 'vitest';
import { CHROMIUM, ensureSystemPackages, missingPackages } from './support/system-packages.ts';

describe('the system packages npm test needs', () => {
  it('are found on this machine (the globalSetup installed them if they were missing)', () => {
    expect(missingPackages({ chromiumPath: CHROMIUM, fontFamily: 'Noto Sans CJK' })).toEqual([]);
    expect(() => ensureSystemPackages({ install: false })).not.toThrow();
  });

  it('when missing and not installable, the run stops with the exact apt-get command', () => {
    expect(() =>
      ensureSystemPackages({
        chromiumPath: '/nonexistent/chromium',
        fontFamily: 'A Font No Machine Has',
        install: false,
      }),
    ).toThrow(/sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk/);
  });
});
