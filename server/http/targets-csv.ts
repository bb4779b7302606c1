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

export function targetsToCsv(targets: readonly TargetRecord[], documents: readonly DocumentMeta[]): string {
  const byId = new Map(documents.map((doc) => [doc.docId, doc]));
  const rows = targets.map((t) => {
    const doc = byId.get(t.docId);
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
  });
  return `${UTF8_BOM}${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
