/**
 * Numeric targets: a filterable table (one page at a time, "Load more" for the next; with CSV download of
 * all of them), a region × year comparison of one metric as a table and a chart (PNG and CSV export), and
 * the claim check. Every value links to the clause it was read from. All of it copes with an empty list.
 * The filters and the compared metric live in the URL (#/targets?region=…&metric=…, #/compare?metric=…):
 * a choice changes the hash, and the view is drawn from the hash, so a link reproduces the view and
 * Back/Forward step through earlier choices.
 */
import { getJson, listDocuments, postJson } from './api.js';
import { chartPng, drawComparisonChart } from './compare-chart.js';
import { comparisonCsv } from './compare-csv.js';
import { openDocument } from './doc-panel.js';
import { append, byId, clear, h } from './dom.js';
import { fileName, saveBlob } from './download.js';
import { errorMessage, t } from './i18n.js';
import { createMetricPicker } from './metric-picker.js';

const targetsForm = byId('targets-form');
const csvLink = byId('targets-csv');
const targetsStatus = byId('targets-status');
const targetsTable = byId('targets-table');
const moreButton = byId('targets-more');
const compareStatus = byId('compare-status');
const compareTable = byId('compare-table');
const compareChart = byId('compare-chart');
const pngButton = byId('compare-png');
const compareCsvButton = byId('compare-csv');
const checkForm = byId('check-form');
const claimInput = byId('claim');
const checkResult = byId('check-result');

/** Rows per request in the table: a screenful or two, and quick to fetch on a phone. */
const PAGE_SIZE = 100;
/** Rows per request when the comparison gathers every target of one metric (the server's largest page). */
const COMPARE_PAGE_SIZE = 1000;
/**
 * Most targets a comparison gathers: more regions and years than a table on a screen can show, and a bound
 * on the requests one choice can make.
 */
const COMPARE_MAX_TARGETS = 5000;

/** The filters a Targets URL can carry, in the order they are written. */
const FILTER_KEYS = ['region', 'year', 'metric', 'q'];

const filterPicker = createMetricPicker({
  input: byId('filter-metric-input'),
  list: byId('filter-metric-list'),
  field: byId('filter-metric'),
  allowAny: true,
  onPick: () => goToFilter(currentFilter()),
});

const comparePicker = createMetricPicker({
  input: byId('compare-metric'),
  list: byId('compare-metric-list'),
  onPick: (key) => {
    location.hash = compareHash(key);
  },
});

/** The URL of the Targets view with these filters. */
export function targetsHash(filter) {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key]) query.set(key, String(filter[key]));
  const search = query.toString();
  return search ? `#/targets?${search}` : '#/targets';
}

export function compareHash(key) {
  return key ? `#/compare?${new URLSearchParams({ metric: key })}` : '#/compare';
}

/** A new filter becomes a new URL (one history entry); the hashchange then draws it. */
function goToFilter(filter) {
  const hash = targetsHash(filter);
  if (location.hash !== hash) location.hash = hash;
}

/** The values to filter by and the metric groups (GET /api/targets/facets), fetched once per page. */
let facets = null;

function loadFacets() {
  if (!facets) {
    facets = getJson('/api/targets/facets');
    facets.catch(() => {
      facets = null;
    });
  }
  return facets;
}

/**
 * The table being shown: its filter, the next page's cursor, the ids of the rows shown (a row is never
 * shown twice) and a serial that makes a response to an older filter be ignored.
 */
let listing = null;
let listingSerial = 0;

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

/** The other places a document states the same target (its annex table beside the text), as links. */
function alsoStated(target) {
  const others = target.alsoStatedIn ?? [];
  if (others.length === 0) return [];
  return [
    h(
      'p',
      { class: 'also-stated' },
      `${t('alsoStated')} `,
      ...others.map((other) =>
        sourceButton(
          { docId: target.docId, start: other.start, end: other.end, headingPath: other.headingPath },
          other.headingPath.at(-1) ?? target.docId,
        ),
      ),
    ),
  ];
}

function valueLabel(target) {
  return target.qualifier ? `${target.valueText} (${target.qualifier})` : target.valueText;
}

