/**
 * `GET /api/targets/facets`: what the page's filter lists and the comparison's metric list are built from,
 * so that the page need not download every target to fill them. Each list counts the targets per value.
 */
import type { TargetRecord } from '../../ingest/model.ts';

/**
 * Longest list per facet. A select with more entries is no help to anyone, and this keeps the response small
 * (under ~100 kB) however large the corpus; the most frequent values are kept, and `truncated` says so.
 */
export const MAX_FACET_VALUES = 1000;

export interface FacetValue<T> {
  value: T;
  count: number;
}

/** A metric phrase with its English name from the glossary (null when the glossary has no term for it). */
export interface MetricFacet extends FacetValue<string> {
  english: string | null;
}

export interface MetricGroupFacet {
  key: string;
  /** The metric phrase most targets of the group use. */
  label: string;
  /** The label in English from the glossary, so the page's metric picker finds "family doctor"; or null. */
  english: string | null;
  count: number;
}

export interface TargetFacets {
  total: number;
  regions: FacetValue<string>[];
  years: FacetValue<number>[];
  metrics: MetricFacet[];
  metricGroups: MetricGroupFacet[];
  /** True when some list was cut at MAX_FACET_VALUES. */
  truncated: boolean;
}

function tally<T>(values: Iterable<T>): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Most frequent first; ties in code-point order so that the list is the same on every call. */
function mostFrequent<T extends string | number>(counts: Map<T, number>, max: number): FacetValue<T>[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([value, count]) => ({ value, count }));
}

/** Names a Chinese metric phrase in English (the glossary's `englishLabel`). */
export type EnglishLabel = (zhPhrase: string) => string | null;

export function targetFacets(
  targets: readonly TargetRecord[],
  englishLabel: EnglishLabel = () => null,
  max = MAX_FACET_VALUES,
): TargetFacets {
  const regions = tally(targets.map((t) => t.region));
  const years = tally(targets.flatMap((t) => (t.year === null ? [] : [t.year])));
  const metrics = tally(targets.map((t) => t.metric));
  const phrases = new Map<string, Map<string, number>>();
  for (const t of targets) {
    const group = phrases.get(t.metricGroup) ?? new Map<string, number>();
    group.set(t.metric, (group.get(t.metric) ?? 0) + 1);
    phrases.set(t.metricGroup, group);
  }
  const groups = mostFrequent(tally(targets.map((t) => t.metricGroup)), max).map(({ value, count }) => {
    const label = mostFrequent(phrases.get(value) ?? new Map<string, number>(), 1)[0]?.value ?? value;
    return { key: value, label, english: englishLabel(label), count };
  });
  const truncated = [regions, years, metrics, phrases].some((counts) => counts.size > max);
  return {
    total: targets.length,
    regions: mostFrequent(regions, max),
    years: mostFrequent(years, max),
    metrics: mostFrequent(metrics, max).map((m) => ({ ...m, english: englishLabel(m.value) })),
    metricGroups: groups,
    truncated,
  };
}
