/**
 * `npm run bench`: measures Zhengce on the seeds and on deterministic synthetic corpora (bench/synthetic-corpus.ts)
 * and writes bench/results.json and the generated bench/RESULTS.md. Every figure comes from this run.
 *
 *   npm run bench -- [--corpora seeds,10k,100k] [--reps 3] [--http-seconds 10] [--connections 10,50]
 *                    [--startups 3] [--per-kind 12] [--langchain-max-chunks 20000] [--out bench]
 *                    [--stores local,postgres]
 *
 * `--stores local,postgres` adds the PostgreSQL store's rows to each corpus (bench/run-postgres.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSet } from '../evals/set-format.ts';
import { loadIngestConfig } from '../ingest/config.ts';
import { currentIndexDir } from '../ingest/store/index-location.ts';
import { openIndex } from '../ingest/store/open-index.ts';
import { measureServer, type ServerResult } from './http-load.ts';
import type { PostgresResult } from './postgres-results.ts';
import { type BenchQuestion, benchQuestions } from './questions.ts';
import type {
  BaselineResult,
  BenchResults,
  CorpusResult,
  IngestResult,
  QueryResult,
  VectorResult,
} from './results.ts';
import { renderResults } from './results-markdown.ts';
import { writeSyntheticCorpus } from './synthetic-corpus.ts';

const { values } = parseArgs({
  options: {
    corpora: { type: 'string', default: 'seeds,10k,100k' },
    reps: { type: 'string', default: '3' },
    'http-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '10,50' },
    startups: { type: 'string', default: '3' },
    'per-kind': { type: 'string', default: '12' },
    'langchain-max-chunks': { type: 'string', default: '20000' },
    out: { type: 'string', default: 'bench' },
    gold: { type: 'string', default: 'evals/gold/seeds.jsonl' },
    stores: { type: 'string', default: 'local' },
  },
});

const reps = Number(values.reps);
const stores = values.stores.split(',').map((s) => s.trim());
for (const s of stores)
  if (s !== 'local' && s !== 'postgres')
    throw new Error(`--stores: "${s}" is neither "local" nor "postgres"`);
// ZHENGCE_BENCH_WORK: where corpora and indexes are built (the tests use their own folder).
const work = process.env.ZHENGCE_BENCH_WORK ?? join(tmpdir(), 'zhengce-bench');
mkdirSync(work, { recursive: true });
const child = (script: string, args: string[], env: Record<string, string> = {}): unknown => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join('bench', script), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, EMBEDDER: process.env.EMBEDDER ?? 'auto', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line);
};
const du = (dir: string) => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);

function chunksOf(name: string): number | null {
  if (name === 'seeds') return null;
  const m = /^(\d+)(k?)$/.exec(name);
  if (!m) throw new Error(`--corpora: "${name}" is neither "seeds" nor a chunk count such as 10k`);
  return Number(m[1]) * (m[2] ? 1000 : 1);
}

const gold = parseSet(readFileSync(values.gold, 'utf8')).items;
const log = (m: string) => console.error(`[bench] ${m}`);

// The seeds first: they are the base of every synthetic corpus and its questions.
const seedsIndex = join(work, 'index-seeds');
log('building the seeds index');
child('run-ingest.ts', ['seeds', seedsIndex]);
const base = await openIndex(
  seedsIndex,
  loadIngestConfig({ ...process.env, EMBEDDER: process.env.EMBEDDER ?? 'auto' }).embedder,
);

const corpora: CorpusResult[] = [];
for (const name of values.corpora
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)) {
  const wanted = chunksOf(name);
  // The seeds are asked as themselves (one copy, in a scratch folder only for the rewritten questions).
  const copies = wanted === null ? 1 : Math.max(1, Math.round(wanted / base.chunkCount));
  const corpusDir = wanted === null ? 'seeds' : join(work, `corpus-${name}`);
  if (wanted !== null) log(`writing ${copies} copies of the seeds to ${corpusDir}`);
  const synthetic = writeSyntheticCorpus(
    'seeds',
    base.documents,
    copies,
    wanted === null ? join(work, 'corpus-seeds-copy') : corpusDir,
    wanted === null ? '' : gold.map((g) => g.question).join('\n'),
  );
  const questions: BenchQuestion[] = benchQuestions(
    gold,
    base.documents,
    base.allTargets(),
    synthetic,
    Number(values['per-kind']),
  );
  const questionsFile = join(work, `questions-${name}.json`);
  writeFileSync(questionsFile, JSON.stringify(questions));
  const indexDir = join(work, `index-${name}`);
  log(`${name}: ingest`);
  // A cold build: the parse cache of an earlier bench run would make ingest look free.
  rmSync(indexDir, { recursive: true, force: true });
  const ingest = child('run-ingest.ts', [corpusDir, indexDir]) as IngestResult;
  // The index as served (its build folder), without the parse cache kept for the next build.
  const indexBytes = du(currentIndexDir(indexDir));
  log(`${name}: ${ingest.counts.chunks} chunks in ${ingest.seconds.toFixed(1)} s; queries`);
  const queries = child('run-queries.ts', [indexDir, questionsFile, String(reps)]) as QueryResult;
  log(`${name}: server start-up and HTTP load`);
  const server: ServerResult = await measureServer(corpusDir, indexDir, questions, {
    startups: Number(values.startups),
    connections: values.connections.split(',').map(Number),
    seconds: Number(values['http-seconds']),
  });
  log(`${name}: baselines`);
  const itemsFile = join(work, `items-${name}.json`);
  // On the seeds the retrieval comparison uses the whole gold set; on synthetic corpora, the rewritten mix.
  writeFileSync(itemsFile, JSON.stringify(wanted === null ? gold : questions.map((q) => q.item)));
  const withLangchain = ingest.counts.chunks <= Number(values['langchain-max-chunks']) ? 'yes' : 'no';
  const baselines = child('run-baselines.ts', [indexDir, itemsFile, withLangchain]) as BaselineResult;
  let vectors: VectorResult | undefined;
  if (wanted === null) {
    log('seeds: the offline vector side (EMBEDDER=lsa)');
    const lsaIndex = join(work, 'index-seeds-lsa');
    child('run-ingest.ts', ['seeds', lsaIndex], { EMBEDDER: 'lsa' });
    vectors = child('run-vectors.ts', [lsaIndex, itemsFile], { EMBEDDER: 'lsa' }) as VectorResult;
  }
  let postgres: PostgresResult | undefined;
  if (stores.includes('postgres')) {
    log(`${name}: the PostgreSQL store`);
    postgres = child('run-postgres.ts', [
      corpusDir,
      indexDir,
      questionsFile,
      String(reps),
      work,
    ]) as PostgresResult;
  }
  corpora.push({
    name,
    copies,
    questionKinds: Object.fromEntries(
      [...new Set(questions.map((q) => q.kind))].map((k) => [
        k,
        questions.filter((q) => q.kind === k).length,
      ]),
    ),
    ingest,
    indexBytes,
    queries,
    server,
    baselines,
    ...(vectors ? { vectors } : {}),
    ...(postgres ? { postgres } : {}),
  });
  if (wanted !== null) rmSync(corpusDir, { recursive: true, force: true });
}

const results: BenchResults = {
  generatedAt: new Date().toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  options: { ...values, embedder: base.manifest.embedder.kind },
  corpora,
};
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(out, 'RESULTS.md'), renderResults(results));
log(`wrote ${join(out, 'results.json')} and ${join(out, 'RESULTS.md')}`);
