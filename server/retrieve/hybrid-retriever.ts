import { documentDates } from '../../ingest/meta/dates.ts';
import type { Chunk } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import type { Understanding } from '../query/understand.ts';
import { DEFAULT_RRF_K, reciprocalRankFusion } from './fuse-ranks.ts';

export interface RetrievalOptions {
  /** Chunks returned. Default 8: enough for an answer, its year clause and a few related clauses. */
  k: number;
  /** Candidates taken from each side before fusion. Default 50. */
  candidates: number;
  /** Weight of the BM25 list in the fusion. Default 1. */
  lexicalWeight: number;
  /** Weight of the vector list. Default: `vectorWeightFor(embedder kind)`. */
  vectorWeight: number;
  /** Added to the fused score of a chunk that names the asked year. Default 0.002 (dev set: hit@1 0.84 vs 0.82 at 0, 0.73 at 0.005). */
  yearBoost: number;
}

/**
 * Measured on evals/sets/dev.jsonl with the offline LSA embedder: hit@5 0.88 with the vector side off,
 * 0.88 at weight 0.1 (but hit@1 0.61 instead of 0.71), 0.82 at 0.2 and 0.73 at 0.5. LSA adds no signal BM25
 * lacks on this corpus, so it is off; a transformers model is semantic and gets an equal say (unmeasured
 * here: no weights can be downloaded on this machine; measure with `npm run eval` before relying on it).
 */
export function vectorWeightFor(kind: 'lexical' | 'lsa' | 'transformers'): number {
  return kind === 'transformers' ? 0.5 : 0;
}

export const DEFAULT_RETRIEVAL: RetrievalOptions = {
  k: 8,
  candidates: 50,
  lexicalWeight: 1,
  vectorWeight: 0.5,
  yearBoost: 0.002,
};

export interface ScoredChunk {
  chunk: Chunk;
  score: number;
}

/** What a retrieval asks: the search text, and what narrows it. */
export type RetrievalQuery = Pick<Understanding, 'searchText' | 'regions' | 'years'> & {
  documentYears?: readonly number[];
  /** Search only these documents (a follow-up's document). */
  withinDocs?: readonly string[];
  /**
   * The documents the user limited the question to (AskRequest.scope): every search of the answer, by
   * whichever strategy, stays inside them, whatever else narrows it.
   */
  scopeDocs?: readonly string[];
  /** The question asks for the text in force (现行, 现在的, current): a text a later one replaced is left out. */
  currentVersion?: boolean;
};

/** The k best chunks for a question: the fused ranking (rankChunkIds), then the chunks read and scored. */
export async function retrieve(
  index: OpenedIndex,
  u: RetrievalQuery,
  options: RetrievalOptions = DEFAULT_RETRIEVAL,
  /**
   * Decides on the fused ids, in rank order, before any chunk is read: a comparison keeps a few per place
   * without reading the chunks of places it will not list.
   */
  keep?: (chunkId: string) => boolean,
): Promise<ScoredChunk[]> {
  return scoreRanked(index, u, options, await rankChunkIds(index, u, options), keep);
}

/**
 * The fused ranking of chunk ids (BM25 and vectors, reciprocal-rank fusion), best first, without reading any
 * chunk: a caller that decides on ids first (a comparison across places) ranks once and scores what it keeps.
 */
export async function rankChunkIds(
  index: OpenedIndex,
  u: RetrievalQuery,
  options: RetrievalOptions = DEFAULT_RETRIEVAL,
): Promise<Map<string, number>> {
  let docIds = u.regions.length
    ? index.documents
        .filter((d) => d.meta.region && u.regions.includes(d.meta.region.name))
        .map((d) => d.meta.docId)
    : undefined;
  if (u.withinDocs?.length) docIds = (docIds ?? u.withinDocs).filter((id) => u.withinDocs?.includes(id));
  if (u.scopeDocs) docIds = (docIds ?? u.scopeDocs).filter((id) => u.scopeDocs?.includes(id));
  // "2017年版实施办法" names a version: search the documents dated that year, when the corpus holds one.
  if (u.documentYears?.length) {
    const years = u.documentYears.map(String);
    const pool = index.documents.filter((d) => !docIds || docIds.includes(d.meta.docId));
    const inYear = (date: string | undefined) => date !== undefined && years.some((y) => date.startsWith(y));
    // A text revised in 2023 still lists its 2017 revision: the version of a year is the text whose latest
    // date is in it; failing that, any text dated that year.
    const latest = pool.filter((d) => inYear(documentDates(d.meta).sort().at(-1)));
    const any = pool.filter((d) => documentDates(d.meta).some(inYear));
    const dated = (latest.length ? latest : any).map((d) => d.meta.docId);
    if (dated.length) docIds = dated;
  }
  if (u.currentVersion && !u.documentYears?.length) {
    const pool = index.documents.filter((d) => !docIds || docIds.includes(d.meta.docId));
    const current = pool.filter((d) => !d.meta.supersededBy);
    if (current.length < pool.length && current.length) docIds = current.map((d) => d.meta.docId);
  }
  const filter = docIds ? { docIds } : undefined;
  const [lexical, vector] = await Promise.all([
    index.lexical.search(u.searchText, options.candidates, filter),
    options.vectorWeight > 0 && index.embedder && index.vectors
      ? index.embedder
          .embedQuery(u.searchText)
          .then((v) =>
            index.vectors
              ? index.vectors.search(v, Math.min(options.candidates, filterSize(index, docIds)), filter)
              : [],
          )
      : Promise.resolve([]),
  ]);
  return reciprocalRankFusion(
    [
      { ids: lexical.map((h) => h.id), weight: options.lexicalWeight },
      { ids: vector.map((h) => h.id), weight: options.vectorWeight },
    ],
    DEFAULT_RRF_K,
  );
}

/** Reads the ranked chunks that `keep` accepts, adds the year boost, and returns the k best. */
export function scoreRanked(
  index: OpenedIndex,
  u: Pick<Understanding, 'years'>,
  options: RetrievalOptions,
  fused: ReadonlyMap<string, number>,
  keep?: (chunkId: string) => boolean,
): ScoredChunk[] {
  const scored: ScoredChunk[] = [];
  for (const [id, base] of fused) {
    if (keep && !keep(id)) continue;
    const chunk = index.chunkById.get(id);
    if (!chunk) continue;
    let score = base;
    if (u.years.length) {
      const doc = index.documentById.get(chunk.docId);
      if (u.years.some((y) => chunk.years.includes(y))) score += options.yearBoost;
      else if (chunk.years.length === 0 && u.years.some((y) => doc?.meta.horizonYears.includes(y)))
        score += options.yearBoost / 2;
    }
    scored.push({ chunk, score });
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, options.k);
}

function filterSize(index: OpenedIndex, docIds: readonly string[] | undefined): number {
  if (!docIds) return index.chunkCount;
  return docIds.reduce((n, id) => n + (index.documentFacts.get(id)?.chunks ?? 0), 0);
}
