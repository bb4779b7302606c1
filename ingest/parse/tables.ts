import { isDateLine } from '../meta/dates.ts';
import type { TableCell } from '../model.ts';
import { matchHeading } from './headings.ts';
import { parseLineTable, YEAR_COLUMN } from './line-tables.ts';
import type { Line } from './lines.ts';

/**
 * Finds the tables of a cleaned text and reads their rows labelled by column header. Two shapes:
 * - GitHub-flavoured Markdown pipe tables, as the loaders write them (loader.ts) and as users' Markdown
 *   files hold them: a header row, a `| --- |` separator, one line per row (see findMarkdownTable);
 * - indicator tables copied from a page with one cell per line and no pipes at all (line-tables.ts);
 * - the pipe-separated tables that web pages leave behind when a <table> is copied as text: every cell
 *   ends with " |", usually one cell per line, a cell may continue over several lines, cells spanning
 *   several rows (rowspan) are left out of the rows below them, and stray "|" / "||" lines mark empty
 *   cells or row ends.
 */

export interface TableRow {
  /** Cells labelled by their column header; content columns only. */
  cells: (TableCell & { start: number; end: number })[];
  /** Values of the leading label columns (section, task, row number), including those inherited via rowspan. */
  labels: string[];
  start: number;
  end: number;
}

export interface ParsedTable {
  caption: string;
  headers: string[];
  rows: TableRow[];
  /** Lines [firstLine, lastLine] of the caption and table, so the clause parser can skip them. */
  firstLine: number;
  lastLine: number;
  start: number;
  end: number;
}

interface RawCell {
  text: string;
  start: number;
  end: number;
}

/** Leading columns whose cells are this short on average name the row (序号, 重点项目, 主要任务) rather than hold content. */
const LABEL_COLUMN_MAX_AVG_CHARS = 30;
/** Non-pipe lines allowed between pipe lines of one table (cells continued over lines). */
const MAX_GAP_LINES = 3;
const MAX_CAPTION_LINES = 4;

const SECTION_CELL = /^[(\uFF08][一二三四五六七八九十]{1,3}[)\uFF09]/;
const NUMBER_CELL = /^\d{1,3}$/;
const TASK_CELL = /^\d{1,2}[.．、](?![\d%])/;

const isPipeLine = (text: string) => /\|\s*$/.test(text) || /^\s*\|+\s*$/.test(text);

export function findTables(lines: readonly Line[], fullText: string): ParsedTable[] {
  const tables: ParsedTable[] = [];
  let i = 0;
  while (i < lines.length) {
    if (isMarkdownTableStart(lines, i)) {
      const { table, lastLine } = parseMarkdownTable(lines, i);
      if (table) tables.push(table);
      i = lastLine + 1;
      continue;
    }
    const lineTable = parseLineTable(lines, i);
    if (lineTable) {
      const captionFirst = findCaptionStart(lines, i);
      const caption = lines
        .slice(captionFirst, i)
        .map((l) => l.text.trim())
        .join(' ');
      const start = lines[captionFirst]?.start ?? lineTable.table.start;
      tables.push({ ...lineTable.table, caption, firstLine: captionFirst, start });
      i = lineTable.lastLine + 1;
      continue;
    }
    if (!isPipeLine(lines[i]?.text ?? '')) {
      i++;
      continue;
    }
    const first = i;
    let last = i;
    for (let j = i + 1; j < lines.length && j - last <= MAX_GAP_LINES; j++) {
      if (isMarkdownTableStart(lines, j)) break;
      if (isPipeLine(lines[j]?.text ?? '')) last = j;
    }
    const table = parseTable(lines, fullText, first, last);
    if (table) tables.push(table);
    i = last + 1;
  }
  return tables;
}

