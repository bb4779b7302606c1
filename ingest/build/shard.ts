/**
 * The part of ingest that is the same for every file and independent of the others: read, decode, clean,
 * chunk, extract targets, tokenise. A shard does it for a sequence of files and keeps its own postings
 * (chunk ordinals local to the shard) and vocabulary counts; several shards run in worker threads and
 * build-index.ts merges them in file order (prepare-pool.ts), or one shard runs in-process.
 */
import { type ChunkOptions, type PreparedDocument, prepareDocuments } from '../chunk/prepare-document.ts';
import { docIdFor } from '../doc-id.ts';
import { loaderFor } from '../load/loaders.ts';
import type { MetadataOverride } from '../meta/derive-metadata.ts';
import type { Chunk, TargetRecord } from '../model.ts';
import { extractTargets } from '../targets/extract-targets.ts';
import { compareCodeUnits } from '../text/code-unit-order.ts';
import { tokenize } from '../text/tokenize.ts';
import { vocabularyWords } from '../text/vocabulary.ts';
import { type CachedFile, readCachedFile, writeCachedFile } from './parse-cache.ts';

/** What a shard is given of a corpus file. */
export interface ShardFile {
  path: string;
  bytes: Uint8Array;
  override: string | null;
  /** Where this file's parse-cache entry is (parse-cache.ts): read when present, written when not. */
  cachePath?: string;
  /** Documents of this file taken out with `--remove` (corpus-roots.ts): parsed, not indexed. */
  excludeDocIds?: string[];
}

export interface ShardDocument {
  record: PreparedDocument['record'];
  /** As stored: without `indexText`, which the shard has already indexed. */
  chunks: Chunk[];
  /** Each chunk's indexText, only when the build embeds chunks. */
  indexTexts?: string[];
  targets: TargetRecord[];
  warnings: string[];
}

export type ShardResult =
  | {
      ok: true;
      encoding: string;
      loadWarnings: string[];
      docs: ShardDocument[];
      /** The file's chunks are the shard's chunks [start, end), in document and chunk order. */
      start: number;
      end: number;
      /** True when the file's parse-cache entry was used instead of parsing it. */
      fromCache: boolean;
    }
  | { ok: false; error: string };

/** A shard's postings: terms sorted, term i's postings at docs/tfs[offsets[i]..offsets[i+1]), local ordinals. */
export interface ShardPostings {
  terms: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
  lengths: Uint32Array;
  vocabulary: Record<string, number>;
}

export interface ShardOptions {
  chunk: ChunkOptions;
  /** Keep each chunk's indexText in the result, for an embedder. */
  keepIndexText: boolean;
}

export class ShardBuilder {
  /**
   * Each term is looked up by its string once per occurrence, here, and counted by number after that: the
   * string-keyed maps of a first version were a fifth of ingest.
   */
  private readonly termIds = new Map<string, number>();
  private readonly termList: string[] = [];
  /** Per term id: flat [ordinal, tf, ordinal, tf, …]. */
  private readonly lists: number[][] = [];
  /** Per term id: the last chunk that counted it (its tf is then the last entry of its list). */
  private readonly lastChunk: number[] = [];
  private readonly lengths: number[] = [];
  private readonly vocabulary = new Map<string, number>();

  constructor(private readonly options: ShardOptions) {}

