/**
 * An HTML `<table>` as the GitHub-flavoured Markdown pipe table of the loader contract (loader.ts): one header
 * row, a `| --- |` separator, one line per body row; rowspan/colspan values repeated into every row and
 * column they cover, so that each row can be read on its own; `|` in a cell escaped as `\|`.
 */

/** Spans larger than this are typos or "span to the end" values; clamped so a bad page cannot blow up memory. */
const MAX_SPAN = 200;
/** A cell holding more text than this is a page region laid out with a table, not a table of data. */
const LAYOUT_CELL_MAX_CHARS = 1500;

/** The row elements of a table, in order, not those of tables nested in its cells. */
function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of Array.from(table.children)) {
    const tag = child.tagName.toLowerCase();
    if (tag === 'tr') rows.push(child);
    else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot') {
      for (const row of Array.from(child.children)) if (row.tagName.toLowerCase() === 'tr') rows.push(row);
    }
  }
  return rows;
}

function cellsOf(row: Element): Element[] {
  return Array.from(row.children).filter((c) => /^t[dh]$/i.test(c.tagName));
}

function span(cell: Element, name: 'rowspan' | 'colspan'): number {
  const n = Number.parseInt(cell.getAttribute(name) ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_SPAN) : 1;
}

/**
 * Tables used for page layout (a whole page in one cell, nested tables, a single column) read as
 * ordinary blocks: written as a pipe table they would put a document on one line.
 */
function isLayoutTable(table: Element, rows: readonly Element[]): boolean {
  if (table.getAttribute('role') === 'presentation') return true;
  if (table.querySelector('table')) return true;
  const widest = Math.max(0, ...rows.map((r) => cellsOf(r).reduce((n, c) => n + span(c, 'colspan'), 0)));
  if (widest < 2 || rows.length < 2) return true;
  return rows.some((r) => cellsOf(r).some((c) => (c.textContent ?? '').length > LAYOUT_CELL_MAX_CHARS));
}

interface GridCell {
  text: string;
  header: boolean;
}

/** Places every cell in a grid, repeating spanned cells into each slot they cover. */
function buildGrid(rows: readonly Element[], cellText: (cell: Element) => string): GridCell[][] {
  const grid: GridCell[][] = rows.map(() => []);
  rows.forEach((row, r) => {
    let col = 0;
    for (const cell of cellsOf(row)) {
      while (grid[r]?.[col]) col++;
      const value: GridCell = { text: cellText(cell), header: cell.tagName.toLowerCase() === 'th' };
      const rowSpan = Math.min(span(cell, 'rowspan'), rows.length - r);
      const colSpan = span(cell, 'colspan');
      for (let dr = 0; dr < rowSpan; dr++) {
        const target = grid[r + dr];
        if (!target) continue;
        for (let dc = 0; dc < colSpan; dc++) target[col + dc] = value;
      }
      col += colSpan;
    }
  });
  return grid;
}

/** Leading rows in `<thead>` or made only of `<th>` are header rows; without any, the first row is. */
function countHeaderRows(rows: readonly Element[], grid: readonly GridCell[][]): number {
  let n = 0;
  while (n < rows.length - 1) {
    const row = rows[n];
    const inHead = row?.parentElement?.tagName.toLowerCase() === 'thead';
    const allTh = (grid[n] ?? []).every((c) => c?.header);
    if (!inHead && !allTh) break;
    n++;
  }
  return Math.max(n, 1);
}

/** Several header rows become one: "2024年度 / 目标值"; a value repeated down a rowspan is said once. */
function mergeHeaderRows(rows: readonly string[][], columns: number): string[] {
  return Array.from({ length: columns }, (_, col) => {
    const parts: string[] = [];
    for (const row of rows) {
      const text = row[col] ?? '';
      if (text && parts[parts.length - 1] !== text) parts.push(text);
    }
    return parts.join(' / ');
  });
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');
const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;

/** The table's lines as a Markdown pipe table, or null when it is a layout table to be read as blocks. */
export function renderTable(table: Element, cellText: (cell: Element) => string): string[] | null {
  const rows = rowsOf(table);
  if (isLayoutTable(table, rows)) return null;
  const grid = buildGrid(rows, cellText);
  const columns = Math.max(...grid.map((r) => r.length));
  const texts = grid.map((r) => Array.from({ length: columns }, (_, c) => r[c]?.text ?? ''));
  const headerCount = countHeaderRows(rows, grid);
  const header = mergeHeaderRows(texts.slice(0, headerCount), columns);
  // Rows left empty by the page (spacer rows) are not rows of data.
  const body = texts.slice(headerCount).filter((r) => r.some(Boolean));
  const caption = Array.from(table.children).find((c) => c.tagName.toLowerCase() === 'caption');
  const captionText = caption ? cellText(caption) : '';
  return [
    ...(captionText ? [captionText] : []),
    line(header),
    line(header.map(() => '---')),
    ...body.map(line),
  ];
}
