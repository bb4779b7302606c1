/**
 * Where the current index is inside INDEX_DIR, and how a new one replaces it with no moment without an
 * index. Layout:
 *
 *   INDEX_DIR/CURRENT              one line: the name of the build folder being served
 *   INDEX_DIR/build-<time>-<pid>/  one complete index (the files of format.ts); <pid> is its builder
 *   INDEX_DIR/cache/               what incremental ingest reuses across builds (parse-cache.ts)
 *   INDEX_DIR/added/               documents added by --add or an upload, unless ADDED_DIR says elsewhere
 *
 * A build writes its own folder, then renames a new pointer file over CURRENT (rename(2) is atomic), so a
 * reader sees the old index or the new one, never a half-written or missing one; a `kill -9` at any point
 * leaves CURRENT naming the previous complete build. Folders of builders that are no longer running are
 * removed by `removeLeftovers` (every build and every server start calls it), except the newest build
 * before the current one, which a server started earlier may still be reading.
 *
 * An INDEX_DIR without CURRENT that holds a manifest directly (the layout before format 5's pointer) is
 * still read in place; the next build moves to the pointer layout and deletes those files.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const CURRENT_FILE = 'CURRENT';
export const CACHE_FOLDER = 'cache';
/** The default ADDED_DIR (corpus-roots.ts): uploads are written there under temporary names first. */
export const ADDED_FOLDER = 'added';
const BUILD_PREFIX = 'build-';
/** Pointer files being written: `CURRENT.next-<pid>`. */
const POINTER_TMP_PREFIX = `${CURRENT_FILE}.next-`;
/** The manifest marks a complete index (written last by a build). */
const MANIFEST = 'manifest.json';

/** The folder holding the index served from INDEX_DIR: its current build, or INDEX_DIR itself (old layout). */
export function currentIndexDir(indexDir: string): string {
  const pointer = join(indexDir, CURRENT_FILE);
  let name: string;
  try {
    name = readFileSync(pointer, 'utf8').trim();
  } catch {
    return indexDir;
  }
  // A pointer names a folder inside INDEX_DIR and nothing else, whatever was written into it.
  if (!name.startsWith(BUILD_PREFIX) || basename(name) !== name) return indexDir;
  return join(indexDir, name);
}

/** The name CURRENT holds, or null (no index yet, or the old layout). */
export function currentBuildName(indexDir: string): string | null {
  const dir = currentIndexDir(indexDir);
  return dir === indexDir ? null : basename(dir);
}

/** A new, empty build folder for this process. */
export function newBuildDir(indexDir: string): string {
  mkdirSync(indexDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const dir = join(indexDir, `${BUILD_PREFIX}${stamp}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  return dir;
}

/** Makes a complete build folder the served index: one atomic rename of the pointer file. */
export function publishBuild(indexDir: string, buildDir: string): void {
  if (resolve(dirname(buildDir)) !== resolve(indexDir)) {
    throw new Error(`${buildDir} is not a build folder of ${indexDir}.`);
  }
  const next = join(indexDir, `${POINTER_TMP_PREFIX}${process.pid}`);
  writeFileSync(next, `${basename(buildDir)}\n`);
  renameSync(next, join(indexDir, CURRENT_FILE));
}

/** The files an index of the old layout kept directly in INDEX_DIR (all of format 5's names). */
const OLD_LAYOUT_FILES = [
  MANIFEST,
  'documents.json',
  'documents.bin',
  'chunk-ids.txt',
  'targets.json',
  'vocabulary.json',
  'cedict-subset.json',
  'embedder.json',
  'vectors.hnsw',
  'vector-ids.json',
  'bm25.json',
  'bm25-terms.txt',
  'bm25-offsets.u32',
  'bm25-docs.u32',
  'bm25-tfs.u16',
  'bm25-lengths.u32',
  // Formats before 5.
  'chunks.json',
  'lexical.json',
  'documents-text.json',
];

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The builder's pid in `build-<time>-<pid>` and in the old `<dir>.tmp-<pid>-<ms>` / `.old-<pid>-<ms>`. */
function pidOf(name: string): number | null {
  const match = name.startsWith(BUILD_PREFIX) ? /-(\d+)$/.exec(name) : /\.(?:tmp|old)-(\d+)-\d+$/.exec(name);
  return match?.[1] ? Number(match[1]) : null;
}

export interface Leftovers {
  /** Folders and files removed, relative to INDEX_DIR's parent. */
  removed: string[];
}

/**
 * Removes what crashed or finished builds left: build folders that are neither current nor the newest
 * previous complete one and whose builder is not running, unfinished pointer files, the old layout's files
 * once a pointer exists, and the `<INDEX_DIR>.tmp-*` / `.old-*` folders of builds before the pointer.
 */
export function removeLeftovers(indexDir: string): Leftovers {
  const removed: string[] = [];
  const remove = (path: string) => {
    rmSync(path, { recursive: true, force: true });
    removed.push(join(basename(dirname(path)), basename(path)));
  };
  const parent = dirname(resolve(indexDir));
  const base = basename(resolve(indexDir));
  if (existsSync(parent)) {
    for (const name of readdirSync(parent)) {
      if (!name.startsWith(`${base}.tmp-`) && !name.startsWith(`${base}.old-`)) continue;
      const pid = pidOf(name);
      if (pid === null || !processAlive(pid)) remove(join(parent, name));
    }
  }
  if (!existsSync(indexDir)) return { removed };
  const current = currentBuildName(indexDir);
  const entries = readdirSync(indexDir);
  for (const name of entries) {
    if (!name.startsWith(POINTER_TMP_PREFIX)) continue;
    const pid = Number(name.slice(POINTER_TMP_PREFIX.length));
    if (!processAlive(pid)) remove(join(indexDir, name));
  }
  // Half-written cache entries and uploads (`<name>.tmp-<pid>-…`, `.upload-<pid>-…`) of builders now gone.
  for (const folder of [CACHE_FOLDER, ADDED_FOLDER]) {
    const path = join(indexDir, folder);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path)) {
      const pid = Number(/(?:\.tmp-|^\.upload-)(\d+)-/.exec(name)?.[1]);
      if (Number.isFinite(pid) && pid > 0 && !processAlive(pid)) remove(join(path, name));
    }
  }
  if (current === null) return { removed };
  for (const name of OLD_LAYOUT_FILES) if (entries.includes(name)) remove(join(indexDir, name));
  const builds = entries
    .filter((name) => name.startsWith(BUILD_PREFIX) && name !== current)
    .map((name) => ({ name, complete: existsSync(join(indexDir, name, MANIFEST)) }));
  // Kept for a server that opened it before the switch: the newest complete build other than the current.
  const previous = builds
    .filter((b) => b.complete)
    .map((b) => ({ ...b, time: statSync(join(indexDir, b.name)).mtimeMs }))
    .sort((a, b) => b.time - a.time || b.name.localeCompare(a.name))[0]?.name;
  for (const build of builds) {
    if (build.name === previous) continue;
    const pid = pidOf(build.name);
    if (pid !== null && processAlive(pid) && !build.complete) continue; // still being written
    remove(join(indexDir, build.name));
  }
  return { removed };
}
