/**
 * The side panel that shows a document: metadata, a clickable clause outline and the cleaned text with the
 * cited clause wrapped in <mark> and scrolled into view. On a phone it covers the screen; Escape or the
 * close button hides it and returns focus to whatever opened it.
 */
import { getDocument } from './api.js';
import { append, byId, clear, h } from './dom.js';
import { onLangChange, t } from './i18n.js';

const panel = byId('doc-panel');
const layout = byId('layout');
const title = byId('doc-panel-title');
const meta = byId('doc-panel-meta');
const clauseLine = byId('doc-panel-clause');
const outlineWrap = byId('doc-panel-outline-wrap');
const outlineList = byId('doc-panel-outline');
const textBox = byId('doc-panel-text');

let opener = null;
/** What is shown: { detail, start, end, clause } so a language switch can redraw it. */
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

function renderText(text, start, end) {
  clear(textBox);
  if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length) {
    const mark = h('mark', { id: 'doc-highlight', text: text.slice(start, end) });
    append(textBox, text.slice(0, start), mark, text.slice(end));
    return mark;
  }
  append(textBox, text);
  return null;
}

function highlight(start, end, clause) {
  if (!shown) return;
  shown.start = start;
  shown.end = end;
  shown.clause = clause;
  clauseLine.textContent = clause ? `${t('clause')}: ${clause}` : '';
  clauseLine.hidden = !clause;
  const mark = renderText(shown.detail.text, start, end);
  if (mark) scrollPanelTo(mark);
  else panel.scrollTop = 0;
}

/** Scrolls the panel (not the page behind it) so the mark sits a third of the way down. */
function scrollPanelTo(mark) {
  const offset = mark.getBoundingClientRect().top - panel.getBoundingClientRect().top;
  panel.scrollTop += offset - panel.clientHeight / 3;
}

function render() {
  const { detail } = shown;
  title.textContent = detail.meta.title;
  clear(meta);
  append(meta, ...metaRows(detail.meta));
  clear(outlineList);
  for (const entry of outlineEntries(detail.outline ?? [])) {
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
  highlight(shown.start, shown.end, shown.clause);
}

function show() {
  panel.hidden = false;
  layout.classList.add('panel-open');
  document.body.classList.add('panel-open');
}

/**
 * Opens a document, highlighting [start, end) of its cleaned text. When only a chunk id is known (related
 * clauses), its offsets come from the document outline.
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
  clauseLine.textContent = '';
  title.focus({ preventScroll: true });
  let detail;
  try {
    detail = await getDocument(target.docId);
  } catch (err) {
    if (serial === requestSerial) title.textContent = t('loadFailed', { message: err.message });
    return;
  }
  if (serial !== requestSerial) return;
  let { start, end } = target;
  if ((start === undefined || end === undefined) && target.chunkId) {
    const entry = (detail.outline ?? []).find((item) => item.chunkId === target.chunkId);
    if (entry) ({ start, end } = entry);
  }
  panel.dataset.docId = target.docId;
  outlineWrap.open = Boolean(target.outline);
  shown = { detail, start, end, clause: target.clause ?? null };
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
onLangChange(() => {
  if (shown && !panel.hidden) render();
});
