/**
 * BM25 over the terms table (migrations/001-initial.sql), computed in SQL: the same tokens, k1, b and idf
 * as the local index (bm25-index.ts), place filters applied in the query. SQL ranks every chunk and keeps
 * the k best plus any chunk within a hair of the k-th; those few are then scored again here with the very
 * arithmetic of the local index (same operands, same order), so ties and last bits fall exactly as they
 * do locally and both stores give the same ranking.
 */
import type { Tokenize } from '../../text/tokenize.ts';
import { DEFAULT_B, DEFAULT_K1 } from '../bm25-index.ts';
import type { LexicalIndex } from '../lexical-index.ts';
import type { ScoredId, SearchFilter } from '../vector-store.ts';
import type { PgPool } from './pg-pool.ts';

/** Chunks whose SQL score is within this fraction of the k-th are re-scored too (float sums reorder). */
const TIE_MARGIN = 1e-9;

const SEARCH_SQL = `
WITH q AS (
  SELECT term, pos::integer AS pos FROM unnest($1::text[]) WITH ORDINALITY AS q(term, pos)
), st AS (
  SELECT chunk_count AS n, total_length, total_length::float8 / greatest(chunk_count, 1) AS avg FROM index_state
), qt AS (
  SELECT q.term, q.pos, s.df, ln(1 + (st.n - s.df + 0.5) / (s.df + 0.5)) AS idf
  FROM q JOIN term_stats s ON s.term = q.term CROSS JOIN st
), scored AS (
  SELECT t.chunk,
    sum(qt.idf * t.tf * ($2::float8 + 1) / (t.tf + $2::float8 * (1 - $3::float8 + $3::float8 * c.length / st.avg))) AS score,
    array_agg(qt.pos ORDER BY qt.pos) AS pos,
    array_agg(t.tf ORDER BY qt.pos) AS tfs,
    array_agg(qt.df ORDER BY qt.pos) AS dfs
  FROM qt
  JOIN terms t ON t.term = qt.term
  JOIN chunks c ON c.id = t.chunk
  CROSS JOIN st
  WHERE $5::text[] IS NULL OR c.doc_id = ANY($5::text[])
  GROUP BY t.chunk
), cut AS (
  SELECT score FROM scored ORDER BY score DESC LIMIT 1 OFFSET $4::integer - 1
)
SELECT c.chunk_id, c.length, s.tfs, s.dfs, f.file_pos, d.part, c.ordinal,
  (SELECT n FROM st) AS n, (SELECT total_length FROM st) AS total_length
FROM scored s
JOIN chunks c ON c.id = s.chunk
JOIN documents d ON d.doc_id = c.doc_id
JOIN sources f ON f.path = d.source
WHERE s.score >= coalesce((SELECT score FROM cut), 0) * (1 - ${TIE_MARGIN})`;

interface SearchRow {
  chunk_id: string;
  length: number;
  tfs: number[];
  dfs: number[];
  file_pos: number;
  part: number;
  ordinal: number;
  n: string;
  total_length: string;
}

export class PgLexicalIndex implements LexicalIndex {
  constructor(
    private readonly pool: PgPool,
    private readonly tokenize: Tokenize,
    /** Chunks in the cached snapshot (BM25's n for idf). */
    readonly size: number,
    /**
     * Document frequencies of the snapshot, for the synchronous `idf` the answerer asks per question word
     * (a query to the database per word would cost a round trip each); rebuilt with the cache.
     */
    private readonly dfByTerm: ReadonlyMap<string, number>,
    private readonly k1 = DEFAULT_K1,
    private readonly b = DEFAULT_B,
  ) {}

  idf(token: string): number {
    const df = this.dfByTerm.get(token) ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  async search(query: string, k: number, filter?: SearchFilter): Promise<ScoredId[]> {
    if (k <= 0) return [];
    if (filter?.docIds && filter.docIds.length === 0) return [];
    const terms = [...new Set(this.tokenize(query))];
    if (terms.length === 0) return [];
    const { rows } = await this.pool.query<SearchRow>(SEARCH_SQL, [
      terms,
      this.k1,
      this.b,
      k,
      filter?.docIds ? [...filter.docIds] : null,
    ]);
    const { k1, b } = this;
    const scored = rows.map((r) => {
      const n = Number(r.n);
      const avgLength = Number(r.total_length) / Math.max(1, n);
      // The local index adds one term after another in query order; the arrays are in that order.
      let score = 0;
      r.tfs.forEach((tf, i) => {
        const df = r.dfs[i] ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        const norm = tf + k1 * (1 - b + (b * r.length) / avgLength);
        score += (idf * tf * (k1 + 1)) / norm;
      });
      return { id: r.chunk_id, score, order: [r.file_pos, r.part, r.ordinal] as const };
    });
    // Ties go to the chunk earlier in the corpus, as the local index breaks them by chunk ordinal.
    scored.sort(
      (x, y) =>
        y.score - x.score || x.order[0] - y.order[0] || x.order[1] - y.order[1] || x.order[2] - y.order[2],
    );
    return scored.slice(0, k).map(({ id, score }) => ({ id, score }));
  }
}