function fillSelect(select, values, selected) {
  clear(select);
  select.append(h('option', { value: '', text: t('any') }));
  // A value from a link that the facets do not list (a region since removed) still shows as chosen.
  const all = selected && !values.map(String).includes(selected) ? [selected, ...values] : values;
  for (const value of all) {
    select.append(
      h('option', { value: String(value), text: String(value), selected: String(value) === selected }),
    );
  }
  select.value = selected ?? '';
}

/** The filter a URL's query names (unknown keys and empty values ignored). */
function filterFromParams(params) {
  const filter = {};
  for (const key of FILTER_KEYS) {
    const value = (params.get(key) ?? '').trim();
    if (value) filter[key] = value;
  }
  return filter;
}

/** Metric options for a picker: Chinese phrase, English name, count. */
function metricOptions(metrics) {
  return metrics.map((m) => ({ value: m.value, label: m.value, english: m.english ?? null, count: m.count }));
}

function currentFilter() {
  const data = new FormData(targetsForm);
  const filter = {};
  for (const key of FILTER_KEYS) {
    const value = String(data.get(key) ?? '').trim();
    if (value) filter[key] = value;
  }
  return filter;
}

function targetRow(target, titles) {
  return h(
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
  );
}

function targetsTableNode() {
  const head = ['colRegion', 'colYear', 'colMetric', 'colValue', 'colSource'].map((key) =>
    h('th', { scope: 'col', text: t(key) }),
  );
  return h('table', {}, h('thead', {}, h('tr', {}, ...head)), h('tbody', {}));
}

async function documentTitles() {
  try {
    return new Map((await listDocuments()).map((doc) => [doc.docId, doc.title]));
  } catch {
    return new Map();
  }
}

/** Adds a page of rows to the table and says how many of how many are shown. */
function addPage(page, titles) {
  const body = targetsTable.querySelector('tbody');
  for (const target of page.targets) {
    if (listing.shown.has(target.id)) continue;
    listing.shown.add(target.id);
    body.append(targetRow(target, titles));
  }
  listing.cursor = page.nextCursor;
  listing.total = page.total;
  moreButton.hidden = !page.nextCursor;
  targetsStatus.textContent =
    listing.shown.size < page.total
      ? t('targetCountShown', { shown: listing.shown.size, n: page.total })
      : t('targetCount', { n: page.total });
}

/** The first page for the form's filter; any earlier table is dropped. */
async function showTargets() {
  const filter = currentFilter();
  const serial = ++listingSerial;
  listing = { filter, cursor: null, total: 0, shown: new Set() };
  csvLink.href = `/api/targets?${new URLSearchParams({ ...filter, format: 'csv' })}`;
  targetsStatus.textContent = t('loading');
  moreButton.hidden = true;
  clear(targetsTable);
  try {
    const [page, titles] = await Promise.all([
      getJson('/api/targets', { ...filter, limit: PAGE_SIZE }),
      documentTitles(),
    ]);
    if (serial !== listingSerial) return;
    if (page.total === 0) {
      const everything = Object.keys(filter).length === 0;
      targetsStatus.textContent = everything ? t('targetsNone') : t('targetsEmpty');
      return;
    }
    targetsTable.append(targetsTableNode());
    addPage(page, titles);
  } catch (err) {
    if (serial === listingSerial) targetsStatus.textContent = t('loadFailed', { message: errorMessage(err) });
  }
}

/** The next page of the same filter, appended below the rows already shown. */
async function showMoreTargets() {
  if (!listing?.cursor) return;
  const serial = listingSerial;
  moreButton.disabled = true;
  try {
    const [page, titles] = await Promise.all([
      getJson('/api/targets', { ...listing.filter, limit: PAGE_SIZE, cursor: listing.cursor }),
      documentTitles(),
    ]);
    if (serial !== listingSerial) return;
    addPage(page, titles);
  } catch (err) {
    if (serial === listingSerial) targetsStatus.textContent = t('loadFailed', { message: errorMessage(err) });
  } finally {
    moreButton.disabled = false;
  }
}

