import type { ScoredId, SearchFilter } from './vector-store.ts';

/** Keyword search over chunk index text (BM25 now; a full-text library or PostgreSQL later). */
export interface LexicalIndex {
  readonly size: number;
  search(query: string, k: number, filter?: SearchFilter): Promise<ScoredId[]>;
}
