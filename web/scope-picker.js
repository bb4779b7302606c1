/**
 * "Search in": limits the next questions to chosen places and documents (the ask request's `scope`,
 * PROTOCOL.md). A collapsible group of checkboxes in the question form, filled from /api/documents when
 * first opened; its summary says what is chosen, so a limited search is never silent. The choice stays
 * until changed (a follow-up usually means the same documents) and is not stored.
 */
import { listDocuments } from './api.js';
import { clear, h } from './dom.js';
import { errorMessage, onLangChange, t } from './i18n.js';

const HAN = /[\u3400-\u9fff]/;

let root = null;
let summary = null;
let body = null;
let loaded = false;
const chosen = { docIds: new Set(), regions: new Set() };

function summaryText() {
  const n = chosen.docIds.size + chosen.regions.size;
  return `${t('scopeTitle')}: ${n ? t('scopeSome', { n }) : t('scopeAll')}`;
}

function refreshSummary() {
  summary.textContent = summaryText();
  root.classList.toggle('scoped', chosen.docIds.size + chosen.regions.size > 0);
}

function checkbox(set, value, label, lang) {
  const input = h('input', { type: 'checkbox', value });
  input.checked = set.has(value);
  input.addEventListener('change', () => {
    if (input.checked) set.add(value);
    else set.delete(value);
    refreshSummary();
  });
  return h('label', { class: 'scope-option' }, input, h('span', { lang, text: label }));
}

async function fill() {
  clear(body);
  let documents;
  try {
    documents = await listDocuments();
  } catch (err) {
    loaded = false;
    body.append(
      h('p', { class: 'status error', text: t('scopeLoadFailed', { message: errorMessage(err) }) }),
    );
    return;
  }
  loaded = true;
  const regions = new Map();
  for (const d of documents) if (d.region) regions.set(d.region.name, d.region);
  const clearButton = h('button', {
    type: 'button',
    class: 'secondary small',
    text: t('scopeClear'),
    on: {
      click: () => {
        chosen.docIds.clear();
        chosen.regions.clear();
        for (const input of body.querySelectorAll('input[type=checkbox]')) input.checked = false;
        refreshSummary();
      },
    },
  });
  body.append(
    h(
      'fieldset',
      { class: 'scope-places' },
      h('legend', { text: t('scopePlaces') }),
      ...[...regions.values()].map((r) =>
        checkbox(chosen.regions, r.name, `${r.name} (${r.english})`, 'zh-CN'),
      ),
    ),
    h(
      'fieldset',
      { class: 'scope-documents' },
      h('legend', { text: t('scopeDocuments') }),
      ...documents.map((d) =>
        checkbox(
          chosen.docIds,
          d.docId,
          [d.title, d.docNumber].filter(Boolean).join(' · '),
          HAN.test(d.title) ? 'zh-CN' : null,
        ),
      ),
    ),
    clearButton,
  );
}

/** Builds the picker into the question form, before `before`. */
export function initScopePicker(form, before) {
  summary = h('summary', {});
  body = h('div', { class: 'scope-body' });
  root = h('details', { class: 'scope-picker', id: 'scope-picker' }, summary, body);
  root.addEventListener('toggle', () => {
    if (root.open && !loaded) fill();
  });
  form.insertBefore(root, before);
  refreshSummary();
  onLangChange(() => {
    refreshSummary();
    if (loaded) fill();
  });
}

/** The scope for the next ask, or null for the whole corpus. */
export function currentScope() {
  if (chosen.docIds.size + chosen.regions.size === 0) return null;
  return {
    ...(chosen.docIds.size ? { docIds: [...chosen.docIds] } : {}),
    ...(chosen.regions.size ? { regions: [...chosen.regions] } : {}),
  };
}
