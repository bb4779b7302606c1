import { type Bm25Data, DEFAULT_B, DEFAULT_K1 } from '../store/bm25-index.ts';
import { compareCodeUnits } from '../text/code-unit-order.ts';
import type { VocabularyCounts } from '../text/vocabulary.ts';
import type { ShardPostings } from './shard.ts';

/**
 * One lexical index from the shards' postings. `toGlobal[s][local]` is the index ordinal of shard s's chunk
 * `local`; each shard prepared its files in corpus order, so the mapping is increasing within a shard, each
 * shard's list for a term is already in index order, and the lists are merged, not sorted.
 */
export function mergeShards(
  shards: readonly ShardPostings[],
  toGlobal: readonly Uint32Array[],
  chunkCount: number,
): { lexical: Bm25Data; vocabulary: VocabularyCounts } {
  const lengths = new Uint32Array(chunkCount);
  shards.forEach((shard, s) => {
    const map = toGlobal[s] ?? new Uint32Array(0);
    shard.lengths.forEach((n, local) => {
      lengths[map[local] ?? 0] = n;
    });
  });
  // Terms of all shards, each with where it is in every shard (-1: absent).
  const where = new Map<string, Int32Array>();
  shards.forEach((shard, s) => {
    shard.terms.forEach((term, i) => {
      let at = where.get(term);
      if (!at) {
        at = new Int32Array(shards.length).fill(-1);
        where.set(term, at);
      }
      at[s] = i;
    });
  });
  const terms = [...where.keys()].sort(compareCodeUnits);
  let total = 0;
  for (const shard of shards) total += shard.docs.length;
  const offsets = new Uint32Array(terms.length + 1);
  const docs = new Uint32Array(total);
  const tfs = new Uint16Array(total);
  let out = 0;
  const heads = new Int32Array(shards.length);
  const ends = new Int32Array(shards.length);
  terms.forEach((term, t) => {
    offsets[t] = out;
    const at = where.get(term) ?? new Int32Array(0);
    for (let s = 0; s < shards.length; s++) {
      const i = at[s] ?? -1;
      const shard = shards[s];
      heads[s] = i < 0 || !shard ? 0 : (shard.offsets[i] ?? 0);
      ends[s] = i < 0 || !shard ? 0 : (shard.offsets[i + 1] ?? 0);
    }
    for (;;) {
      let best = -1;
      let bestGlobal = 0;
      for (let s = 0; s < shards.length; s++) {
        if ((heads[s] ?? 0) >= (ends[s] ?? 0)) continue;
        const global = toGlobal[s]?.[shards[s]?.docs[heads[s] ?? 0] ?? 0] ?? 0;
        if (best < 0 || global < bestGlobal) {
          best = s;
          bestGlobal = global;
        }
      }
      if (best < 0) break;
      docs[out] = bestGlobal;
      tfs[out] = shards[best]?.tfs[heads[best] ?? 0] ?? 0;
      out++;
      heads[best] = (heads[best] ?? 0) + 1;
    }
  });
  offsets[terms.length] = out;
  const counts = new Map<string, number>();
  for (const shard of shards)
    for (const [word, n] of Object.entries(shard.vocabulary)) counts.set(word, (counts.get(word) ?? 0) + n);
  const vocabulary = Object.fromEntries([...counts].sort((a, b) => compareCodeUnits(a[0], b[0])));
  return { lexical: { k1: DEFAULT_K1, b: DEFAULT_B, terms, offsets, docs, tfs, lengths }, vocabulary };
}
