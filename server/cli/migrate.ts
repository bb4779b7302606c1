/**
 * `npm run migrate`: brings the PostgreSQL store's schema (DATABASE_URL) to this code's version, and
 * creates the `vector` extension when the server has it. Exit code 1 when the database cannot be reached
 * or its schema is newer than this code (never downgraded).
 *
 *   npm run migrate -- [--history-from data/history.sqlite]
 *
 * `--history-from` then copies a SQLite history (conversations, permalinks, feedback) into the database
 * (server/history/import-sqlite-history.ts); running it again copies nothing twice. It lives in server/
 * because the history is the server's; the schema migrations it runs first are ingest's.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv, loadIngestConfig } from '../../ingest/config.ts';
import { migrate } from '../../ingest/store/postgres/migrate.ts';
import { checkConnection, closePgPools, pgPool, redactUrl } from '../../ingest/store/postgres/pg-pool.ts';
import { importSqliteHistory } from '../history/import-sqlite-history.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'history-from': { type: 'string' } } });
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
    const from = values['history-from'];
    if (from) {
      const h = await importSqliteHistory(from, pool);
      console.log(
        `History from ${from}: ${h.conversations.copied} of ${h.conversations.read} conversations and ${h.answers.copied} of ${h.answers.read} answers copied (the others were already in the database).`,
      );
    }
  } finally {
    await closePgPools();
  }
}

main().catch((err: unknown) => {
  console.error(`Migrate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
