/**
 * Connections to the PostgreSQL store. A pool per process and database URL, shared by every index a
 * server opens over it (a reload after a change reuses the pool), with start-up errors that say what is
 * wrong in the operator's terms: which host did not answer, which database or role does not exist.
 */
import pg from 'pg';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

/** A connection problem at start-up, with the URL's password removed. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code:
      | 'database_unreachable'
      | 'schema_missing'
      | 'schema_too_old'
      | 'schema_too_new'
      | 'store_unsupported',
    message: string,
  ) {
    super(message);
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the DATABASE_URL given';
  }
}

const pools = new Map<string, PgPool>();

/** The process's pool for this URL and size (created on first use). */
export function pgPool(url: string, size: number): PgPool {
  const key = `${size} ${url}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: size, connectionTimeoutMillis: 10_000 });
    // An idle connection the server drops (restart, failover) must not crash the process: the next query
    // opens a new one.
    pool.on('error', () => {});
    // JIT compiles a plan when its estimated cost is high, which BM25 over a large terms table can be:
    // measured at 1.15 s of compiling for a 20 ms query. These are short OLTP queries; JIT never pays.
    pool.on('connect', (client) => {
      client.query('SET jit = off').catch(() => {});
    });
    pools.set(key, pool);
  }
  return pool;
}

/** Closes every pool this process opened (tests, CLIs before they exit). */
export async function closePgPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end()));
}

/**
 * Checks that the database answers, turning the driver's error into one sentence: ECONNREFUSED and DNS
 * failures name the host, a missing database or role is named as such.
 */
export async function checkConnection(pool: PgPool, url: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    const e = err as Error & { code?: string };
    const where = redactUrl(url);
    const reason =
      e.code === 'ECONNREFUSED' ||
      e.code === 'ENOTFOUND' ||
      e.code === 'EHOSTUNREACH' ||
      e.code === 'ETIMEDOUT'
        ? `nothing answers there (${e.code})`
        : e.code === '3D000'
          ? 'that database does not exist (create it, e.g. createdb zhengce)'
          : e.code === '28000' || e.code === '28P01'
            ? `the server refused the role or password (${e.message})`
            : e.message;
    throw new StoreError('database_unreachable', `Cannot reach the database at ${where}: ${reason}.`);
  }
}

/** Runs `work` in one transaction on one connection; rolled back when it throws. */
export async function inTransaction<T>(pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