function parseTable(
  lines: readonly Line[],
  fullText: string,
  first: number,
  last: number,
): ParsedTable | null {
  const start = lines[first]?.start ?? 0;
  const end = lines[last]?.end ?? start;
  const cells = splitCells(fullText, start, end);
  const headerEnd = cells.findIndex((c, idx) => idx > 0 && (c.text === '' || isRowStart(c.text)));
  if (headerEnd <= 0) return null;
  const headerCells = cells.slice(0, headerEnd).map((c) => c.text);
  const rawRows = segmentRows(cells.slice(headerEnd));
  if (rawRows.length === 0) return null;
  const columns = Math.max(headerCells.length, ...rawRows.map((r) => r.length));
  // A header shorter than the rows spans its first column over the missing ones (colspan).
  const headers = [...Array(columns - headerCells.length).fill(headerCells[0] ?? ''), ...headerCells];
  const grid = fillRowspans(rawRows, columns);
  // An indicator table's year columns (2023年 | 2025年 | 2027年) hold its figures, however short they are.
  const yearColumn = headers.findIndex((h) => YEAR_COLUMN.test(h.trim()));
  const labelColumns = Math.min(countLabelColumns(grid, columns), yearColumn < 0 ? columns : yearColumn);
  const rows: TableRow[] = grid.map(({ cells: row, own }) => {
    const ownCells = row.slice(columns - own);
    const labels = mergeNumberLabels(row.slice(0, labelColumns).map((c) => c.text));
    const content = row
      .map((c, col) => ({ ...c, header: headers[col] ?? '', value: c.text, col }))
      .filter((c) => c.col >= labelColumns && c.value !== '')
      .map(({ header, value, start: s, end: e }) => ({ header, value, start: s, end: e }));
    return {
      cells: content,
      labels,
      start: ownCells[0]?.start ?? 0,
      end: ownCells[ownCells.length - 1]?.end ?? 0,
    };
  });
  const captionFirst = findCaptionStart(lines, first);
  const caption = lines
    .slice(captionFirst, first)
    .map((l) => l.text.trim())
    .join(' ');
  return {
    caption,
    headers,
    rows,
    firstLine: captionFirst,
    lastLine: last,
    start: lines[captionFirst]?.start ?? start,
    end,
  };
}

function splitCells(text: string, start: number, end: number): RawCell[] {
  const cells: RawCell[] = [];
  let cellStart = start;
  for (let k = start; k <= end; k++) {
    if (k === end || text[k] === '|') {
      const raw = text.slice(cellStart, k);
      const lead = raw.length - raw.trimStart().length;
      const trimmed = raw.trim();
      const s = cellStart + lead;
      // Web pages wrap long cells; the line breaks inside a cell are layout, not content.
      if (k < end || trimmed)
        cells.push({ text: trimmed.replace(/\s*\n\s*/g, ''), start: s, end: s + trimmed.length });
      cellStart = k + 1;
    }
  }
  return cells;
}

function isRowStart(raw: string): boolean {
  const text = raw.normalize('NFKC');
  return SECTION_CELL.test(text) || NUMBER_CELL.test(text) || TASK_CELL.test(text);
}

/**
 * Cuts the cell stream into rows: a section (一), a row number or a numbered task starts a row (a task right
 * after its section stays in the section's row); an empty cell ends a row that already has cells.
 */
function segmentRows(cells: readonly RawCell[]): RawCell[][] {
  const rows: RawCell[][] = [];
  let row: RawCell[] = [];
  const flush = () => {
    if (row.length) rows.push(row);
    row = [];
  };
  // A row number is the next one (or 1 again after a section): a figure such as 0 or 28 inside a row is not.
  let serial: number | null = null;
  for (const cell of cells) {
    if (cell.text === '') {
      if (row.length >= 2) flush();
      continue;
    }
    const section = SECTION_CELL.test(cell.text);
    const n = NUMBER_CELL.test(cell.text) ? Number(cell.text) : null;
    const numbered = n !== null && (serial === null || n === serial + 1 || n === 1 || row.length === 0);
    const startsRow =
      section ||
      numbered ||
      (TASK_CELL.test(cell.text) && !(row.length === 1 && SECTION_CELL.test(row[0]?.text ?? '')));
    if (section) serial = null;
    if (numbered) serial = n;
    if (startsRow) flush();
    row.push(cell);
  }
  flush();
  return rows;
}

/** Rows with fewer cells than columns lost their leading cells to a rowspan above: take them from the row above. */
function fillRowspans(rows: readonly RawCell[][], columns: number): { cells: RawCell[]; own: number }[] {
  const out: { cells: RawCell[]; own: number }[] = [];
  let previous: RawCell[] = [];
  for (const row of rows) {
    const own = Math.min(row.length, columns);
    const missing = columns - own;
    const inherited = Array.from(
      { length: missing },
      (_, col) => previous[col] ?? { text: '', start: 0, end: 0 },
    );
    const cells = [...inherited, ...row.slice(row.length - own)];
    out.push({ cells, own });
    previous = cells;
  }
  return out;
}

function countLabelColumns(grid: readonly { cells: RawCell[] }[], columns: number): number {
  let n = 0;
  for (let col = 0; col < columns - 1; col++) {
    const lengths = grid.map((r) => r.cells[col]?.text.length ?? 0);
    const avg = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
    if (avg > LABEL_COLUMN_MAX_AVG_CHARS) break;
    n++;
  }
  return n;
}

