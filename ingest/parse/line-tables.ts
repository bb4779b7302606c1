import type { Line } from './lines.ts';
import type { ParsedTable, TableRow } from './tables.ts';

/**
 * An indicator table copied from a web page as text loses its grid: every cell stands on a line of its own,
 *
 *   领域 / 序号 / 主要指标 / 单位 / 2020年 / 2025年目标 / 指标性质 / 健康水平 / 1 / 人均预期寿命 / 82.98 / >79 / 预期性 / 2 / …
 *
 * with empty cells left out (a row without a unit has one cell fewer) and a group label (健康水平) standing once
 * before the first row of its group. Such a table is read back here: the header is the run of column names
 * (one of them a year), each row runs from its serial number or metric to the cell of the last column
 * (预期性 / 约束性), and the row's values are aligned to the header from the right, so a missing unit
 * leaves the unit column empty rather than shifting the years.
 */

/** A header cell: a column name of an indicator table, or a year column (2020年, 2025年目标, 2025年度). */
const HEADER_CELL =
  /^(?:(?:19|20)\d{2}\s*年(?:度|目标|目标值|末)?|领域|类别|分类|序号|编号|主要指标|指标名称|指标|单位|计量单位|现状|基期|基期值|目标值|指标性质|指标属性|属性|性质|备注)$/;
/** A year column's header (2020年, 2025年目标, 2025年度), its year captured: shared by every table reader. */
export const YEAR_COLUMN = /^((?:19|20)\d{2})\s*年/;
const METRIC_HEADER = /^(?:主要指标|指标名称|指标)$/;
/** The last column's values: the cell that ends a row. */
const ROW_END = /^(?:预期性|约束性|指导性|预期|约束)$/;
const SERIAL = /^\d{1,3}$/;
/** A metric names something in words (5岁以下儿童死亡率); a figure, a dash or a unit (/10万) is a value. */
const METRIC_CELL = /\p{Script=Han}{2}/u;
/** A cell too long or too sentence-like to be a table cell: the table has ended. */
const NOT_A_CELL = /[。；;]/;
const MAX_CELL_CHARS = 40;
const MIN_HEADER_CELLS = 4;

interface Cell {
  text: string;
  start: number;
  end: number;
}

/**
 * The cell-per-line indicator table whose header starts at line `first`, with the index of its last line;
 * null when no such table starts there.
 */
export function parseLineTable(
  lines: readonly Line[],
  first: number,
): { table: ParsedTable; lastLine: number } | null {
  const header: string[] = [];
  let i = first;
  while (i < lines.length && HEADER_CELL.test(cellText(lines[i]))) header.push(cellText(lines[i++]));
  const metricCol = header.findIndex((h) => METRIC_HEADER.test(h));
  const endsWithKind = /性质|属性/.test(header.at(-1) ?? '');
  if (
    header.length < MIN_HEADER_CELLS ||
    metricCol < 0 ||
    !endsWithKind ||
    !header.slice(metricCol + 1).some((h) => YEAR_COLUMN.test(h))
  )
    return null;
  const valueHeaders = header.slice(metricCol + 1);
  const rows: TableRow[] = [];
  let group = '';
  let row: Cell[] = [];
  let last = i - 1;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const text = cellText(line);
    if (!line || !text || text.length > MAX_CELL_CHARS || NOT_A_CELL.test(text)) break;
    row.push({ text, start: line.start, end: line.end });
    if (!ROW_END.test(text)) continue;
    const read = readRow(row, valueHeaders, group);
    if (!read) break;
    group = read.group;
    rows.push(read.row);
    row = [];
    last = i;
  }
  if (!rows.length) return null;
  const start = lines[first]?.start ?? 0;
  return {
    table: {
      caption: '',
      headers: header,
      rows,
      firstLine: first,
      lastLine: last,
      start,
      end: lines[last]?.end ?? start,
    },
    lastLine: last,
  };
}

/**
 * One row's cells, from an optional group label and serial number to the last column: the metric is the
 * first cell after them, the rest its values, aligned to the value columns from the right.
 */
function readRow(
  cells: readonly Cell[],
  valueHeaders: readonly string[],
  group: string,
): { row: TableRow; group: string } | null {
  // A group label stands before the serial number of its first row ("健康水平" / "1"); a metric followed by
  // a small figure ("其中:… / 3 / 4 / 预期性") looks the same, so the row is read without a label if need be.
  const labelled =
    !SERIAL.test(cells[0]?.text ?? '') && SERIAL.test(cells[1]?.text ?? '')
      ? rowFrom(cells, 1, cells[0]?.text ?? '', valueHeaders)
      : null;
  return labelled ?? rowFrom(cells, 0, group, valueHeaders);
}

function rowFrom(
  cells: readonly Cell[],
  from: number,
  group: string,
  valueHeaders: readonly string[],
): { row: TableRow; group: string } | null {
  let k = from;
  const serial = SERIAL.test(cells[k]?.text ?? '') ? (cells[k++]?.text ?? '') : '';
  const metric = cells[k];
  const values = cells.slice(k + 1);
  if (!metric || !METRIC_CELL.test(metric.text) || !values.length || values.length > valueHeaders.length)
    return null;
  const offset = valueHeaders.length - values.length;
  const labels = [group, serial ? `${serial} ${metric.text}` : metric.text].filter(Boolean);
  return {
    group,
    row: {
      labels,
      cells: values.map((v, j) => ({
        header: valueHeaders[offset + j] ?? '',
        value: v.text,
        start: v.start,
        end: v.end,
      })),
      start: metric.start,
      end: values.at(-1)?.end ?? metric.end,
    },
  };
}

function cellText(line: Line | undefined): string {
  return line?.text.trim() ?? '';
}
