import type { ScoredId, SearchFilter } from './vector-store.ts';

/** Keyword search over chunk index text (BM25 now; a full-text library or PostgreSQL later). */
export interface LexicalIndex {
  readonly size: number;
  /**
   * Inverse document frequency of one token (a jieba word or a Han bigram) over the indexed chunks, as the
   * ranking uses it; a token no chunk contains gets the highest value, log(1 + 2n + 1). Lets the answerer
   * weigh the rare words of a question above the common ones.
   */
  idf(token: string): number;
  search(query: string, k: number, filter?: SearchFilter): Promise<ScoredId[]>;
}
