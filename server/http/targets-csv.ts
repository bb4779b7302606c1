/**
 * Numeric targets as CSV for journalists' spreadsheets: a header row, RFC 4180 quoting, CRLF line ends and
 * a UTF-8 byte-order mark so that Excel shows the Chinese text instead of mojibake.
 */
import type { DocumentMeta, TargetRecord } from '../../ingest/model.ts';

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
 * Spreadsheet programs run cells that start with = + - @ as formulas; a leading apostrophe keeps a quote
 * from a document (or a crafted one) inert. Only text columns are guarded, numbers stay numbers.
 */
function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
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
      t.comparator,
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
