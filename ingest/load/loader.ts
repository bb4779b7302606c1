/**
 * Loaders turn a file's bytes into plain text for cleaning. One file per format; DOCX and PDF loaders join
 * by adding themselves to `LOADERS` in `loaders.ts`.
 */
export interface LoadedText {
  /** Decoded text with line breaks where the source had blocks. */
  text: string;
  /** Encoding detected or declared, for the ingest report. */
  encoding: string;
}

export interface Loader {
  /** Lower-case file extensions with the dot, e.g. ['.txt', '.md']. */
  readonly extensions: readonly string[];
  load(bytes: Uint8Array, source: string): Promise<LoadedText>;
}
