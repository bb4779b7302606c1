/**
 * Child process of `npm run bench -- --stores local,postgres`: the PostgreSQL store's rows for one corpus,
 * printed as one JSON line. On a fresh PGlite + pgvector database (bench/pg-engine.ts):
 *
 * 1. ingest the corpus (`STORE=postgres`, words only: no transformers model on these machines), then
 *    ingest it again unchanged (the incremental path: every file's key matches);
 * 2. the bench questions answered by the local index and by the PostgreSQL store in turn, in this one
 *    process, so the two latencies are measured side by side; each pair of answers is compared whole;
 * 3. recall@10 of the HNSW index against exact search (bench/pg-recall.ts).
 *
 * Usage: run-postgres.ts <corpusDir> <localIndexDir> <questions.json> <repetitions> <workDir>
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIngestConfig } from '../ingest/config.ts';
import { migrate } from '../ingest/store/postgres/migrate.ts';
import { ingestToPostgres } from '../ingest/store/postgres/pg-ingest.ts';
import { closePgPools, pgPool } from '../ingest/store/postgres/pg-pool.ts';
import type { AnswerResult } from '../server/answer/contract.ts';
import { createService } from '../server/service.ts';
import { startPgliteEngine } from './pg-engine.ts';
import { measureRecall } from './pg-recall.ts';
import type { PostgresResult } from './postgres-results.ts';
import type { BenchQuestion } from './questions.ts';
import { latency, peakRssMiB } from './stats.ts';

/** Connections of the bench's pool, the server's default (PG_POOL_SIZE). */
const POOL_SIZE = 10;

const [corpusDir, indexDir, questionsFile, repsArg, workDir] = process.argv.slice(2);
if (!corpusDir || !indexDir || !questionsFile || !workDir)
  throw new Error('usage: run-postgres.ts <corpusDir> <localIndexDir> <questions.json> <reps> <workDir>');
const questions = JSON.parse(readFileSync(questionsFile, 'utf8')) as BenchQuestion[];
const reps = Number(repsArg ?? 3);
const log = (m: string) => console.error(`[bench:postgres] ${m}`);

const db = await startPgliteEngine(join(workDir, 'pglite'));
try {
  const pool = pgPool(db.url, POOL_SIZE);
  await migrate(pool);
  const config = loadIngestConfig({
    ...process.env,
    CORPUS_DIR: corpusDir,
    // Unused by a PostgreSQL ingest, which keeps nothing on disk; given so no default folder is touched.
    INDEX_DIR: join(workDir, 'unused-index'),
    STORE: 'postgres',
    DATABASE_URL: db.url,
    PG_POOL_SIZE: String(POOL_SIZE),
    EMBEDDER: 'lexical',
  });
  const store = config.store?.kind === 'postgres' ? config.store : null;
  if (!store) throw new Error('STORE=postgres was not taken');
  log('ingest');
  const ingestStarted = performance.now();
  const built = await ingestToPostgres(config);
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  log(`ingest: ${built.manifest.counts.chunks} chunks in ${ingestSeconds.toFixed(1)} s; again, unchanged`);
  const againStarted = performance.now();
  const again = await ingestToPostgres(config);
  const reingestSeconds = (performance.now() - againStarted) / 1000;
  const databaseBytes = Number(
    (await pool.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b')).rows[0]?.b ?? 0,
  );

  const termRows = Number(
    (await pool.query<{ n: string }>('SELECT count(*) AS n FROM terms')).rows[0]?.n ?? 0,
  );
  log('questions: local and postgres in turn');
  const local = await createService({ indexDir, ensure: false, llm: null, answerCacheSize: 0 });
  const openStarted = performance.now();
  const postgres = await createService({ corpusDir, llm: null, answerCacheSize: 0, store });
  const openMs = performance.now() - openStarted;
  local.warm();
  postgres.warm();
  const localMs: number[] = [];
  const postgresMs: number[] = [];
  const postgresRetrievalMs: number[] = [];
  const differ: string[] = [];
  const comparable = ({ timings: _, ...rest }: AnswerResult) => JSON.stringify(rest);
  for (let rep = 0; rep < reps; rep++) {
    for (const q of questions) {
      const req = { question: q.item.question, history: q.item.history ?? [] };
      const t0 = performance.now();
      const want = await local.ask(req);
      const t1 = performance.now();
      const got = await postgres.ask(req);
      const t2 = performance.now();
      await postgres.search(q.item.question, 5);
      const t3 = performance.now();
      localMs.push(t1 - t0);
      postgresMs.push(t2 - t1);
      postgresRetrievalMs.push(t3 - t2);
      if (rep === 0 && comparable(want) !== comparable(got)) differ.push(q.item.id);
    }
  }

  log('recall@10 of HNSW against exact search');
  const recall = await measureRecall(
    pool,
    questions.map((q) => q.item.question),
    {},
    log,
  );
  const result: PostgresResult = {
    engine: db.engine,
    ingest: {
      seconds: ingestSeconds,
      stageSeconds: built.stageSeconds,
      counts: built.manifest.counts,
      failures: built.failures.length,
      reingestSeconds,
      reingestReused: again.files.reused,
      databaseBytes,
      termRows,
    },
    answers: {
      questions: questions.length,
      reps,
      openMs,
      local: latency(localMs),
      postgres: latency(postgresMs),
      postgresRetrieval: latency(postgresRetrievalMs),
      sameAnswers: questions.length - differ.length,
      differ: differ.slice(0, 20),
    },
    recall,
    peakRssMiB: peakRssMiB(),
  };
  console.log(JSON.stringify(result));
} finally {
  await closePgPools();
  await db.stop();
}
