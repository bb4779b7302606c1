/** The PostgreSQL store's part of a corpus section in bench/RESULTS.md (issue 14), read from the run. */
import type { PostgresResult } from './postgres-results.ts';

const ms = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const ratio = (a: number | null, b: number | null) => (a && b ? `${(a / b).toFixed(1)}×` : '—');

export function postgresSection(p: PostgresResult): string {
  const i = p.ingest;
  const a = p.answers;
  const r = p.recall;
  return [
    `### The PostgreSQL store (issue 14), on ${p.engine}`,
    '',
    `The engine with pgvector on this machine is ${p.engine}: one single-threaded WASM process, not a PostgreSQL server, so these figures bound what a real server does from below; the Debian PostgreSQL 15 server here has no pgvector.`,
    '',
    `Ingest (\`STORE=postgres\`, words only, one transaction per file): ${i.counts.documents} documents, ${i.counts.chunks} chunks in ${i.seconds.toFixed(1)} s, **${Math.round(i.counts.chunks / i.seconds)} chunks/s**; database ${(i.databaseBytes / 2 ** 20).toFixed(0)} MiB, ${i.termRows} rows in the terms table (${(i.termRows / Math.max(1, i.counts.chunks)).toFixed(0)} per chunk, each with two B-tree entries); ${i.failures} failures. Ingesting it again unchanged: ${i.reingestSeconds.toFixed(2)} s (${i.reingestReused} files skipped by their key).`,
    '',
    `| stage | ${Object.keys(i.stageSeconds).join(' | ')} |`,
    `|---|${Object.keys(i.stageSeconds)
      .map(() => '---')
      .join('|')}|`,
    `| seconds | ${Object.values(i.stageSeconds)
      .map((s) => s.toFixed(2))
      .join(' | ')} |`,
    '',
    `Full answers to the same ${a.questions} questions (${a.reps} runs), the two stores in turn in one process; opening the PostgreSQL store (its cache) took ${ms(a.openMs)}. Answers identical from both stores (all but timings): ${a.sameAnswers} of ${a.questions}${a.differ.length ? ` (differ: ${a.differ.map((d) => `\`${d}\``).join(', ')})` : ''}.`,
    '',
    '| store | full answer p50 | p95 | p99 | p95 ÷ local |',
    '|---|---|---|---|---|',
    `| local | ${ms(a.local.p50)} | ${ms(a.local.p95)} | ${ms(a.local.p99)} | 1.0× |`,
    `| PostgreSQL | ${ms(a.postgres.p50)} | ${ms(a.postgres.p95)} | ${ms(a.postgres.p99)} | ${ratio(a.postgres.p95, a.local.p95)} |`,
    `| PostgreSQL, retrieval alone | ${ms(a.postgresRetrieval.p50)} | ${ms(a.postgresRetrieval.p95)} | ${ms(a.postgresRetrieval.p99)} | — |`,
    '',
    `pgvector HNSW (cosine, ef_search 64) against exact search (the same ORDER BY with index scans off) over ${r.vectors} vectors of ${r.dimensions} dimensions (offline LSA vectors of the chunk texts: no transformers model here), ${r.queries} queries (the questions and chunk texts spread over the corpus${r.zeroQueries ? `; ${r.zeroQueries} with no word in the LSA vocabulary left out` : ''}): **recall@${r.k} ${r.recallAtK.toFixed(3)}** (worst query ${r.worstQueryRecall.toFixed(2)}). Loading the vectors: ${r.loadSeconds.toFixed(1)} s (${r.vectorsPerSecond} vectors/s), then building the HNSW index ${r.indexSeconds.toFixed(1)} s. With \`hnsw.ef_search\` ${r.wider.efSearch}: recall@${r.k} ${r.wider.recallAtK.toFixed(3)}. Plans: the approximate query ${r.plans.hnswUsesIndex ? 'uses the HNSW index' : '**does not use the HNSW index** (the planner scans a table this small instead)'}, the exact one ${r.plans.exactUsesIndex ? '**uses it**' : 'does not'}.`,
    '',
    `| search | p50 | p95 | p99 |`,
    '|---|---|---|---|',
    `| HNSW (PgVectorStore.search) | ${ms(r.hnsw.p50)} | ${ms(r.hnsw.p95)} | ${ms(r.hnsw.p99)} |`,
    `| HNSW, ef_search ${r.wider.efSearch} | ${ms(r.wider.latency.p50)} | ${ms(r.wider.latency.p95)} | ${ms(r.wider.latency.p99)} |`,
    `| exact | ${ms(r.exact.p50)} | ${ms(r.exact.p95)} | ${ms(r.exact.p99)} |`,
    '',
  ].join('\n');
}
