/**
 * Loaders turn a file's bytes into plain text for cleaning. One file per format; `loaders.ts` chooses the
 * loader by content first (a .txt that is really a PDF is read as a PDF) and by extension second.
 *
 * Text conventions every loader follows, so one structure parser and one table parser serve all formats:
 * - one block (paragraph, list item, heading, `<br>`-separated line) per line, LF line ends;
 * - tables as GitHub-flavoured Markdown pipe tables: a header row, a `| --- |` separator row, one line per
 *   body row, `|` inside a cell escaped as `\|`, line breaks inside a cell replaced by a space, and
 *   rowspan/colspan cells repeated into every row/column they cover.
 */
export type SourceFormat = 'text' | 'markdown' | 'html' | 'docx' | 'pdf';

export interface LoadedText {
  /** Decoded text with line breaks where the source had blocks. */
  text: string;
  /** Encoding detected or declared, for the ingest report ("UTF-8", "GB18030", "binary" for DOCX/PDF). */
  encoding: string;
  format: SourceFormat;
  /** The document's own title when the format marks it (HTML main heading, DOCX title style); else null. */
  title: string | null;
  /** Things the user should know but that did not stop the load ("3 invalid UTF-8 bytes replaced"). */
  warnings: string[];
}

export interface Loader {
  readonly format: SourceFormat;
  /** Lower-case file extensions with the dot, e.g. ['.txt', '.md']. */
  readonly extensions: readonly string[];
  load(bytes: Uint8Array, source: string): Promise<LoadedText>;
}

/** A file that cannot be indexed, with a message that tells the user what to do ("save it as .docx"). */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
}
