import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbedderConfig } from '../config.ts';
import type { Embedder } from '../embed/embedder.ts';
import { embedderForIndex, resolveEmbedderKind } from '../embed/select-embedder.ts';
import type { Chunk, DocumentRecord, TargetRecord } from '../model.ts';
import type { CedictSubset } from '../text/cedict.ts';
import { tokenize } from '../text/tokenize.ts';
import type { VocabularyCounts } from '../text/vocabulary.ts';
import { Bm25Index, readBm25 } from './bm25-index.ts';
import { DocumentStore, docIdOfChunk, lazyDocumentRecord } from './document-store.ts';
import { FILES, FORMAT_VERSION, type IndexManifest, type StoredDocument } from './format.ts';
import { HnswStore } from './hnsw-store.ts';
import { currentIndexDir } from './index-location.ts';
import type { LexicalIndex } from './lexical-index.ts';
import type { VectorStore } from './vector-store.ts';

/** Read access by key: a Map, or a view that loads what it is asked for. */
export interface Lookup<K, V> {
  get(key: K): V | undefined;
}

/**
 * The typed contract through which `server/` reads what ingest wrote. Documents' metadata, the lexical
 * index and the chunk ids are in memory; a document's text, chunks and targets are read from
 * documents.bin when first asked for (document-store.ts), so opening costs the same at any corpus size.
 */
export interface OpenedIndex {
  dir: string;
  manifest: IndexManifest;
  /** Every document; `text` is read on first use. */
  documents: DocumentRecord[];
  documentById: Map<string, DocumentRecord>;
  /**
   * What answering asks of a document without reading it: the years its clauses name (header excluded)
   * and how many chunks it has.
   */
  documentFacts: Map<string, { clauseYears: readonly number[]; chunks: number }>;
  chunkCount: number;
  chunkById: Lookup<string, Chunk>;
  /** Each document's chunks in text order, so answering never scans the whole corpus per question. */
  chunksByDoc: Lookup<string, Chunk[]>;
  targetsByChunk: Lookup<string, TargetRecord[]>;
  /** Every target of the corpus, read on first use and kept (the targets table, claim checks). */
  allTargets(): TargetRecord[];
  lexical: LexicalIndex;
  /** Null when the index has no vectors (embedder kind 'lexical'). */
  vectors: VectorStore | null;
  embedder: Embedder | null;
  /** Word → chunks using it (ingest/text/vocabulary.ts), for the English→Chinese dictionary. */
  vocabulary: VocabularyCounts;
  /** The CC-CEDICT entries of those words, for English questions. */
  dictionary: CedictSubset;
}

export class IndexError extends Error {
  override readonly name = 'IndexError';
  constructor(
    readonly code: 'index_missing' | 'index_format' | 'embedder_mismatch' | 'index_corrupt',
    message: string,
  ) {
    super(message);
  }
}

/** The manifest of the index served from INDEX_DIR (its current build), or null when there is none. */
export function readManifest(indexDir: string): IndexManifest | null {
  const file = join(currentIndexDir(indexDir), FILES.manifest);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as IndexManifest;
  } catch {
    return null;
  }
}

/** Opens the index served from INDEX_DIR: the build its CURRENT pointer names (index-location.ts). */
export async function openIndex(indexDir: string, embedderConfig: EmbedderConfig): Promise<OpenedIndex> {
  const dir = currentIndexDir(indexDir);
  const manifest = readManifest(indexDir);
  if (!manifest) throw new IndexError('index_missing', `No index in "${dir}": run \`npm run ingest\`.`);
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new IndexError(
      'index_format',
      `The index in "${dir}" has format ${manifest.formatVersion}, this version reads ${FORMAT_VERSION}: run \`npm run ingest\`.`,
    );
  }
  const wanted = resolveEmbedderKind(embedderConfig);
  if (wanted !== manifest.embedder.kind) {
    throw new IndexError(
      'embedder_mismatch',
      `The index in "${dir}" was built with the ${manifest.embedder.kind} embedder (${manifest.embedder.id}) but the server is configured for ${wanted}: run \`npm run ingest\` or change EMBEDDER.`,
    );
  }
  const read = <T>(name: string): T => {
    try {
      return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
    } catch (err) {
      throw new IndexError(
        'index_corrupt',
        `Cannot read ${name} in "${dir}" (${(err as Error).message}): run \`npm run ingest\`.`,
      );
    }
  };
  const stored = read<StoredDocument[]>(FILES.documents);
  const store = new DocumentStore(dir, new Map(stored.map((d) => [d.meta.docId, d.blob])));
  const documents = stored.map((d) => lazyDocumentRecord(d.meta, store));
  let chunkIds: string[];
  try {
    const text = readFileSync(join(dir, FILES.chunkIds), 'utf8');
    chunkIds = text === '' ? [] : text.split('\n');
  } catch (err) {
    throw new IndexError(
      'index_corrupt',
      `Cannot read ${FILES.chunkIds} in "${dir}" (${(err as Error).message}): run \`npm run ingest\`.`,
    );
  }
  const embedder = await embedderForIndex(
    manifest.embedder.kind,
    embedderConfig,
    manifest.embedder.kind === 'lsa' ? read<unknown>(FILES.embedder) : null,
  );
  const builtId = embedder?.id ?? 'none';
  const builtDimensions = embedder?.dimensions ?? 0;
  if (builtId !== manifest.embedder.id || builtDimensions !== manifest.embedder.dimensions) {
    throw new IndexError(
      'embedder_mismatch',
      `The index in "${dir}" was built with embedder ${manifest.embedder.id} (${manifest.embedder.dimensions} dimensions); the configured one is ${builtId} (${builtDimensions}): run \`npm run ingest\`.`,
    );
  }
  let lexical: Bm25Index;
  try {
    lexical = new Bm25Index(
      readBm25(dir),
      tokenize,
      chunkIds.map((id) => ({ id, docId: docIdOfChunk(id) })),
    );
  } catch (err) {
    throw new IndexError(
      'index_corrupt',
      `Cannot read the lexical index in "${dir}" (${(err as Error).message}): run \`npm run ingest\`.`,
    );
  }
  let targets: TargetRecord[] | null = null;
  return {
    dir,
    manifest,
    documents,
    documentById: new Map(documents.map((d) => [d.meta.docId, d])),
    documentFacts: new Map(
      stored.map((d) => [d.meta.docId, { clauseYears: d.clauseYears, chunks: d.chunks }]),
    ),
    chunkCount: chunkIds.length,
    chunkById: { get: (id) => store.part(docIdOfChunk(id))?.chunkById.get(id) },
    chunksByDoc: { get: (docId) => store.part(docId)?.chunks },
    targetsByChunk: { get: (id) => store.part(docIdOfChunk(id))?.targetsByChunk.get(id) },
    allTargets: () => {
      targets ??= read<TargetRecord[]>(FILES.targets);
      return targets;
    },
    lexical,
    vectors: embedder ? HnswStore.load(dir, manifest.embedder.dimensions, docIdOfChunk) : null,
    embedder,
    vocabulary: read<VocabularyCounts>(FILES.vocabulary),
    dictionary: read<CedictSubset>(FILES.dictionary),
  };
}

/** Every chunk in index order, reading every document: for tools and tests, never for answering. */
export function allChunks(index: Pick<OpenedIndex, 'documents' | 'chunksByDoc'>): Chunk[] {
  return index.documents.flatMap((d) => index.chunksByDoc.get(d.meta.docId) ?? []);
}
