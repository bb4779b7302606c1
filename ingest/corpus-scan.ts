/**
 * The corpus folder walked with lstat, never following a link or opening a file: what is a document file
 * (with its size and time), and what is skipped and why. Opening is left to read-corpus-file.ts, because
 * opening a FIFO blocks and following links can leave the corpus or loop; a folder or file that cannot be
 * listed is one skipped entry, not the end of the scan.
 */
import { lstatSync, readdirSync, type Stats, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { isCorpusFile } from './load/loaders.ts';
import type { FileStamp } from './store/format.ts';

/** A corpus entry that is not indexed, and why, as the ingest summary and `npm start` print it. */
export interface SkippedFile {
  /** Relative to the corpus folder; a folder ends in "/". */
  path: string;
  reason: string;
}

/** A regular document file as the scan found it (not opened yet). */
export interface ScannedFile {
  /** Relative to the corpus folder, with "/" separators. */
  path: string;
  absolutePath: string;
  /** `<file>.meta.json` when it exists and is a regular file. */
  overridePath: string | null;
  /** Size and modification time from lstat, before the file was read. */
  stamp: FileStamp;
}

export interface CorpusScan {
  files: ScannedFile[];
  /** In the order the scan met them (folders and names sorted). */
  skipped: SkippedFile[];
}

const MIB = 1024 * 1024;

/** Why a file of `size` bytes is not read at all, or null: empty, or over MAX_FILE_MB. */
export function sizeRefusal(size: number, maxFileBytes: number): string | null {
  if (size === 0) return 'empty file (0 bytes)';
  if (size <= maxFileBytes) return null;
  // Rounded up, so a file just over the limit never reads as equal to it.
  const mib = Math.ceil((size / MIB) * 10) / 10;
  return `file is ${mib} MiB, over MAX_FILE_MB (${Number((maxFileBytes / MIB).toFixed(3))})`;
}

/** What a non-regular, non-folder entry is, for the skip reason. */
export function specialKind(stat: Stats): string {
  if (stat.isSymbolicLink()) return 'symbolic link, not followed';
  if (stat.isFIFO()) return 'named pipe (FIFO), not a regular file';
  if (stat.isSocket()) return 'socket, not a regular file';
  if (stat.isCharacterDevice()) return 'character device, not a regular file';
  if (stat.isBlockDevice()) return 'block device, not a regular file';
  return 'not a regular file';
}

/** A file-system error as a reason a user can act on ("permission denied"), not a stack of codes. */
export function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link, not followed';
    case 'ENOENT':
      return 'removed while ingest was reading the folder';
    case 'EISDIR':
      return 'a folder, not a file';
    case 'EIO':
      return 'input/output error reading it (a failing disk or network share)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

function stampOf(path: string, stat: Stats, override: Stats | null): FileStamp {
  return {
    path,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    overrideSize: override?.size ?? null,
    overrideMtimeMs: override?.mtimeMs ?? null,
  };
}

/**
 * Links and special files are reported when their name could be a document (or has no extension, as
 * folders and link loops usually do): a link named photo.jpg is as uninteresting as the photo would be.
 */
function worthReporting(name: string): boolean {
  return isCorpusFile(name) || extname(name) === '';
}

/**
 * Names in a human order, ties (names that differ only in Unicode normalisation, which localeCompare calls
 * equal) broken by code units, so "the first file" of two is the same on every run whatever readdir returns.
 */
function byName(a: string, b: string): number {
  return a.localeCompare(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Walks `corpusDir` (which itself may be a link: the operator chose it). Throws only when the folder itself
 * is missing or cannot be listed: then there is nothing to index at all.
 */
export function scanCorpus(corpusDir: string, maxFileBytes: number): CorpusScan {
  let root: Stats;
  try {
    root = statSync(corpusDir);
  } catch {
    throw new Error(`The corpus folder "${corpusDir}" does not exist (set CORPUS_DIR).`);
  }
  if (!root.isDirectory())
    throw new Error(`The corpus folder "${corpusDir}" does not exist (set CORPUS_DIR).`);
  const files: ScannedFile[] = [];
  const skipped: SkippedFile[] = [];
  const rel = (abs: string) => relative(corpusDir, abs).split('\\').join('/');
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (err) {
      if (dir === corpusDir)
        throw new Error(`The corpus folder "${corpusDir}" cannot be read: ${reasonOf(err)}.`);
      skipped.push({ path: `${rel(dir)}/`, reason: `folder not read: ${reasonOf(err)}` });
      return;
    }
    for (const name of names.sort(byName)) {
      if (name.startsWith('.')) continue;
      const abs = join(dir, name);
      let stat: Stats;
      try {
        stat = lstatSync(abs);
      } catch (err) {
        if (worthReporting(name)) skipped.push({ path: rel(abs), reason: reasonOf(err) });
        continue;
      }
      if (stat.isDirectory()) {
        walk(abs);
        continue;
      }
      if (!stat.isFile()) {
        if (worthReporting(name)) skipped.push({ path: rel(abs), reason: specialKind(stat) });
        continue;
      }
      if (!isCorpusFile(name)) continue;
      const refused = sizeRefusal(stat.size, maxFileBytes);
      if (refused) {
        skipped.push({ path: rel(abs), reason: refused });
        continue;
      }
      const overridePath = `${abs}.meta.json`;
      let override: Stats | null = null;
      try {
        override = lstatSync(overridePath);
      } catch {
        // No override (or one that cannot even be looked at, which reading reports).
      }
      if (override && !override.isFile()) {
        skipped.push({
          path: rel(abs),
          reason: `its override ${name}.meta.json is a ${specialKind(override)}`,
        });
        continue;
      }
      files.push({
        path: rel(abs),
        absolutePath: abs,
        overridePath: override ? overridePath : null,
        stamp: stampOf(rel(abs), stat, override),
      });
    }
  };
  walk(corpusDir);
  return { files, skipped };
}
