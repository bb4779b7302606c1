/**
 * The BM25 search that yields between terms (issue 11: no request holds the server for more than 50 ms):
 * its k best are the first k of all its hits, best first and ties by chunk order, however deep k is; and
 * searches that overlap (each yielding after every term) answer exactly what they answer one at a time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bm25Data, Bm25Index } from '../ingest/store/bm25-index.ts';

const TERMS = ['a', 'b', 'c', 'd', 'e'];

/** A corpus of `tfs[chunk][term]` term frequencies (0: absent), its chunks spread over a few documents. */
function indexOf(tfs: number[][], sliceMs?: number): Bm25Index {
  const offsets = new Uint32Array(TERMS.length + 1);
  const docs: number[] = [];
  const freqs: number[] = [];
  TERMS.forEach((_, t) => {
    offsets[t] = docs.length;
    tfs.forEach((row, chunk) => {
      if ((row[t] ?? 0) > 0) {
        docs.push(chunk);
        freqs.push(row[t] ?? 0);
      }
    });
  });
  offsets[TERMS.length] = docs.length;
  const data: Bm25Data = {
    k1: 1.2,
    b: 0.75,
    terms: TERMS,
    offsets,
    docs: Uint32Array.from(docs),
    tfs: Uint16Array.from(freqs),
    lengths: Uint32Array.from(tfs.map((row) => 1 + row.reduce((s, x) => s + x, 0))),
  };
  // Consecutive chunks per document, as ingest writes them.
  const chunks = tfs.map((_, i) => ({
    id: `doc${Math.floor(i / 3)}#${i}`,
    docId: `doc${Math.floor(i / 3)}`,
  }));
  return new Bm25Index(data, (q) => q.split(' '), chunks, sliceMs === undefined ? {} : { sliceMs });
}

// Small frequencies, so that equal scores (ties) are common.
const corpus = fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }), {
  minLength: 1,
  maxLength: 120,
});
const query = fc.subarray(TERMS, { minLength: 1 }).map((t) => t.join(' '));

describe('Bm25Index.search', () => {
  it('returns the first k of all hits, best first, ties in chunk order, at any depth', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, query, fc.integer({ min: 1, max: 130 }), async (tfs, q, k) => {
        const index = indexOf(tfs);
        const all = await index.search(q, tfs.length + 1);
        for (let i = 1; i < all.length; i++) {
          const [before, after] = [all[i - 1], all[i]];
          if (!before || !after) continue;
          expect(before.score).toBeGreaterThanOrEqual(after.score);
          if (before.score === after.score) {
            const ordinal = (id: string) => Number(id.split('#')[1]);
            expect(ordinal(before.id)).toBeLessThan(ordinal(after.id));
          }
        }
        expect(await index.search(q, k)).toEqual(all.slice(0, k));
      }),
      { numRuns: 200 },
    );
  });

  it('gives overlapping searches, each yielding after every term, the answers they get one at a time', async () => {
    await fc.assert(
      fc.asyncProperty(corpus, fc.array(query, { minLength: 2, maxLength: 5 }), async (tfs, queries) => {
        const index = indexOf(tfs, 0);
        const alone: unknown[] = [];
        for (const q of queries) alone.push(await index.search(q, 10));
        expect(await Promise.all(queries.map((q) => index.search(q, 10)))).toEqual(alone);
      }),
      { numRuns: 100 },
    );
  });
});
