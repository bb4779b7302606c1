/**
 * The side panel that shows a document: metadata, a clickable clause outline and the cleaned text with the
 * cited clause wrapped in <mark> and scrolled into view. The server sends a window of the text (never a
 * whole large document): the panel asks for the window around the cited offsets and loads earlier or later
 * text on demand; every offset stays relative to the whole text, so the highlight is the same however much
 * has been loaded. Table rows (an annex's task list) are drawn as tables under their column headers
 * (2024年度, 2025年度 …), the cited row marked, so a reader sees which year a value belongs to. A search box
 * finds text in the document, loading the rest of it first when it is not too long. On a phone it covers
 * the screen; Escape or the close button hides it and returns focus to whatever opened it.
 */
import { getDocument } from './api.js';
import { findMatches, textSegments } from './doc-text.js';
import { append, byId, clear, h, showText } from './dom.js';
import { errorMessage, onLangChange, t } from './i18n.js';
import { sourceLinkRow } from './source-link.js';

const panel = byId('doc-panel');
const layout = byId('layout');
const title = byId('doc-panel-title');
const meta = byId('doc-panel-meta');
const clauseLine = byId('doc-panel-clause');
const outlineWrap = byId('doc-panel-outline-wrap');
const outlineList = byId('doc-panel-outline');
const textBox = byId('doc-panel-text');
const beforeButton = byId('doc-panel-before');
const afterButton = byId('doc-panel-after');
const searchForm = byId('doc-panel-search');
const searchInput = byId('doc-panel-search-input');
const searchPrev = byId('doc-panel-search-prev');
const searchStatus = byId('doc-panel-search-status');

/** The server's longest window (MAX_WINDOW_LENGTH in server/http/document-window.ts). */
const MAX_WINDOW = 20_000;
/** Text shown before a cited clause: its headings and the paragraph that leads into it. */
const CONTEXT_BEFORE = 2_000;
/** Text shown after a cited clause: the clauses that follow, usually enough to read on without a click. */
const CONTEXT_AFTER = 4_000;
/**
 * Longest document a search loads whole first (ten windows): beyond it, the loaded text is searched and
 * the status says so, rather than pulling megabytes into a phone.
 */
const SEARCH_LOAD_LIMIT = 10 * MAX_WINDOW;

let opener = null;
/**
 * What is shown, so a language switch can redraw it: the document ({ docId, meta, textLength, sections by
 * index, table rows by start, from, text } where `text` is the loaded part starting at offset `from`), the
 * highlight and the search ({ query, active } or null).
 */
let shown = null;
let requestSerial = 0;

/** The clause path a reader sees: the compact clause number, else the headings joined. */
export function clauseLabel(item) {
  if (item.clausePath) return item.clausePath;
  return (item.headingPath ?? []).join(' › ');
}

export function formatPeriod(period) {
  return period ? `${period.start}–${period.end}` : null;
}

function metaRows(docMeta) {
  const rows = [
    ['docNumber', docMeta.docNumber],
    ['region', docMeta.region ? `${docMeta.region.name} (${docMeta.region.english})` : t('placeUnknown')],
    ['issuer', docMeta.issuer],
    ['issuedDate', docMeta.issuedDate],
    ['publishedDate', docMeta.publishedDate],
    ['period', formatPeriod(docMeta.period)],
    ['horizon', docMeta.horizonYears?.length ? docMeta.horizonYears.join(', ') : null],
  ];
  return [
    ...rows
      .filter(([, value]) => value)
      .flatMap(([key, value]) => [h('dt', { text: t(key) }), h('dd', { text: value })]),
    ...sourceLinkRow(docMeta),
  ];
}

/** Merges the parts of a split clause so the outline lists each clause once. */
function outlineEntries(outline) {
  const entries = [];
  for (const entry of outline) {
    if (entry.kind === 'header') continue;
    const key = `${entry.headingPath.join('\u0000')}|${entry.clausePath ?? ''}|${entry.kind}`;
    const last = entries.at(-1);
    if (last && last.key === key && entry.start <= last.end + 2) {
      last.end = Math.max(last.end, entry.end);
      continue;
    }
    entries.push({ ...entry, key });
  }
  return entries;
}

function outlineText(entry) {
  const heading = entry.headingPath.at(-1) ?? '';
  const text =
    entry.clausePath && !heading.startsWith(entry.clausePath) ? `${entry.clausePath} ${heading}` : heading;
  return entry.kind === 'table-row' ? `${text} (${t('tableRow')})` : text || t('clause');
}

/** The window to ask for so that [start, end) shows with some text around it. */
function contextWindow(start, end) {
  const from = Math.max(0, start - CONTEXT_BEFORE);
  return { start: from, length: Math.max(0, Math.min(MAX_WINDOW, end + CONTEXT_AFTER - from)) };
}

