import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isCorpusFile } from './load/loaders.ts';
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

interface ListedFile {
  path: string;
  absolutePath: string;
  overridePath: string | null;
  stamp: FileStamp;
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

/** The corpus files with their sizes and times, without reading them. */
function listFiles(corpusDir: string): ListedFile[] {
  if (!existsSync(corpusDir) || !statSync(corpusDir).isDirectory()) {
    throw new Error(`The corpus folder "${corpusDir}" does not exist (set CORPUS_DIR).`);
  }
  const files: ListedFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(abs);
      else if (entry.isFile() && isCorpusFile(entry.name)) {
        const overridePath = `${abs}.meta.json`;
        const override = existsSync(overridePath) ? statSync(overridePath) : null;
        const path = relative(corpusDir, abs).split('\\').join('/');
        files.push({
          path,
          absolutePath: abs,
          overridePath: override ? overridePath : null,
          stamp: stampOf(path, statSync(abs), override),
        });
      }
    }
  };
  walk(corpusDir);
  return files;
}

export function listCorpus(corpusDir: string): CorpusFile[] {
  return listFiles(corpusDir).map((f) => {
    const bytes = readFileSync(f.absolutePath);
    return {
      path: f.path,
      absolutePath: f.absolutePath,
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      override: f.overridePath ? readFileSync(f.overridePath, 'utf8') : null,
      stamp: f.stamp,
    };
  });
}

/**
 * Whether the corpus folder still holds exactly the files an index was built from, by names, sizes and
 * modification times alone: true lets `npm start` skip reading and hashing a large corpus. False means
 * "not known to be unchanged": the caller compares content hashes.
 */
export function sameStamps(corpusDir: string, stamps: readonly FileStamp[]): boolean {
  // Both sides are built by stampOf (the manifest's after a JSON round trip), so their fields are in one order.
  return JSON.stringify(listFiles(corpusDir).map((f) => f.stamp)) === JSON.stringify(stamps);
}

/** Changes when any file, override, the chunking settings or the format change. */
export function corpusHash(files: readonly CorpusFile[], settings: unknown): string {
  const h = createHash('sha256');
  h.update(`format:${FORMAT_VERSION}\nsettings:${JSON.stringify(settings)}\n`);
  for (const f of files) h.update(`${f.path}\0${f.sha256}\0${f.override ?? ''}\n`);
  return h.digest('hex');
}
