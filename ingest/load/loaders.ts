import { basename, extname } from 'node:path';
import { type Loader, type SourceFormat, UnreadableFileError } from './loader.ts';
import { sniffContent } from './sniff-content.ts';
import { textLoader } from './text-loader.ts';

/**
 * A loader whose module (and its libraries: linkedom, Readability, mammoth, unpdf) is imported on first
 * use: a server that only opens an index never loads them, which takes a second off its start-up.
 */
function lazyLoader(
  format: SourceFormat,
  extensions: readonly string[],
  module: () => Promise<Loader>,
): Loader {
  return { format, extensions, load: async (bytes, source) => (await module()).load(bytes, source) };
}

const htmlLoader = lazyLoader(
  'html',
  ['.html', '.htm'],
  async () => (await import('./html-loader.ts')).htmlLoader,
);
const docxLoader = lazyLoader('docx', ['.docx'], async () => (await import('./docx-loader.ts')).docxLoader);
const pdfLoader = lazyLoader('pdf', ['.pdf'], async () => (await import('./pdf-loader.ts')).pdfLoader);

export const LOADERS: readonly Loader[] = [textLoader, htmlLoader, docxLoader, pdfLoader];

/** Binary formats whose reader, given bytes that are not that format, says what is wrong with the file. */
const OWN_READER: Readonly<Record<string, Loader>> = { '.docx': docxLoader, '.pdf': pdfLoader };

/**
 * Office formats no loader reads. They are still corpus files so that the ingest report names them and
 * says what to do, instead of skipping them silently.
 */
export const REFUSED_EXTENSIONS: readonly string[] = ['.doc', '.wps', '.xls', '.ppt', '.rtf'];

const SUPPORTED = '.txt, .md, .html, .docx and .pdf';
const SAVE_AS_DOCX = 'open it in Word or WPS and save it as .docx';
/** Old binary Office formats (one OLE2 container) by extension; any other name is taken for a Word .doc. */
const OLD_OFFICE_KINDS: Readonly<Record<string, string>> = {
  '.xls': 'Excel .xls',
  '.ppt': 'PowerPoint .ppt',
  '.wps': 'WPS .wps',
  '.rtf': 'Rich Text .rtf',
};

function oldOfficeRefusal(name: string, ext: string): UnreadableFileError {
  const kind = OLD_OFFICE_KINDS[ext] ?? 'Word .doc';
  return new UnreadableFileError(`${name} is in the old binary ${kind} format: ${SAVE_AS_DOCX}`);
}

/**
 * The loader for a file, chosen by content first and by extension second:
 * `%PDF-` → PDF; a ZIP holding `word/document.xml` → DOCX; HTML markup at the start → HTML (even in a
 * .txt); otherwise the extension decides. Without `bytes` only the extension decides.
 *
 * Throws {@link UnreadableFileError} for files that can never be indexed (old binary Word, a ZIP that is not
 * a .docx, an image or other binary data), with a message that says what to do; returns null for an
 * extension no loader handles.
 */
export function loaderFor(path: string, bytes?: Uint8Array): Loader | null {
  const name = basename(path);
  const ext = extname(path).toLowerCase();
  if (bytes) {
    const sniffed = sniffContent(bytes);
    switch (sniffed.kind) {
      case 'pdf':
        return pdfLoader;
      case 'docx':
        return docxLoader;
      case 'html':
        return htmlLoader;
      case 'zip':
        throw new UnreadableFileError(
          `${name} is ${sniffed.holds}, not a Word .docx document; only ${SUPPORTED} files can be indexed`,
        );
      case 'ole2':
        throw oldOfficeRefusal(name, ext);
      case 'rtf':
        throw new UnreadableFileError(`${name} is a Rich Text (.rtf) file: ${SAVE_AS_DOCX}`);
      case 'binary': {
        // A damaged .docx or .pdf is best explained by its own reader ("not a ZIP package", "damaged or
        // truncated"); bytes with a known signature (an executable, an image) are named for what they are.
        const reader = sniffed.known ? null : OWN_READER[ext];
        if (reader) return reader;
        throw new UnreadableFileError(
          `${name} is a binary file (${sniffed.what}), not a document; only ${SUPPORTED} files can be indexed`,
        );
      }
      case 'text':
        break;
    }
  }
  if (REFUSED_EXTENSIONS.includes(ext)) throw oldOfficeRefusal(name, ext);
  return LOADERS.find((l) => l.extensions.includes(ext)) ?? null;
}

/** Files that describe a folder of documents (where they come from, their licence), not documents. */
const ABOUT_THE_CORPUS = /^(?:readme|sources|licen[cs]e|changelog)(?:\.|$)/i;

/** Whether a file in a corpus folder is part of the corpus (readable, or refused with a message). */
export function isCorpusFile(name: string): boolean {
  if (ABOUT_THE_CORPUS.test(name) || name.endsWith('.meta.json') || name.startsWith('.')) return false;
  const ext = extname(name).toLowerCase();
  return REFUSED_EXTENSIONS.includes(ext) || LOADERS.some((l) => l.extensions.includes(ext));
}
