/** Restricts a search to some documents; data, not a callback, so that SQL stores can apply it too. */
export interface SearchFilter {
  docIds?: readonly string[];
}

export interface ScoredId {
  /** Chunk id. */
  id: string;
  /** Higher is better. For vectors: cosine similarity. */
  score: number;
}

/** Nearest-neighbour search over chunk vectors (hnswlib now, pgvector later). */
export interface VectorStore {
  readonly dimensions: number;
  readonly size: number;
  add(items: readonly { id: string; vector: Float32Array }[]): Promise<void>;
  search(vector: Float32Array, k: number, filter?: SearchFilter): Promise<ScoredId[]>;
  /** Writes the store into `dir` (a folder owned by the index). */
  save(dir: string): Promise<void>;
}
