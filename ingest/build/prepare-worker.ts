/**
 * A worker thread of prepare-pool.ts: one shard. Files are prepared one after another in the order they
 * arrive, so the shard's chunk ordinals follow the corpus order the main thread sent them in.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ShardBuilder, type ShardFile, type ShardOptions, type ShardResult } from './shard.ts';

export type WorkerRequest = { type: 'file'; id: number; file: ShardFile } | { type: 'finish' };

const port = parentPort;
if (!port) throw new Error('prepare-worker.ts runs as a worker thread');
const shard = new ShardBuilder(workerData as ShardOptions);
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: WorkerRequest) => {
  queue = queue.then(async () => {
    if (message.type === 'file') {
      let result: ShardResult;
      try {
        result = await shard.prepare(message.file);
      } catch (err) {
        // prepare() catches per file; this is the last guard, so one file never takes the worker (and with
        // it every file of its shard) down.
        result = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      port.postMessage({ type: 'file', id: message.id, result });
      return;
    }
    const postings = shard.finish();
    // The typed arrays move to the main thread instead of being copied.
    const buffers = [postings.offsets, postings.docs, postings.tfs, postings.lengths].map(
      (a) => a.buffer as ArrayBuffer,
    );
    port.postMessage({ type: 'finished', postings }, buffers);
  });
});