function loadedEnd(doc) {
  return doc.from + doc.text.length;
}

/** A fresh document state from a window response. */
function documentState(docId, body) {
  const doc = {
    docId,
    meta: body.meta,
    textLength: body.textLength,
    sections: new Map(),
    tables: new Map(),
    from: 0,
    text: '',
  };
  addWindow(doc, body);
  return doc;
}

/**
 * Adds a window to what is loaded: joined on when it starts where the loaded text ends or ends where it
 * starts, in place of it otherwise (a jump to a far clause).
 */
function addWindow(doc, body) {
  for (const section of body.sections ?? []) doc.sections.set(section.index, section);
  for (const row of body.tables ?? []) doc.tables.set(row.start, row);
  doc.textLength = body.textLength;
  const { start, end } = body.window;
  if (doc.text && start === loadedEnd(doc)) {
    doc.text += body.text;
  } else if (doc.text && end === doc.from) {
    doc.text = body.text + doc.text;
    doc.from = start;
  } else {
    doc.text = body.text;
    doc.from = start;
  }
}

/**
 * Nodes for the text [a, b) of the document with the cited range in one <mark> (id doc-highlight on the
 * first) and search matches in <mark class="search-hit">.
 * @param {{ doc, cite: {start,end}|null, hits: {start,end}[], active: number, marked: boolean }} marks
 */
function inlineNodes(marks, a, b) {
  const { doc, cite } = marks;
  // The document's own text, as it is: plain text nodes inside #doc-panel-text, whose lang="zh-CN" (in
  // index.html) they inherit, rather than split by what a stretch looks like (dom.js, text-lang.js).
  const slice = (x, y) => document.createTextNode(doc.text.slice(x - doc.from, y - doc.from));
  const plain = (x, y) => {
    const nodes = [];
    let at = x;
    marks.hits.forEach((hit, i) => {
      if (hit.end <= x || hit.start >= y) return;
      const from = Math.max(hit.start, x);
      const to = Math.min(hit.end, y);
      if (from > at) nodes.push(slice(at, from));
      nodes.push(
        h(
          'mark',
          { class: i === marks.active ? 'search-hit active' : 'search-hit', 'data-hit': i },
          slice(from, to),
        ),
      );
      at = to;
    });
    if (y > at) nodes.push(slice(at, y));
    return nodes;
  };
  if (!cite || cite.end <= a || cite.start >= b) return plain(a, b);
  const from = Math.max(cite.start, a);
  const to = Math.min(cite.end, b);
  const mark = h('mark', { class: 'cited' }, ...plain(from, to));
  if (!marks.marked) mark.id = 'doc-highlight';
  marks.marked = true;
  return [...plain(a, from), mark, ...plain(to, b)];
}

/** A run of table rows as a <table>: the column headers, then a row per table row with its cells. */
function tableNode(marks, segment) {
  const { cite } = marks;
  const overlapsCite = (x, y) => cite && cite.start < y && cite.end > x;
  const labelled = segment.rows.some((row) => row.labels.length > 0) || segment.labelHeader !== '';
  const head = h(
    'tr',
    {},
    labelled ? h('th', { scope: 'col', text: segment.labelHeader }) : null,
    ...segment.headers.map((header) => h('th', { scope: 'col', text: header })),
  );
  const rows = segment.rows.map((row) =>
    h(
      'tr',
      {
        'data-chunk-id': row.chunkId,
        class: overlapsCite(row.start, row.end) ? 'cited-row' : null,
      },
      labelled
        ? h(
            'th',
            { scope: 'row' },
            ...row.labels.map((label) =>
              h('span', { class: 'row-label' }, ...inlineNodes(marks, label.start, label.end)),
            ),
          )
        : null,
      ...row.cells.map((cell) =>
        h(
          'td',
          { 'data-header': cell.header, class: overlapsCite(cell.start, cell.end) ? 'cited-cell' : null },
          ...inlineNodes(marks, cell.start, cell.end),
        ),
      ),
    ),
  );
  return h(
    'div',
    { class: 'doc-table-wrap', 'data-start': segment.start, 'data-end': segment.end },
    h('table', { class: 'doc-table' }, h('thead', {}, head), h('tbody', {}, ...rows)),
  );
}

/** The search matches in the loaded text (the query folded as the search box shows it). */
function searchHits() {
  if (!shown?.search?.query) return [];
  return findMatches(shown.doc.text, shown.search.query).map((m) => ({
    start: m.start + shown.doc.from,
    end: m.end + shown.doc.from,
  }));
}

