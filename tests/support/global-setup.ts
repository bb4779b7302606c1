/**
 * vitest globalSetup: runs once before the test files. Makes sure the system packages the browser tests
 * need are there (system-packages.ts).
 */
import { ensureSystemPackages } from './system-packages.ts';

export default function setup(): void {
  ensureSystemPackages();
}
