import { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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
 * A search yields to other requests once it has scored for this many milliseconds. Default 10: an
 * unfiltered question of many common grams scores for 30–100 ms at 100k chunks on a busy 2-core machine,
 * and no request may hold the server for more than 50 ms (issue 11); one term's postings take a few ms.
 */
export const SEARCH_SLICE_MS = 10;

export interface Bm25Options {
  /** Milliseconds a search scores before it yields. Default SEARCH_SLICE_MS (10); 0 yields after every term. */
  sliceMs?: number;
}

/** Score buffers of one corpus size, reused across searches; a search that yields takes its own. */
interface ScoreBuffers {
  scores: Float64Array;
  touched: Uint32Array;
  /** Scratch for selecting the k best (topK). */
  work: Float64Array;
}

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

/**
 * A file's bytes in a fresh ArrayBuffer (aligned for any typed array), read straight into it: readFileSync's
 * Buffer would need a copy to be aligned, and the postings are about 110 MB at 100k chunks.
 */
function readAligned(path: string, entryBytes: number): ArrayBuffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size % entryBytes)
      throw new Error(`${basename(path)} has ${size} bytes, not a whole number of entries`);
    const buffer = new ArrayBuffer(size);
    const bytes = new Uint8Array(buffer);
    for (let at = 0; at < size; ) {
      const read = readSync(fd, bytes, at, size - at, at);
      if (read === 0) throw new Error(`${basename(path)} ended after ${at} of ${size} bytes`);
      at += read;
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** Reads what writeBm25 wrote; throws with the file's name when a file is missing or its size is wrong. */
export function readBm25(dir: string): Bm25Data {
  const meta = JSON.parse(readFileSync(join(dir, BM25_FILES.meta), 'utf8')) as {
    k1: number;
    b: number;
    terms: number;
    chunks: number;
  };
  const u32 = (name: string) => new Uint32Array(readAligned(join(dir, name), 4));
  const text = readFileSync(join(dir, BM25_FILES.terms), 'utf8');
  const terms = text === '' ? [] : text.split('\n');
  const offsets = u32(BM25_FILES.offsets);
  const docs = u32(BM25_FILES.docs);
  const tfs = new Uint16Array(readAligned(join(dir, BM25_FILES.tfs), 2));
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
  /**
   * Score buffers not in use, reset through `touched` after each search: no per-query allocation of corpus
   * size. A search that yields holds its buffers, so searches that overlap take another pair.
   */
  private readonly free: ScoreBuffers[] = [];
  private readonly sliceMs: number;

  constructor(
    private readonly data: Bm25Data,
    private readonly tokenize: Tokenize,
    chunks: readonly IndexedChunkRef[],
    options: Bm25Options = {},
  ) {
    this.sliceMs = options.sliceMs ?? SEARCH_SLICE_MS;
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
  }

  private takeBuffers(): ScoreBuffers {
    return (
      this.free.pop() ?? {
        scores: new Float64Array(this.ids.length),
        touched: new Uint32Array(this.ids.length),
        work: new Float64Array(this.ids.length),
      }
    );
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

  /** Scores term by term, yielding to other work every `sliceMs`; overlapping searches use separate buffers. */
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
    const buffers = this.takeBuffers();
    const { scores, touched } = buffers;
    let touchedCount = 0;
    let sliceStart = performance.now();
    const add = (chunk: number, tf: number, idf: number) => {
      const norm = tf + k1 * (1 - b + (b * (lengths[chunk] ?? 0)) / this.avgLength);
      if (scores[chunk] === 0) touched[touchedCount++] = chunk;
      scores[chunk] = (scores[chunk] ?? 0) + (idf * tf * (k1 + 1)) / norm;
    };
    for (const term of new Set(this.tokenize(query))) {
      if (performance.now() - sliceStart >= this.sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
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
    if (performance.now() - sliceStart >= this.sliceMs) await new Promise((resolve) => setImmediate(resolve));
    const best = topK(touched, touchedCount, scores, k, buffers.work);
    // Read before the buffer is reset (it used to be read after, so every score came out 0).
    const result = best.map((chunk) => ({ id: this.ids[chunk] ?? '', score: scores[chunk] ?? 0 }));
    for (let i = 0; i < touchedCount; i++) scores[touched[i] ?? 0] = 0;
    this.free.push(buffers);
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
 * would give). The k-th best score is found by selection (quickselect over a copy of the scores), then only
 * the chunks at or above it are sorted: cost grows with the hits, not with sorting them, and a deep k (a
 * comparison asks for 2,560 of 85,000 hits) costs no more than a shallow one. A size-k heap took 150 ms there.
 * Returns ordinals; their scores are still in `scores` until the caller resets them.
 */
function topK(
  touched: Uint32Array,
  count: number,
  scores: Float64Array,
  k: number,
  work: Float64Array,
): number[] {
  if (k <= 0) return [];
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const s = scores[touched[i] ?? 0] ?? 0;
    if (s > 0) work[hits++] = s;
  }
  const byRank = (a: number, b: number) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b;
  const picked: number[] = [];
  if (hits <= k) {
    for (let i = 0; i < count; i++) if ((scores[touched[i] ?? 0] ?? 0) > 0) picked.push(touched[i] ?? 0);
    return picked.sort(byRank);
  }
  const threshold = kthLargest(work, hits, k);
  let ties = 0;
  for (let i = 0; i < count; i++) {
    const c = touched[i] ?? 0;
    const s = scores[c] ?? 0;
    if (s > threshold) picked.push(c);
    else if (s === threshold) ties++;
  }
  // Fewer than k score above the threshold; the ties at it are taken lowest ordinal first. Copies of one
  // text score alike, so ties can be thousands: they are sorted as a typed array (numeric, no comparator).
  const tied = new Uint32Array(ties);
  let t = 0;
  for (let i = 0; i < count; i++) {
    const c = touched[i] ?? 0;
    if (scores[c] === threshold) tied[t++] = c;
  }
  tied.sort();
  for (let i = 0; picked.length < k && i < tied.length; i++) picked.push(tied[i] ?? 0);
  return picked.sort(byRank);
}

/** The k-th largest of values[0, n) (1 ≤ k ≤ n), by quickselect; reorders that part of `values`. */
function kthLargest(values: Float64Array, n: number, k: number): number {
  // The k-th largest is at position k - 1 when ordered largest first.
  const want = k - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot: scores of copied documents come in runs, a fixed pivot degrades.
    const a = values[lo] ?? 0;
    const b = values[mid] ?? 0;
    const c = values[hi] ?? 0;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] ?? 0) > pivot) i++;
      while ((values[j] ?? 0) < pivot) j--;
      if (i <= j) {
        const t = values[i] ?? 0;
        values[i] = values[j] ?? 0;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return values[want] ?? 0;
  }
  return values[want] ?? 0;
}
