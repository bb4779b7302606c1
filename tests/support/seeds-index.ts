/**
 * The seeds index the globalSetup built once for the whole run (global-setup.ts). Tests only read it:
 * a test that re-ingests, changes settings or adds documents builds its own index in a temp folder.
 */
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));

export function sharedSeedsIndexDir(): string {
  return inject('seedsIndexDir');
}
