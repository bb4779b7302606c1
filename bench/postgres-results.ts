/** The shape of the PostgreSQL store's rows in bench/results.json (what run-postgres.ts prints). */
import type { BuildTimedStage } from '../ingest/build-index.ts';
import type { RecallResult } from './pg-recall.ts';
import type { Latency } from './stats.ts';

export interface PostgresResult {
  /** What served the database (bench/pg-engine.ts). */
  engine: string;
  ingest: {
    seconds: number;
    stageSeconds: Record<BuildTimedStage, number>;
    counts: { documents: number; chunks: number; tableRows: number; targets: number };
    failures: number;
    /** The same corpus ingested again, unchanged: every file found by its key and skipped. */
    reingestSeconds: number;
    reingestReused: number;
    databaseBytes: number;
    /** Rows of the lexical index (term, chunk, tf). */
    termRows: number;
  };
  answers: {
    questions: number;
    reps: number;
    /** Opening the store (loading the server's cache from the database). */
    openMs: number;
    /** Full answers, the local index and the PostgreSQL store in turn in one process. */
    local: Latency;
    postgres: Latency;
    postgresRetrieval: Latency;
    /** Questions whose answers (all but timings) are the same from both stores. */
    sameAnswers: number;
    differ: string[];
  };
  recall: RecallResult;
  peakRssMiB: number;
}