/** "19" and "提升家庭医生签约覆盖面" read better as one label: "19 提升家庭医生签约覆盖面". */
function mergeNumberLabels(labels: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? '';
    const next = labels[i + 1];
    if (NUMBER_CELL.test(label) && next) {
      out.push(`${label} ${next}`);
      i++;
    } else if (label && label !== out[out.length - 1]) out.push(label);
  }
  return out;
}

/**
 * The short lines right above a table (附件1 / title of the list) are its caption. With `keepHeadings`, a
 * clause heading ("一、…") is not taken: it belongs to the clause structure, which skips caption lines.
 */
function findCaptionStart(lines: readonly Line[], first: number, keepHeadings = false): number {
  let k = first;
  while (k > 0 && first - k < MAX_CAPTION_LINES) {
    const text = lines[k - 1]?.text.trim() ?? '';
    if (!text || text.length > 60 || /[。;;]$/.test(text) || /^附件\s*[:：]/.test(text)) break;
    // The date of a signature block above a table ends the notice: the caption begins after it.
    if (isDateLine(text)) break;
    if (keepHeadings && matchHeading(text)) break;
    k--;
    if (/^附件\s*\d*$/.test(text)) break;
  }
  return k;
}

// ---------------------------------------------------------------------------------------------------
// Markdown pipe tables

/** The `| --- | :---: |` line under a Markdown table's header. */
const SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;
/** A value that states a quantity (a digit that is not just a row number or a clause number). */
const QUANTITY = /\d/;
/** Spaces between CJK characters in a header are letter-spacing ("部  门"), not words. */
const CJK_SPACING = /(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])/g;

function isMarkdownTableStart(lines: readonly Line[], i: number): boolean {
  const header = lines[i]?.text ?? '';
  const separator = lines[i + 1]?.text ?? '';
  if (!header.includes('|') || !SEPARATOR.test(separator) || !separator.includes('|')) return false;
  return splitRow(header, 0).length === splitRow(separator, 0).length;
}

/**
 * A row line's cells with offsets into the full text: the trimmed cell, so that
 * `fullText.slice(start, end)` is the cell as written. The value unescapes `\|`; only cells with an
 * escaped pipe differ from their slice.
 */
function splitRow(text: string, offset: number): RawCell[] {
  const cells: RawCell[] = [];
  const inner = text.trimEnd();
  let from = inner.length - inner.trimStart().length;
  if (inner[from] === '|') from++;
  let to = inner.length;
  if (to > from && inner[to - 1] === '|' && inner[to - 2] !== '\\') to--;
  let cellStart = from;
  for (let k = from; k <= to; k++) {
    if (k === to || (inner[k] === '|' && inner[k - 1] !== '\\')) {
      const raw = inner.slice(cellStart, k);
      const lead = raw.length - raw.trimStart().length;
      const trimmed = raw.trim();
      const start = offset + cellStart + lead;
      cells.push({ text: trimmed.replace(/\\\|/g, '|'), start, end: start + trimmed.length });
      cellStart = k + 1;
    }
  }
  return cells;
}

/** Body rows run while lines keep the table's pipes (cleaned text has no blank line to end a table). */
function isBodyRow(text: string, headerHasLeadingPipe: boolean): boolean {
  const trimmed = text.trim();
  if (!trimmed.includes('|') || SEPARATOR.test(trimmed)) return false;
  return headerHasLeadingPipe ? trimmed.startsWith('|') : true;
}

/**
 * Header columns that a colspan repeated (or left empty) — "2024年度 | 2024年度" — group the columns
 * below them. Returns, per column, the index of the column that starts its group.
 */
function headerGroups(header: readonly string[]): number[] {
  const groups: number[] = [];
  header.forEach((text, col) => {
    const previous = groups[col - 1];
    const joins = col > 0 && previous !== undefined && (text === '' || text === header[col - 1]);
    groups.push(joins && header[previous] !== '' ? previous : col);
  });
  return groups;
}

/** A cell that can be a sub-header: no quantity in it, or a year ("2025年", "2024年度"). */
const HEADERISH = (cell: string) =>
  !QUANTITY.test(cell) || /^(?:19|20)\d{2}\s*年?度?(?:\s*[-—~至]\s*(?:19|20)?\d{2}\s*年?度?)?$/.test(cell);

/**
 * A first body row that continues a flattened multi-row header: under each repeated header it names
 * distinct sub-columns ("目标值 | 完成值"); the label columns before the first group repeat the header
 * above or are empty (rowspan); later single columns may name a sub-column of their own.
 */
