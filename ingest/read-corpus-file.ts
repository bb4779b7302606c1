/**
 * Reads one corpus file without trusting what the scan saw: the entry may have been swapped for a link or
 * a FIFO since. O_NOFOLLOW refuses a link, O_NONBLOCK makes opening a FIFO return at once instead of
 * waiting for a writer, and fstat on the open descriptor decides (a regular file, within MAX_FILE_MB)
 * before a byte is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { reasonOf, sizeRefusal, specialKind } from './corpus-scan.ts';

/** A file that is skipped, with the reason the ingest summary prints. */
export class SkippedFileError extends Error {
  override readonly name = 'SkippedFileError';
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/** The file's bytes; throws {@link SkippedFileError} with the reason when it cannot or must not be read. */
export function readCorpusFile(absolutePath: string, maxFileBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(absolutePath, OPEN_FLAGS);
  } catch (err) {
    throw new SkippedFileError(reasonOf(err));
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SkippedFileError(specialKind(stat));
    const refused = sizeRefusal(stat.size, maxFileBytes);
    if (refused) throw new SkippedFileError(refused);
    const bytes = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    // A file that shrinks while it is read ends early; one that grows is read up to its size at fstat.
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (err) {
    if (err instanceof SkippedFileError) throw err;
    throw new SkippedFileError(reasonOf(err));
  } finally {
    closeSync(fd);
  }
}
