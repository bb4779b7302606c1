/**
 * "Original page": a link to where a document was published, when its metadata knows it (DocumentMeta
 * `sourceUrl`, set in the document's `<file>.meta.json`; ingest does not guess one). Only http(s) links are
 * shown, opened in a new tab without a referrer, so a bad value in an override cannot run script.
 */
import { h } from './dom.js';
import { t } from './i18n.js';

export function sourceUrlOf(meta) {
  if (typeof meta?.sourceUrl !== 'string') return null;
  try {
    const url = new URL(meta.sourceUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The <dt>/<dd> pair for the panel's metadata list, or nothing. */
export function sourceLinkRow(meta) {
  const href = sourceUrlOf(meta);
  if (!href) return [];
  return [
    h('dt', { text: t('sourcePage') }),
    h(
      'dd',
      {},
      h('a', {
        class: 'source-page',
        href,
        target: '_blank',
        rel: 'noopener noreferrer',
        text: new URL(href).host,
      }),
    ),
  ];
}
