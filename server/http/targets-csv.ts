/**
 * Numeric targets as CSV for journalists' spreadsheets: a header row, RFC 4180 quoting, CRLF line ends and
 * a UTF-8 byte-order mark so that Excel shows the Chinese text instead of mojibake.
 */
import type { Comparator, DocumentMeta, TargetRecord } from '../../ingest/model.ts';

export const UTF8_BOM = '\uFEFF';

const COLUMNS = [
  'region',
  'year',
  'metric',
  'metric_group',
  'qualifier',
  'value_text',
  'value',
  'value_max',
  'unit',
  'comparator',
  'document_title',
  'document_number',
  'heading_path',
  'quote',
  'doc_id',
  'chunk_id',
  'start',
  'end',
] as const;

/**
 * How each comparator is written in the CSV: words, so that `=` is not a formula to a spreadsheet and a
 * reader need not guess what a bare symbol meant.
 */
export const COMPARATOR_WORDS: Readonly<Record<Comparator, string>> = {
  '≥': 'at least',
  '≤': 'at most',
  '≈': 'about',
  '=': 'equal',
  range: 'range',
};

/**
 * A cell a spreadsheet may run as a formula: = + - @ (or their full-width forms, which some spreadsheets
 * and input methods treat alike) after any whitespace (U+3000 and no-break spaces too), control characters
 * (NUL …) or invisible format characters (zero-width space, BOM, bidi marks), which spreadsheets skip; or
 * a cell that starts with a tab or CR (OWASP's list).
 */
const FORMULA_CELL = /^(?:[\s\p{Z}\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/u;

/**
 * Spreadsheet programs run cells that start with = + - @ as formulas; a leading apostrophe keeps a quote
 * from a document (or a crafted one) inert, whatever spaces or control characters come before the sign.
 * Only text columns are guarded, numbers stay numbers.
 */
export function guardFormula(text: string): string {
  return FORMULA_CELL.test(text) ? `'${text}` : text;
}

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The CSV is written in pieces of about this many characters: far fewer writes than one per row, and little
 * held in memory however many targets there are.
 */
export const CSV_PIECE_CHARS = 64 * 1024;

function csvRow(t: TargetRecord, doc: DocumentMeta | undefined): string {
  return [
    t.region,
    t.year,
    t.metric,
    t.metricGroup,
    t.qualifier,
    t.valueText,
    t.value,
    t.valueMax,
    t.unit,
    COMPARATOR_WORDS[t.comparator] ?? t.comparator,
    doc?.title ?? null,
    doc?.docNumber ?? null,
    t.headingPath.join(' › '),
    t.quote,
    t.docId,
    t.chunkId,
    t.start,
    t.end,
  ]
    .map(cell)
    .join(',');
}

/**
 * The CSV in pieces (BOM and header first, then rows, each ending in CRLF), made as they are read so that a
 * full export is streamed instead of built as one string.
 */
export function* targetsCsvPieces(
  targets: Iterable<TargetRecord>,
  documents: readonly DocumentMeta[],
  pieceChars = CSV_PIECE_CHARS,
): Generator<string> {
  const byId = new Map(documents.map((doc) => [doc.docId, doc]));
  let piece = `${UTF8_BOM}${COLUMNS.join(',')}\r\n`;
  for (const t of targets) {
    piece += `${csvRow(t, byId.get(t.docId))}\r\n`;
    if (piece.length >= pieceChars) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

export function targetsToCsv(targets: readonly TargetRecord[], documents: readonly DocumentMeta[]): string {
  return [...targetsCsvPieces(targets, documents)].join('');
}
