import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeShards } from './build/merge-shards.ts';
import {
  cacheEntryPath,
  parseCacheKey,
  pruneCache,
  readVectors,
  vectorEntryPath,
  vectorTag,
  writeVectors,
} from './build/parse-cache.ts';
import { createPreparer, workerCount } from './build/prepare-pool.ts';
import type { ShardDocument, ShardPostings } from './build/shard.ts';
import { type BuildTimedStage, stageTimer } from './build/stage-timer.ts';
import type { IngestConfig } from './config.ts';
import { addedDirOf, corpusHashAll, indexSettings, listAllFiles, readRemoved } from './corpus-roots.ts';
import { docIdFor } from './doc-id.ts';
import { embedderForBuild, resolveEmbedderKind } from './embed/select-embedder.ts';
import type { DocumentMeta, DocumentRecord, TargetRecord } from './model.ts';
import { writeBm25 } from './store/bm25-index.ts';
import { writeDocumentParts } from './store/document-store.ts';
import {
  FILES,
  FORMAT_VERSION,
  type IndexManifest,
  type SourceFileInfo,
  type StoredDocument,
} from './store/format.ts';
import { HnswStore } from './store/hnsw-store.ts';
import { CACHE_FOLDER, newBuildDir, publishBuild, removeLeftovers } from './store/index-location.ts';
import { cedictSubset } from './text/cedict.ts';

export type BuildStage = 'load' | 'embed' | 'write';

export interface BuildProgress {
  stage: BuildStage;
  done: number;
  total: number;
  /** The file or step being worked on. */
  detail?: string;
}

export interface BuildWarning {
  path: string;
  /** The document the warning is about, when the file was indexed. */
  docId: string | null;
  message: string;
}

export interface BuildResult {
  manifest: IndexManifest;
  /** Files that could not be indexed, with the reason; the rest of the corpus is still indexed. */
  failures: { path: string; error: string }[];
  /** Indexed, but the user should know: place unknown, bytes replaced, a duplicate skipped. */
  warnings: BuildWarning[];
  /** Wall-clock seconds per stage, for the ingest summary and `npm run bench`. */
  stageSeconds: Record<BuildTimedStage, number>;
  /**
   * Files decoded and parsed by this build, files whose earlier result was reused (unchanged), and chunks
   * embedded (a local model's vectors of unchanged files are reused too).
   */
  files: { parsed: number; reused: number; embeddedChunks: number };
}

/**
 * read: listing and hashing files; parse: everything done file by file (decoding, cleaning, metadata,
 * chunking, targets, tokens; in worker threads when there are several); lexical: merging the workers'
 * postings; dictionary: the CC-CEDICT subset; embed: vectors, when built; write: the index files.
 */
export type { BuildTimedStage } from './build/stage-timer.ts';

/** Texts embedded per call, so progress moves and memory stays flat on large corpora. */
const EMBED_BATCH = 64;

/**
 * Builds the whole index in a build folder of its own inside INDEX_DIR and publishes it by renaming the
 * CURRENT pointer, so a crash or a failed build leaves the previous index served. Files unchanged since
 * the last build are not parsed again (parse-cache.ts).
 */
