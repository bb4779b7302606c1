/**
 * recall@10 of pgvector's HNSW index against exact search, over the chunks already ingested into the
 * PostgreSQL store. The vectors are offline LSA vectors of the chunk texts (fitted here on an even sample
 * of the chunks): no transformers model can be fetched on these machines, and what is measured is the
 * approximate index against the exact ordering of the same vectors, which any embedder's vectors allow.
 * They are loaded through the ingest's own writer into the table it makes (pg-vector-store.ts:
 * ensureVectorTable, writeVectors), the HNSW index built once after the load, as a bulk load is done (the
 * index is the same; a row-by-row build only takes longer). The approximate side is the store's own
 * `PgVectorStore.search`; the exact side is the same distance ordered with index scans switched off.
 */
import { fitLsaEmbedder } from '../ingest/embed/lsa-embedder.ts';
import type { PgPool } from '../ingest/store/postgres/pg-pool.ts';
import {
  ensureVectorTable,
  PgVectorStore,
  VECTOR_TABLE,
  writeVectors,
} from '../ingest/store/postgres/pg-vector-store.ts';
import { tokenize } from '../ingest/text/tokenize.ts';
import { type Latency, latency } from './stats.ts';

export interface RecallOptions {
  /** Nearest neighbours compared. Default 10: the recall@10. */
  k: number;
  /** LSA dimensions. Default 256, the LSA embedder's own default. */
  dimensions: number;
  /** Chunks the LSA is fitted on, spread evenly over the corpus. Default 5000: fitting on all 100k costs minutes and changes nothing measured here. */
  fitSample: number;
  /** Chunk texts used as queries besides the bench questions, spread evenly. Default 200, as ANN benchmarks use held-out points. */
  chunkQueries: number;
  /** Vectors per INSERT while loading. Default 1000. */
  loadBatch: number;
  /** maintenance_work_mem for the HNSW build, MiB. Default 512: 100k × 256-dimension vectors and their graph fit. */
  buildMemoryMiB: number;
  /** A larger HNSW candidate list measured beside the store's own (hnsw.ef_search). Default 200. */
  widerEfSearch: number;
}

export const DEFAULT_RECALL_OPTIONS: Readonly<RecallOptions> = {
  k: 10,
  dimensions: 256,
  fitSample: 5000,
  chunkQueries: 200,
  loadBatch: 1000,
  buildMemoryMiB: 512,
  widerEfSearch: 200,
};

export interface RecallResult {
  vectors: number;
  dimensions: number;
  k: number;
  queries: number;
  /** Seconds to load every vector into the table, and vectors per second; then to build the HNSW index. */
  loadSeconds: number;
  vectorsPerSecond: number;
  indexSeconds: number;
  /** Mean over queries of |HNSW top-k within the exact k-th distance| / k (ties with the k-th count). */
  recallAtK: number;
  /** The lowest recall of any one query. */
  worstQueryRecall: number;
  /** Queries left out because no word of theirs is in the LSA vocabulary (a zero vector has no nearest). */
  zeroQueries: number;
  hnsw: Latency;
  exact: Latency;
  /** The same queries with hnsw.ef_search raised to `efSearch`: what a wider candidate list buys. */
  wider: { efSearch: number; recallAtK: number; latency: Latency };
  /** From EXPLAIN: the approximate query uses the HNSW index, the exact one does not. */
  plans: { hnswUsesIndex: boolean; exactUsesIndex: boolean };
}

const TIE = 1e-6;

function evenSample<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)] as T);
}

const literal = (v: Float32Array) => `[${Array.from(v).join(',')}]`;

/** The k nearest chunks by exact cosine distance: the same ORDER BY, the HNSW index not allowed. */
async function exactSearch(pool: PgPool, v: Float32Array, k: number, explain = false) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query('SET LOCAL enable_indexscan = off');
    const sql = `SELECT c.chunk_id, v.embedding <=> $1::vector AS distance
       FROM ${VECTOR_TABLE} v JOIN chunks c ON c.id = v.chunk ORDER BY v.embedding <=> $1::vector LIMIT $2`;
    const r = await client.query<{ chunk_id?: string; distance?: number; 'QUERY PLAN'?: string }>(
      explain ? `EXPLAIN ${sql}` : sql,
      [literal(v), k],
    );
    await client.query('COMMIT');
    return r.rows;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** The HNSW search with another candidate list: the distances of the k it returns. */
async function widerSearch(pool: PgPool, v: Float32Array, k: number, efSearch: number): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(efSearch)]);
    const r = await client.query<{ distance: number }>(
      `SELECT embedding <=> $1::vector AS distance FROM ${VECTOR_TABLE} ORDER BY embedding <=> $1::vector LIMIT $2`,
      [literal(v), k],
    );
    await client.query('COMMIT');
    return r.rows.map((x) => Number(x.distance));
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

