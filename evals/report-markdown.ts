/**
 * report.md: the run as Markdown tables (overall metrics, per-tag metrics, regressions, failures), for
 * pasting into a pull request or reading in a terminal.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDelta, formatMetric, METRIC_DEFINITIONS, type Metrics } from './metrics.ts';
import type { EvalReport, ReportItem } from './report-json.ts';

/** Long answers and quotes are cut in table cells; report.json and report.html keep them whole. */
const CELL_MAX_CHARS = 160;

const TAG_COLUMNS = [
  'passRate',
  'answerAccuracy',
  'leadAccuracy',
  'citationPrecision',
  'hitAt5',
  'mrr',
  'citationRecall',
  'refusalAccuracy',
  'falseRefusalRate',
] as const;

/** What the figures that are not self-explanatory count, printed under the overall table. */
export const METRIC_NOTES =
  'Answer accuracy: answerable items need every fact in the answer and, when it has a lead line, every figure ' +
  'fact in that line; unanswerable items need not_found. Lead accuracy: of answerable items answered with a ' +
  'lead line, those whose lead states every figure fact. Citation precision: of all citations of answered ' +
  'answerable items, those containing a quote or a fact of the item. Quote precision: the quote-only variant ' +
  'over items with quotes.';

/** Text safe inside a table cell: pipes escaped, line breaks flattened, HTML not interpreted. */
export function markdownCell(text: string, maxChars = CELL_MAX_CHARS): string {
  const flat = text.replace(/\s*\r?\n\s*/g, ' ');
  const cut = flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
  return cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

function countsLine(metrics: Metrics): string {
  return (
    `${metrics.items} items (${metrics.answerable} answerable, ${metrics.unanswerable} unanswerable, ` +
    `${metrics.retrievalItems} with quotes); ${metrics.passed} passed; ${metrics.errors} errors.`
  );
}

function overallTable(report: EvalReport): string {
  const deltas = report.baseline?.deltas;
  const header = deltas ? ['Metric', 'Value', 'Baseline', 'Δ'] : ['Metric', 'Value'];
  const rows = METRIC_DEFINITIONS.map((definition) => {
    const cells = [definition.label, formatMetric(definition, report.metrics[definition.key])];
    const delta = deltas?.find((entry) => entry.key === definition.key);
    if (deltas)
      cells.push(
        formatMetric(definition, delta?.baseline ?? null),
        formatDelta(definition, delta?.delta ?? null),
      );
    return cells;
  });
  return table(header, rows);
}

function tagTable(report: EvalReport): string {
  const definitions = TAG_COLUMNS.map(
    (key) => METRIC_DEFINITIONS.find((definition) => definition.key === key)!,
  );
  const rows = Object.entries(report.tags).map(([tag, metrics]) => [
    markdownCell(tag),
    String(metrics.items),
    ...definitions.map((definition) => formatMetric(definition, metrics[definition.key])),
  ]);
  return table(['Tag', 'Items', ...definitions.map((definition) => definition.label)], rows);
}

/** Facts missing from the answer, then figure facts that are in the answer but not in its lead line. */
function missedFactsCell(item: ReportItem): string {
  const notInLead = item.missedLeadFacts.filter((fact) => !item.missedFacts.includes(fact));
  return markdownCell([...item.missedFacts, ...notInLead.map((fact) => `${fact} (not in lead)`)].join('; '));
}

function failureRow(item: ReportItem): string[] {
  const note = item.error
    ? `error: ${item.error}`
    : item.unanswerable
      ? 'expected not_found'
      : `retrieval rank ${item.retrievalRank ?? 'none'}`;
  return [
    markdownCell(item.id),
    markdownCell(item.question),
    item.status ?? '—',
    missedFactsCell(item),
    markdownCell(item.missedQuotes.join('; ')),
    markdownCell(item.answer),
    markdownCell(note),
  ];
}

export function renderMarkdown(report: EvalReport): string {
  const parts = [
    `# Evaluation report: ${markdownCell(report.set.name)}`,
    `Set \`${report.set.path}\` against ${markdownCell(report.target)}, ${report.startedAt} – ${report.finishedAt}.`,
    countsLine(report.metrics),
    '## Overall metrics',
    overallTable(report),
    METRIC_NOTES,
  ];
  if (Object.keys(report.tags).length > 0) parts.push('## Metrics per tag', tagTable(report));
  const baseline = report.baseline;
  if (baseline) {
    parts.push(
      `## Against baseline \`${baseline.path}\``,
      `${baseline.regressions.length} regressions, ${baseline.fixes.length} fixes, ` +
        `${baseline.added.length} new items, ${baseline.removed.length} items no longer in the set.`,
    );
    if (baseline.regressions.length > 0) {
      parts.push(
        '### Regressions',
        table(
          ['Id', 'Question'],
          baseline.regressions.map((item) => [markdownCell(item.id), markdownCell(item.question)]),
        ),
      );
    }
    if (baseline.fixes.length > 0) {
      parts.push(
        '### Fixes',
        table(
          ['Id', 'Question'],
          baseline.fixes.map((item) => [markdownCell(item.id), markdownCell(item.question)]),
        ),
      );
    }
  }
  const failures = report.items.filter((item) => !item.passed);
  parts.push(
    `## Failures (${failures.length})`,
    failures.length === 0
      ? 'None.'
      : table(
          ['Id', 'Question', 'Status', 'Missed facts', 'Missed quotes', 'Answer', 'Note'],
          failures.map(failureRow),
        ),
  );
  if (report.set.problems.length > 0) {
    parts.push(
      '## Set lines skipped',
      table(
        ['Line', 'Problem'],
        report.set.problems.map((problem) => [String(problem.line), markdownCell(problem.message)]),
      ),
    );
  }
  return `${parts.join('\n\n')}\n`;
}

export async function writeReportMarkdown(dir: string, report: EvalReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'report.md');
  await writeFile(path, renderMarkdown(report), 'utf8');
  return path;
}
