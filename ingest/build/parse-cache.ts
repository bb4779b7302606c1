/**
 * Incremental ingest: what a shard made of one corpus file (documents, chunks, targets and each chunk's
 * tokens), kept in INDEX_DIR/cache/ under a key of everything that could change it. A rebuild reads the
 * entry instead of decoding, parsing and tokenising the file again, so adding or changing one document
 * costs one document's work plus the merge and the write, whatever the corpus size.
 *
 * The key covers the file's path (its document ids come from it), bytes, override, the chunk settings and
 * the ingest code itself (a hash of ingest/**.ts), so a changed parser never serves an old result. Entries
 * are written to a temporary name and renamed, so a killed build leaves whole entries or none; an entry
 * that cannot be read is ignored and the file parsed again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { ShardDocument } from './shard.ts';

export interface CachedFile {
  encoding: string;
  loadWarnings: string[];
  docs: ShardDocument[];
  /** Per chunk of `docs`, in order: its tokens and its vocabulary words (what the shard indexes). */
  tokens: string[][];
  words: string[][];
}

const ENTRY_SUFFIX = '.v8';
const INGEST_DIR = fileURLToPath(new URL('../', import.meta.url));

let codeStamp: string | null = null;

/** A hash of the ingest code (every .ts file under ingest/): a changed parser invalidates every entry. */
export function ingestCodeStamp(): string {
  if (codeStamp) return codeStamp;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) {
        h.update(`${path.slice(INGEST_DIR.length)}\0`);
        h.update(readFileSync(path));
      }
    }
  };
  walk(INGEST_DIR);
  codeStamp = h.digest('hex');
  return codeStamp;
}

export function parseCacheKey(parts: {
  path: string;
  sha256: string;
  override: string | null;
  settings: unknown;
}): string {
  return createHash('sha256')
    .update(ingestCodeStamp())
    .update('\0')
    .update(JSON.stringify([parts.path, parts.sha256, parts.override, parts.settings]))
    .digest('hex');
}

export function cacheEntryPath(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}${ENTRY_SUFFIX}`);
}

export function readCachedFile(path: string): CachedFile | null {
  try {
    const entry = deserialize(readFileSync(path)) as CachedFile;
    return Array.isArray(entry.docs) && Array.isArray(entry.tokens) ? entry : null;
  } catch {
    return null;
  }
}

/** Best effort: a cache that cannot be written (disk full, read-only) only costs the next build time. */
export function writeCachedFile(path: string, entry: CachedFile): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, serialize(entry));
    renameSync(tmp, path);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/**
 * A file's chunk vectors from an embedder whose output depends only on each chunk's text (a local
 * transformers model; not LSA, which is fitted to the whole corpus each build), beside the file's entry:
 * `<key>.vec-<tag>`, the tag naming the embedder and the documents left out of the file.
 */
export function vectorEntryPath(cacheDir: string, key: string, tag: string): string {
  return join(cacheDir, `${key}.vec-${tag}`);
}

export function vectorTag(embedderId: string, dimensions: number, excluded: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([embedderId, dimensions, excluded]))
    .digest('hex')
    .slice(0, 16);
}

/** The vectors of `count` chunks, or null when absent or of another shape. */
export function readVectors(path: string, count: number, dimensions: number): Float32Array[] | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  if (bytes.length !== count * dimensions * 4) return null;
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return Array.from({ length: count }, (_, i) => all.subarray(i * dimensions, (i + 1) * dimensions));
}

export function writeVectors(path: string, vectors: readonly Float32Array[]): void {
  const bytes = Buffer.concat(vectors.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)));
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes entries this build did not use, so the cache holds one corpus's worth. Half-written entries are
 * left to removeLeftovers (index-location.ts), which knows whether their writer still runs.
 */
export function pruneCache(cacheDir: string, used: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.includes('.tmp-')) continue;
    // `<key>.v8` and `<key>.vec-<tag>`: a file's entries go with its key.
    if (!used.has(name.split('.')[0] ?? '')) rmSync(join(cacheDir, name), { force: true });
  }
}
