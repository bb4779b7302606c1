import type { SkippedFile } from '../corpus-scan.ts';
import type { DocumentMeta } from '../model.ts';
import type { BlobRange } from './document-store.ts';

/**
 * The on-disk index format, owned by ingest. Bump FORMAT_VERSION whenever a file's shape or the meaning of
 * its contents changes; an index of another version is rebuilt by `npm start` and refused by the server.
 */
export const FORMAT_VERSION = 5;

export const FILES = {
  manifest: 'manifest.json',
  /** Each document's metadata, clause years, chunk count and blob range (StoredDocument[]). */
  documents: 'documents.json',
  /** Chunk ids in index order, one per line: the lexical index's chunk ordinals. */
  chunkIds: 'chunk-ids.txt',
  /** Every target, for the targets table and claim checks (read on first use); answering reads documents.bin. */
  targets: 'targets.json',
  /** Word → chunks using it, for the English→Chinese dictionary (ingest/text/vocabulary.ts). */
  vocabulary: 'vocabulary.json',
  /** The CC-CEDICT entries of the vocabulary's words (ingest/text/cedict.ts: cedictSubset). */
  dictionary: 'cedict-subset.json',
  /** Only when vectors are built: the fitted embedder's state. The lexical index is in bm25-index.ts's files. */
  embedder: 'embedder.json',
} as const;

export interface SourceFileInfo {
  /** Path relative to the corpus folder. */
  path: string;
  sha256: string;
  bytes: number;
  encoding?: string;
  /** Set when the file could not be indexed. */
  error?: string;
}

/** One entry of documents.json: what the server keeps in memory about a document. */
export interface StoredDocument {
  meta: DocumentMeta;
  /** Years named by the document's chunks other than its header, for "is this year covered" checks. */
  clauseYears: number[];
  chunks: number;
  /** The document's text, chunks and targets in documents.bin (document-store.ts). */
  blob: BlobRange;
}

/** A corpus file's size and modification time when it was indexed (and its override's, if any). */
export interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
  overrideSize: number | null;
  overrideMtimeMs: number | null;
}

export interface IndexManifest {
  formatVersion: number;
  builtAt: string;
  /** Hash of the corpus files, their overrides and the chunking settings; a change means a rebuild. */
  corpusHash: string;
  /** kind 'lexical': no vectors (id 'none', 0 dimensions). */
  embedder: { kind: 'lexical' | 'lsa' | 'transformers'; id: string; dimensions: number };
  counts: { documents: number; chunks: number; tableRows: number; targets: number };
  sources: SourceFileInfo[];
  /** The build settings as hashed into corpusHash, and each file's stamp: an unchanged folder is known without hashing. */
  settings: unknown;
  stamps: FileStamp[];
  /**
   * What the build skipped before parsing (links, FIFOs, unreadable, empty or oversized files), so that a
   * start-up can tell a file that became readable since. Absent in indexes built before it was recorded.
   */
  skipped?: SkippedFile[];
  buildSeconds: number;
}