function continuesHeader(header: readonly string[], row: readonly string[]): boolean {
  if (!row.every((cell) => !cell || HEADERISH(cell))) return false;
  const groups = headerGroups(header);
  let grouped = false;
  for (let col = 0; col < header.length; col++) {
    const group = groups[col] ?? col;
    const size = groups.filter((g) => g === group).length;
    const cell = row[col] ?? '';
    if (size >= 2) {
      const siblings = row.filter((_, c) => groups[c] === group);
      if (!cell || new Set(siblings).size !== siblings.length) return false;
      grouped = true;
    } else if (!grouped && cell !== '' && cell !== header[col]) return false;
  }
  return grouped;
}

function mergeHeader(header: readonly string[], sub: readonly string[]): string[] {
  const groups = headerGroups(header);
  return header.map((_, col) => {
    const top = header[groups[col] ?? col] ?? '';
    const below = sub[col] ?? '';
    return below && below !== top ? (top ? `${top} / ${below}` : below) : top;
  });
}

/** Leading columns that name the row: short, not quantities (row numbers and clause numbers do not count). */
function countMarkdownLabelColumns(rows: readonly RawCell[][], columns: number): number {
  let n = 0;
  for (let col = 0; col < columns - 1; col++) {
    const values = rows.map((r) => r[col]?.text ?? '').filter(Boolean);
    const avg = values.reduce((a, v) => a + v.length, 0) / Math.max(1, values.length);
    const quantities = values.filter((v) => QUANTITY.test(v) && !isRowStart(v)).length;
    if (avg > LABEL_COLUMN_MAX_AVG_CHARS || quantities * 2 > values.length) break;
    n++;
  }
  return n;
}

/** Cell offsets come from the lines' own offsets into the full text, so the text itself is not needed. */
function parseMarkdownTable(
  lines: readonly Line[],
  first: number,
): { table: ParsedTable | null; lastLine: number } {
  const headerLine = lines[first] as Line;
  const leadingPipe = headerLine.text.trimStart().startsWith('|');
  let last = first + 1;
  while (last + 1 < lines.length && isBodyRow(lines[last + 1]?.text ?? '', leadingPipe)) last++;
  const columns = splitRow(headerLine.text, headerLine.start).length;
  let headers = splitRow(headerLine.text, headerLine.start).map((c) => c.text.replace(CJK_SPACING, ''));
  const bodyLines = lines.slice(first + 2, last + 1);
  const rowCells = bodyLines.map((l) => {
    const cells = splitRow(l.text, l.start);
    return Array.from({ length: columns }, (_, c) => cells[c] ?? { text: '', start: l.end, end: l.end });
  });
  let firstBody = 0;
  while (firstBody < rowCells.length - 1) {
    const row = (rowCells[firstBody] ?? []).map((c) => c.text.replace(CJK_SPACING, ''));
    if (!continuesHeader(headers, row)) break;
    headers = mergeHeader(headers, row);
    firstBody++;
  }
  const dataRows = rowCells.slice(firstBody);
  const dataLines = bodyLines.slice(firstBody);
  if (dataRows.length === 0) return { table: null, lastLine: last };
  const labelColumns = countMarkdownLabelColumns(dataRows, columns);
  // A label cell left empty under a merged cell belongs to the row above (Markdown has no rowspan).
  const labelValues: string[] = [];
  const rows: TableRow[] = dataRows.map((row, r) => {
    const labels = row.slice(0, labelColumns).map((c, col) => {
      if (c.text) labelValues[col] = c.text;
      return labelValues[col] ?? '';
    });
    const line = dataLines[r] as Line;
    return {
      cells: row
        .map((c, col) => ({ header: headers[col] ?? '', value: c.text, start: c.start, end: c.end, col }))
        .filter((c) => c.col >= labelColumns && c.value !== '')
        .map(({ header, value, start, end }) => ({ header, value, start, end })),
      labels: mergeNumberLabels(labels),
      start: line.start,
      end: line.end,
    };
  });
  const captionFirst = findCaptionStart(lines, first, true);
  return {
    table: {
      caption: lines
        .slice(captionFirst, first)
        .map((l) => l.text.trim())
        .join(' '),
      headers,
      rows,
      firstLine: captionFirst,
      lastLine: last,
      start: lines[captionFirst]?.start ?? headerLine.start,
      end: lines[last]?.end ?? headerLine.end,
    },
    lastLine: last,
  };
}
