import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk, DocumentRecord, TargetRecord } from '../model.ts';
import { LruMap } from './lru-map.ts';

/**
 * Each document's text, chunks and targets as one JSON blob in `documents.bin`, read and parsed the first
 * time anything of that document is asked for. At 100k chunks the whole corpus is 280 MB of JSON (5 s to
 * parse at start-up, 600 MB of heap); a question touches a handful of documents, so the server opens its
 * index in well under a second and holds only the documents in use (least recently used dropped first).
 */
export const DOCUMENTS_BIN = 'documents.bin';

export interface DocumentPart {
  text: string;
  chunks: Chunk[];
  targets: TargetRecord[];
}

/** Where a document's blob is in documents.bin. */
export interface BlobRange {
  offset: number;
  length: number;
}

/** Writes the blobs in document order and returns each document's range. */
export function writeDocumentParts(dir: string, parts: readonly DocumentPart[]): BlobRange[] {
  const fd = openSync(join(dir, DOCUMENTS_BIN), 'w');
  const ranges: BlobRange[] = [];
  let offset = 0;
  try {
    for (const part of parts) {
      const bytes = Buffer.from(JSON.stringify(part), 'utf8');
      writeSync(fd, bytes);
      ranges.push({ offset, length: bytes.length });
      offset += bytes.length;
    }
  } finally {
    closeSync(fd);
  }
  return ranges;
}

/**
 * Documents kept parsed at once. Default 400: a comparison across places touches about 80, and 400
 * documents of a plan-sized corpus are about 80 MB of heap.
 */
export const DEFAULT_CACHED_DOCUMENTS = 400;

/** A parsed document part with its chunks and targets by chunk id. */
export interface LoadedDocument extends DocumentPart {
  chunkById: Map<string, Chunk>;
  targetsByChunk: Map<string, TargetRecord[]>;
}

/**
 * documents.bin stays open for the life of a store: a re-ingest renames a new index into place and removes
 * the old folder, and requests still on the old index keep reading the file they opened. The descriptor is
 * closed when the store is garbage-collected, so re-ingests do not accumulate open files.
 */
const closeWhenCollected = new FinalizationRegistry<number>((fd) => closeSync(fd));

export class DocumentStore {
  private readonly cache: LruMap<string, LoadedDocument>;
  private readonly fd: number;

  constructor(
    private readonly dir: string,
    private readonly ranges: ReadonlyMap<string, BlobRange>,
    maxCached = DEFAULT_CACHED_DOCUMENTS,
  ) {
    this.cache = new LruMap(maxCached);
    // Opened now, not on first read: a build published later may remove this folder (index-location.ts),
    // and an open descriptor keeps the file readable for requests still answering on this index.
    this.fd = openSync(join(this.dir, DOCUMENTS_BIN), 'r');
    closeWhenCollected.register(this, this.fd);
  }

  /** The document's text, chunks and targets; undefined for an id the index does not hold. */
  part(docId: string): LoadedDocument | undefined {
    const cached = this.cache.get(docId);
    if (cached) return cached;
    const range = this.ranges.get(docId);
    if (!range) return undefined;
    const bytes = Buffer.alloc(range.length);
    const read = readSync(this.fd, bytes, 0, range.length, range.offset);
    if (read !== range.length)
      throw new Error(
        `${DOCUMENTS_BIN} in "${this.dir}" ends before document ${docId}: run \`npm run ingest\`.`,
      );
    const stored = JSON.parse(bytes.toString('utf8')) as DocumentPart;
    const targetsByChunk = new Map<string, TargetRecord[]>();
    for (const t of stored.targets) {
      const list = targetsByChunk.get(t.chunkId);
      if (list) list.push(t);
      else targetsByChunk.set(t.chunkId, [t]);
    }
    const part: LoadedDocument = {
      ...stored,
      chunkById: new Map(stored.chunks.map((c) => [c.id, c])),
      targetsByChunk,
    };
    this.cache.set(docId, part);
    return part;
  }
}

/** The document id inside a chunk id (`${docId}#${ordinal}`, ingest/chunk/prepare-document.ts). */
export function docIdOfChunk(chunkId: string): string {
  const at = chunkId.lastIndexOf('#');
  return at < 0 ? chunkId : chunkId.slice(0, at);
}

/** A DocumentRecord whose text is read from the store when first used. */
export function lazyDocumentRecord(meta: DocumentRecord['meta'], store: DocumentStore): DocumentRecord {
  const record = { meta } as DocumentRecord;
  Object.defineProperty(record, 'text', {
    enumerable: true,
    get: () => store.part(meta.docId)?.text ?? '',
  });
  return record;
}
