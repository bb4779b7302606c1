/**
 * report.html: one self-contained page (inline CSS and script, no network) with the metrics, and one
 * row per item showing its answer and citations, filterable by pass/fail and tag. Against a baseline,
 * regressions come first. Every piece of set, answer and document text goes through escapeHtml; the
 * inline script reads only data- attributes, never interpolated text.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDelta, formatMetric, METRIC_DEFINITIONS } from './metrics.ts';
import type { EvalReport, ReportItem } from './report-json.ts';
import { METRIC_NOTES } from './report-markdown.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const HAN = /\p{Script=Han}/u;
/** A stretch of Chinese: Han characters with the CJK punctuation and the figures written around them. */
const CHINESE_RUN = /[0-9.%]*(?:[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+[0-9.%]*)+/gu;

/**
 * Text of the set, the answers or the documents, escaped, with each stretch of Chinese in a
 * `<span lang="zh-CN">`: the report's own words are English (`<html lang="en">`), so a screen reader reads
 * the Chinese as Chinese and the browser picks a CJK font for it (issue 13).
 */
export function textHtml(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(CHINESE_RUN)) {
    if (!HAN.test(match[0])) continue;
    html += `${escapeHtml(text.slice(last, match.index))}<span lang="zh-CN">${escapeHtml(match[0])}</span>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

const STYLE = `
body { font: 14px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #d0d0d5; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.better { color: #0a7a2f; } .worse { color: #b3261e; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-weight: 600; font-size: .8rem; }
.pass { background: #d7f5df; color: #0a5a22; } .fail { background: #fbdada; color: #8a1c16; }
.regression { background: #8a1c16; color: #fff; }
.answer { white-space: pre-wrap; max-width: 48rem; }
.missed { color: #8a1c16; } .muted { color: #6b6b73; }
.citation { margin: .3rem 0; max-width: 48rem; } .citation .where { color: #444; font-size: .85rem; }
.citation.off-answer { opacity: .65; } .lead { font-weight: 600; }
.filters { margin: 1rem 0; display: flex; gap: 1rem; align-items: center; }
tr[hidden] { display: none; }
`;

// Reads only data- attributes, so no report text is ever interpreted as script.
const SCRIPT = `
(function () {
  var outcome = document.getElementById('filter-outcome');
  var tag = document.getElementById('filter-tag');
  var count = document.getElementById('filter-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.item'));
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var tags = JSON.parse(row.getAttribute('data-tags') || '[]');
      var okOutcome = outcome.value === 'all' || row.getAttribute('data-outcome') === outcome.value ||
        (outcome.value === 'fail' && row.getAttribute('data-outcome') === 'regression');
      var okTag = tag.value === '' || tags.indexOf(tag.value) !== -1;
      row.hidden = !(okOutcome && okTag);
      if (!row.hidden) shown += 1;
    });
    count.textContent = shown + ' of ' + rows.length + ' items';
  }
  outcome.addEventListener('change', apply);
  tag.addEventListener('change', apply);
  apply();
})();
`;

function metricsTable(report: EvalReport): string {
  const deltas = report.baseline?.deltas;
  const header = deltas
    ? '<tr><th>Metric</th><th>Value</th><th>Baseline</th><th>Δ</th></tr>'
    : '<tr><th>Metric</th><th>Value</th></tr>';
  const rows = METRIC_DEFINITIONS.map((definition) => {
    let cells = `<td>${escapeHtml(definition.label)}</td><td class="num">${escapeHtml(formatMetric(definition, report.metrics[definition.key]))}</td>`;
    const delta = deltas?.find((entry) => entry.key === definition.key);
    if (deltas) {
      const tone = delta?.improved === true ? 'better' : delta?.improved === false ? 'worse' : '';
      cells +=
        `<td class="num">${escapeHtml(formatMetric(definition, delta?.baseline ?? null))}</td>` +
        `<td class="num ${tone}">${escapeHtml(formatDelta(definition, delta?.delta ?? null))}</td>`;
    }
    return `<tr>${cells}</tr>`;
  });
  return `<table>${header}${rows.join('')}</table>`;
}

function tagTable(report: EvalReport): string {
  const entries = Object.entries(report.tags);
  if (entries.length === 0) return '';
  const header = `<tr><th>Tag</th><th>Items</th>${METRIC_DEFINITIONS.map((d) => `<th>${escapeHtml(d.label)}</th>`).join('')}</tr>`;
  const rows = entries.map(
    ([tag, metrics]) =>
      `<tr><td>${textHtml(tag)}</td><td class="num">${metrics.items}</td>${METRIC_DEFINITIONS.map(
        (d) => `<td class="num">${escapeHtml(formatMetric(d, metrics[d.key]))}</td>`,
      ).join('')}</tr>`,
  );
  return `<h2>Metrics per tag</h2><table>${header}${rows.join('')}</table>`;
}

function list(label: string, values: readonly string[]): string {
  if (values.length === 0) return '';
  return `<div class="missed">${escapeHtml(label)}: ${values.map((v) => `<q>${textHtml(v)}</q>`).join(', ')}</div>`;
}

function itemRow(item: ReportItem, regressed: boolean): string {
  const outcome = regressed ? 'regression' : item.passed ? 'pass' : 'fail';
  const badge = regressed
    ? '<span class="badge regression">REGRESSION</span>'
    : item.passed
      ? '<span class="badge pass">PASS</span>'
      : '<span class="badge fail">FAIL</span>';
  const citations = item.citations
    .map(
      (citation) =>
        `<div class="citation${citation.holdsAnswer ? '' : ' off-answer'}"><div class="where">[${citation.n}] ${escapeHtml(citation.docId)}` +
        `${citation.headingPath.length > 0 ? ` · ${textHtml(citation.headingPath.join(' › '))}` : ''}` +
        `${citation.holdsAnswer ? '' : ' · holds no quote or fact'}</div>` +
        `<div>${textHtml(citation.text)}</div></div>`,
    )
    .join('');
  const details = [
    item.error ? `<div class="missed">Error: ${textHtml(item.error)}</div>` : '',
    list('Missed facts', item.missedFacts),
    list(
      'Not in the lead line',
      item.missedLeadFacts.filter((fact) => !item.missedFacts.includes(fact)),
    ),
    list('Quotes not cited', item.missedQuotes),
  ].join('');
  const lead =
    item.leadCorrect === null
      ? ''
      : `<div class="muted">lead <span class="lead">${item.leadCorrect ? 'right' : 'wrong'}</span></div>`;
  return (
    `<tr class="item" id="item-${escapeHtml(item.id)}" data-outcome="${outcome}" data-tags="${escapeHtml(JSON.stringify(item.tags))}">` +
    `<td>${badge}</td>` +
    `<td><strong>${escapeHtml(item.id)}</strong><div>${textHtml(item.question)}</div>` +
    `<div class="muted">${item.tags.map(textHtml).join(', ')}${item.unanswerable ? ' · expects not_found' : ''}</div></td>` +
    `<td>${escapeHtml(item.status ?? '—')}<div class="muted">rank ${item.retrievalRank ?? '—'} · ${item.latencyMs} ms</div>${lead}</td>` +
    `<td><div class="answer">${textHtml(item.answer)}</div>${details}` +
    `${citations ? `<details><summary>${item.citations.length} citation${item.citations.length === 1 ? '' : 's'}</summary>${citations}</details>` : ''}</td>` +
    '</tr>'
  );
}

function baselineSection(report: EvalReport): string {
  const baseline = report.baseline;
  if (!baseline) return '';
  const link = (entry: { id: string; question: string }) =>
    `<li><a href="#item-${escapeHtml(entry.id)}">${escapeHtml(entry.id)}</a> ${textHtml(entry.question)}</li>`;
  return (
    `<h2>Against baseline <code>${escapeHtml(baseline.path)}</code></h2>` +
    `<p>${baseline.regressions.length} regressions, ${baseline.fixes.length} fixes, ${baseline.added.length} new items, ${baseline.removed.length} items no longer in the set.</p>` +
    (baseline.regressions.length > 0
      ? `<h3>Regressions</h3><ul>${baseline.regressions.map(link).join('')}</ul>`
      : '') +
    (baseline.fixes.length > 0 ? `<h3>Fixes</h3><ul>${baseline.fixes.map(link).join('')}</ul>` : '')
  );
}

export function renderHtml(report: EvalReport): string {
  const regressed = new Set(report.baseline?.regressions.map((entry) => entry.id) ?? []);
  const ordered = [
    ...report.items.filter((item) => regressed.has(item.id)),
    ...report.items.filter((item) => !regressed.has(item.id)),
  ];
  const m = report.metrics;
  const tagOptions = Object.keys(report.tags)
    .map(
      (tag) =>
        `<option value="${escapeHtml(tag)}"${HAN.test(tag) ? ' lang="zh-CN"' : ''}>${escapeHtml(tag)}</option>`,
    )
    .join('');
  const problems =
    report.set.problems.length > 0
      ? `<h2>Set lines skipped</h2><ul>${report.set.problems.map((p) => `<li>line ${p.line}: ${textHtml(p.message)}</li>`).join('')}</ul>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evaluation report: ${escapeHtml(report.set.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Evaluation report: ${textHtml(report.set.name)}</h1>
<p class="muted">Set <code>${escapeHtml(report.set.path)}</code> against ${escapeHtml(report.target)}, ${escapeHtml(report.startedAt)} – ${escapeHtml(report.finishedAt)}</p>
<p>${m.items} items (${m.answerable} answerable, ${m.unanswerable} unanswerable, ${m.retrievalItems} with quotes); ${m.passed} passed; ${m.errors} errors.</p>
${baselineSection(report)}
<h2>Overall metrics</h2>
${metricsTable(report)}
<p class="muted">${escapeHtml(METRIC_NOTES)}</p>
${tagTable(report)}
<h2>Items</h2>
<div class="filters">
<label>Show <select id="filter-outcome"><option value="all">all</option><option value="fail">failed</option><option value="pass">passed</option>${regressed.size > 0 ? '<option value="regression">regressions</option>' : ''}</select></label>
<label>Tag <select id="filter-tag"><option value="">any</option>${tagOptions}</select></label>
<span id="filter-count" class="muted"></span>
</div>
<table>
<tr><th></th><th>Question</th><th>Status</th><th>Answer and citations</th></tr>
${ordered.map((item) => itemRow(item, regressed.has(item.id))).join('\n')}
</table>
${problems}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

export async function writeReportHtml(dir: string, report: EvalReport): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'report.html');
  await writeFile(path, renderHtml(report), 'utf8');
  return path;
}
