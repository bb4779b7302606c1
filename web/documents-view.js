/**
 * The document browser: every document with its metadata; "Read" opens it in the panel with its outline.
 */
import { listDocuments } from './api.js';
import { formatPeriod, openDocument } from './doc-panel.js';
import { append, byId, clear, h } from './dom.js';
import { errorMessage, t } from './i18n.js';

const list = byId('document-list');

function field(labelKey, value) {
  if (!value) return [];
  return [h('dt', { text: t(labelKey) }), h('dd', { text: value })];
}

function documentCard(doc) {
  const titleId = `doc-title-${doc.docId}`;
  return h(
    'li',
    { class: 'document-card', 'data-doc-id': doc.docId },
    h('h2', { id: titleId, text: doc.title }),
    h(
      'dl',
      { class: 'meta' },
      ...field('docNumber', doc.docNumber ?? t('none')),
      ...field('region', doc.region ? `${doc.region.name} (${doc.region.english})` : t('placeUnknown')),
      ...field('issuer', doc.issuer),
      ...field('issuedDate', doc.issuedDate),
      ...field('publishedDate', doc.publishedDate),
      ...field('period', formatPeriod(doc.period)),
      ...field('horizon', doc.horizonYears.length > 0 ? doc.horizonYears.join(', ') : null),
    ),
    h('button', {
      type: 'button',
      class: 'read',
      'aria-describedby': titleId,
      text: t('read'),
      on: { click: (event) => openDocument({ docId: doc.docId, outline: true }, event.currentTarget) },
    }),
  );
}

export async function renderDocuments() {
  clear(list);
  list.append(h('li', { class: 'status', text: t('loading') }));
  try {
    const documents = await listDocuments();
    clear(list);
    if (documents.length === 0) list.append(h('li', { class: 'status', text: t('documentsEmpty') }));
    append(list, ...documents.map(documentCard));
  } catch (err) {
    clear(list);
    list.append(h('li', { class: 'status error', text: t('loadFailed', { message: errorMessage(err) }) }));
  }
}
