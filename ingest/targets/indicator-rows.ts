/**
 * Targets of an indicator table (十四五 plans list their indicators as 主要指标 | 单位 | 2020年 | 2025年 | 属性):
 * the metric is the row's label, the unit its 单位 cell (or a unit label beside it), and the value the cell of the
 * target-year column. Its cells are bare figures ("5.23", "<3", ">79"), which no sentence reader takes for a
 * target. A column whose header says 目标 is the target; otherwise the first of several year columns is the
 * baseline the plan starts from, and the later ones are targets.
 */
import type { Chunk, Comparator } from '../model.ts';
import { YEAR_COLUMN } from '../parse/line-tables.ts';
import { unitCategory } from '../text/numeric-units.ts';
import type { TargetCandidate } from './extract-from-sentence.ts';

const UNIT_COLUMN = /单位/;
/** A cell that is one figure, with the comparator and unit sign tables write around it. */
const FIGURE_CELL = /^([<>≤≥＜＞]=?)?\s*(\d+(?:\.\d+)?)\s*(%|‰)?\s*(以上|以下|左右|及以上|及以下)?$/;

/** The year cells of an indicator row hold figures and short words (持续改善), never sentences. */
const MAX_INDICATOR_CELL_CHARS = 12;

/**
 * Whether a table row is an indicator table's: year columns whose cells are no longer than a figure or a
 * word. Such a row names its metric only in its label, so its text and its candidate sentence carry it.
 */
export function isIndicatorRow(cells: readonly { header: string; value: string }[]): boolean {
  // The year columns hold the figures; other columns (责任单位) may list bodies at any length.
  const years = cells.filter((c) => YEAR_COLUMN.test(c.header.trim()));
  return years.length > 0 && years.every((c) => c.value.trim().length <= MAX_INDICATOR_CELL_CHARS);
}

/** The metric a row label names: without the serial number and the 其中: that tables put before it. */
function indicatorMetric(label: string): string {
  return label
    .replace(/^\d{1,3}\s+/, '')
    .replace(/^其中[:：]\s*/, '')
    .trim();
}

export interface IndicatorTarget extends Omit<TargetCandidate, 'start' | 'end'> {
  /** The cell the value comes from, in the chunk's cells. */
  cell: number;
}

/** The targets of one indicator-table row, or [] when the row is not one. */
export function indicatorRowTargets(chunk: Chunk): IndicatorTarget[] {
  const cells = chunk.cells ?? [];
  const years = cells
    .map((c, i) => ({
      i,
      year: Number(YEAR_COLUMN.exec(c.header.trim())?.[1] ?? Number.NaN),
      header: c.header,
    }))
    .filter((c) => !Number.isNaN(c.year));
  if (!years.length) return [];
  // Columns named 目标 are the targets; otherwise the first of several year columns is the baseline
  // (2023年 | 2025年 | 2027年: 2023 is where the plan starts) and a lone year column is the target.
  const named = years.filter((c) => /目标/.test(c.header));
  const first = Math.min(...years.map((c) => c.year));
  const targetColumns = named.length
    ? named
    : years.length > 1
      ? years.filter((c) => c.year !== first)
      : years;
  const metric = rowMetric(chunk.headingPath.slice(1));
  if (!metric) return [];
  const unitCell = cells.find((c) => UNIT_COLUMN.test(c.header))?.value.trim();
  const unitLabel = chunk.headingPath.slice(1).find(isUnit);
  const unit = unitCell && isUnit(unitCell) ? unitCell : (unitLabel ?? '');
  const out: IndicatorTarget[] = [];
  for (const column of targetColumns) {
    const written = cells[column.i]?.value.trim() ?? '';
    const m = FIGURE_CELL.exec(written.normalize('NFKC'));
    if (!m) continue;
    const sign = m[3] ?? '';
    const ownUnit = sign || unit;
    out.push({
      metric,
      qualifier: null,
      value: Number(m[2]),
      valueMax: null,
      // As written, with the unit of the 单位 column when the cell leaves it out: "28" in a % row is 28%.
      valueText: sign || !unit || written.includes(unit) ? written : `${written}${unit}`,
      unit: ownUnit,
      comparator: comparatorOf(m[1], m[4]),
      kind: 'target',
      year: column.year,
      yearSource: 'table-column',
      cell: column.i,
    });
  }
  return out;
}

/** The metric a row's labels name: the last that is not a unit, without its serial number and 其中:. */
export function rowMetric(labels: readonly string[]): string | null {
  const last = indicatorMetric(labels.filter((l) => !isUnit(l)).at(-1) ?? '');
  return /\p{Script=Han}{2}/u.test(last) ? last : null;
}

/** A unit as the 单位 column writes it: %, ‰, /10万, 岁, 张, 人 … */
function isUnit(text: string): boolean {
  const t = text.normalize('NFKC').trim();
  return /^(?:[%‰]|\/(?:10)?万|\/千)$/.test(t) || (t.length <= 3 && unitCategory(t) !== null);
}

function comparatorOf(sign: string | undefined, word: string | undefined): Comparator {
  if (sign && /[<＜≤]/.test(sign)) return '≤';
  if (sign && /[>＞≥]/.test(sign)) return '≥';
  if (word === '以上' || word === '及以上') return '≥';
  if (word === '以下' || word === '及以下') return '≤';
  if (word === '左右') return '≈';
  return '=';
}
