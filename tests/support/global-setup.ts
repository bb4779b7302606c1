/**
 * vitest globalSetup: runs once before the test files. Makes sure the system packages the browser tests
 * need are there (system-packages.ts), and builds the seeds index that most test files read
 * (`inject('seedsIndexDir')`, see seeds-index.ts) once instead of once per file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { loadIngestConfig } from '../../ingest/config.ts';
import { ensureIndex } from '../../ingest/ensure-index.ts';
import { ensureSystemPackages } from './system-packages.ts';

const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** A seeds index built with the default settings; read-only for tests (build your own to change it). */
    seedsIndexDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureSystemPackages();
  const indexDir = await mkdtemp(join(tmpdir(), 'zhengce-test-seeds-index-'));
  await ensureIndex(loadIngestConfig({ ...process.env, CORPUS_DIR: SEEDS_DIR, INDEX_DIR: indexDir }));
  project.provide('seedsIndexDir', indexDir);
  return async () => {
    await rm(indexDir, { recursive: true, force: true });
  };
}
