/**
 * Numeric targets: a filterable table (with CSV download), a region × year comparison of one metric, and
 * the claim check. Every value links to the clause it was read from. All of it copes with an empty list.
 */
import { getJson, listDocuments, postJson } from './api.js';
import { openDocument } from './doc-panel.js';
import { append, byId, clear, h } from './dom.js';
import { errorMessage, t } from './i18n.js';

const targetsForm = byId('targets-form');
const csvLink = byId('targets-csv');
const targetsStatus = byId('targets-status');
const targetsTable = byId('targets-table');
const compareSelect = byId('compare-metric');
const compareStatus = byId('compare-status');
const compareTable = byId('compare-table');
const checkForm = byId('check-form');
const claimInput = byId('claim');
const checkResult = byId('check-result');

/** Every target, fetched once per page: the option lists and the comparison are built from it. */
let allTargets = null;

async function loadAllTargets() {
  if (!allTargets) {
    allTargets = getJson('/api/targets').then((body) => body.targets);
    allTargets.catch(() => {
      allTargets = null;
    });
  }
  return allTargets;
}

function sourceButton(target, title) {
  return h('button', {
    type: 'button',
    class: 'source-link',
    text: title ?? target.headingPath.at(-1) ?? target.docId,
    on: {
      click: (event) =>
        openDocument(
          {
            docId: target.docId,
            start: target.start,
            end: target.end,
            clause: target.headingPath.join(' › '),
          },
          event.currentTarget,
        ),
    },
  });
}

function valueLabel(target) {
  return target.qualifier ? `${target.valueText} (${target.qualifier})` : target.valueText;
}

function fillSelect(select, values, selected) {
  clear(select);
  select.append(h('option', { value: '', text: t('any') }));
  for (const value of values) {
    select.append(
      h('option', { value: String(value), text: String(value), selected: String(value) === selected }),
    );
  }
}

function currentFilter() {
  const data = new FormData(targetsForm);
  const filter = {};
  for (const key of ['region', 'year', 'metric', 'q']) {
    const value = String(data.get(key) ?? '').trim();
    if (value) filter[key] = value;
  }
  return filter;
}

function targetsTableNode(targets, titles) {
  const head = ['colRegion', 'colYear', 'colMetric', 'colValue', 'colSource'].map((key) =>
    h('th', { scope: 'col', text: t(key) }),
  );
  const rows = targets.map((target) =>
    h(
      'tr',
      { 'data-target-id': target.id },
      h('td', { class: 'nowrap', text: target.region }),
      h('td', { class: 'nowrap', text: target.year ?? t('noYear') }),
      h('td', { text: target.metric }),
      h('td', { text: valueLabel(target) }),
      h(
        'td',
        {},
        sourceButton(target, titles.get(target.docId)),
        h('span', { class: 'quote', text: target.quote }),
      ),
    ),
  );
  return h('table', {}, h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...rows));
}

async function documentTitles() {
  try {
    return new Map((await listDocuments()).map((doc) => [doc.docId, doc.title]));
  } catch {
    return new Map();
  }
}

async function showTargets() {
  const filter = currentFilter();
  csvLink.href = `/api/targets?${new URLSearchParams({ ...filter, format: 'csv' })}`;
  targetsStatus.textContent = t('loading');
  clear(targetsTable);
  try {
    const [{ targets }, titles] = await Promise.all([getJson('/api/targets', filter), documentTitles()]);
    if (targets.length === 0) {
      const everything = Object.keys(filter).length === 0;
      targetsStatus.textContent = everything ? t('targetsNone') : t('targetsEmpty');
      return;
    }
    targetsStatus.textContent = t('targetCount', { n: targets.length });
    targetsTable.append(targetsTableNode(targets, titles));
  } catch (err) {
    targetsStatus.textContent = t('loadFailed', { message: errorMessage(err) });
  }
}

export async function renderTargets() {
  const selected = currentFilter();
  try {
    const targets = await loadAllTargets();
    const sorted = (values) => [...new Set(values)].sort((a, b) => String(a).localeCompare(String(b), 'zh'));
    fillSelect(byId('filter-region'), sorted(targets.map((x) => x.region)), selected.region);
    fillSelect(
      byId('filter-year'),
      sorted(targets.map((x) => x.year).filter((y) => y !== null)),
      selected.year,
    );
    fillSelect(byId('filter-metric'), sorted(targets.map((x) => x.metric)), selected.metric);
  } catch {
    // The table below reports the failure.
  }
  await showTargets();
}

