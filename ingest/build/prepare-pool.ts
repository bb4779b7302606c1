import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerRequest } from './prepare-worker.ts';
import {
  ShardBuilder,
  type ShardFile,
  type ShardOptions,
  type ShardPostings,
  type ShardResult,
} from './shard.ts';

/**
 * Prepares corpus files in parallel: one shard per worker thread, files dealt out in turn, results
 * returned per file so the caller keeps corpus order. With no workers the one shard runs in this thread.
 */
export interface Preparer {
  /** The file's result and the shard that holds its chunks. */
  prepare(file: ShardFile): Promise<{ result: ShardResult; shard: number }>;
  /** Every shard's postings, in shard order; call once, after the last prepare has settled. */
  finish(): Promise<ShardPostings[]>;
  close(): Promise<void>;
}

/**
 * Workers for a corpus of `files` files: below MIN_FILES_PER_WORKER files per worker, starting threads
 * (each loads jieba's dictionary and the parsers, about half a second) costs more than it saves.
 */
export const MIN_FILES_PER_WORKER = 8;

export function workerCount(files: number, wanted: number | 'auto'): number {
  const cores = wanted === 'auto' ? Math.min(availableParallelism(), 4) : wanted;
  return Math.max(0, Math.min(cores, Math.floor(files / MIN_FILES_PER_WORKER)));
}

export function createPreparer(workers: number, options: ShardOptions): Preparer {
  if (workers <= 1) {
    const shard = new ShardBuilder(options);
    return {
      prepare: async (file) => ({ result: await shard.prepare(file), shard: 0 }),
      finish: async () => [shard.finish()],
      close: async () => {},
    };
  }
  const threads = Array.from(
    { length: workers },
    () => new Worker(new URL('./prepare-worker-boot.mjs', import.meta.url), { workerData: options }),
  );
  const pending = new Map<number, (result: ShardResult) => void>();
  const finished: ((postings: ShardPostings) => void)[] = [];
  let failure: Error | null = null;
  const rejectAll = (err: Error) => {
    failure = err;
    for (const resolve of pending.values())
      resolve({ ok: false, error: `ingest worker failed: ${err.message}` });
    pending.clear();
  };
  threads.forEach((thread, s) => {
    thread.on(
      'message',
      (
        m: { type: 'file'; id: number; result: ShardResult } | { type: 'finished'; postings: ShardPostings },
      ) => {
        if (m.type === 'file') {
          pending.get(m.id)?.(m.result);
          pending.delete(m.id);
        } else finished[s]?.(m.postings);
      },
    );
    thread.on('error', rejectAll);
  });
  let next = 0;
  return {
    prepare(file) {
      const id = next++;
      const shard = id % workers;
      if (failure) return Promise.reject(failure);
      return new Promise((resolve) => {
        pending.set(id, (result) => resolve({ result, shard }));
        const request: WorkerRequest = { type: 'file', id, file };
        threads[shard]?.postMessage(request);
      });
    },
    finish() {
      if (failure) return Promise.reject(failure);
      return Promise.all(
        threads.map(
          (thread, s) =>
            new Promise<ShardPostings>((resolve, reject) => {
              finished[s] = resolve;
              thread.once('error', reject);
              const request: WorkerRequest = { type: 'finish' };
              thread.postMessage(request);
            }),
        ),
      );
    },
    async close() {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
