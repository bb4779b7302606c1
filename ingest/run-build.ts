/**
 * One entry for "build the index now", whichever store is configured: the local build folder
 * (build-index.ts) or the PostgreSQL store (store/postgres/pg-ingest.ts). Used by `npm run ingest` and by
 * the child process a server's re-index runs in, so both write where the server reads.
 */
import type { BuildProgress, BuildResult } from './build-index.ts';
import type { IngestConfig } from './config.ts';

export async function runBuild(
  config: IngestConfig,
  onProgress?: (p: BuildProgress) => void,
  log?: (message: string) => void,
): Promise<BuildResult> {
  if (config.store?.kind === 'postgres') {
    const { ingestToPostgres } = await import('./store/postgres/pg-ingest.ts');
    return ingestToPostgres(config, { ...(onProgress ? { onProgress } : {}), ...(log ? { log } : {}) });
  }
  return (await import('./build-index.ts')).buildIndex(config, onProgress);
}

/** Closes what a PostgreSQL build opened, so a CLI or a build child exits at once. */
export async function closeBuildResources(config: IngestConfig): Promise<void> {
  if (config.store?.kind === 'postgres') await (await import('./store/postgres/pg-pool.ts')).closePgPools();
}
