/**
 * The CI gate: the reasons, if any, a run should fail a build. Each reason names the metric or item so
 * the log says what to look at.
 */
import { formatMetric, METRIC_DEFINITIONS, type MetricKey } from './metrics.ts';
import type { EvalReport } from './report-json.ts';

export interface GateOptions {
  /** Minimum answer accuracy, 0–1. Default: not checked. */
  minAnswerAccuracy?: number;
  /** Minimum hit@5, 0–1. Default: not checked. */
  minHitAt5?: number;
  /** Minimum refusal accuracy, 0–1. Default: not checked. */
  minRefusalAccuracy?: number;
  /** Fail when an item that passed in the baseline fails now. Default false. */
  failOnRegression?: boolean;
}

/** How many ids a failure line lists before "and N more". */
const MAX_IDS_LISTED = 10;

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_IDS_LISTED).join(', ');
  return ids.length > MAX_IDS_LISTED ? `${shown} and ${ids.length - MAX_IDS_LISTED} more` : shown;
}

export function gateFailures(report: EvalReport, options: GateOptions): string[] {
  const failures: string[] = [];
  const thresholds: [MetricKey, number | undefined][] = [
    ['answerAccuracy', options.minAnswerAccuracy],
    ['hitAt5', options.minHitAt5],
    ['refusalAccuracy', options.minRefusalAccuracy],
  ];
  for (const [key, minimum] of thresholds) {
    if (minimum === undefined) continue;
    const definition = METRIC_DEFINITIONS.find((entry) => entry.key === key)!;
    const value = report.metrics[key];
    if (value === null) {
      failures.push(
        `${definition.label} is undefined for this set (no items it applies to); required ≥ ${formatMetric(definition, minimum)}`,
      );
    } else if (value < minimum) {
      failures.push(
        `${definition.label} ${formatMetric(definition, value)} is below the minimum ${formatMetric(definition, minimum)}`,
      );
    }
  }
  const regressions = report.baseline?.regressions ?? [];
  if (options.failOnRegression && regressions.length > 0) {
    failures.push(
      `${regressions.length} regression(s) against the baseline: ${listIds(regressions.map((item) => item.id))}`,
    );
  }
  const errored = report.items.filter((item) => item.error !== null);
  if (errored.length > 0) {
    const first = errored[0]!;
    failures.push(
      `${errored.length} item(s) failed with an error: ${listIds(errored.map((item) => item.id))} (first: ${first.error})`,
    );
  }
  return failures;
}
