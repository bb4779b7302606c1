/**
 * One conformance suite for every store implementation behind `OpenedIndex`, `LexicalIndex` and
 * `VectorStore`: the local index (the reference), PostgreSQL 15 (the Debian server, no pgvector) and
 * PGlite with pgvector served over TCP by pglite-socket, both reached with `pg` over the wire. Each store
 * is filled from seeds/ by its own ingest and must hold and rank exactly what the local index does.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestConfig, loadIngestConfig } from '../ingest/config.ts';
import { HnswStore } from '../ingest/store/hnsw-store.ts';
import { allChunks, type OpenedIndex, openIndex } from '../ingest/store/open-index.ts';
import { migrate } from '../ingest/store/postgres/migrate.ts';
import { ingestToPostgres } from '../ingest/store/postgres/pg-ingest.ts';
import { openPgIndex, type PostgresStoreConfig } from '../ingest/store/postgres/pg-open-index.ts';
import { closePgPools, pgPool } from '../ingest/store/postgres/pg-pool.ts';
import { ensureVectorTable, PgVectorStore } from '../ingest/store/postgres/pg-vector-store.ts';
import type { VectorStore } from '../ingest/store/vector-store.ts';
import { tokenize } from '../ingest/text/tokenize.ts';
import { startPgliteServer, startPostgresCluster, type TestDatabase } from './support/pg-servers.ts';
import { SEEDS_DIR, sharedSeedsIndexDir } from './support/seeds-index.ts';

const QUESTIONS = readFileSync(new URL('../evals/gold/seeds.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { question: string }).question);

const DIMENSIONS = 16;

/** A fixed pseudo-random vector per chunk id (no model needed), the same for every store. */
function vectorOf(id: string): Float32Array {
  let h = 2166136261;
  for (const c of id) h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 16777619);
  const v = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) ^ i;
    v[i] = ((h >>> 0) % 2001) / 1000 - 1;
  }
  return v;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

interface StoreUnderTest {
  name: string;
  index: OpenedIndex;
  /** A vector store holding vectorOf(id) for every chunk, or null where vectors are unavailable. */
  vectors: VectorStore | null;
  config: IngestConfig | null;
}

let local: OpenedIndex;
const stores: StoreUnderTest[] = [];
const databases: TestDatabase[] = [];
const folders: string[] = [];

function pgConfig(url: string, corpusDir = SEEDS_DIR): IngestConfig {
  const indexDir = mkdtempSync(join(tmpdir(), 'zhengce-store-idx-'));
  folders.push(indexDir);
  return loadIngestConfig({
    CORPUS_DIR: corpusDir,
    INDEX_DIR: indexDir,
    STORE: 'postgres',
    DATABASE_URL: url,
  });
}

beforeAll(async () => {
  const seedsConfig = loadIngestConfig({ CORPUS_DIR: SEEDS_DIR, INDEX_DIR: sharedSeedsIndexDir() });
  local = await openIndex(seedsConfig.indexDir, seedsConfig.embedder);
  const hnsw = HnswStore.create(DIMENSIONS, local.chunkCount, (id) => local.chunkById.get(id)?.docId);
  await hnsw.add(allChunks(local).map((c) => ({ id: c.id, vector: vectorOf(c.id) })));
  stores.push({ name: 'local', index: local, vectors: hnsw, config: null });

  const [cluster, lite] = await Promise.all([startPostgresCluster(), startPgliteServer()]);
  databases.push(cluster, lite);
  for (const [name, db] of [
    ['postgres (Debian server, no pgvector)', cluster],
    ['pglite + pgvector (pglite-socket)', lite],
  ] as const) {
    const config = pgConfig(db.url);
    const pool = pgPool(db.url, 10);
    const migrated = await migrate(pool);
    await ingestToPostgres(config);
    const index = await openPgIndex(config.store as PostgresStoreConfig, config.embedder);
    let vectors: VectorStore | null = null;
    if (migrated.vector) {
      await ensureVectorTable(pool, DIMENSIONS);
      vectors = new PgVectorStore(pool, DIMENSIONS, 0);
      await vectors.add(allChunks(index).map((c) => ({ id: c.id, vector: vectorOf(c.id) })));
    }
    stores.push({ name, index, vectors, config });
  }
});

