/**
 * One target, however often its document states it. Plans state a figure in the text and again in their
 * annex table (西宁: clause 9 and the 2025年度 column); shown as two rows, two pieces of evidence and two
 * answer lines it reads as two targets, so it is one row that lists every statement.
 */
import type { TargetRecord } from '../../ingest/model.ts';
import type { TargetRow, TargetStatement } from '../service-types.ts';

/** Same document, place, year, population, metric and value: the same target. */
export function sameTargetKey(t: TargetRecord): string {
  return [t.docId, t.region, t.year, t.qualifier, t.metricGroup, t.value, t.valueMax, t.unit].join('|');
}

const statement = (t: TargetRecord): TargetStatement => ({
  chunkId: t.chunkId,
  headingPath: t.headingPath,
  quote: t.quote,
  start: t.start,
  end: t.end,
  yearSource: t.yearSource,
});

/** Targets in their order, each target once (its first statement) with the others in `alsoStatedIn`. */
export function mergeSameTargets(targets: readonly TargetRecord[]): TargetRow[] {
  const byKey = new Map<string, TargetRow>();
  for (const t of targets) {
    const key = sameTargetKey(t);
    const first = byKey.get(key);
    if (!first) byKey.set(key, { ...t, alsoStatedIn: [] });
    else if (first.chunkId !== t.chunkId || first.start !== t.start) first.alsoStatedIn.push(statement(t));
  }
  return [...byKey.values()];
}
