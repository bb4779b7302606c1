import type { TableCell } from '../model.ts';
import type { Line } from './lines.ts';

/**
 * Rebuilds the pipe-separated tables that web pages leave behind when a <table> is copied as text:
 * every cell ends with " |", usually one cell per line, a cell may continue over several lines, cells
 * spanning several rows (rowspan) are left out of the rows below them, and stray "|" / "||" lines mark
 * empty cells or row ends.
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
    if (!isPipeLine(lines[i]?.text ?? '')) {
      i++;
      continue;
    }
    const first = i;
    let last = i;
    for (let j = i + 1; j < lines.length && j - last <= MAX_GAP_LINES; j++) {
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
  const labelColumns = countLabelColumns(grid, columns);
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
  for (const cell of cells) {
    if (cell.text === '') {
      if (row.length >= 2) flush();
      continue;
    }
    const startsRow =
      SECTION_CELL.test(cell.text) ||
      NUMBER_CELL.test(cell.text) ||
      (TASK_CELL.test(cell.text) && !(row.length === 1 && SECTION_CELL.test(row[0]?.text ?? '')));
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

/** The short lines right above a table (附件1 / title of the list) are its caption. */
function findCaptionStart(lines: readonly Line[], first: number): number {
  let k = first;
  while (k > 0 && first - k < MAX_CAPTION_LINES) {
    const text = lines[k - 1]?.text.trim() ?? '';
    if (!text || text.length > 60 || /[。;;]$/.test(text) || /^附件\s*[::]/.test(text)) break;
    k--;
    if (/^附件\s*\d*$/.test(text)) break;
  }
  return k;
}