function renderText() {
  const { doc, start, end } = shown;
  clear(textBox);
  const from = doc.from;
  const to = loadedEnd(doc);
  textBox.dataset.start = String(from);
  textBox.dataset.end = String(to);
  beforeButton.hidden = from <= 0;
  afterButton.hidden = to >= doc.textLength;
  // Only the loaded part of the clause can be marked; loading more extends the mark.
  const cite =
    Number.isInteger(start) && Number.isInteger(end) && end > start && start < to && end > from
      ? { start, end }
      : null;
  const hits = searchHits();
  if (shown.search) shown.search.active = Math.min(shown.search.active, Math.max(0, hits.length - 1));
  const marks = { doc, cite, hits, active: shown.search?.active ?? -1, marked: false };
  for (const segment of textSegments(doc)) {
    if (segment.kind === 'text') append(textBox, ...inlineNodes(marks, segment.start, segment.end));
    else textBox.append(tableNode(marks, segment));
  }
  showSearchStatus(hits.length);
  return textBox.querySelector('#doc-highlight');
}

/** "Match 2 of 5", or none, and whether only part of the document was searched. */
function showSearchStatus(count) {
  const search = shown?.search;
  searchPrev.hidden = !search || count < 2;
  if (!search) {
    searchStatus.textContent = '';
    return;
  }
  const { doc } = shown;
  const whole = doc.from === 0 && loadedEnd(doc) >= doc.textLength;
  const found =
    count === 0
      ? t('docSearchNone', { q: search.query })
      : t('docSearchCount', { i: search.active + 1, n: count });
  searchStatus.textContent = whole
    ? found
    : `${found} ${t('docSearchPartial', { loaded: doc.text.length, total: doc.textLength })}`;
}

/** Loads what is missing of a document in MAX_WINDOW pieces, joined onto the loaded text. */
async function loadWhole(doc) {
  while (doc.from > 0) {
    const start = Math.max(0, doc.from - MAX_WINDOW);
    addWindow(doc, await getDocument(doc.docId, { start, length: doc.from - start }));
  }
  while (loadedEnd(doc) < doc.textLength) {
    addWindow(doc, await getDocument(doc.docId, { start: loadedEnd(doc), length: MAX_WINDOW }));
  }
}

/** Finds `query` (or the next match when it is the one already searched for) and scrolls to it. */
async function search(query, step = 1) {
  if (!shown) return;
  const text = query.trim();
  if (!text) {
    shown.search = null;
    renderText();
    return;
  }
  const { doc } = shown;
  if (shown.search?.query === text) {
    const count = searchHits().length;
    shown.search.active = count === 0 ? 0 : (shown.search.active + step + count) % count;
  } else {
    shown.search = { query: text, active: 0 };
    const partial = doc.from > 0 || loadedEnd(doc) < doc.textLength;
    if (partial && doc.textLength <= SEARCH_LOAD_LIMIT) {
      const serial = requestSerial;
      searchStatus.textContent = t('docSearchLoading');
      try {
        await loadWhole(doc);
      } catch (err) {
        if (serial === requestSerial)
          searchStatus.textContent = t('loadFailed', { message: errorMessage(err) });
      }
      if (serial !== requestSerial || shown?.doc !== doc) return;
      renderOutline();
    }
  }
  renderText();
  const hit = textBox.querySelector('mark.search-hit.active');
  if (hit) scrollPanelTo(hit);
}

function showClause(clause) {
  showText(clauseLine, clause ? `${t('clause')}: ${clause}` : '');
  clauseLine.hidden = !clause;
}

/** Highlights [start, end), fetching the text around it first when it is not loaded. */
async function highlight(start, end, clause) {
  if (!shown) return;
  const { doc } = shown;
  if (start < doc.from || end > loadedEnd(doc)) {
    const serial = requestSerial;
    let body;
    try {
      body = await getDocument(doc.docId, contextWindow(start, end));
    } catch (err) {
      if (serial === requestSerial) clauseLine.textContent = t('loadFailed', { message: errorMessage(err) });
      return;
    }
    if (serial !== requestSerial || shown?.doc !== doc) return;
    addWindow(doc, body);
    renderOutline();
  }
  shown.start = start;
  shown.end = end;
  shown.clause = clause;
  showClause(clause);
  const mark = renderText();
  if (mark) scrollPanelTo(mark);
  else panel.scrollTop = 0;
}

/** Scrolls the panel (not the page behind it) so the mark sits a third of the way down. */
function scrollPanelTo(mark) {
  const offset = mark.getBoundingClientRect().top - panel.getBoundingClientRect().top;
  panel.scrollTop += offset - panel.clientHeight / 3;
}

