/**
 * The one place that turns the validated configuration (config.ts: HistoryConfig) into a history store,
 * for the server and the feedback export alike, so both always read the same conversations.
 */
import type { HistoryConfig } from '../config.ts';
import type { HistoryStore } from './history-store.ts';
import { openSqliteHistory } from './sqlite-history.ts';

export interface OpenedHistory {
  store: HistoryStore;
  /** Where it is, for the start-up log (a database URL without its password). */
  where: string;
}

/**
 * Opens the configured store. A database that does not answer, or whose schema is not this code's, stops
 * the start-up with the operator's next step (pg-pool.ts, migrate.ts) rather than failing the first answer.
 */
export async function openHistoryStore(
  config: HistoryConfig,
  overrides: { retentionDays?: number } = {},
): Promise<OpenedHistory> {
  const retentionDays = overrides.retentionDays ?? config.retentionDays;
  if (config.kind === 'sqlite') {
    return {
      store: openSqliteHistory({ path: config.path, retentionDays, maxTurns: config.maxTurns }),
      where: config.path,
    };
  }
  // Loaded only for PostgreSQL: the driver is a tenth of a second of every start-up that does not use it.
  const { checkConnection, pgPool, redactUrl } = await import('../../ingest/store/postgres/pg-pool.ts');
  const { openPostgresHistory } = await import('./postgres-history.ts');
  // The same pool as the index when STORE=postgres (pgPool is per URL and size), so no extra connections.
  const pool = pgPool(config.url, config.poolSize);
  await checkConnection(pool, config.url);
  return {
    store: await openPostgresHistory({ pool, retentionDays, maxTurns: config.maxTurns }),
    where: `PostgreSQL ${redactUrl(config.url)}`,
  };
}
