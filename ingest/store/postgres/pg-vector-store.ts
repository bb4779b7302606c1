/**
 * Chunk vectors in a pgvector column with an HNSW index (cosine), one row per chunk. The table is made by
 * ingest with the embedder's dimensions (a pgvector column has one fixed width), so it exists only when the
 * `vector` extension does; without it retrieval is lexical only and the server says "vector search
 * unavailable".
 */
import type { ScoredId, SearchFilter, VectorStore } from '../vector-store.ts';
import type { PgClient, PgPool } from './pg-pool.ts';

/** Query-time candidate list floor, as the local store's (hnsw-store.ts: DEFAULT_EF_SEARCH). */
const EF_SEARCH = 64;

export const VECTOR_TABLE = 'chunk_vectors';

function literal(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** Creates the vector table and its HNSW index for `dimensions`; refuses a table of another width. */
export async function ensureVectorTable(client: PgClient | PgPool, dimensions: number): Promise<void> {
  const existing = await vectorTableDimensions(client);
  if (existing !== null && existing !== dimensions)
    throw new Error(
      `The database holds ${existing}-dimension vectors and the embedder makes ${dimensions}: run \`npm run ingest\` after \`DROP TABLE ${VECTOR_TABLE}\`, or configure the embedder it was built with.`,
    );
  await client.query(`CREATE TABLE IF NOT EXISTS ${VECTOR_TABLE} (
    chunk bigint PRIMARY KEY REFERENCES chunks (id) ON DELETE CASCADE,
    embedding vector(${Math.trunc(dimensions)}) NOT NULL
  )`);
  await client.query(
    `CREATE INDEX IF NOT EXISTS ${VECTOR_TABLE}_hnsw ON ${VECTOR_TABLE} USING hnsw (embedding vector_cosine_ops)`,
  );
}

/** The width of the vector column, or null when there is no vector table. */
export async function vectorTableDimensions(client: PgClient | PgPool): Promise<number | null> {
  const r = await client.query<{ d: number }>(
    `SELECT a.atttypmod AS d FROM pg_attribute a
     WHERE a.attrelid = to_regclass($1) AND a.attname = 'embedding' AND NOT a.attisdropped`,
    [VECTOR_TABLE],
  );
  return r.rows[0]?.d ?? null;
}

/** Inserts (or replaces) vectors of chunks that already have rows, on the caller's connection. */
export async function writeVectors(
  client: PgClient | PgPool,
  items: readonly { id: string; vector: Float32Array }[],
): Promise<void> {
  if (items.length === 0) return;
  await client.query(
    `INSERT INTO ${VECTOR_TABLE} (chunk, embedding)
     SELECT c.id, v.embedding::vector FROM unnest($1::text[], $2::text[]) AS v(chunk_id, embedding)
     JOIN chunks c ON c.chunk_id = v.chunk_id
     ON CONFLICT (chunk) DO UPDATE SET embedding = EXCLUDED.embedding`,
    [items.map((i) => i.id), items.map((i) => literal(i.vector))],
  );
}

export class PgVectorStore implements VectorStore {
  constructor(
    private readonly pool: PgPool,
    readonly dimensions: number,
    /** Vectors in the cached snapshot. */
    readonly size: number,
  ) {}

  async add(items: readonly { id: string; vector: Float32Array }[]): Promise<void> {
    for (const item of items)
      if (item.vector.length !== this.dimensions)
        throw new Error(
          `Vector for ${item.id} has ${item.vector.length} dimensions, the store ${this.dimensions}.`,
        );
    await writeVectors(this.pool, items);
  }

  /**
   * Unfiltered: the HNSW index, its candidate list raised to k as the local store does. Filtered (a place):
   * exact distances over the filter's chunks, which an approximate index followed by a filter could
   * return too few of.
   */
  async search(vector: Float32Array, k: number, filter?: SearchFilter): Promise<ScoredId[]> {
    if (k <= 0 || (filter?.docIds && filter.docIds.length === 0)) return [];
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      let rows: { chunk_id: string; distance: number }[];
      if (filter?.docIds) {
        ({ rows } = await client.query(
          `WITH cand AS MATERIALIZED (
             SELECT c.chunk_id, v.embedding <=> $1::vector AS distance
             FROM ${VECTOR_TABLE} v JOIN chunks c ON c.id = v.chunk WHERE c.doc_id = ANY($3::text[])
           ) SELECT chunk_id, distance FROM cand ORDER BY distance, chunk_id LIMIT $2`,
          [literal(vector), k, [...filter.docIds]],
        ));
      } else {
        await client.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [
          String(Math.min(1000, Math.max(EF_SEARCH, k))),
        ]);
        ({ rows } = await client.query(
          `SELECT c.chunk_id, v.distance FROM (
             SELECT chunk, embedding <=> $1::vector AS distance FROM ${VECTOR_TABLE}
             ORDER BY embedding <=> $1::vector LIMIT $2
           ) v JOIN chunks c ON c.id = v.chunk ORDER BY v.distance`,
          [literal(vector), k],
        ));
      }
      await client.query('COMMIT');
      return rows.map((r) => ({ id: r.chunk_id, score: 1 - Number(r.distance) }));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Nothing to write: every vector is in the database as soon as `add` returns. */
  async save(_dir: string): Promise<void> {}
}
