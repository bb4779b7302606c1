/**
 * The loaded text of a document cut into what the panel draws: runs of plain text, and runs of table rows
 * drawn as tables. The cleaned text writes a table row as one cell a line, each but the last ending in " |"
 * (`ingest/parse/` rebuilds pipe tables so), and the server lists each row with its cells labelled by
 * column header (`tables` of GET /api/documents/:id). A row's last lines are its cells; lines before them
 * are the row's labels (the merged 主要任务 or 序号 columns). The table's own header lines just above its
 * first row ("主要任务 |", "2024年度 |" …) become the table's header and are not shown twice; the lone "|"
 * lines between rows are dropped. A row whose lines do not match its cells is left as plain text, so the
 * text is never changed, only drawn differently. Offsets are of the whole document, as everywhere.
 */

/** The separator after each cell but the last: optional spaces, a pipe, a line break. */
const CELL_END = /[ \t]*\|\n/g;
/** A line that is only pipes and spaces (the end of a row, a blank separator row). */
const PIPES_LINE = /[ \t]*\|+[ \t]*(?:\n|$)/y;
/** A header line above a table: "具体措施 |", or "|" alone. */
const HEADER_LINE = /^(.*?)[ \t]*\|+[ \t]*$/;
/** How far above a table its header lines are looked for. */
const HEADER_LOOKBACK = 2_000;

function slice(doc, start, end) {
  return doc.text.slice(start - doc.from, end - doc.from);
}

/** A row's lines split into labels and cells with their offsets, or null when they do not line up. */
function parseRow(doc, row) {
  const text = slice(doc, row.start, row.end);
  const lines = [];
  let at = 0;
  for (const m of text.matchAll(CELL_END)) {
    lines.push({ start: row.start + at, end: row.start + m.index });
    at = m.index + m[0].length;
  }
  lines.push({ start: row.start + at, end: row.end });
  const n = row.cells.length;
  if (n === 0 || lines.length < n) return null;
  const cellLines = lines.slice(lines.length - n);
  const matches = cellLines.every(
    (line, i) => slice(doc, line.start, line.end).trim() === String(row.cells[i].value).trim(),
  );
  if (!matches) return null;
  return {
    chunkId: row.chunkId,
    start: row.start,
    end: row.end,
    labels: lines.slice(0, lines.length - n).filter((line) => line.end > line.start),
    cells: cellLines.map((line, i) => ({ ...line, header: row.cells[i].header })),
    headers: row.cells.map((cell) => cell.header),
  };
}

/** Where the pipe-only lines after `offset` end. */
function afterPipes(doc, offset, limit) {
  const text = doc.text;
  let at = offset - doc.from;
  const end = limit - doc.from;
  while (at < end) {
    PIPES_LINE.lastIndex = at;
    const m = PIPES_LINE.exec(text);
    if (!m || m[0].length === 0 || at + m[0].length > end) break;
    at += m[0].length;
  }
  return at + doc.from;
}

/**
 * The header lines just above a table's first row: where they start, and the headers of the label
 * columns (those the rows' cells do not name). Null when the lines above do not name every column.
 */
function headerBlock(doc, first, lowerBound) {
  const from = Math.max(lowerBound, first.start - HEADER_LOOKBACK);
  const before = slice(doc, from, first.start);
  if (!before.endsWith('\n')) return null;
  const lines = before.slice(0, -1).split('\n');
  const values = [];
  let start = first.start;
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = HEADER_LINE.exec(lines[i]);
    if (!m) break;
    start -= lines[i].length + 1;
    if (m[1].trim()) values.unshift(m[1].trim());
  }
  if (start < from) return null;
  if (!first.headers.every((header) => values.includes(header))) return null;
  return { start, labelHeaders: values.filter((value) => !first.headers.includes(value)) };
}

const sameHeaders = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The loaded text as segments in order: { kind: 'text', start, end } and
 * { kind: 'table', start, end, headers, labelHeader, rows }.
 * @param {{ from: number, text: string, tables: Map<number, { chunkId, cells, start, end }> }} doc
 */
export function textSegments(doc) {
  const from = doc.from;
  const to = doc.from + doc.text.length;
  const rows = [...doc.tables.values()]
    .filter((row) => row.start >= from && row.end <= to && row.end > row.start)
    .sort((a, b) => a.start - b.start)
    .map((row) => parseRow(doc, row))
    .filter(Boolean);
  const segments = [];
  let at = from;
  let table = null;
  for (const row of rows) {
    if (row.start < at) continue;
    const gap = slice(doc, table ? table.end : at, row.start);
    if (table && /^[\s|]*$/.test(gap) && sameHeaders(table.headers, row.headers)) {
      table.rows.push(row);
      table.end = afterPipes(doc, row.end, to);
      at = table.end;
      continue;
    }
    const header = headerBlock(doc, row, at);
    const start = header ? header.start : row.start;
    if (start > at) segments.push({ kind: 'text', start: at, end: start });
    table = {
      kind: 'table',
      start,
      end: afterPipes(doc, row.end, to),
      headers: row.headers,
      labelHeader: header ? header.labelHeaders.join(' · ') : '',
      rows: [row],
    };
    segments.push(table);
    at = table.end;
  }
  if (to > at) segments.push({ kind: 'text', start: at, end: to });
  return segments;
}

/**
 * Every occurrence of `query` in `text`, without overlaps: letters compared case-blind (when folding keeps
 * the text's length, so offsets still hold), Chinese exactly.
 */
export function findMatches(text, query) {
  const q = query.trim();
  if (!q) return [];
  const lower = text.toLowerCase();
  const caseBlind = lower.length === text.length;
  const haystack = caseBlind ? lower : text;
  const needle = caseBlind ? q.toLowerCase() : q;
  const found = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
    found.push({ start: at, end: at + needle.length });
  }
  return found;
}
