import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Real documents too large to carry in the repository (the 2.1 MB website-printed PDF, mostly its embedded
 * fonts) are read from the workplace's shared folder, which every developer machine and CI has beside the
 * clone. A missing folder is a failed test with this message, never a skipped one.
 */
export const SHARED_REAL_DOCS = join(import.meta.dirname, '..', '..', '..', 'shared', 'real-docs');

export function sharedRealDoc(name: string): string {
  const path = join(SHARED_REAL_DOCS, name);
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: this test reads the real document from ../shared/real-docs beside the clone.`,
    );
  }
  return path;
}

export const WEBSITE_PRINT_PDF = 'jiangxi-health-in-all-policies-opinion-website-print.pdf';
