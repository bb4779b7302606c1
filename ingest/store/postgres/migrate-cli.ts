/**
 * `npm run migrate`: brings the PostgreSQL store's schema (DATABASE_URL) to this code's version, and
 * creates the `vector` extension when the server has it. Exit code 1 when the database cannot be reached
 * or its schema is newer than this code (never downgraded).
 */
import { loadDotEnv, loadIngestConfig } from '../../config.ts';
import { migrate } from './migrate.ts';
import { checkConnection, closePgPools, pgPool, redactUrl } from './pg-pool.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadIngestConfig();
  if (config.store?.kind !== 'postgres')
    throw new Error('npm run migrate is for the PostgreSQL store: set STORE=postgres and DATABASE_URL.');
  const pool = pgPool(config.store.url, 1);
  try {
    await checkConnection(pool, config.store.url);
    const r = await migrate(pool);
    console.log(
      r.applied.length
        ? `Migrated ${redactUrl(config.store.url)} from schema ${r.from} to ${r.to}: ${r.applied.join(', ')}.`
        : `${redactUrl(config.store.url)} is at schema ${r.to}, the code's: nothing to do.`,
    );
    console.log(
      r.vector
        ? 'Vector search: the `vector` extension is installed.'
        : 'Vector search unavailable: the server has no `vector` extension (pgvector); retrieval will be lexical only.',
    );
  } finally {
    await closePgPools();
  }
}

main().catch((err: unknown) => {
  console.error(`Migrate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
