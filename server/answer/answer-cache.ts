import type { AnswerResult, AskRequest } from './contract.ts';

/**
 * Extractive answers by question, conversation and day, least recently used dropped first. An answer is a
 * pure function of the index, the question, the earlier turns and today's date (今年, 明年), so a cached
 * answer is the answer: officials ask the same questions, and a repeated one costs a lookup instead of an
 * answer. One cache per opened index, so a re-ingest starts empty. LLM answers are not cached.
 */
export class AnswerCache {
  private readonly entries = new Map<string, AnswerResult>();

  constructor(readonly maxEntries: number) {}

  private key(req: AskRequest, question: string, today: string): string {
    return JSON.stringify([today, question, req.history ?? []]);
  }

  get(req: AskRequest, question: string, today: string): AnswerResult | undefined {
    if (this.maxEntries <= 0) return undefined;
    const key = this.key(req, question, today);
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserted: Map order is recency order.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(req: AskRequest, question: string, today: string, result: AnswerResult): void {
    if (this.maxEntries <= 0) return;
    const key = this.key(req, question, today);
    this.entries.delete(key);
    this.entries.set(key, result);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
