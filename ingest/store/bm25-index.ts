import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tokenize } from '../text/tokenize.ts';
import type { LexicalIndex } from './lexical-index.ts';
import type { ScoredId, SearchFilter } from './vector-store.ts';

/** Term-frequency saturation. Default 1.2, the usual value; clauses are short, so saturation matters little. */
export const DEFAULT_K1 = 1.2;
/** Length normalisation. Default 0.75: long run-together clauses should not win on length alone. */
export const DEFAULT_B = 0.75;

/**
 * A filter covering fewer chunks than this share of a term's postings is scored by seeking each
 * document's range in the postings (binary search) instead of scanning the whole list. Measured in
 * `npm run bench` at 100k chunks: a place filter of 5 documents then costs what its ~1,000 chunks cost, not
 * what the 90,000 postings of 卫生 cost; past about a quarter, one scan with a mask is cheaper.
 */
const SEEK_SHARE = 0.25;

/**
 * The postings of an index in typed arrays: terms sorted (binary search, no hash table to build at start-up),
 * and for term i its postings at `docs/tfs[offsets[i] .. offsets[i+1])`, chunk ordinals ascending. Chunk
 * ordinals are positions in the index's chunk list, whose chunks are grouped by document.
 */
export interface Bm25Data {
  k1: number;
  b: number;
  terms: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
  /** Tokens per chunk. */
  lengths: Uint32Array;
}

/** Files of the lexical index inside the index folder: terms as text, the rest as raw little-endian arrays. */
export const BM25_FILES = {
  meta: 'bm25.json',
  terms: 'bm25-terms.txt',
  offsets: 'bm25-offsets.u32',
  docs: 'bm25-docs.u32',
  tfs: 'bm25-tfs.u16',
  lengths: 'bm25-lengths.u32',
} as const;