/** Draws the Targets view for the filters in the URL (`params`, the query of #/targets?…). */
export async function renderTargets(params = new URLSearchParams()) {
  const selected = filterFromParams(params);
  byId('filter-q').value = selected.q ?? '';
  filterPicker.setValue(selected.metric ?? '');
  try {
    const { regions, years, metrics } = await loadFacets();
    const sorted = (values) =>
      values.map((x) => x.value).sort((a, b) => String(a).localeCompare(String(b), 'zh'));
    fillSelect(byId('filter-region'), sorted(regions), selected.region);
    fillSelect(byId('filter-year'), sorted(years), selected.year);
    filterPicker.setOptions(metricOptions([...metrics].sort((a, b) => a.value.localeCompare(b.value, 'zh'))));
  } catch {
    // The table below reports the failure; the filters from the URL still apply.
    fillSelect(byId('filter-region'), [], selected.region);
    fillSelect(byId('filter-year'), [], selected.year);
  }
  await showTargets();
}

/** Metric groups, the most stated first, for the comparison's picker. */
function metricGroups(groups) {
  return [...groups].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh'));
}

/** Every target of one metric group, page by page, up to COMPARE_MAX_TARGETS. */
async function targetsOfGroup(key) {
  const found = [];
  let cursor = null;
  do {
    const page = await getJson('/api/targets', { metric: key, limit: COMPARE_PAGE_SIZE, cursor });
    // The metric filter also matches phrases that contain the key; the comparison is of the group alone.
    found.push(...page.targets.filter((x) => x.metricGroup === key));
    cursor = page.nextCursor;
  } while (cursor && found.length < COMPARE_MAX_TARGETS);
  return {
    targets: found.slice(0, COMPARE_MAX_TARGETS),
    complete: !cursor && found.length <= COMPARE_MAX_TARGETS,
  };
}

/**
 * The comparison's shape, shared by the table, the chart and the CSV: places (rows) and years (columns)
 * in reading order, and each cell's targets grouped by the value as written, first statement first.
 */
function comparisonModel(targets) {
  const regions = [...new Set(targets.map((x) => x.region))].sort((a, b) => a.localeCompare(b, 'zh'));
  const years = [...new Set(targets.map((x) => x.year))].sort((a, b) => (a ?? 99999) - (b ?? 99999));
  const cell = (region, year) => {
    const byValue = new Map();
    for (const target of targets) {
      if (target.region !== region || target.year !== year) continue;
      const label = valueLabel(target);
      byValue.set(label, [...(byValue.get(label) ?? []), target]);
    }
    return [...byValue];
  };
  return { targets, regions, years, cell };
}

/**
 * One line per distinct value; the same value stated twice (in the text and in a table) links to the first
 * statement and adds a numbered link per further source, so nothing untraceable is shown and nothing is
 * dropped.
 */