afterAll(async () => {
  await closePgPools();
  await Promise.all(databases.map((d) => d.stop()));
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe.each(['local', 'postgres (Debian server, no pgvector)', 'pglite + pgvector (pglite-socket)'])(
  'store conformance: %s',
  (name) => {
    const store = () => {
      const s = stores.find((x) => x.name === name);
      if (!s) throw new Error(`store ${name} did not start`);
      return s;
    };

    it('holds the same documents, chunks, targets, vocabulary and dictionary as the local index, in order', () => {
      const { index } = store();
      expect(index.documents.map((d) => d.meta)).toEqual(local.documents.map((d) => d.meta));
      expect(index.documents.map((d) => d.text)).toEqual(local.documents.map((d) => d.text));
      expect(allChunks(index)).toEqual(allChunks(local));
      expect(index.chunkCount).toBe(local.chunkCount);
      for (const c of allChunks(local)) {
        expect(index.chunkById.get(c.id)).toEqual(c);
        expect(index.targetsByChunk.get(c.id) ?? []).toEqual(local.targetsByChunk.get(c.id) ?? []);
      }
      expect(index.allTargets()).toEqual(local.allTargets());
      expect([...index.documentFacts]).toEqual([...local.documentFacts]);
      expect(JSON.stringify(index.vocabulary)).toBe(JSON.stringify(local.vocabulary));
      expect(index.dictionary).toEqual(local.dictionary);
      expect(index.manifest.counts).toEqual(local.manifest.counts);
    });

    it('weighs every question token with the same idf', () => {
      const { index } = store();
      const tokens = new Set(QUESTIONS.flatMap((q) => tokenize(q)));
      tokens.add('不在语料里的词');
      for (const t of tokens) expect(index.lexical.idf(t), t).toBe(local.lexical.idf(t));
      expect(index.lexical.size).toBe(local.lexical.size);
    });

    it('ranks every gold-set question exactly as the local BM25 does (ids and scores), with and without a place filter', async () => {
      const { index } = store();
      const byRegion = new Map<string, string[]>();
      for (const d of local.documents) {
        const r = d.meta.region?.name ?? '';
        byRegion.set(r, [...(byRegion.get(r) ?? []), d.meta.docId]);
      }
      const filters = [undefined, ...[...byRegion.values()].map((docIds) => ({ docIds })), { docIds: [] }];
      // A question's filters are asked at once: the pool has connections to spare, and the server works on
      // one query while the test compares another (one at a time, the test waited on each round trip).
      for (const q of QUESTIONS) {
        await Promise.all(
          filters.map(async (filter) => {
            const [want, got] = await Promise.all([
              local.lexical.search(q, 50, filter),
              index.lexical.search(q, 50, filter),
            ]);
            expect(got, `${q} ${JSON.stringify(filter)}`).toEqual(want);
          }),
        );
      }
      expect(await index.lexical.search('', 10)).toEqual([]);
      expect(await index.lexical.search('家庭医生', 0)).toEqual([]);
    });

    it('finds nearest vectors by cosine, or reports vectors unavailable', async () => {
      const { vectors, index } = store();
      if (name.startsWith('postgres')) {
        // No pgvector on this server: the store says so rather than pretending.
        expect(vectors).toBeNull();
        expect(index.vectors).toBeNull();
        return;
      }
      if (!vectors) throw new Error('vectors expected');
      const chunks = allChunks(local);
      let hits = 0;
      let total = 0;
      for (const probe of chunks.filter((_, i) => i % 9 === 0)) {
        const query = vectorOf(`${probe.id}/query`);
        const exact = chunks
          .map((c) => ({ id: c.id, score: cosine(query, vectorOf(c.id)) }))
          .sort((a, b) => b.score - a.score);
        const got = await vectors.search(query, 10);
        expect(got).toHaveLength(10);
        const want = new Set(exact.slice(0, 10).map((e) => e.id));
        hits += got.filter((g) => want.has(g.id)).length;
        total += 10;
        for (const g of got)
          expect(g.score).toBeCloseTo(exact.find((e) => e.id === g.id)?.score ?? Number.NaN, 5);
        // A place filter returns only that place's chunks, the exact nearest of them.
        const docIds = [probe.docId];
        const inDoc = exact.filter((e) => local.chunkById.get(e.id)?.docId === probe.docId).slice(0, 5);
        const filtered = await vectors.search(query, 5, { docIds });
        expect(filtered.map((f) => f.id)).toEqual(inDoc.map((e) => e.id));
        expect(await vectors.search(query, 5, { docIds: [] })).toEqual([]);
      }
      // HNSW is approximate: recall@10 against exact search.
      expect(hits / total).toBeGreaterThanOrEqual(0.9);
    });
  },
);

describe('PostgreSQL ingest', () => {
  const cluster = () => {
    const s = stores.find((x) => x.name.startsWith('postgres'));
    const store = s?.config?.store;
    if (store?.kind !== 'postgres') throw new Error('cluster did not start');
    return { url: store.url };
  };

  it('skips unchanged files, replaces a changed document atomically, and serialises two racing ingests', async () => {
    const corpus = mkdtempSync(join(tmpdir(), 'zhengce-store-corpus-'));
    folders.push(corpus);
    for (const f of [
      'jiaxing-2024-health-modernisation-opinions.txt',
      'xining-2024-health-service-system-plan.txt',
    ])
      copyFileSync(join(SEEDS_DIR, f), join(corpus, f));
    // A database of its own, so the seeds rows of the other tests stay as they are.
    const pool = pgPool(cluster().url, 2);
    await pool.query('CREATE DATABASE ingest_test');
    const url = cluster().url.replace(/\/postgres$/, '/ingest_test');
    await migrate(pgPool(url, 10));
    const config = pgConfig(url, corpus);
    const first = await ingestToPostgres(config);
    expect(first.files).toMatchObject({ parsed: 2, reused: 0 });
    const again = await ingestToPostgres(config);
    expect(again.files).toMatchObject({ parsed: 0, reused: 2 });

    const db = pgPool(url, 10);
    const docId = 'jiaxing-2024-health-modernisation-opinions-69234131';
    const count = async () =>
      Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM chunks WHERE doc_id = $1', [docId])).rows[0]
          ?.n,
      );
    const before = await count();
    // The changed document has more chunks; a reader polling meanwhile sees the old or the new, never half.
    const file = join(corpus, 'jiaxing-2024-health-modernisation-opinions.txt');
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}\n\n三、补充条款\n(一)到2030年，嘉兴市每千人口托位数达到5个。\n(二)到2030年，家庭医生签约服务覆盖率达到60%以上。\n`,
    );
    const seen = new Set<number>();
    let polling = true;
    const poller = (async () => {
      while (polling) seen.add(await count());
    })();
    // Two ingests at once: the advisory lock makes the second wait, then find the file unchanged.
    const spans: { start: number; end: number }[] = [];
    const run = async () => {
      let start = 0;
      let end = 0;
      // The span is the time the lock is held: the other ingest may take it the moment it is released,
      // before this call's promise settles, so the end is taken just before the release.
      const result = await ingestToPostgres(config, {
        onLocked: () => {
          start = performance.now();
        },
        onUnlocking: () => {
          end = performance.now();
        },
      });
      spans.push({ start, end });
      return result;
    };
    const [a, b] = await Promise.all([run(), run()]);
    polling = false;
    await poller;
    const after = await count();
    expect(after).toBeGreaterThan(before);
    expect([...seen].every((n) => n === before || n === after)).toBe(true);
    expect([a.files.parsed, b.files.parsed].sort()).toEqual([0, 1]);
    const [s1, s2] = spans.sort((x, y) => x.start - y.start);
    expect(s2?.start ?? 0).toBeGreaterThanOrEqual(s1?.end ?? Number.POSITIVE_INFINITY);

    // The index read back answers the new clause, and document frequencies match a fresh count.
    const index = await openPgIndex(config.store as PostgresStoreConfig, config.embedder);
    const hits = await index.lexical.search('2030年 每千人口托位数', 3);
    expect(index.chunkById.get(hits[0]?.id ?? '')?.text).toContain('2030年');
    const stale = await db.query(
      `SELECT s.term FROM term_stats s LEFT JOIN (SELECT term, count(*) AS n FROM terms GROUP BY term) t
       ON t.term = s.term WHERE t.n IS DISTINCT FROM s.df LIMIT 5`,
    );
    expect(stale.rows).toEqual([]);

    // A file removed from the corpus takes its rows with it.
    rmSync(file);
    await ingestToPostgres(config);
    expect(await count()).toBe(0);
    expect(
      Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM terms')).rows[0]?.n),
    ).toBeGreaterThan(0);
  });
});
