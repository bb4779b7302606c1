import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isCorpusFile } from './load/loaders.ts';
import { FORMAT_VERSION } from './store/format.ts';

/** The files of a corpus folder (recursively), sorted so that hashes and chunk ids are stable. */
export interface CorpusFile {
  /** Relative to the corpus folder. */
  path: string;
  absolutePath: string;
  bytes: Buffer;
  sha256: string;
  /** Contents of `<file>.meta.json` when present. */
  override: string | null;
}

export function listCorpus(corpusDir: string): CorpusFile[] {
  if (!existsSync(corpusDir) || !statSync(corpusDir).isDirectory()) {
    throw new Error(`The corpus folder "${corpusDir}" does not exist (set CORPUS_DIR).`);
  }
  const files: CorpusFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(abs);
      else if (entry.isFile() && isCorpusFile(entry.name)) {
        const bytes = readFileSync(abs);
        const overridePath = `${abs}.meta.json`;
        files.push({
          path: relative(corpusDir, abs).split('\\').join('/'),
          absolutePath: abs,
          bytes,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          override: existsSync(overridePath) ? readFileSync(overridePath, 'utf8') : null,
        });
      }
    }
  };
  walk(corpusDir);
  return files;
}

/** Changes when any file, override, the chunking settings or the format change. */
export function corpusHash(files: readonly CorpusFile[], settings: unknown): string {
  const h = createHash('sha256');
  h.update(`format:${FORMAT_VERSION}\nsettings:${JSON.stringify(settings)}\n`);
  for (const f of files) h.update(`${f.path}\0${f.sha256}\0${f.override ?? ''}\n`);
  return h.digest('hex');
}
