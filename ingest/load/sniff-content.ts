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
  /**
   * `known`: recognised by its signature (an executable, an image …); false for bytes that are merely not
   * text, where a reader of the file's own format (.docx, .pdf) says better what is wrong.
   */
  | { kind: 'binary'; what: string; known: boolean }
  | { kind: 'text' };

/** Default 1024 bytes: PDF readers accept the `%PDF-` header anywhere in the first kilobyte. */
const PDF_HEADER_WINDOW = 1024;
/** Default 1024 bytes: how far into a file an HTML start tag counts as "near the start". */
const HTML_WINDOW = 1024;
/** Default 8192 bytes: a NUL byte this early means binary data, never text in UTF-8 or GBK. */
const BINARY_WINDOW = 8192;
/**
 * Default 0.05: above this share of control bytes (other than tab, line ends, form feed and escape) in the
 * first BINARY_WINDOW bytes, data without a NUL is still binary. Text in UTF-8, GBK or GB18030 has none
 * (their multi-byte sequences never use bytes below 0x40); random bytes have about 11%.
 */
const MAX_CONTROL_SHARE = 0.05;

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Well-known binary formats, named in the error so the user sees what the file really is. `at` is the
 * signature's offset; `check` rules out text that happens to start with the same letters ("BM", "ID3").
 */
const MAGIC: ReadonlyArray<{
  bytes: number[] | string;
  at?: number;
  what: string;
  check?: (b: Uint8Array) => boolean;
}> = [
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable' },
  { bytes: [0xfe, 0xed, 0xfa, 0xce], what: 'a Mach-O executable' },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], what: 'a Mach-O executable' },
  { bytes: [0xce, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable' },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable' },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], what: 'a Mach-O universal executable or Java class' },
  { bytes: 'MZ', what: 'a Windows executable (PE)', check: isPortableExecutable },
  { bytes: [0x00, 0x61, 0x73, 0x6d], what: 'a WebAssembly module' },
  { bytes: 'SQLite format 3\0', what: 'an SQLite database' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: 'GIF8', what: 'a GIF image' },
  // Bytes 6-9 of a BMP header are reserved zeros; a text line starting "BM" has none.
  { bytes: 'BM', what: 'a BMP image', check: (b) => b.length >= 10 && [6, 7, 8, 9].every((i) => b[i] === 0) },
  { bytes: [0x49, 0x49, 0x2a, 0x00], what: 'a TIFF image' },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], what: 'a TIFF image' },
  { bytes: 'WEBP', at: 8, what: 'a WebP image', check: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) },
  { bytes: [0x00, 0x00, 0x01, 0x00], what: 'an icon image' },
  { bytes: '8BPS', what: 'a Photoshop image' },
  { bytes: 'ftypheic', at: 4, what: 'a HEIC image' },
  { bytes: 'ftypavif', at: 4, what: 'an AVIF image' },
  { bytes: 'ftypM4A', at: 4, what: 'an M4A audio file' },
  { bytes: 'ftyp', at: 4, what: 'an MP4 or QuickTime video' },
  { bytes: 'WAVE', at: 8, what: 'a WAV audio file', check: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) },
  { bytes: 'AVI ', at: 8, what: 'an AVI video', check: (b) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) },
  { bytes: 'AIFF', at: 8, what: 'an AIFF audio file', check: (b) => startsWith(b, [0x46, 0x4f, 0x52, 0x4d]) },
  // An ID3 tag: "ID3", a version byte 2-4, then a revision byte that is 0 in every tagger.
  {
    bytes: 'ID3',
    what: 'an MP3 audio file',
    check: (b) => (b[3] ?? 0) >= 2 && (b[3] ?? 0) <= 4 && b[4] === 0,
  },
  // An MPEG audio frame sync; 0xFF never starts a character in UTF-8 or GB18030.
  { bytes: [0xff, 0xfb], what: 'an MP3 audio file' },
  { bytes: [0xff, 0xf3], what: 'an MP3 audio file' },
  { bytes: [0xff, 0xf2], what: 'an MP3 audio file' },
  { bytes: 'OggS', what: 'an Ogg audio or video file' },
  { bytes: 'fLaC', what: 'a FLAC audio file' },
  { bytes: 'MThd', what: 'a MIDI file', check: (b) => b[4] === 0 },
  { bytes: [0x1a, 0x45, 0xdf, 0xa3], what: 'a Matroska or WebM video' },
  { bytes: [0x46, 0x4c, 0x56, 0x01], what: 'an FLV video' },
  { bytes: [0x00, 0x00, 0x01, 0xba], what: 'an MPEG video' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: 'Rar!', what: 'a RAR archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz archive' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a Zstandard archive' },
  // "BZh", the block size digit, then the block magic (the digits of pi).
  {
    bytes: [0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
    at: 4,
    what: 'a bzip2 archive',
    check: (b) => startsWith(b, [0x42, 0x5a, 0x68]),
  },
  { bytes: 'ustar', at: 257, what: 'a tar archive' },
];

export function sniffContent(bytes: Uint8Array): SniffedKind {
  const head = Buffer.from(bytes.subarray(0, PDF_HEADER_WINDOW)).toString('latin1');
  if (head.includes('%PDF-')) return { kind: 'pdf' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return sniffZip(bytes);
  if (startsWith(bytes, OLE2)) return { kind: 'ole2' };
  if (head.startsWith('{\\rtf')) return { kind: 'rtf' };
  for (const m of MAGIC) {
    const signature = typeof m.bytes === 'string' ? [...Buffer.from(m.bytes, 'latin1')] : m.bytes;
    if (startsWith(bytes, signature, m.at) && (!m.check || m.check(bytes)))
      return { kind: 'binary', what: m.what, known: true };
  }
  if (looksHtml(bytes)) return { kind: 'html' };
  // UTF-16 text is full of NUL bytes; its byte-order mark says it is text.
  const utf16 = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  if (!utf16 && isBinaryData(bytes.subarray(0, BINARY_WINDOW)))
    return { kind: 'binary', what: 'binary data', known: false };
  return { kind: 'text' };
}

/** Tab, LF, VT, FF, CR, ESC (terminal colours in saved logs) and Ctrl-Z (the end of old DOS files) occur in text. */
const TEXT_CONTROLS: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1a, 0x1b]);

/** A NUL, or more control bytes than text ever has. */
function isBinaryData(window: Uint8Array): boolean {
  let control = 0;
  for (const b of window) {
    if (b === 0) return true;
    if ((b < 0x20 && !TEXT_CONTROLS.has(b)) || b === 0x7f) control++;
  }
  return window.length > 0 && control / window.length > MAX_CONTROL_SHARE;
}

/** "MZ" and, where the header says, the "PE\0\0" signature (or an old DOS executable's binary header). */
function isPortableExecutable(bytes: Uint8Array): boolean {
  if (bytes.length < 64) return false;
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32LE(0x3c);
  return startsWith(bytes, [0x50, 0x45, 0x00, 0x00], at) || bytes.subarray(2, 64).includes(0);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
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
