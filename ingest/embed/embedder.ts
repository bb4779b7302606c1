/**
 * Turns text into vectors. One file per implementation; `select-embedder.ts` picks one from config.
 * Implementations must be deterministic for the same input and state, so that an index built at
 * ingest and a query embedded by the server agree.
 */
export interface Embedder {
  /** Identifies model and settings; recorded in the index manifest and checked when the index is opened. */
  readonly id: string;
  readonly dimensions: number;
  /** Vectors for passages, L2-normalised. */
  embedDocuments(texts: readonly string[]): Promise<Float32Array[]>;
  /** Vector for a search query (models such as e5/bge use a different prefix for queries), L2-normalised. */
  embedQuery(text: string): Promise<Float32Array>;
}

/**
 * An embedder whose parameters are fitted on the corpus (e.g. LSA). Its state is saved in the index
 * folder at ingest and loaded from there by the server.
 */
export interface FittedEmbedder extends Embedder {
  /** JSON-serialisable state that `load` of the same implementation turns back into this embedder. */
  state(): unknown;
}
