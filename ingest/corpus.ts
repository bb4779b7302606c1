import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { type CorpusScan, reasonOf, type SkippedFile, scanCorpus } from './corpus-scan.ts';
import { readCorpusFile, SkippedFileError } from './read-corpus-file.ts';
import { type FileStamp, FORMAT_VERSION } from './store/format.ts';

/** The files of a corpus folder (recursively), sorted so that hashes and chunk ids are stable. */
export interface CorpusFile {
  /** Relative to the corpus folder. */
  path: string;
  absolutePath: string;
  bytes: Buffer;
  sha256: string;
  /** Contents of `<file>.meta.json` when present. */
  override: string | null;
  /** Size and modification time, taken before the file was read. */
  stamp: FileStamp;
}

/** What a build indexes from one folder, and what it skips. */
export interface CorpusListing {
  /** The files that were read, in corpus order. */
  files: CorpusFile[];
  /** Links, special files, unreadable folders and files, empty or oversized files, each with its reason. */
  skipped: SkippedFile[];
  /**
   * The stamp of every document file the scan found, read or not: a file that could not be opened is
   * still known unchanged by its size and time, so `npm start` does not rebuild for it.
   */
  stamps: FileStamp[];
}

const byPath = (a: SkippedFile, b: SkippedFile) => a.path.localeCompare(b.path);

/** Reads the scanned files; one that cannot be read is skipped with its reason, never the end of the build. */
export function readScanned(scan: CorpusScan, maxFileBytes: number): CorpusListing {
  const files: CorpusFile[] = [];
  const skipped = [...scan.skipped];
  for (const f of scan.files) {
    try {
      const bytes = readCorpusFile(f.absolutePath, maxFileBytes);
      let override: string | null = null;
      if (f.overridePath) {
        try {
          override = readCorpusFile(f.overridePath, maxFileBytes).toString('utf8');
        } catch (err) {
          throw new SkippedFileError(
            `its override ${f.path.split('/').pop()}.meta.json: ${(err as Error).message}`,
          );
        }
      }
      files.push({
        path: f.path,
        absolutePath: f.absolutePath,
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        override,
        stamp: f.stamp,
      });
    } catch (err) {
      skipped.push({ path: f.path, reason: err instanceof SkippedFileError ? err.message : reasonOf(err) });
    }
  }
  return { files, skipped: skipped.sort(byPath), stamps: scan.files.map((f) => f.stamp) };
}

export function listCorpus(corpusDir: string, maxFileBytes: number): CorpusListing {
  return readScanned(scanCorpus(corpusDir, maxFileBytes), maxFileBytes);
}

/**
 * The scanned files this process may not read (and the scan's own skips), found with access(2) instead of
 * reading them: what a build would skip, known at start-up without reading a large corpus.
 */
export function skippedWithoutReading(scan: CorpusScan): SkippedFile[] {
  const skipped = [...scan.skipped];
  for (const f of scan.files) {
    try {
      accessSync(f.absolutePath, constants.R_OK);
      if (f.overridePath) accessSync(f.overridePath, constants.R_OK);
    } catch (err) {
      skipped.push({ path: f.path, reason: reasonOf(err) });
    }
  }
  return skipped.sort(byPath);
}

/**
 * Whether a scan holds exactly the files an index was built from, by names, sizes and modification times
 * alone: true lets `npm start` skip reading and hashing a large corpus. False means "not known to be
 * unchanged": the caller compares content hashes.
 */
export function sameStamps(scan: CorpusScan, stamps: readonly FileStamp[]): boolean {
  // Both sides are built by the scan (the manifest's after a JSON round trip), so their fields are in one order.
  return JSON.stringify(scan.files.map((f) => f.stamp)) === JSON.stringify(stamps);
}

/** Changes when any file, override, the chunking settings or the format change. */
export function corpusHash(files: readonly CorpusFile[], settings: unknown): string {
  const h = createHash('sha256');
  h.update(`format:${FORMAT_VERSION}\nsettings:${JSON.stringify(settings)}\n`);
  for (const f of files) h.update(`${f.path}\0${f.sha256}\0${f.override ?? ''}\n`);
  return h.digest('hex');
}