/** Metric groups with the phrase most documents use for them, for the comparison's select. */
function metricGroups(targets) {
  const groups = new Map();
  for (const target of targets) {
    const group = groups.get(target.metricGroup) ?? { key: target.metricGroup, phrases: new Map(), count: 0 };
    group.phrases.set(target.metric, (group.phrases.get(target.metric) ?? 0) + 1);
    group.count += 1;
    groups.set(target.metricGroup, group);
  }
  return [...groups.values()]
    .map((group) => ({
      key: group.key,
      label: [...group.phrases].sort((a, b) => b[1] - a[1])[0][0],
      count: group.count,
    }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh'));
}

/**
 * One line per distinct value; the same value stated twice (in the text and in a table) links to the first
 * statement and adds a numbered link per further source, so nothing untraceable is shown and nothing is
 * dropped.
 */
function comparisonCell(targets) {
  const byValue = new Map();
  for (const target of targets) {
    const label = valueLabel(target);
    byValue.set(label, [...(byValue.get(label) ?? []), target]);
  }
  return [...byValue].map(([label, sources]) =>
    h(
      'div',
      { class: 'cell-value' },
      sourceButton(sources[0], label),
      ...sources.slice(1).map((target, i) => {
        const button = sourceButton(target, `[${i + 2}]`);
        button.classList.add('extra-source');
        button.setAttribute('aria-label', `${label} [${i + 2}]`);
        return button;
      }),
    ),
  );
}

function comparisonTable(targets) {
  const regions = [...new Set(targets.map((x) => x.region))].sort((a, b) => a.localeCompare(b, 'zh'));
  const years = [...new Set(targets.map((x) => x.year))].sort((a, b) => (a ?? 99999) - (b ?? 99999));
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', text: t('colRegion') }),
    ...years.map((year) => h('th', { scope: 'col', text: year ?? t('noYear') })),
  );
  const rows = regions.map((region) =>
    h(
      'tr',
      { 'data-region': region },
      h('th', { scope: 'row', class: 'nowrap', text: region }),
      ...years.map((year) =>
        h('td', {}, ...comparisonCell(targets.filter((x) => x.region === region && x.year === year))),
      ),
    ),
  );
  return h('table', { class: 'compare' }, h('thead', {}, head), h('tbody', {}, ...rows));
}

async function showComparison() {
  clear(compareTable);
  const targets = await loadAllTargets();
  const chosen = targets.filter((x) => x.metricGroup === compareSelect.value);
  if (chosen.length === 0) {
    compareStatus.textContent = t('compareEmpty');
    return;
  }
  compareStatus.textContent = t('targetCount', { n: chosen.length });
  compareTable.append(comparisonTable(chosen));
}

export async function renderCompare() {
  const previous = compareSelect.value;
  compareStatus.textContent = t('loading');
  clear(compareTable);
  try {
    const groups = metricGroups(await loadAllTargets());
    clear(compareSelect);
    for (const group of groups) {
      compareSelect.append(
        h('option', {
          value: group.key,
          text: `${group.label} (${group.count})`,
          selected: group.key === previous,
        }),
      );
    }
    if (groups.length === 0) {
      compareStatus.textContent = t('compareEmpty');
      return;
    }
    await showComparison();
  } catch (err) {
    compareStatus.textContent = t('loadFailed', { message: errorMessage(err) });
  }
}

async function checkClaim(claim) {
  clear(checkResult);
  checkResult.append(h('p', { class: 'status', text: t('loading') }));
  try {
    const check = await postJson('/api/check', { claim });
    const titles = await documentTitles();
    clear(checkResult);
    append(
      checkResult,
      h('p', {
        class: `verdict verdict-${check.verdict}`,
        'data-verdict': check.verdict,
        text: t(`verdict_${check.verdict}`),
      }),
      h('p', { text: check.message }),
      check.documentValue
        ? h('p', {}, `${t('documentValue')}: `, h('strong', { text: check.documentValue }))
        : null,
      check.evidence.length > 0
        ? h(
            'section',
            {},
            h('h2', { text: t('evidence') }),
            h(
              'ul',
              { class: 'evidence' },
              ...check.evidence.map((target) =>
                h(
                  'li',
                  {},
                  h('p', {
                    class: 'cite-meta',
                    text: [target.region, target.year, target.metric, valueLabel(target)]
                      .filter(Boolean)
                      .join(' · '),
                  }),
                  h('blockquote', { class: 'cite-text', text: target.quote }),
                  sourceButton(target, titles.get(target.docId)),
                ),
              ),
            ),
          )
        : null,
    );
  } catch (err) {
    clear(checkResult);
    checkResult.append(h('p', { class: 'status error', text: errorMessage(err) }));
  }
}

export function initTargets() {
  targetsForm.addEventListener('submit', (event) => {
    event.preventDefault();
    showTargets();
  });
  targetsForm.addEventListener('change', () => showTargets());
  compareSelect.addEventListener('change', () => {
    showComparison().catch((err) => {
      compareStatus.textContent = t('loadFailed', { message: errorMessage(err) });
    });
  });
  checkForm.addEventListener('submit', (event) => {
    event.preventDefault();
    checkClaim(claimInput.value);
  });
  claimInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      checkClaim(claimInput.value);
    }
  });
}
