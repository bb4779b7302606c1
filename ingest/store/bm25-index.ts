import type { Tokenize } from '../text/tokenize.ts';
import type { LexicalIndex } from './lexical-index.ts';
import type { ScoredId, SearchFilter } from './vector-store.ts';

/** Term-frequency saturation. Default 1.2, the usual value; clauses are short, so saturation matters little. */
export const DEFAULT_K1 = 1.2;
/** Length normalisation. Default 0.75: long run-together clauses should not win on length alone. */
export const DEFAULT_B = 0.75;

export interface Bm25State {
  version: 1;
  k1: number;
  b: number;
  ids: string[];
  lengths: number[];
  /** term → flat [docIndex, tf, docIndex, tf, …] */
  postings: Record<string, number[]>;
}

export function buildBm25(
  docs: readonly { id: string; text: string }[],
  tokenize: Tokenize,
  k1 = DEFAULT_K1,
  b = DEFAULT_B,
): Bm25State {
  const postings: Record<string, number[]> = Object.create(null);
  const lengths: number[] = [];
  docs.forEach((doc, i) => {
    const tokens = tokenize(doc.text);
    lengths.push(tokens.length);
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [term, n] of tf) {
      const list = postings[term] ?? [];
      list.push(i, n);
      postings[term] = list;
    }
  });
  return { version: 1, k1, b, ids: docs.map((d) => d.id), lengths, postings };
}

export class Bm25Index implements LexicalIndex {
  private readonly avgLength: number;
  private readonly idIndex: Map<string, number>;

  constructor(
    private readonly state: Bm25State,
    private readonly tokenize: Tokenize,
    /** docId of each chunk, for filters. */
    private readonly docOf: (chunkId: string) => string | undefined,
  ) {
    this.avgLength = state.lengths.reduce((a, b) => a + b, 0) / Math.max(1, state.lengths.length);
    this.idIndex = new Map(state.ids.map((id, i) => [id, i]));
  }

  get size(): number {
    return this.state.ids.length;
  }

  idf(token: string): number {
    const n = this.state.ids.length;
    const df = (this.state.postings[token]?.length ?? 0) / 2;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  has(id: string): boolean {
    return this.idIndex.has(id);
  }

  async search(query: string, k: number, filter?: SearchFilter): Promise<ScoredId[]> {
    const { k1, b, ids, lengths, postings } = this.state;
    const n = ids.length;
    const scores = new Float64Array(n);
    for (const term of new Set(this.tokenize(query))) {
      const list = postings[term];
      if (!list) continue;
      const df = list.length / 2;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let p = 0; p < list.length; p += 2) {
        const doc = list[p] ?? 0;
        const tf = list[p + 1] ?? 0;
        const norm = tf + k1 * (1 - b + (b * (lengths[doc] ?? 0)) / this.avgLength);
        scores[doc] = (scores[doc] ?? 0) + (idf * tf * (k1 + 1)) / norm;
      }
    }
    const allowed = filter?.docIds ? new Set(filter.docIds) : null;
    const hits: ScoredId[] = [];
    for (let i = 0; i < n; i++) {
      const score = scores[i] ?? 0;
      if (score <= 0) continue;
      const id = ids[i] ?? '';
      if (allowed && !allowed.has(this.docOf(id) ?? '')) continue;
      hits.push({ id, score });
    }
    return hits.sort((x, y) => y.score - x.score).slice(0, k);
  }
}
