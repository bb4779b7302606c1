import { LruMap } from '../../ingest/store/lru-map.ts';
import type { AnswerResult, AskRequest } from './contract.ts';

/**
 * Extractive answers by question, conversation and day, least recently used dropped first. An answer is a
 * pure function of the index, the question, the earlier turns and today's date (今年, 明年), so a cached
 * answer is the answer: officials ask the same questions, and a repeated one costs a lookup instead of an
 * answer. One cache per opened index, so a re-ingest starts empty. LLM answers are not cached.
 */
export class AnswerCache {
  private readonly entries: LruMap<string, AnswerResult>;

  constructor(maxEntries: number) {
    this.entries = new LruMap(maxEntries);
  }

  private key(req: AskRequest, question: string, today: string): string {
    // The scope changes the answer as much as the question does.
    return JSON.stringify([today, question, req.history ?? [], req.scope ?? null]);
  }

  get(req: AskRequest, question: string, today: string): AnswerResult | undefined {
    return this.entries.maxEntries > 0 ? this.entries.get(this.key(req, question, today)) : undefined;
  }

  set(req: AskRequest, question: string, today: string, result: AnswerResult): void {
    if (this.entries.maxEntries > 0) this.entries.set(this.key(req, question, today), result);
  }
}
