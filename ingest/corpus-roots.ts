/**
 * What a build indexes: the corpus folder (CORPUS_DIR, the operator's own documents, never written to)
 * plus the documents added later with `npm run ingest -- --add` or uploaded through the admin API
 * (ADDED_DIR, by default INDEX_DIR/added), minus the documents removed with `--remove` (ADDED_DIR/removed.json).
 * Added files appear in the index under `added/<name>`, so their ids and sources never collide with the
 * corpus folder's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSettings, type IngestConfig } from './config.ts';
import { type CorpusFile, type CorpusListing, corpusHash, readScanned } from './corpus.ts';
import { type CorpusScan, scanCorpus } from './corpus-scan.ts';
import { ADDED_FOLDER } from './store/index-location.ts';

/** The path prefix of files from ADDED_DIR in the index (sources, ids, stamps). */
export const ADDED_PREFIX = 'added/';
export const REMOVED_FILE = 'removed.json';

/** A document taken out with `--remove`: excluded while its source file has these bytes. */
export interface RemovedDocument {
  docId: string;
  /** The source file's sha256 when it was removed: a changed file (a new version) is indexed again. */
  sha256: string;
  removedAt: string;
}

/** Where added documents are kept: ADDED_DIR, or INDEX_DIR/added. */
export function addedDirOf(config: Pick<IngestConfig, 'indexDir' | 'addedDir'>): string {
  return config.addedDir ?? join(config.indexDir, ADDED_FOLDER);
}

export function readRemoved(addedDir: string): RemovedDocument[] {
  const path = join(addedDir, REMOVED_FILE);
  if (!existsSync(path)) return [];
  try {
    const list = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return Array.isArray(list)
      ? list.filter(
          (r): r is RemovedDocument =>
            typeof r === 'object' &&
            r !== null &&
            typeof r.docId === 'string' &&
            typeof r.sha256 === 'string',
        )
      : [];
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); fix or delete it.`);
  }
}

const prefixed = (path: string) => `${ADDED_PREFIX}${path}`;

function scanWithPrefix(scan: CorpusScan): CorpusScan {
  return {
    files: scan.files.map((f) => ({
      ...f,
      path: prefixed(f.path),
      stamp: { ...f.stamp, path: prefixed(f.path) },
    })),
    skipped: scan.skipped.map((s) => ({ ...s, path: prefixed(s.path) })),
  };
}

/** Both folders walked (corpus-scan.ts), the corpus folder's entries first, then the added ones. */
export function scanAll(config: IngestConfig): CorpusScan {
  const own = scanCorpus(config.corpusDir, config.maxFileBytes);
  const addedDir = addedDirOf(config);
  if (!existsSync(addedDir)) return own;
  const added = scanWithPrefix(scanCorpus(addedDir, config.maxFileBytes));
  return { files: [...own.files, ...added.files], skipped: [...own.skipped, ...added.skipped] };
}

/** Every file a build indexes (the corpus folder's first, then the added ones) and every one it skips. */
export function listAllFiles(config: IngestConfig): CorpusListing {
  return readScanned(scanAll(config), config.maxFileBytes);
}

/**
 * The settings an index is built with, as hashed and kept in the manifest: the chunking settings and the
 * removed documents (a removal changes the index as much as a changed file does).
 */
export function indexSettings(config: IngestConfig): unknown {
  return { ...(buildSettings(config) as object), removed: readRemoved(addedDirOf(config)) };
}

/** The hash that says whether an index was built from these files with these settings. */
export function corpusHashAll(config: IngestConfig, files: readonly CorpusFile[]): string {
  return corpusHash(files, indexSettings(config));
}