function comparisonCell(values) {
  return values.map(([label, sources]) =>
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

function comparisonTable(model) {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', text: t('colRegion') }),
    ...model.years.map((year) => h('th', { scope: 'col', text: year ?? t('noYear') })),
  );
  const rows = model.regions.map((region) =>
    h(
      'tr',
      { 'data-region': region },
      h('th', { scope: 'row', class: 'nowrap', text: region }),
      ...model.years.map((year) => h('td', {}, ...comparisonCell(model.cell(region, year)))),
    ),
  );
  return h('table', { class: 'compare' }, h('thead', {}, head), h('tbody', {}, ...rows));
}

/** The table as CSV rows: the same header and, per place, each year's values joined by "; ". */
function comparisonRows(model) {
  return {
    header: [t('colRegion'), ...model.years.map((year) => (year === null ? t('noYear') : String(year)))],
    rows: model.regions.map((region) => [
      region,
      ...model.years.map((year) =>
        model
          .cell(region, year)
          .map(([label]) => label)
          .join('; '),
      ),
    ]),
  };
}

/** What the export buttons save: the comparison on the screen (null while there is none). */
let shownComparison = null;
let compareSerial = 0;

function forgetComparison() {
  shownComparison?.chart?.destroy();
  shownComparison = null;
  pngButton.hidden = true;
  compareCsvButton.hidden = true;
  clear(compareTable);
  clear(compareChart);
}

async function showComparison(key) {
  const serial = ++compareSerial;
  forgetComparison();
  if (!key) {
    compareStatus.textContent = t('compareEmpty');
    return;
  }
  compareStatus.textContent = t('loading');
  const { targets, complete } = await targetsOfGroup(key);
  if (serial !== compareSerial) return;
  if (targets.length === 0) {
    compareStatus.textContent = t('compareEmpty');
    return;
  }
  const group = (await loadFacets()).metricGroups.find((x) => x.key === key);
  compareStatus.textContent = complete
    ? t('targetCount', { n: targets.length })
    : t('compareTruncated', { shown: targets.length, n: group?.count ?? targets.length });
  const model = comparisonModel(targets);
  const label = group?.label ?? key;
  compareTable.append(comparisonTable(model));
  shownComparison = { label, model, chart: null, canvas: null };
  compareCsvButton.hidden = false;
  try {
    const drawn = await drawComparisonChart(compareChart, {
      targets,
      regions: model.regions,
      years: model.years,
      metric: label,
    });
    if (serial !== compareSerial) {
      drawn.chart.destroy();
      return;
    }
    shownComparison.chart = drawn.chart;
    shownComparison.canvas = drawn.canvas;
    pngButton.hidden = false;
  } catch (err) {
    if (serial === compareSerial) {
      compareChart.replaceChildren(
        h('p', { class: 'status error', text: t('chartUnavailable', { message: errorMessage(err) }) }),
      );
    }
  }
}

/** Draws the Compare view for the metric in the URL (#/compare?metric=<group key>), else the most stated. */
export async function renderCompare(params = new URLSearchParams()) {
  compareStatus.textContent = t('loading');
  forgetComparison();
  try {
    const groups = metricGroups((await loadFacets()).metricGroups);
    comparePicker.setOptions(
      groups.map((g) => ({ value: g.key, label: g.label, english: g.english ?? null, count: g.count })),
    );
    if (groups.length === 0) {
      compareStatus.textContent = t('compareEmpty');
      return;
    }
    const key = params.get('metric') || groups[0].key;
    comparePicker.setValue(key);
    await showComparison(key);
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
                  h('blockquote', { class: 'cite-text', lang: 'zh-CN', text: target.quote }),
                  sourceButton(target, titles.get(target.docId)),
                  ...alsoStated(target),
                ),
              ),
            ),
          )
        : null,
      (check.clauses ?? []).length > 0
        ? h(
            'section',
            {},
            h('h2', { text: t('claimClauses') }),
            h(
              'ul',
              { class: 'evidence' },
              ...check.clauses.map((clause) =>
                h(
                  'li',
                  {},
                  h('p', {
                    class: 'cite-meta',
                    text: [clause.region, clause.clausePath ?? clause.headingPath.at(-1)]
                      .filter(Boolean)
                      .join(' · '),
                  }),
                  h('blockquote', { class: 'cite-text', lang: 'zh-CN', text: clause.sentence }),
                  sourceButton(
                    {
                      docId: clause.docId,
                      start: clause.sentenceStart,
                      end: clause.sentenceEnd,
                      headingPath: clause.headingPath,
                    },
                    clause.title,
                  ),
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
    // The same filter again refreshes the table; a new one goes through the URL.
    const filter = currentFilter();
    if (location.hash === targetsHash(filter)) showTargets();
    else goToFilter(filter);
  });
  // The metric picker's text box is not a filter itself: its pick calls goToFilter.
  targetsForm.addEventListener('change', (event) => {
    if (event.target.id !== 'filter-metric-input') goToFilter(currentFilter());
  });
  moreButton.addEventListener('click', () => showMoreTargets());
  pngButton.addEventListener('click', async () => {
    if (!shownComparison?.canvas) return;
    saveBlob(await chartPng(shownComparison.canvas), fileName(`zhengce-${shownComparison.label}`, 'png'));
  });
  compareCsvButton.addEventListener('click', () => {
    if (!shownComparison) return;
    const { header, rows } = comparisonRows(shownComparison.model);
    saveBlob(comparisonCsv(header, rows), fileName(`zhengce-${shownComparison.label}`, 'csv'));
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
