/**
 * The side panel that shows a document: metadata, a clickable clause outline and the cleaned text with the
 * cited clause wrapped in <mark> and scrolled into view. The server sends a window of the text (never a
 * whole large document): the panel asks for the window around the cited offsets and loads earlier or later
 * text on demand; every offset stays relative to the whole text, so the highlight is the same however much
 * has been loaded. On a phone it covers the screen; Escape or the close button hides it and returns focus to
 * whatever opened it.
 */
import { getDocument } from './api.js';
import { append, byId, clear, h } from './dom.js';
import { errorMessage, onLangChange, t } from './i18n.js';

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

/** The server's longest window (MAX_WINDOW_LENGTH in server/http/document-window.ts). */
const MAX_WINDOW = 20_000;
/** Text shown before a cited clause: its headings and the paragraph that leads into it. */
const CONTEXT_BEFORE = 2_000;
/** Text shown after a cited clause: the clauses that follow, usually enough to read on without a click. */
const CONTEXT_AFTER = 4_000;

let opener = null;
/**
 * What is shown, so a language switch can redraw it: the document ({ docId, meta, textLength, sections by
 * index, from, text } where `text` is the loaded part starting at offset `from`) and the highlight.
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
  return rows
    .filter(([, value]) => value)
    .flatMap(([key, value]) => [h('dt', { text: t(key) }), h('dd', { text: value })]);
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
  const doc = { docId, meta: body.meta, textLength: body.textLength, sections: new Map(), from: 0, text: '' };
  addWindow(doc, body);
  return doc;
}

/**
 * Adds a window to what is loaded: joined on when it starts where the loaded text ends or ends where it
 * starts, in place of it otherwise (a jump to a far clause).
 */
function addWindow(doc, body) {
  for (const section of body.sections ?? []) doc.sections.set(section.index, section);
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
  if (Number.isInteger(start) && Number.isInteger(end) && end > start && start < to && end > from) {
    const a = Math.max(start, from) - from;
    const b = Math.min(end, to) - from;
    const mark = h('mark', { id: 'doc-highlight', text: doc.text.slice(a, b) });
    append(textBox, doc.text.slice(0, a), mark, doc.text.slice(b));
    return mark;
  }
  append(textBox, doc.text);
  return null;
}

function showClause(clause) {
  clauseLine.textContent = clause ? `${t('clause')}: ${clause}` : '';
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
  title.textContent = doc.meta.title;
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
  title.textContent = t('loading');
  clear(meta);
  clear(outlineList);
  clear(textBox);
  beforeButton.hidden = true;
  afterButton.hidden = true;
  clauseLine.textContent = '';
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
afterButton.addEventListener('click', () => loadMore('after'));
onLangChange(() => {
  if (shown && !panel.hidden) render();
});
