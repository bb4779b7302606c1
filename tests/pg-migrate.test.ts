/**
 * Start-up checks and migrations of the PostgreSQL store against the Debian PostgreSQL 15 server over
 * TCP: settings validated, an unreachable database named (password hidden), versioned migrations applied
 * once by `npm run migrate`, a schema newer than the code refused, pgvector's absence reported as
 * "vector search unavailable".
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../ingest/config.ts';
import {
  checkSchema,
  codeSchemaVersion,
  databaseSchemaVersion,
  migrate,
  migrations,
} from '../ingest/store/postgres/migrate.ts';
import { openPgIndex } from '../ingest/store/postgres/pg-open-index.ts';
import { checkConnection, closePgPools, pgPool } from '../ingest/store/postgres/pg-pool.ts';
import { loadServerConfig } from '../server/config.ts';
import { openPostgresHistory } from '../server/history/postgres-history.ts';
import { answerResult } from './support/answer-result.ts';
import { freePort, startPostgresCluster, type TestDatabase } from './support/pg-servers.ts';

const run = promisify(execFile);

let db: TestDatabase;

beforeAll(async () => {
  db = await startPostgresCluster();
});

afterAll(async () => {
  await closePgPools();
  await db?.stop();
});

/** `npm run migrate` as an operator runs it (the tsx entry behind the npm script). */
async function migrateCli(url: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run('npx', ['tsx', 'server/cli/migrate.ts'], {
      env: { ...process.env, STORE: 'postgres', DATABASE_URL: url },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('PostgreSQL store configuration and migrations', () => {
  it('validates STORE, DATABASE_URL and PG_POOL_SIZE by name', () => {
    expect(loadServerConfig({}).ingest.store).toEqual({ kind: 'local' });
    expect(() => loadIngestConfig({ STORE: 'postgres' })).toThrow(
      /DATABASE_URL: STORE=postgres needs DATABASE_URL/,
    );
    expect(() => loadIngestConfig({ STORE: 'mysql' })).toThrow(/STORE/);
    expect(() => loadIngestConfig({ STORE: 'postgres', DATABASE_URL: 'http://x' })).toThrow(/DATABASE_URL/);
    expect(() =>
      loadIngestConfig({ STORE: 'postgres', DATABASE_URL: 'postgres://a@b/c', PG_POOL_SIZE: '0' }),
    ).toThrow(/PG_POOL_SIZE/);
    expect(
      loadIngestConfig({ STORE: 'postgres', DATABASE_URL: 'postgres://a@b/c', PG_POOL_SIZE: '4' }).store,
    ).toEqual({ kind: 'postgres', url: 'postgres://a@b/c', poolSize: 4, pollMs: 1000 });
  });

  it('keeps conversations in the database with STORE=postgres unless HISTORY_STORE says otherwise', () => {
    const pg = { STORE: 'postgres', DATABASE_URL: 'postgres://a@b/c', PG_POOL_SIZE: '4' };
    const kept = { retentionDays: 90, maxTurns: 200 };
    expect(loadServerConfig({ DATA_DIR: 'd' }).history).toEqual({
      kind: 'sqlite',
      path: join('d', 'history.sqlite'),
      ...kept,
    });
    expect(loadServerConfig({ ...pg, HISTORY_MAX_TURNS: '7' }).history).toEqual({
      kind: 'postgres',
      url: 'postgres://a@b/c',
      poolSize: 4,
      retentionDays: 90,
      maxTurns: 7,
    });
    expect(loadServerConfig({ ...pg, DATA_DIR: 'd', HISTORY_STORE: 'sqlite' }).history).toMatchObject({
      kind: 'sqlite',
      path: join('d', 'history.sqlite'),
    });
    expect(
      loadServerConfig({ DATABASE_URL: 'postgres://a@b/c', HISTORY_STORE: 'postgres' }).history,
    ).toMatchObject({ kind: 'postgres', url: 'postgres://a@b/c' });
    expect(() => loadServerConfig({ HISTORY_STORE: 'postgres' })).toThrow(
      /DATABASE_URL: HISTORY_STORE=postgres needs DATABASE_URL/,
    );
    expect(() => loadServerConfig({ HISTORY_STORE: 'redis' })).toThrow(/HISTORY_STORE/);
  });

  it('names an unreachable database without its password', async () => {
    const port = await freePort();
    const url = `postgres://zhengce:s3cret-pw@127.0.0.1:${port}/zhengce`;
    const error = await checkConnection(pgPool(url, 1), url).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `Cannot reach the database at postgres://zhengce:***@127.0.0.1:${port}/zhengce: nothing answers there (ECONNREFUSED).`,
    );
    const missing = db.url.replace(/\/postgres$/, '/no_such_db');
    await expect(checkConnection(pgPool(missing, 1), missing)).rejects.toThrow(
      /that database does not exist/,
    );
    const cli = await migrateCli(url);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain('Cannot reach the database');
    expect(cli.out).not.toContain('s3cret-pw');
  });

  it('refuses to serve an unmigrated database, migrates once, and reports vector search unavailable', async () => {
    const pool = pgPool(db.url, 4);
    await expect(checkSchema(pool)).rejects.toThrow(
      /no Zhengce schema yet: run `STORE=postgres npm run migrate`/,
    );
    const store = { kind: 'postgres' as const, url: db.url, poolSize: 4, pollMs: 1000 };
    const embedder = loadIngestConfig({}).embedder;
    await expect(openPgIndex(store, embedder)).rejects.toThrow(/npm run migrate/);
    const first = await migrateCli(db.url);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`from schema 0 to ${codeSchemaVersion()}: 001-initial, 002-history`);
    // The Debian server has no pgvector: said plainly, not faked.
    expect(first.out).toContain('Vector search unavailable');
    const second = await migrate(pool);
    expect(second).toMatchObject({ from: codeSchemaVersion(), applied: [], vector: false });
    await expect(checkSchema(pool)).resolves.toBeUndefined();
    const rows = await pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.rows).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'history' },
    ]);
    // Migrated but empty: a server says to ingest.
    await expect(openPgIndex(store, embedder)).rejects.toThrow(
      /holds no documents: run `STORE=postgres npm run ingest`/,
    );
  });

  it('refuses a schema-1 database (before conversations moved in) until `npm run migrate` adds them', async () => {
    const admin = pgPool(db.url, 4);
    await admin.query('CREATE DATABASE schema_one');
    const url = db.url.replace(/\/postgres$/, '/schema_one');
    const pool = pgPool(url, 2);
    // What an earlier release's migrate left: migration 001 and its row.
    const [initial] = migrations();
    await pool.query(initial?.sql ?? '');
    await pool.query(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`INSERT INTO schema_migrations (version, name) VALUES (1, 'initial')`);
    expect(codeSchemaVersion()).toBe(2);
    await expect(checkSchema(pool)).rejects.toThrow(
      /schema is version 1, this code needs 2: run `STORE=postgres npm run migrate`/,
    );
    await expect(openPostgresHistory({ pool })).rejects.toThrow(/version 1, this code needs 2/);
    const cli = await migrateCli(url);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('from schema 1 to 2: 002-history');
    const store = await openPostgresHistory({ pool });
    const stored = await store.recordAnswer({ question: '嘉兴?', result: answerResult('45%以上') });
    expect((await store.getAnswer(stored.answerId))?.question).toBe('嘉兴?');
  });

  it('refuses a database whose schema is newer than the code', async () => {
    const pool = pgPool(db.url, 4);
    await pool.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from-the-future')`);
    try {
      expect(await databaseSchemaVersion(pool)).toBe(999);
      await expect(migrate(pool)).rejects.toThrow(/schema is version 999, newer than this code's 2/);
      await expect(checkSchema(pool)).rejects.toThrow(/newer than this code's/);
      const cli = await migrateCli(db.url);
      expect(cli.code).toBe(1);
      expect(cli.out).toContain('newer than this code');
      // Nothing was touched: still exactly the rows it had.
      expect((await pool.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0]).toEqual({
        n: 3,
      });
    } finally {
      await pool.query('DELETE FROM schema_migrations WHERE version = 999');
    }
  });
});
