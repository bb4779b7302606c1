/**
 * What a file is, from its first bytes, whatever its name says: a .txt saved from a browser may be a PDF,
 * a "document.html" may be a Word file, and a .doc is often the old binary format no loader here reads.
 */
export type SniffedKind =
  | { kind: 'pdf' }
  | { kind: 'docx' }
  | { kind: 'zip'; holds: string }
  | { kind: 'ole2' }
  | { kind: 'rtf' }
  | { kind: 'html' }
  | { kind: 'binary'; what: string }
  | { kind: 'text' };

/** Default 1024 bytes: PDF readers accept the `%PDF-` header anywhere in the first kilobyte. */
const PDF_HEADER_WINDOW = 1024;
/** Default 1024 bytes: how far into a file an HTML start tag counts as "near the start". */
const HTML_WINDOW = 1024;
/** Default 8192 bytes: a NUL byte this early means binary data, never text in UTF-8 or GBK. */
const BINARY_WINDOW = 8192;

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Well-known binary formats, named in the error so the user sees what the file really is. */
const MAGIC: ReadonlyArray<{ bytes: number[]; what: string }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x42, 0x4d], what: 'a BMP image' },
  { bytes: [0x49, 0x49, 0x2a, 0x00], what: 'a TIFF image' },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], what: 'a TIFF image' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive' },
];

export function sniffContent(bytes: Uint8Array): SniffedKind {
  const head = Buffer.from(bytes.subarray(0, PDF_HEADER_WINDOW)).toString('latin1');
  if (head.includes('%PDF-')) return { kind: 'pdf' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return sniffZip(bytes);
  if (startsWith(bytes, OLE2)) return { kind: 'ole2' };
  if (head.startsWith('{\\rtf')) return { kind: 'rtf' };
  for (const m of MAGIC) if (startsWith(bytes, m.bytes)) return { kind: 'binary', what: m.what };
  if (looksHtml(bytes)) return { kind: 'html' };
  // UTF-16 text is full of NUL bytes; its byte-order mark says it is text.
  const utf16 = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  if (!utf16 && bytes.subarray(0, BINARY_WINDOW).includes(0)) return { kind: 'binary', what: 'binary data' };
  return { kind: 'text' };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * A ZIP's entry names are stored uncompressed (local headers and central directory), so a Word document
 * is recognised by the name of its main part without unzipping.
 */
function sniffZip(bytes: Uint8Array): SniffedKind {
  const names = Buffer.from(bytes).toString('latin1');
  if (names.includes('word/document.xml')) return { kind: 'docx' };
  if (names.includes('xl/workbook.xml')) return { kind: 'zip', holds: 'an Excel .xlsx workbook' };
  if (names.includes('ppt/presentation.xml'))
    return { kind: 'zip', holds: 'a PowerPoint .pptx presentation' };
  if (names.includes('content.xml') && names.includes('mimetype'))
    return { kind: 'zip', holds: 'an OpenDocument file' };
  return { kind: 'zip', holds: 'a ZIP archive' };
}

/** An HTML page begins, after a BOM, whitespace and comments, with a doctype or an html/head/body tag. */
function looksHtml(bytes: Uint8Array): boolean {
  const start = Buffer.from(bytes.subarray(0, HTML_WINDOW))
    .toString('utf8')
    .replace(/^\ufeff/, '')
    .replace(/^(?:\s|<!--[\s\S]*?-->|<\?xml[^>]*\?>)+/, '')
    .toLowerCase();
  return /^<(?:!doctype\s+html|html|head|body)\b/.test(start);
}
