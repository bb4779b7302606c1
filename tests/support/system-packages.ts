/**
 * What `npm test` needs from the system besides node_modules: Debian's chromium (the browser tests, and
 * printing the Chinese PDF fixtures) and a CJK font (without one Chinese renders as boxes in screenshots and
 * the PDFs' text layer holds no Chinese). Checked once before any test runs (vitest globalSetup): when
 * missing and apt-get can be used (root), they are installed; otherwise the run stops with the exact
 * command to type, instead of dozens of tests failing one by one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const CJK_FONT_FAMILY = 'Noto Sans CJK';
const DEBIAN_PACKAGES = { chromium: 'chromium', font: 'fonts-noto-cjk' } as const;

export interface SystemCheck {
  chromiumPath: string;
  fontFamily: string;
  /** Whether apt-get may be run (default: when root and apt-get exists). */
  install: boolean;
  log: (message: string) => void;
}

function hasFont(family: string): boolean {
  const listed = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return listed.status === 0 && listed.stdout.includes(family);
}

export function missingPackages(check: Pick<SystemCheck, 'chromiumPath' | 'fontFamily'>): string[] {
  const missing: string[] = [];
  if (!existsSync(check.chromiumPath)) missing.push(DEBIAN_PACKAGES.chromium);
  if (!hasFont(check.fontFamily)) missing.push(DEBIAN_PACKAGES.font);
  return missing;
}

const canUseApt = () =>
  process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;

/** Installs what is missing when possible; throws with the command to run otherwise. */
export function ensureSystemPackages(options: Partial<SystemCheck> = {}): void {
  const check: SystemCheck = {
    chromiumPath: CHROMIUM,
    fontFamily: CJK_FONT_FAMILY,
    install: canUseApt(),
    log: console.log,
    ...options,
  };
  const missing = missingPackages(check);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!check.install) {
    throw new Error(
      `npm test needs the Debian packages ${missing.join(', ')} (browser tests and Chinese fonts). Run:\n  sudo apt-get update && sudo ${command}\nthen npm test again.`,
    );
  }
  check.log(`Installing Debian packages the tests need: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  } catch (err) {
    throw new Error(
      `Installing ${missing.join(', ')} failed (${err instanceof Error ? err.message : String(err)}). Run:\n  ${command}`,
    );
  }
  const still = missingPackages(check);
  if (still.length > 0)
    throw new Error(`Still missing after apt-get: ${still.join(', ')}. Run:\n  ${command}`);
}
