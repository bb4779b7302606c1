/**
 * Reciprocal rank fusion: each list contributes weight / (k + rank) for every id it ranks (rank from 1).
 * Ranks, not raw scores, are fused because BM25 and cosine scores live on unrelated scales.
 */
export const DEFAULT_RRF_K = 60;

export function reciprocalRankFusion(
  lists: readonly { ids: readonly string[]; weight: number }[],
  k = DEFAULT_RRF_K,
): Map<string, number> {
  const fused = new Map<string, number>();
  for (const { ids, weight } of lists) {
    ids.forEach((id, i) => {
      fused.set(id, (fused.get(id) ?? 0) + weight / (k + i + 1));
    });
  }
  return fused;
}