async function hnswPlan(pool: PgPool, v: Float32Array, k: number): Promise<string> {
  const r = await pool.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT chunk FROM ${VECTOR_TABLE} ORDER BY embedding <=> $1::vector LIMIT $2`,
    [literal(v), k],
  );
  return r.rows.map((x) => x['QUERY PLAN']).join('\n');
}

export async function measureRecall(
  pool: PgPool,
  questions: readonly string[],
  options: Partial<RecallOptions> = {},
  log: (m: string) => void = () => {},
): Promise<RecallResult> {
  const o = { ...DEFAULT_RECALL_OPTIONS, ...options };
  const chunks = (
    await pool.query<{ chunk_id: string; text: string }>('SELECT chunk_id, text FROM chunks ORDER BY id')
  ).rows;
  const embedder = fitLsaEmbedder(
    evenSample(chunks, o.fitSample).map((c) => c.text),
    tokenize,
    { dimensions: o.dimensions },
  );
  log(`vectors: LSA fitted (${embedder.dimensions} dimensions); loading ${chunks.length} vectors`);
  // The table as ingest makes it; its HNSW index is dropped for the load and built again by the same
  // function afterwards, as an operator bulk-loads (one build is many times faster than a row-by-row one).
  await ensureVectorTable(pool, embedder.dimensions);
  await pool.query(`DROP INDEX ${VECTOR_TABLE}_hnsw`);
  const loadStarted = performance.now();
  for (let i = 0; i < chunks.length; i += o.loadBatch) {
    const batch = chunks.slice(i, i + o.loadBatch);
    const vectors = await embedder.embedDocuments(batch.map((c) => c.text));
    await writeVectors(
      pool,
      batch.map((c, j) => ({ id: c.chunk_id, vector: vectors[j] as Float32Array })),
    );
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const buildStarted = performance.now();
  const client = await pool.connect();
  try {
    // The graph built in memory, not spilled to disk half way (pgvector's advice for index builds).
    await client.query(`SET maintenance_work_mem = '${o.buildMemoryMiB}MB'`);
    await ensureVectorTable(client, embedder.dimensions);
    await client.query('RESET maintenance_work_mem');
  } finally {
    client.release();
  }
  const indexSeconds = (performance.now() - buildStarted) / 1000;
  await pool.query(`ANALYZE ${VECTOR_TABLE}`);
  log(`vectors: loaded in ${loadSeconds.toFixed(1)} s, indexed in ${indexSeconds.toFixed(1)} s; searching`);
  const store = new PgVectorStore(pool, embedder.dimensions, chunks.length);
  const queryTexts = [...questions, ...evenSample(chunks, o.chunkQueries).map((c) => c.text)];
  const recalls: number[] = [];
  const widerRecalls: number[] = [];
  const widerMs: number[] = [];
  const hnswMs: number[] = [];
  const exactMs: number[] = [];
  let first: Float32Array | null = null;
  let zeroQueries = 0;
  for (const text of queryTexts) {
    const v = await embedder.embedQuery(text);
    if (!v.some((x) => x !== 0)) {
      zeroQueries++;
      continue;
    }
    first ??= v;
    const t0 = performance.now();
    const approx = await store.search(v, o.k);
    const t1 = performance.now();
    const exact = await exactSearch(pool, v, o.k);
    const t2 = performance.now();
    hnswMs.push(t1 - t0);
    exactMs.push(t2 - t1);
    const wider = await widerSearch(pool, v, o.k, o.widerEfSearch);
    const t3 = performance.now();
    widerMs.push(t3 - t2);
    const kth = Number(exact.at(-1)?.distance ?? Infinity);
    const recall = (distances: number[]) =>
      Math.min(1, distances.filter((d) => d <= kth + TIE).length / Math.max(1, exact.length));
    recalls.push(recall(approx.map((r) => 1 - r.score)));
    widerRecalls.push(recall(wider));
  }
  const probe = first ?? new Float32Array(embedder.dimensions);
  const indexName = `${VECTOR_TABLE}_hnsw`;
  const exactPlan = (await exactSearch(pool, probe, o.k, true)).map((r) => r['QUERY PLAN']).join('\n');
  return {
    vectors: chunks.length,
    dimensions: embedder.dimensions,
    k: o.k,
    queries: recalls.length,
    loadSeconds,
    indexSeconds,
    vectorsPerSecond: Math.round(chunks.length / loadSeconds),
    recallAtK: recalls.reduce((a, b) => a + b, 0) / Math.max(1, recalls.length),
    worstQueryRecall: recalls.length ? Math.min(...recalls) : 0,
    zeroQueries,
    hnsw: latency(hnswMs),
    exact: latency(exactMs),
    wider: {
      efSearch: o.widerEfSearch,
      recallAtK: widerRecalls.reduce((a, b) => a + b, 0) / Math.max(1, widerRecalls.length),
      latency: latency(widerMs),
    },
    plans: {
      hnswUsesIndex: (await hnswPlan(pool, probe, o.k)).includes(indexName),
      exactUsesIndex: exactPlan.includes(indexName),
    },
  };
}
