/**
 * Aggregate scores over a set and per tag. A metric whose denominator is empty is null (shown as "—")
 * rather than 0 or 1, so a set without unanswerable items does not report a perfect refusal accuracy.
 */
import type { ItemScore } from './score-item.ts';

export interface Metrics {
  items: number;
  answerable: number;
  unanswerable: number;
  /** Answerable items with quotes: the denominator of hit@k, MRR, citation recall and quote precision. */
  retrievalItems: number;
  errors: number;
  passed: number;
  passRate: number | null;
  hitAt1: number | null;
  hitAt5: number | null;
  hitAt10: number | null;
  mrr: number | null;
  answerAccuracy: number | null;
  /**
   * Answerable items answered with a lead line: share whose lead states every figure fact (ItemScore.leadCorrect).
   */
  leadAccuracy: number | null;
  /**
   * Over all citations of answerable items answered (status answered): share that hold part of the answer,
   * i.e. whose text contains one of the item's quotes or facts. Micro-averaged: every citation weighs the same.
   */
  citationPrecision: number | null;
  /** The earlier, stricter precision: over answerable items with quotes, cited clauses that contain a quote. */
  quotePrecision: number | null;
  citationRecall: number | null;
  /** Answerable items that name their clause: share whose answer cites it. */
  clauseAccuracy: number | null;
  refusalAccuracy: number | null;
  falseRefusalRate: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export type MetricKey = Exclude<
  keyof Metrics,
  'items' | 'answerable' | 'unanswerable' | 'retrievalItems' | 'errors' | 'passed'
>;

export interface MetricDefinition {
  key: MetricKey;
  label: string;
  unit: 'rate' | 'score' | 'ms';
  /** Which direction is an improvement, for baseline deltas. */
  higherIsBetter: boolean;
  /**
   * The report.json format version (REPORT_FORMAT_VERSION) from which the metric has its current meaning;
   * a baseline written in an earlier format is not compared on it. Absent: unchanged since version 1.
   */
  since?: number;
}

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  { key: 'passRate', label: 'Pass rate', unit: 'rate', higherIsBetter: true },
  { key: 'answerAccuracy', label: 'Answer accuracy', unit: 'rate', higherIsBetter: true },
  { key: 'leadAccuracy', label: 'Lead accuracy', unit: 'rate', higherIsBetter: true },
  { key: 'citationPrecision', label: 'Citation precision', unit: 'rate', higherIsBetter: true, since: 2 },
  { key: 'hitAt1', label: 'hit@1', unit: 'rate', higherIsBetter: true },
  { key: 'hitAt5', label: 'hit@5', unit: 'rate', higherIsBetter: true },
  { key: 'hitAt10', label: 'hit@10', unit: 'rate', higherIsBetter: true },
  { key: 'mrr', label: 'MRR', unit: 'score', higherIsBetter: true },
  { key: 'quotePrecision', label: 'Quote precision', unit: 'rate', higherIsBetter: true },
  { key: 'citationRecall', label: 'Citation recall', unit: 'rate', higherIsBetter: true },
  { key: 'clauseAccuracy', label: 'Clause cited', unit: 'rate', higherIsBetter: true },
  { key: 'refusalAccuracy', label: 'Refusal accuracy', unit: 'rate', higherIsBetter: true },
  { key: 'falseRefusalRate', label: 'False-refusal rate', unit: 'rate', higherIsBetter: false },
  { key: 'latencyP50Ms', label: 'Latency p50', unit: 'ms', higherIsBetter: false },
  { key: 'latencyP95Ms', label: 'Latency p95', unit: 'ms', higherIsBetter: false },
];

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Nearest-rank percentile: the smallest value with at least p% of values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

export function computeMetrics(scores: readonly ItemScore[]): Metrics {
  const answerable = scores.filter((score) => score.item.unanswerable !== true);
  const unanswerable = scores.filter((score) => score.item.unanswerable === true);
  const retrieval = answerable.filter((score) => score.item.quotes.length > 0);
  const answered = answerable.filter((score) => score.status === 'answered');
  const withLead = answerable.filter((score) => score.leadCorrect !== null);
  const hits = (k: number) =>
    retrieval.filter((score) => score.retrievalRank !== null && score.retrievalRank <= k).length;
  const sum = (list: readonly ItemScore[], pick: (score: ItemScore) => number) =>
    list.reduce((total, score) => total + pick(score), 0);
  const latencies = scores.filter((score) => score.error === null).map((score) => score.latencyMs);
  const passed = scores.filter((score) => score.passed).length;

  return {
    items: scores.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    retrievalItems: retrieval.length,
    errors: scores.filter((score) => score.error !== null).length,
    passed,
    passRate: ratio(passed, scores.length),
    hitAt1: ratio(hits(1), retrieval.length),
    hitAt5: ratio(hits(5), retrieval.length),
    hitAt10: ratio(hits(10), retrieval.length),
    mrr: ratio(
      sum(retrieval, (score) => (score.retrievalRank === null ? 0 : 1 / score.retrievalRank)),
      retrieval.length,
    ),
    answerAccuracy: ratio(scores.filter((score) => score.answerCorrect).length, scores.length),
    leadAccuracy: ratio(withLead.filter((score) => score.leadCorrect === true).length, withLead.length),
    citationPrecision: ratio(
      sum(answered, (score) => score.citedWithAnswer),
      sum(answered, (score) => score.citedTotal),
    ),
    quotePrecision: ratio(
      sum(retrieval, (score) => score.citedWithQuote),
      sum(retrieval, (score) => score.citedTotal),
    ),
    citationRecall: ratio(
      sum(retrieval, (score) => score.quotesCovered),
      sum(retrieval, (score) => score.item.quotes.length),
    ),
    clauseAccuracy: ratio(
      answerable.filter((score) => score.clauseCited === true).length,
      answerable.filter((score) => score.clauseCited !== null).length,
    ),
    refusalAccuracy: ratio(unanswerable.filter((score) => score.refused).length, unanswerable.length),
    falseRefusalRate: ratio(answerable.filter((score) => score.falseRefusal).length, answerable.length),
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
  };
}

/** Metrics for each tag (an item with several tags counts in each); untagged items only count overall. */
export function computeTagMetrics(scores: readonly ItemScore[]): Record<string, Metrics> {
  const byTag = new Map<string, ItemScore[]>();
  for (const score of scores) {
    for (const tag of new Set(score.item.tags ?? [])) {
      const list = byTag.get(tag) ?? [];
      list.push(score);
      byTag.set(tag, list);
    }
  }
  const tags = [...byTag.keys()].sort();
  return Object.fromEntries(tags.map((tag) => [tag, computeMetrics(byTag.get(tag) ?? [])]));
}

export function formatMetric(definition: MetricDefinition, value: number | null): string {
  if (value === null) return '—';
  if (definition.unit === 'rate') return `${(value * 100).toFixed(1)}%`;
  if (definition.unit === 'ms') return `${Math.round(value)} ms`;
  return value.toFixed(3);
}

/** A signed difference in the metric's own unit, e.g. "+4.2 pt", "-0.031", "+120 ms". */
export function formatDelta(definition: MetricDefinition, delta: number | null): string {
  if (delta === null) return '—';
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
  const size = Math.abs(delta);
  if (definition.unit === 'rate') return `${sign}${(size * 100).toFixed(1)} pt`;
  if (definition.unit === 'ms') return `${sign}${Math.round(size)} ms`;
  return `${sign}${size.toFixed(3)}`;
}
