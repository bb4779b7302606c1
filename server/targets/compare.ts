/**
 * One metric across regions and years, for comparison answers ("各地家庭医生签约服务覆盖率目标对比").
 * Rows keep the document's own wording (valueText) and the record each comes from, so every number shown
 * can be traced to its clause.
 */
import type { TargetRecord } from '../../ingest/model.ts';
import { metricGroup } from '../../ingest/targets/metric-groups.ts';

export interface CompareOptions {
  /** Only these regions (Chinese names as in TargetRecord.region). Default: all. */
  regions?: string[];
  /** Only targets due in these years. Default: all, including targets without a year. */
  years?: number[];
}

export interface ComparisonRow {
  region: string;
  year: number | null;
  qualifier: string | null;
  valueText: string;
  target: TargetRecord;
}

export interface MetricComparison {
  metricGroup: string;
  rows: ComparisonRow[];
}

const REGION_ORDER = new Intl.Collator('zh-CN');

/** Region, then year (targets without a year last), then qualifier, then position in the document. */
function compareRows(a: ComparisonRow, b: ComparisonRow): number {
  return (
    REGION_ORDER.compare(a.region, b.region) ||
    (a.year ?? Number.POSITIVE_INFINITY) - (b.year ?? Number.POSITIVE_INFINITY) ||
    REGION_ORDER.compare(a.qualifier ?? '', b.qualifier ?? '') ||
    a.target.docId.localeCompare(b.target.docId) ||
    a.target.start - b.target.start
  );
}

/** `metricGroupKey` may be a group key or any written form of the metric (签约服务覆盖率). */
export function compareMetric(
  targets: readonly TargetRecord[],
  metricGroupKey: string,
  options: CompareOptions = {},
): MetricComparison {
  const group = metricGroup(metricGroupKey);
  const rows = targets
    .filter(
      (t) =>
        t.metricGroup === group &&
        (!options.regions?.length || options.regions.includes(t.region)) &&
        (!options.years?.length || (t.year !== null && options.years.includes(t.year))),
    )
    .map((target) => ({
      region: target.region,
      year: target.year,
      qualifier: target.qualifier,
      valueText: target.valueText,
      target,
    }))
    .sort(compareRows);
  return { metricGroup: group, rows };
}