/** Loads the next window above or below what is shown, keeping the text in view where it was. */
async function loadMore(direction) {
  if (!shown) return;
  const { doc } = shown;
  const button = direction === 'before' ? beforeButton : afterButton;
  const window =
    direction === 'before'
      ? { start: Math.max(0, doc.from - MAX_WINDOW), length: Math.min(MAX_WINDOW, doc.from) }
      : { start: loadedEnd(doc), length: MAX_WINDOW };
  const serial = requestSerial;
  button.disabled = true;
  try {
    const body = await getDocument(doc.docId, window);
    if (serial !== requestSerial || shown?.doc !== doc) return;
    const heightBefore = panel.scrollHeight;
    addWindow(doc, body);
    renderOutline();
    renderText();
    // Text added above pushes what the reader was looking at down by its height.
    if (direction === 'before') panel.scrollTop += panel.scrollHeight - heightBefore;
    button.textContent = t(direction === 'before' ? 'earlierText' : 'laterText');
  } catch (err) {
    button.textContent = t('loadFailed', { message: errorMessage(err) });
  } finally {
    button.disabled = false;
    if (button.hidden && document.activeElement === button) title.focus({ preventScroll: true });
  }
}

function renderOutline() {
  const { doc } = shown;
  clear(outlineList);
  const sections = [...doc.sections.values()].sort((a, b) => a.index - b.index);
  for (const entry of outlineEntries(sections)) {
    const depth = Math.max(0, entry.headingPath.length - 1);
    const button = h('button', {
      type: 'button',
      class: 'outline-entry',
      'data-start': entry.start,
      'data-end': entry.end,
      text: outlineText(entry),
      on: { click: () => highlight(entry.start, entry.end, clauseLabel(entry)) },
    });
    outlineList.append(h('li', { class: `depth-${Math.min(depth, 4)}` }, button));
  }
  outlineWrap.hidden = outlineList.childElementCount === 0;
}

function render() {
  const { doc } = shown;
  showText(title, doc.meta.title);
  clear(meta);
  append(meta, ...metaRows(doc.meta));
  beforeButton.textContent = t('earlierText');
  afterButton.textContent = t('laterText');
  renderOutline();
  showClause(shown.clause);
  const mark = renderText();
  if (mark) scrollPanelTo(mark);
  else panel.scrollTop = 0;
}

function show() {
  panel.hidden = false;
  layout.classList.add('panel-open');
  document.body.classList.add('panel-open');
}

/** The first window to fetch for a target, and the highlight once it is known. */
async function firstWindow(target) {
  let { start, end } = target;
  if ((start === undefined || end === undefined) && target.chunkId) {
    // Related clauses come with a chunk id only: its section gives the offsets.
    const body = await getDocument(target.docId, { chunk: target.chunkId });
    const section = body.sections.find((item) => item.chunkId === target.chunkId);
    ({ start, end } = section ?? body.window);
  }
  if (Number.isInteger(start) && Number.isInteger(end)) {
    return { body: await getDocument(target.docId, contextWindow(start, end)), start, end };
  }
  return { body: await getDocument(target.docId), start, end };
}

/**
 * Opens a document, highlighting [start, end) of its cleaned text. When only a chunk id is known (related
 * clauses), its offsets come from the document's sections.
 * @param {{ docId: string, start?: number, end?: number, chunkId?: string, clause?: string, outline?: boolean }} target
 * @param {HTMLElement} [trigger] receives focus again when the panel closes
 */
export async function openDocument(target, trigger) {
  opener = trigger ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
  const serial = ++requestSerial;
  show();
  showText(title, t('loading'));
  clear(meta);
  clear(outlineList);
  clear(textBox);
  beforeButton.hidden = true;
  afterButton.hidden = true;
  clauseLine.textContent = '';
  searchInput.value = '';
  searchStatus.textContent = '';
  searchPrev.hidden = true;
  title.focus({ preventScroll: true });
  let first;
  try {
    first = await firstWindow(target);
  } catch (err) {
    if (serial === requestSerial) title.textContent = t('loadFailed', { message: errorMessage(err) });
    return;
  }
  if (serial !== requestSerial) return;
  panel.dataset.docId = target.docId;
  outlineWrap.open = Boolean(target.outline);
  shown = {
    doc: documentState(target.docId, first.body),
    start: first.start,
    end: first.end,
    clause: target.clause ?? null,
    search: null,
  };
  render();
  title.focus({ preventScroll: true });
}

export function isPanelOpen() {
  return !panel.hidden;
}

export function closePanel() {
  if (panel.hidden) return;
  panel.hidden = true;
  layout.classList.remove('panel-open');
  document.body.classList.remove('panel-open');
  requestSerial++;
  if (opener?.isConnected) opener.focus();
  opener = null;
}

byId('doc-panel-close').addEventListener('click', closePanel);
beforeButton.addEventListener('click', () => loadMore('before'));
searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  search(searchInput.value);
});
searchPrev.addEventListener('click', () => search(searchInput.value, -1));
afterButton.addEventListener('click', () => loadMore('after'));
onLangChange(() => {
  if (shown && !panel.hidden) render();
});
