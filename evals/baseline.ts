/**
 * Compares a run with an earlier report.json: which items regressed (passed then, fail now), which were
 * fixed, and how each metric moved. Items are matched by id; ids only in one run are listed apart.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { METRIC_DEFINITIONS, type MetricKey } from './metrics.ts';

// Only what the comparison reads, so reports from older runner versions still load.
const BaselineReportSchema = z.looseObject({
  formatVersion: z.number().optional(),
  metrics: z.record(z.string(), z.number().nullable()),
  items: z.array(z.looseObject({ id: z.string(), question: z.string().optional(), passed: z.boolean() })),
});

export type BaselineReport = z.infer<typeof BaselineReportSchema>;

export interface ComparableRun {
  metrics: Partial<Record<MetricKey, number | null>>;
  items: readonly { id: string; question: string; passed: boolean }[];
}

export interface ChangedItem {
  id: string;
  question: string;
}

export interface MetricDelta {
  key: MetricKey;
  label: string;
  baseline: number | null;
  current: number | null;
  /** current − baseline; null when either is undefined. */
  delta: number | null;
  /** True when the change is an improvement, false when worse, null when unchanged or unknown. */
  improved: boolean | null;
}

export interface BaselineComparison {
  path: string;
  regressions: ChangedItem[];
  fixes: ChangedItem[];
  /** Ids in this run but not in the baseline. */
  added: string[];
  /** Ids in the baseline but not in this run. */
  removed: string[];
  deltas: MetricDelta[];
}

export async function readBaseline(path: string): Promise<BaselineReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read baseline ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`baseline ${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = BaselineReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `baseline ${path} is not an evaluation report.json (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
    );
  }
  return parsed.data;
}

export function compareToBaseline(
  current: ComparableRun,
  baseline: BaselineReport,
  path: string,
): BaselineComparison {
  const before = new Map(baseline.items.map((item) => [item.id, item]));
  const nowIds = new Set(current.items.map((item) => item.id));
  const regressions: ChangedItem[] = [];
  const fixes: ChangedItem[] = [];
  const added: string[] = [];
  for (const item of current.items) {
    const old = before.get(item.id);
    if (!old) added.push(item.id);
    else if (old.passed && !item.passed) regressions.push({ id: item.id, question: item.question });
    else if (!old.passed && item.passed) fixes.push({ id: item.id, question: item.question });
  }
  const removed = baseline.items.filter((item) => !nowIds.has(item.id)).map((item) => item.id);

  const baselineVersion = baseline.formatVersion ?? 1;
  const deltas = METRIC_DEFINITIONS.map((definition): MetricDelta => {
    // A metric whose meaning changed after the baseline was written has nothing to compare with there.
    const comparable = baselineVersion >= (definition.since ?? 1);
    const old = comparable ? (baseline.metrics[definition.key] ?? null) : null;
    const now = current.metrics[definition.key] ?? null;
    const delta = old === null || now === null ? null : now - old;
    const improved = delta === null || delta === 0 ? null : delta > 0 === definition.higherIsBetter;
    return { key: definition.key, label: definition.label, baseline: old, current: now, delta, improved };
  });

  return { path, regressions, fixes, added, removed, deltas };
}
