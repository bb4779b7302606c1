/**
 * Runs set items through an `ask` function (in-process service or HTTP) and scores each answer.
 * A failed ask is recorded as a failed item with its error instead of aborting the run, so one crash
 * shows up next to the other results.
 */
import type { AnswerResult, AskRequest } from '../server/answer/contract.ts';
import { type ItemScore, scoreItem } from './score-item.ts';
import type { EvalItem } from './set-format.ts';

export type Ask = (req: AskRequest) => Promise<AnswerResult>;

/**
 * One item at a time by default: answering is CPU-bound, so in-process parallel asks only queue on the
 * same event loop and inflate every latency. Raise it with --concurrency against a remote server.
 */
export const DEFAULT_CONCURRENCY = 1;

export interface RunSetOptions {
  /** Items in flight at once. Default DEFAULT_CONCURRENCY (1). */
  concurrency?: number;
  /** Called after each item is scored, in completion order. */
  onProgress?: (done: number, total: number, score: ItemScore) => void;
  /** Clock for latencies, in ms. Default performance.now. */
  now?: () => number;
}

/** Returns one score per item, in the order of `items`. */
export async function runSet(
  items: readonly EvalItem[],
  ask: Ask,
  options: RunSetOptions = {},
): Promise<ItemScore[]> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const now = options.now ?? (() => performance.now());
  const scores = new Array<ItemScore>(items.length);
  let next = 0;
  let done = 0;

  const runOne = async (item: EvalItem): Promise<ItemScore> => {
    const request: AskRequest = item.history
      ? { question: item.question, history: item.history }
      : { question: item.question };
    const started = now();
    try {
      const result = await ask(request);
      return scoreItem(item, result, now() - started);
    } catch (error) {
      return scoreItem(item, null, now() - started, error instanceof Error ? error.message : String(error));
    }
  };

  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      const score = await runOne(item);
      scores[index] = score;
      done += 1;
      options.onProgress?.(done, items.length, score);
    }
  };

  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return scores;
}
