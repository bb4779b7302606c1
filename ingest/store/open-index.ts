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
import { FILES, FORMAT_VERSION, type IndexManifest } from './format.ts';
import { HnswStore } from './hnsw-store.ts';
import type { VectorStore } from './vector-store.ts';

/** The typed contract through which `server/` reads what ingest wrote. */
export interface OpenedIndex {
  dir: string;
  manifest: IndexManifest;
  documents: DocumentRecord[];
  chunks: Chunk[];
  chunkById: Map<string, Chunk>;
  /** Each document's chunks in text order, so answering never scans the whole corpus per question. */
  chunksByDoc: Map<string, Chunk[]>;
  documentById: Map<string, DocumentRecord>;
  targets: TargetRecord[];
  targetsByChunk: Map<string, TargetRecord[]>;
  lexical: Bm25Index;
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

export function readManifest(dir: string): IndexManifest | null {
  const file = join(dir, FILES.manifest);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as IndexManifest;
  } catch {
    return null;
  }
}

export async function openIndex(dir: string, embedderConfig: EmbedderConfig): Promise<OpenedIndex> {
  const manifest = readManifest(dir);
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
  const documents = read<DocumentRecord[]>(FILES.documents);
  const chunks = read<Chunk[]>(FILES.chunks);
  const targets = read<TargetRecord[]>(FILES.targets);
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
  const chunkById = new Map(chunks.map((c) => [c.id, c]));
  const docOf = (id: string) => chunkById.get(id)?.docId;
  let lexical: Bm25Index;
  try {
    lexical = new Bm25Index(readBm25(dir), tokenize, chunks);
  } catch (err) {
    throw new IndexError(
      'index_corrupt',
      `Cannot read the lexical index in "${dir}" (${(err as Error).message}): run \`npm run ingest\`.`,
    );
  }
  return {
    dir,
    manifest,
    documents,
    chunks,
    chunkById,
    chunksByDoc: groupBy(chunks, (c) => c.docId),
    documentById: new Map(documents.map((d) => [d.meta.docId, d])),
    targets,
    targetsByChunk: groupBy(targets, (t) => t.chunkId),
    lexical,
    vectors: embedder ? HnswStore.load(dir, manifest.embedder.dimensions, docOf) : null,
    embedder,
    vocabulary: read<VocabularyCounts>(FILES.vocabulary),
    dictionary: read<CedictSubset>(FILES.dictionary),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