  async prepare(file: ShardFile): Promise<ShardResult> {
    let entry: CachedFile;
    let fromCache = false;
    // Everything that reads the file's content (decode, parse, chunk, targets, tokens) may throw on a file
    // nobody foresaw; that file becomes a failure entry. Nothing is added to the shard until emit, so a
    // failure leaves no half-indexed chunks behind.
    try {
      const cached = file.cachePath ? readCachedFile(file.cachePath) : null;
      fromCache = cached !== null;
      entry = cached ?? (await this.parse(file));
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    return this.emit(entry, file.excludeDocIds, fromCache);
  }

  /** Decodes, parses and tokenises a file, and writes its parse-cache entry. */
  private async parse(file: ShardFile): Promise<CachedFile> {
    const entry = await parseFile(file, this.options);
    // The whole file is cached, removed documents included: removing is undone without parsing again.
    if (file.cachePath) writeCachedFile(file.cachePath, entry);
    return entry;
  }

  /** Indexes a prepared file's chunks (from this parse or the cache), leaving out excluded documents. */
  private emit(entry: CachedFile, exclude: readonly string[] | undefined, fromCache: boolean): ShardResult {
    const start = this.lengths.length;
    const docs: ShardDocument[] = [];
    let at = 0;
    for (const doc of entry.docs) {
      const keep = !exclude?.includes(doc.record.meta.docId);
      for (let i = 0; i < doc.chunks.length; i++, at++)
        if (keep) this.index(entry.tokens[at] ?? [], entry.words[at] ?? []);
      if (keep) docs.push(doc);
    }
    return {
      ok: true,
      encoding: entry.encoding,
      loadWarnings: entry.loadWarnings,
      docs,
      start,
      end: this.lengths.length,
      fromCache,
    };
  }

  private index(tokens: readonly string[], words: readonly string[]): void {
    const ordinal = this.lengths.length;
    this.lengths.push(tokens.length);
    for (const t of tokens) {
      let id = this.termIds.get(t);
      if (id === undefined) {
        id = this.termList.length;
        this.termIds.set(t, id);
        this.termList.push(t);
        this.lists.push([]);
        this.lastChunk.push(-1);
      }
      const list = this.lists[id] ?? [];
      if (this.lastChunk[id] === ordinal) list[list.length - 1] = (list[list.length - 1] ?? 0) + 1;
      else {
        list.push(ordinal, 1);
        this.lastChunk[id] = ordinal;
      }
    }
    for (const word of words) this.vocabulary.set(word, (this.vocabulary.get(word) ?? 0) + 1);
  }

  finish(): ShardPostings {
    const order = this.termList
      .map((_, id) => id)
      .sort((a, b) => compareCodeUnits(this.termList[a] ?? '', this.termList[b] ?? ''));
    const terms = order.map((id) => this.termList[id] ?? '');
    let total = 0;
    for (const list of this.lists) total += list.length / 2;
    const offsets = new Uint32Array(terms.length + 1);
    const docs = new Uint32Array(total);
    const tfs = new Uint16Array(total);
    let at = 0;
    order.forEach((id, i) => {
      offsets[i] = at;
      const list = this.lists[id] ?? [];
      for (let p = 0; p < list.length; p += 2) {
        docs[at] = list[p] ?? 0;
        tfs[at] = Math.min(65535, list[p + 1] ?? 0);
        at++;
      }
    });
    offsets[terms.length] = at;
    return {
      terms,
      offsets,
      docs,
      tfs,
      lengths: Uint32Array.from(this.lengths),
      vocabulary: Object.fromEntries(this.vocabulary),
    };
  }
}

/**
 * Decodes, parses and tokenises one file: its documents with their chunks and targets, and each chunk's
 * tokens and vocabulary words. Shared by the local build (through the shards) and the PostgreSQL ingest
 * (ingest/store/postgres/pg-ingest.ts), so both index exactly the same tokens.
 */
export async function parseFile(file: ShardFile, options: ShardOptions): Promise<CachedFile> {
  const { docs, encoding, loadWarnings } = await loadFile(file, options.chunk);
  const tokens: string[][] = [];
  const words: string[][] = [];
  const out: ShardDocument[] = docs.map((doc) => {
    for (const chunk of doc.chunks) {
      // Each chunk is tokenised once: its postings and its vocabulary words both come from these tokens.
      const chunkTokens = tokenize(chunk.indexText);
      tokens.push(chunkTokens);
      words.push([...vocabularyWords(chunk.indexText, chunkTokens)]);
    }
    return {
      record: doc.record,
      chunks: doc.chunks.map(({ indexText: _, ...c }) => c),
      ...(options.keepIndexText ? { indexTexts: doc.chunks.map((c) => c.indexText) } : {}),
      targets: extractTargets(doc.record, doc.chunks),
      warnings: doc.warnings,
    };
  });
  return { encoding, loadWarnings, docs: out, tokens, words };
}

async function loadFile(
  file: ShardFile,
  chunk: ChunkOptions,
): Promise<{ docs: PreparedDocument[]; encoding: string; loadWarnings: string[] }> {
  const loader = loaderFor(file.path, file.bytes);
  if (!loader) throw new Error('no loader for this file type');
  const loaded = await loader.load(file.bytes, file.path);
  let override: MetadataOverride = {};
  if (file.override) {
    try {
      override = JSON.parse(file.override) as MetadataOverride;
    } catch (err) {
      throw new Error(`its override ${file.path}.meta.json is not valid JSON (${(err as Error).message})`);
    }
  }
  const docs = prepareDocuments(
    {
      source: file.path,
      text: loaded.text,
      docId: docIdFor(file.path),
      format: loaded.format,
      title: loaded.title,
    },
    override,
    chunk,
  );
  return { docs, encoding: loaded.encoding, loadWarnings: loaded.warnings };
}
