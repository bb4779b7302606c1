/** The shape of bench/results.json: what each child process prints, gathered per corpus. */
import type { BuildTimedStage } from '../ingest/build-index.ts';
import type { ServerResult } from './http-load.ts';
import type { PostgresResult } from './postgres-results.ts';
import type { Latency } from './stats.ts';

export interface IngestResult {
  seconds: number;
  stageSeconds: Record<BuildTimedStage, number>;
  counts: { documents: number; chunks: number; tableRows: number; targets: number };
  embedder: { kind: string; id: string; dimensions: number };
  failures: number;
  peakRssMiB: number;
}

export interface KindResult {
  questions: number;
  correct: number;
  retrieval: Latency;
  answer: Latency;
}

export interface QueryResult {
  openMs: number;
  /** Building the English dictionary before the first question (LoadedService.warm). */
  warmMs: number;
  rssReadyMiB: number;
  rssAfterMiB: number;
  peakRssMiB: number;
  reps: number;
  overall: KindResult;
  kinds: Record<string, KindResult>;
  misses: { id: string; question: string; status: string | null; answer: string }[];
}

export interface RetrievalSide {
  buildSeconds: number | null;
  query: Latency;
  hitAt5: number | null;
  mrr: number | null;
  note?: string;
}

export interface BaselineResult {
  items: number;
  ours: RetrievalSide;
  minisearch: RetrievalSide;
  langchain: RetrievalSide;
}

/** hit@5 over an EMBEDDER=lsa index with the vectors fused at each weight (run-vectors.ts). */
export interface VectorResult {
  items: number;
  english: number;
  rows: { weight: number; hitAt5: number; englishHitAt5: number }[];
}

export interface CorpusResult {
  name: string;
  copies: number;
  questionKinds: Record<string, number>;
  ingest: IngestResult;
  indexBytes: number;
  queries: QueryResult;
  server: ServerResult;
  baselines: BaselineResult;
  /** Seeds only. */
  vectors?: VectorResult;
  /** With `--stores local,postgres`. */
  postgres?: PostgresResult;
}

export interface BenchResults {
  generatedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  options: Record<string, string | undefined>;
  corpora: CorpusResult[];
}
