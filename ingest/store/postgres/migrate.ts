/**
 * Versioned schema migrations for the PostgreSQL store: `migrations/NNN-name.sql`, applied in order by
 * `npm run migrate`, each in its own transaction with its row in `schema_migrations`. A database whose
 * schema is newer than this code (a newer release migrated it) is refused, never downgraded; a server
 * refuses a schema older than its code and says to run `npm run migrate`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inTransaction, type PgPool, StoreError } from './pg-pool.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migration files, by version. */
export function migrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      sql: readFileSync(`${MIGRATIONS_DIR}${f}`, 'utf8'),
    }));
}

/** The schema version this code reads and writes. */
export function codeSchemaVersion(): number {
  return migrations().at(-1)?.version ?? 0;
}

/** Lock key of migrations (pg_advisory_xact_lock): two `npm run migrate` never apply a version twice. */
const MIGRATE_LOCK = 0x7a68_6d67;

/** The database's schema version: 0 when it was never migrated. */
export async function databaseSchemaVersion(pool: PgPool): Promise<number> {
  const exists = await pool.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!exists.rows[0]?.t) return 0;
  const r = await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return r.rows[0]?.v ?? 0;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: string[];
  /** Whether the `vector` extension is installed in the database (created here when available). */
  vector: boolean;
}

/** Applies every migration newer than the database's schema; refuses a schema newer than the code. */
export async function migrate(pool: PgPool): Promise<MigrateResult> {
  const all = migrations();
  const latest = codeSchemaVersion();
  const applied: string[] = [];
  let from = 0;
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    from = r.rows[0]?.v ?? 0;
    if (from > latest) throw tooNew(from, latest);
    for (const m of all) {
      if (m.version <= from) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      applied.push(`${String(m.version).padStart(3, '0')}-${m.name}`);
    }
  });
  return { from, to: Math.max(from, latest), applied, vector: await ensureVectorExtension(pool) };
}

/**
 * Creates the `vector` extension when the server has it; false when it does not (then retrieval is
 * lexical only and says so, it is never faked). Outside the versioned migrations on purpose: the same
 * schema serves databases with and without pgvector.
 */
export async function ensureVectorExtension(pool: PgPool): Promise<boolean> {
  if (await hasVectorExtension(pool)) return true;
  const available = await pool.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
  if (available.rowCount === 0) return false;
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
    return true;
  } catch {
    // Available but not installable by this role (managed databases ask an administrator to enable it).
    return false;
  }
}

export async function hasVectorExtension(pool: PgPool): Promise<boolean> {
  const r = await pool.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`);
  return (r.rowCount ?? 0) > 0;
}

function tooNew(db: number, code: number): StoreError {
  return new StoreError(
    'schema_too_new',
    `The database schema is version ${db}, newer than this code's ${code}: a newer Zhengce migrated it. Run that release (or a newer one); this one will not touch it.`,
  );
}

/** What a server or ingest checks before using the database: the schema is exactly the code's. */
export async function checkSchema(pool: PgPool): Promise<void> {
  const db = await databaseSchemaVersion(pool);
  const code = codeSchemaVersion();
  if (db === 0)
    throw new StoreError(
      'schema_missing',
      'The database has no Zhengce schema yet: run `STORE=postgres npm run migrate` first.',
    );
  if (db < code)
    throw new StoreError(
      'schema_too_old',
      `The database schema is version ${db}, this code needs ${code}: run \`STORE=postgres npm run migrate\`.`,
    );
  if (db > code) throw tooNew(db, code);
}
