/**
 * report.json: the machine-readable result of a run, and the file a later run uses as its baseline.
 * It keeps what a reader needs to judge each item (answer, citations, what was missed) without the
 * full retrieval lists, which would make the file large and are summarised by the retrieval rank.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnswerStatus } from '../server/answer/contract.ts';
import type { BaselineComparison } from './baseline.ts';
import { computeMetrics, computeTagMetrics, type Metrics } from './metrics.ts';
import { holdsAnswer, type ItemScore } from './score-item.ts';
import type { SetProblem } from './set-format.ts';

/**
 * 2: answers are scored against their lead line (ItemScore.answerCorrect), items carry `lead`, `leadCorrect`
 * and `missedLeadFacts`, citations `holdsAnswer`; `citationPrecision` counts citations holding a quote or a
 * fact over answered items (version 1's quote-only figure is now `quotePrecision`); `leadAccuracy` is new.
 */
export const REPORT_FORMAT_VERSION = 2;

export interface ReportCitation {
  n: number;
  docId: string;
  headingPath: string[];
  text: string;
  /** Contains one of the item's quotes or facts: counts for citation precision. */
  holdsAnswer: boolean;
}

export interface ReportItem {
  id: string;
  question: string;
  tags: string[];
  unanswerable: boolean;
  status: AnswerStatus | null;
  answer: string;
  /** The answer's lead line (AnswerResult.lead); null when it has none. */
  lead: string | null;
  citations: ReportCitation[];
  missedFacts: string[];
  /** Figure facts that the lead line does not state (see ItemScore.missedLeadFacts). */
  missedLeadFacts: string[];
  missedQuotes: string[];
  answerCorrect: boolean;
  /** Null when the item is unanswerable or the answer has no lead line. */
  leadCorrect: boolean | null;
  passed: boolean;
  retrievalRank: number | null;
  latencyMs: number;
  error: string | null;
}

export interface EvalReport {
  formatVersion: typeof REPORT_FORMAT_VERSION;
  set: { name: string; path: string; problems: SetProblem[] };
  /** What answered: "in-process (<index dir>)" or the server URL. */
  target: string;
  startedAt: string;
  finishedAt: string;
  metrics: Metrics;
  tags: Record<string, Metrics>;
  items: ReportItem[];
  baseline?: BaselineComparison;
}

export function toReportItem(score: ItemScore): ReportItem {
  return {
    id: score.item.id,
    question: score.item.question,
    tags: score.item.tags ?? [],
    unanswerable: score.item.unanswerable === true,
    status: score.status,
    answer: score.result?.answer ?? '',
    lead: score.result?.lead ?? null,
    citations: (score.result?.citations ?? []).map(({ n, docId, headingPath, text }) => ({
      n,
      docId,
      headingPath,
      text,
      holdsAnswer: holdsAnswer(score.item, text),
    })),
    missedFacts: score.missedFacts,
    missedLeadFacts: score.missedLeadFacts,
    missedQuotes: score.missedQuotes,
    answerCorrect: score.answerCorrect,
    leadCorrect: score.leadCorrect,
    passed: score.passed,
    retrievalRank: score.retrievalRank,
    latencyMs: Math.round(score.latencyMs),
    error: score.error,
  };
}

export interface ReportInput {
  setName: string;
  setPath: string;
  problems: SetProblem[];
  target: string;
  startedAt: Date;
  finishedAt: Date;
  scores: readonly ItemScore[];
}

/** The report of a run, without a baseline comparison (see compareToBaseline). */
export function buildReport(input: ReportInput): EvalReport {
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    set: { name: input.setName, path: input.setPath, problems: input.problems },
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    metrics: computeMetrics(input.scores),
    tags: computeTagMetrics(input.scores),
    items: input.scores.map(toReportItem),
  };
}

export async function writeReportJson(dir: string, report: EvalReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'report.json');
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  return path;
}