export async function buildIndex(
  config: IngestConfig,
  onProgress: (p: BuildProgress) => void = () => {},
): Promise<BuildResult> {
  const started = Date.now();
  const { stageSeconds, lap } = stageTimer();
  const listing = listAllFiles(config);
  const { files } = listing;
  const removed = readRemoved(addedDirOf(config));
  lap('read');
  const sources: SourceFileInfo[] = [];
  // Files the scan or the read skipped (links, FIFOs, unreadable, empty, over MAX_FILE_MB) come first.
  const failures: { path: string; error: string }[] = listing.skipped.map((s) => ({
    path: s.path,
    error: s.reason,
  }));
  const warnings: BuildWarning[] = [];
  const prepared: ShardDocument[] = [];
  const fileOfDocId = new Map<string, string>();
  const fileOfContent = new Map<string, string>();
  // A document id is the file's id or that id with a part suffix (doc-id.ts), so two files can only share
  // a document id when their file ids are equal: checked here, before either is parsed or indexed.
  const fileOfFileId = new Map<string, string>();
  const embedderKind = resolveEmbedderKind(config.embedder);
  const preparer = createPreparer(workerCount(files.length, config.workers), {
    chunk: config.chunk,
    keepIndexText: embedderKind !== 'lexical',
  });
  // Files unchanged since an earlier build are taken from the parse cache instead of parsed (parse-cache.ts).
  const cacheDir = join(config.indexDir, CACHE_FOLDER);
  const cacheSettings = { chunk: config.chunk, keepIndexText: embedderKind !== 'lexical' };
  const usedCacheKeys = new Set<string>();
  // Every file is handed out at once so all workers stay busy; results are taken in corpus order.
  const jobs = files.map((file) => {
    const fileId = docIdFor(file.path);
    const idHolder = fileOfFileId.get(fileId);
    if (idHolder) return { file, twin: null, idHolder, key: '', excludeDocIds: [], job: null };
    fileOfFileId.set(fileId, file.path);
    const twin = fileOfContent.get(file.sha256);
    if (twin) return { file, twin, idHolder: null, key: '', excludeDocIds: [], job: null };
    fileOfContent.set(file.sha256, file.path);
    const key = parseCacheKey({ ...file, settings: cacheSettings });
    usedCacheKeys.add(key);
    const excludeDocIds = removed.filter((r) => r.sha256 === file.sha256).map((r) => r.docId);
    return {
      file,
      twin: null,
      idHolder: null,
      key,
      excludeDocIds,
      // Settled at once: a rejection waiting for its turn in the loop below would be an unhandled one.
      job: preparer
        .prepare({
          path: file.path,
          bytes: file.bytes,
          override: file.override,
          cachePath: cacheEntryPath(cacheDir, key),
          excludeDocIds,
        })
        .catch((err: unknown) => ({
          shard: -1,
          result: { ok: false as const, error: `ingest worker failed: ${(err as Error).message}` },
        })),
    };
  });
  let reused = 0;
  // Where each shard's chunks go in the index: shard ordinal → index ordinal, filled in corpus order.
  const placed: {
    shard: number;
    start: number;
    end: number;
    at: number;
    key: string;
    excludeDocIds: string[];
    path: string;
  }[] = [];
  let chunkCount = 0;
  let done = 0;
  let postings: ShardPostings[];
  try {
    for (const { file, twin, idHolder, job, key, excludeDocIds } of jobs) {
      onProgress({ stage: 'load', done, total: files.length, detail: file.path });
      const info: SourceFileInfo = { path: file.path, sha256: file.sha256, bytes: file.bytes.length };
      sources.push(info);
      if (idHolder) {
        // Documents are never merged: the first file by path order keeps the id, this one is named.
        const lookAlike =
          idHolder !== file.path && idHolder.normalize('NFC') === file.path.normalize('NFC')
            ? ' (the two names differ only in how their accented or composed characters are encoded)'
            : '';
        info.error = `its document id "${docIdFor(file.path)}" is already taken by ${idHolder}${lookAlike}: rename one of the two files`;
        failures.push({ path: file.path, error: info.error });
      }
      if (twin) {
        // The same bytes under two names would answer every question twice: index the first, say so.
        info.error = `duplicate of ${twin} (same content); not indexed twice`;
        warnings.push({ path: file.path, docId: null, message: info.error });
      }
      const outcome = job ? await job : null;
      if (outcome && !outcome.result.ok) {
        info.error = outcome.result.error;
        failures.push({ path: file.path, error: info.error });
      } else if (outcome?.result.ok) {
        const loaded = outcome.result;
        if (loaded.fromCache) reused++;
        info.encoding = loaded.encoding;
        const firstId = loaded.docs[0]?.record.meta.docId ?? null;
        for (const w of loaded.loadWarnings) warnings.push({ path: file.path, docId: firstId, message: w });
        for (const doc of loaded.docs) {
          const id = doc.record.meta.docId;
          const holder = fileOfDocId.get(id);
          if (holder) {
            // Cannot happen (ids are checked per file above); if it did, the index would mix two files.
            throw new Error(
              `Document id "${id}" of ${file.path} is already taken by ${holder}: rename one of the files (documents are never merged).`,
            );
          }
          fileOfDocId.set(id, file.path);
          for (const w of doc.warnings) warnings.push({ path: file.path, docId: id, message: w });
          prepared.push(doc);
        }
        placed.push({
          shard: outcome.shard,
          start: loaded.start,
          end: loaded.end,
          at: chunkCount,
          key,
          excludeDocIds,
          path: file.path,
        });
        chunkCount += loaded.end - loaded.start;
      }
      onProgress({ stage: 'load', done: ++done, total: files.length, detail: file.path });
    }
    if (prepared.length === 0) {
      throw new Error(
        `No document in "${config.corpusDir}" could be indexed${failures.length ? `: ${failures.map((f) => `${f.path}: ${f.error}`).join('; ')}` : ' (the folder has no documents of a format ingest reads)'}.`,
      );
    }
    postings = await preparer.finish();
  } finally {
    await preparer.close();
  }
  markSuperseded(prepared.map((p) => p.record.meta));
  const documents: DocumentRecord[] = prepared.map((p) => p.record);
  const chunks = prepared.flatMap((p) => p.chunks);
  const targetsPerDoc = prepared.map((p) => p.targets);
  const targets: TargetRecord[] = targetsPerDoc.flat();
  // Reading, chunking, targets and tokens are done file by file, in the workers when there are some.
  lap('parse');

  const toGlobal = postings.map((p) => new Uint32Array(p.lengths.length));
  for (const p of placed) {
    const map = toGlobal[p.shard];
    for (let local = p.start; local < p.end; local++) if (map) map[local] = p.at + local - p.start;
  }
  const { lexical, vocabulary } = mergeShards(postings, toGlobal, chunkCount);
  lap('lexical');
  const dictionary = cedictSubset(Object.keys(vocabulary));
  lap('dictionary');

  // Shards return indexTexts whenever the build embeds (keepIndexText above).
  const indexTexts = prepared.flatMap((p) => p.indexTexts ?? []);
  const { kind, embedder, state } = await embedderForBuild(config.embedder, indexTexts);
  let store: HnswStore | null = null;
  let embeddedChunks = 0;
  if (embedder) {
    const docOfChunk = new Map(chunks.map((c) => [c.id, c.docId]));
    store = HnswStore.create(embedder.dimensions, chunks.length, (id) => docOfChunk.get(id));
    // Vectors of a local model depend on each chunk's text only: an unchanged file's are read back.
    const cacheVectors = kind === 'transformers';
    for (const p of placed) {
      const count = p.end - p.start;
      const tag = vectorTag(embedder.id, embedder.dimensions, p.excludeDocIds);
      const path = vectorEntryPath(cacheDir, p.key, tag);
      let vectors = cacheVectors ? readVectors(path, count, embedder.dimensions) : null;
      if (!vectors) {
        vectors = [];
        try {
          for (let i = 0; i < count; i += EMBED_BATCH) {
            onProgress({ stage: 'embed', done: p.at + i, total: chunks.length });
            const texts = indexTexts.slice(p.at + i, p.at + Math.min(count, i + EMBED_BATCH));
            vectors.push(...(await embedder.embedDocuments(texts)));
          }
          embeddedChunks += count;
          if (cacheVectors) writeVectors(path, vectors);
        } catch (err) {
          // One file the model cannot embed keeps its lexical index; the rest of the corpus keeps its vectors.
          vectors = [];
          warnings.push({
            path: p.path,
            docId: null,
            message: `its chunks could not be embedded (${err instanceof Error ? err.message : String(err)}); found by words only`,
          });
        }
      }
      // A file whose embedding failed is left out of the vector index (it is still found by its words).
      if (vectors.length === count)
        await store.add(
          chunks.slice(p.at, p.at + count).map((c, j) => ({
            id: c.id,
            vector: vectors[j] ?? new Float32Array(embedder.dimensions),
          })),
        );
    }
    onProgress({ stage: 'embed', done: chunks.length, total: chunks.length });
  }
  lap('embed');

  onProgress({ stage: 'write', done: 0, total: 1 });
  const manifest: IndexManifest = {
    formatVersion: FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    corpusHash: corpusHashAll(config, files),
    embedder: embedder
      ? { kind, id: embedder.id, dimensions: embedder.dimensions }
      : { kind, id: 'none', dimensions: 0 },
    counts: {
      documents: documents.length,
      chunks: chunks.length,
      tableRows: chunks.filter((c) => c.kind === 'table-row').length,
      targets: targets.length,
    },
    sources,
    settings: indexSettings(config),
    stamps: listing.stamps,
    skipped: listing.skipped,
    buildSeconds: 0,
  };
  // Written in a build folder of its own and published by renaming the CURRENT pointer: a crash or a
  // failed build leaves the previous index served (ingest/store/index-location.ts).
  removeLeftovers(config.indexDir);
  const tmp = newBuildDir(config.indexDir);
  try {
    const write = (name: string, value: unknown) => writeFileSync(`${tmp}/${name}`, JSON.stringify(value));
    const ranges = writeDocumentParts(
      tmp,
      prepared.map((p, i) => ({
        text: p.record.text,
        chunks: p.chunks,
        targets: targetsPerDoc[i] ?? [],
      })),
    );
    const stored: StoredDocument[] = prepared.map((p, i) => ({
      meta: p.record.meta,
      clauseYears: [...new Set(p.chunks.filter((c) => c.kind !== 'header').flatMap((c) => c.years))].sort(
        (a, b) => a - b,
      ),
      chunks: p.chunks.length,
      blob: ranges[i] ?? { offset: 0, length: 0 },
    }));
    write(FILES.documents, stored);
    writeFileSync(`${tmp}/${FILES.chunkIds}`, chunks.map((c) => c.id).join('\n'));
    write(FILES.targets, targets);
    writeBm25(tmp, lexical);
    write(FILES.vocabulary, vocabulary);
    write(FILES.dictionary, dictionary);
    if (store) {
      write(FILES.embedder, state);
      await store.save(tmp);
    }
    lap('write');
    manifest.buildSeconds = Math.round((Date.now() - started) / 100) / 10;
    write(FILES.manifest, manifest);
    publishBuild(config.indexDir, tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  removeLeftovers(config.indexDir);
  pruneCache(cacheDir, usedCacheKeys);
  onProgress({ stage: 'write', done: 1, total: 1 });
  const parsed = jobs.filter((j) => j.job).length - reused;
  return { manifest, failures, warnings, stageSeconds, files: { parsed, reused, embeddedChunks } };
}

/**
 * Two texts of one law or regulation (same title) are two versions: the one with the later version date
 * is current, and the older one names it in `supersededBy`.
 */
export function markSuperseded(metas: readonly DocumentMeta[]): void {
  const byTitle = new Map<string, DocumentMeta[]>();
  for (const m of metas) {
    const key = m.title.normalize('NFKC').replace(/\s+/g, '');
    byTitle.set(key, [...(byTitle.get(key) ?? []), m]);
  }
  // issuedDate of a law is its latest version's date (see deriveMetadata).
  const versionDate = (m: DocumentMeta) => m.issuedDate ?? '';
  for (const group of byTitle.values()) {
    if (group.length < 2) continue;
    const latest = [...group].sort((a, b) => versionDate(b).localeCompare(versionDate(a)))[0];
    for (const m of group)
      if (latest && m !== latest && versionDate(m) < versionDate(latest)) m.supersededBy = latest.docId;
  }
}
