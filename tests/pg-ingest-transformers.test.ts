/**
 * Vectors from the transformers.js embedder through the PostgreSQL ingest: the real library on the tiny
 * model the tests build (tests/support/tiny-model.ts), the seeds ingested with `STORE=postgres` into PGlite
 * with pgvector over TCP. Every chunk gets its vector in the HNSW-indexed table, a server opening the
 * database searches them with the same model, and the nearest chunks score as in the local index built
 * with the same model; re-ingesting unchanged files embeds nothing; and on the Debian server (no pgvector)
 * the same settings ingest words only and say vector search is unavailable.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.ts';
import { loadIngestConfig } from '../ingest/config.ts';
import { openIndex } from '../ingest/store/open-index.ts';
import { migrate } from '../ingest/store/postgres/migrate.ts';
import { ingestToPostgres } from '../ingest/store/postgres/pg-ingest.ts';
import { openPgIndex } from '../ingest/store/postgres/pg-open-index.ts';
import { closePgPools, pgPool } from '../ingest/store/postgres/pg-pool.ts';
import { VECTOR_TABLE, vectorTableDimensions } from '../ingest/store/postgres/pg-vector-store.ts';
import { startPgliteServer, startPostgresCluster, type TestDatabase } from './support/pg-servers.ts';
import { buildTinyModel, TINY_MODEL_DIMENSIONS } from './support/tiny-model.ts';

let dir: string;
let lite: TestDatabase;
let cluster: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-pg-tf-'));
  cpSync(new URL('../seeds/', import.meta.url).pathname, join(dir, 'corpus'), { recursive: true });
  const model = await buildTinyModel(join(dir, 'models'));
  [lite, cluster] = await Promise.all([startPgliteServer(), startPostgresCluster()]);
  env = {
    CORPUS_DIR: join(dir, 'corpus'),
    INDEX_DIR: join(dir, 'index'),
    EMBEDDER: 'transformers',
    MODELS_DIR: model.localModelPath,
    TRANSFORMERS_MODEL: model.model,
    TRANSFORMERS_QUANTIZED: 'false',
  };
}, 120_000);

afterAll(async () => {
  await closePgPools();
  await Promise.all([lite?.stop(), cluster?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('STORE=postgres with the transformers.js embedder', () => {
  it('stores a vector per chunk from the model, which a server searches as the local index does', async () => {
    const config = loadIngestConfig({ ...env, STORE: 'postgres', DATABASE_URL: lite.url });
    if (config.store?.kind !== 'postgres') throw new Error('STORE=postgres expected');
    const pool = pgPool(lite.url, config.store.poolSize);
    expect((await migrate(pool)).vector).toBe(true);
    const built = await ingestToPostgres(config);
    expect(built.warnings.filter((w) => w.message.includes('vector'))).toEqual([]);
    expect(built.manifest.embedder).toMatchObject({
      kind: 'transformers',
      dimensions: TINY_MODEL_DIMENSIONS,
    });
    expect(built.manifest.embedder.id).toContain('test/tiny-bert');
    expect(built.files.embeddedChunks).toBe(built.manifest.counts.chunks);
    const stored = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${VECTOR_TABLE}`);
    expect(Number(stored.rows[0]?.n)).toBe(built.manifest.counts.chunks);
    expect(await vectorTableDimensions(pool)).toBe(TINY_MODEL_DIMENSIONS);

    const localConfig = loadIngestConfig(env);
    await buildIndex(localConfig);
    const local = await openIndex(localConfig.indexDir, localConfig.embedder);
    const served = await openPgIndex(config.store, config.embedder);
    if (!served.vectors || !served.embedder || !local.vectors || !local.embedder)
      throw new Error('both indexes should have vectors');
    expect(served.embedder.id).toBe(local.embedder.id);
    for (const question of ['家庭医生签约服务覆盖率', 'family doctor service coverage rate', '托位']) {
      const query = await served.embedder.embedQuery(question);
      const [fromPg, fromLocal] = await Promise.all([
        served.vectors.search(query, 10),
        local.vectors.search(query, 10),
      ]);
      expect(fromPg).toHaveLength(10);
      // The same vectors: the nearest ten score alike (ids may trade places where scores tie).
      fromPg.forEach((hit, i) => {
        expect(hit.score, `${question} #${i}`).toBeCloseTo(fromLocal[i]?.score ?? Number.NaN, 4);
      });
      expect(fromPg[0]?.score).toBeGreaterThan(0);
    }

    const again = await ingestToPostgres(config);
    expect(again.files).toEqual({ parsed: 0, reused: 5, embeddedChunks: 0 });
  }, 180_000);

  it('ingests words only, and says so, on a database without pgvector', async () => {
    const config = loadIngestConfig({ ...env, STORE: 'postgres', DATABASE_URL: cluster.url });
    if (config.store?.kind !== 'postgres') throw new Error('STORE=postgres expected');
    const pool = pgPool(cluster.url, config.store.poolSize);
    expect((await migrate(pool)).vector).toBe(false);
    const built = await ingestToPostgres(config);
    expect(built.warnings.map((w) => w.message)).toContain(
      'vector search unavailable: the database has no `vector` extension; chunks are indexed by words only',
    );
    expect(built.files.embeddedChunks).toBe(0);
    expect(built.manifest.embedder).toMatchObject({ kind: 'lexical', dimensions: 0 });
    expect(await vectorTableDimensions(pool)).toBeNull();
  }, 180_000);
});