function bytesOf(array: Uint32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export function writeBm25(dir: string, data: Bm25Data): void {
  writeFileSync(
    join(dir, BM25_FILES.meta),
    JSON.stringify({ k1: data.k1, b: data.b, terms: data.terms.length, chunks: data.lengths.length }),
  );
  writeFileSync(join(dir, BM25_FILES.terms), data.terms.join('\n'));
  writeFileSync(join(dir, BM25_FILES.offsets), bytesOf(data.offsets));
  writeFileSync(join(dir, BM25_FILES.docs), bytesOf(data.docs));
  writeFileSync(join(dir, BM25_FILES.tfs), bytesOf(data.tfs));
  writeFileSync(join(dir, BM25_FILES.lengths), bytesOf(data.lengths));
}

/** Reads what writeBm25 wrote; throws with the file's name when a file is missing or its size is wrong. */
export function readBm25(dir: string): Bm25Data {
  const meta = JSON.parse(readFileSync(join(dir, BM25_FILES.meta), 'utf8')) as {
    k1: number;
    b: number;
    terms: number;
    chunks: number;
  };
  const u32 = (name: string) => {
    const buf = readFileSync(join(dir, name));
    if (buf.byteLength % 4)
      throw new Error(`${name} has ${buf.byteLength} bytes, not a whole number of entries`);
    // A fresh, aligned copy: Buffer slices of the pool may start at an odd offset.
    return new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  };
  const text = readFileSync(join(dir, BM25_FILES.terms), 'utf8');
  const terms = text === '' ? [] : text.split('\n');
  const offsets = u32(BM25_FILES.offsets);
  const docs = u32(BM25_FILES.docs);
  const tfsBuf = readFileSync(join(dir, BM25_FILES.tfs));
  const tfs = new Uint16Array(tfsBuf.buffer.slice(tfsBuf.byteOffset, tfsBuf.byteOffset + tfsBuf.byteLength));
  const lengths = u32(BM25_FILES.lengths);
  if (terms.length !== meta.terms || offsets.length !== terms.length + 1)
    throw new Error(`${BM25_FILES.terms} and ${BM25_FILES.offsets} disagree on the number of terms`);
  if (docs.length !== tfs.length || offsets[terms.length] !== docs.length)
    throw new Error(`${BM25_FILES.docs} and ${BM25_FILES.tfs} disagree on the number of postings`);
  if (lengths.length !== meta.chunks)
    throw new Error(`${BM25_FILES.lengths} does not have one entry per chunk`);
  return { k1: meta.k1, b: meta.b, terms, offsets, docs, tfs, lengths };
}

/** The chunks in index order: id, and the document each belongs to (chunks of a document are consecutive). */
export interface IndexedChunkRef {
  id: string;
  docId: string;
}

export class Bm25Index implements LexicalIndex {
  private readonly avgLength: number;
  /** Chunk ordinal → document ordinal. */
  private readonly docOfChunk: Uint32Array;
  /** Document id → its chunks' ordinal range [start, end). */
  private readonly rangeOfDoc = new Map<string, { start: number; end: number }>();
  private readonly ids: string[];
  /** Scores of the current search, kept between searches and reset through `touched`: no per-query allocation of corpus size. */
  private readonly scores: Float64Array;
  private readonly touched: Uint32Array;

  constructor(
    private readonly data: Bm25Data,
    private readonly tokenize: Tokenize,
    chunks: readonly IndexedChunkRef[],
  ) {
    if (chunks.length !== data.lengths.length)
      throw new Error(`The lexical index has ${data.lengths.length} chunks, the chunk list ${chunks.length}`);
    let sum = 0;
    for (const n of data.lengths) sum += n;
    this.avgLength = sum / Math.max(1, data.lengths.length);
    this.ids = chunks.map((c) => c.id);
    this.docOfChunk = new Uint32Array(chunks.length);
    let doc = -1;
    let previous: string | null = null;
    chunks.forEach((c, i) => {
      if (c.docId !== previous) {
        if (this.rangeOfDoc.has(c.docId)) throw new Error(`The chunks of ${c.docId} are not consecutive`);
        doc++;
        previous = c.docId;
        this.rangeOfDoc.set(c.docId, { start: i, end: i + 1 });
      } else {
        const range = this.rangeOfDoc.get(c.docId);
        if (range) range.end = i + 1;
      }
      this.docOfChunk[i] = doc;
    });
    this.scores = new Float64Array(chunks.length);
    this.touched = new Uint32Array(chunks.length);
  }

  get size(): number {
    return this.ids.length;
  }

  private termIndex(term: string): number {
    const { terms } = this.data;
    let lo = 0;
    let hi = terms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const t = terms[mid] ?? '';
      if (t === term) return mid;
      if (t < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private df(term: number): number {
    return term < 0 ? 0 : (this.data.offsets[term + 1] ?? 0) - (this.data.offsets[term] ?? 0);
  }

  idf(token: string): number {
    const n = this.ids.length;
    const df = this.df(this.termIndex(token));
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Synchronous inside: the score buffer is shared, so two searches must never interleave. */
  async search(query: string, k: number, filter?: SearchFilter): Promise<ScoredId[]> {
    const { k1, b, offsets, docs, tfs, lengths } = this.data;
    const n = this.ids.length;
    const ranges = filter?.docIds
      ? filter.docIds
          .map((id) => this.rangeOfDoc.get(id))
          .filter((r): r is { start: number; end: number } => r !== undefined)
          .sort((x, y) => x.start - y.start)
      : null;
    if (ranges && ranges.length === 0) return [];
    const allowed = ranges ? new Set(ranges.map((r) => this.docOfChunk[r.start] ?? -1)) : null;
    const filteredChunks = ranges ? ranges.reduce((s, r) => s + r.end - r.start, 0) : n;
    const { scores, touched } = this;
    let touchedCount = 0;
    const add = (chunk: number, tf: number, idf: number) => {
      const norm = tf + k1 * (1 - b + (b * (lengths[chunk] ?? 0)) / this.avgLength);
      if (scores[chunk] === 0) touched[touchedCount++] = chunk;
      scores[chunk] = (scores[chunk] ?? 0) + (idf * tf * (k1 + 1)) / norm;
    };
    for (const term of new Set(this.tokenize(query))) {
      const t = this.termIndex(term);
      if (t < 0) continue;
      const from = offsets[t] ?? 0;
      const to = offsets[t + 1] ?? 0;
      const df = to - from;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      if (ranges && filteredChunks < df * SEEK_SHARE) {
        for (const r of ranges) {
          for (let p = lowerBound(docs, from, to, r.start); p < to && (docs[p] ?? 0) < r.end; p++)
            add(docs[p] ?? 0, tfs[p] ?? 0, idf);
        }
      } else if (allowed) {
        for (let p = from; p < to; p++) {
          const chunk = docs[p] ?? 0;
          if (allowed.has(this.docOfChunk[chunk] ?? -1)) add(chunk, tfs[p] ?? 0, idf);
        }
      } else {
        for (let p = from; p < to; p++) add(docs[p] ?? 0, tfs[p] ?? 0, idf);
      }
    }
    const best = topK(touched, touchedCount, scores, k);
    // Read before the buffer is reset (it used to be read after, so every score came out 0).
    const result = best.map((chunk) => ({ id: this.ids[chunk] ?? '', score: scores[chunk] ?? 0 }));
    for (let i = 0; i < touchedCount; i++) scores[touched[i] ?? 0] = 0;
    return result;
  }
}

/** First position in docs[from, to) whose value is ≥ value. */
function lowerBound(docs: Uint32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((docs[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k best of the touched chunks, best first (ties: lower ordinal first, as a stable sort of all hits
 * would give), with a size-k min-heap: cost grows with the hits, not with sorting all of them. Returns
 * ordinals; their scores are still in `scores` until the caller resets them.
 */
function topK(touched: Uint32Array, count: number, scores: Float64Array, k: number): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  // "a is worse than b": lower score, or equal score and higher ordinal.
  const worse = (a: number, b: number) =>
    (scores[a] ?? 0) < (scores[b] ?? 0) || ((scores[a] ?? 0) === (scores[b] ?? 0) && a > b);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] ?? 0, heap[m] ?? 0)) m = l;
      if (r < heap.length && worse(heap[r] ?? 0, heap[m] ?? 0)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] ?? 0, heap[i] ?? 0];
      i = m;
    }
  };
  for (let i = 0; i < count; i++) {
    const c = touched[i] ?? 0;
    if ((scores[c] ?? 0) <= 0) continue;
    if (heap.length < k) {
      heap.push(c);
      for (let j = heap.length - 1; j > 0; ) {
        const parent = (j - 1) >> 1;
        if (!worse(heap[j] ?? 0, heap[parent] ?? 0)) break;
        [heap[j], heap[parent]] = [heap[parent] ?? 0, heap[j] ?? 0];
        j = parent;
      }
    } else if (worse(heap[0] ?? 0, c)) {
      heap[0] = c;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
