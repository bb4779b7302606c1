import { prepareDocuments } from '../../ingest/chunk/prepare-document.ts';
import type { DocumentMeta } from '../../ingest/model.ts';

/** The metadata ingest derives for one document given as its file name and text, as a folder would hold it. */
export function metaOf(source: string, text: string): DocumentMeta {
  const [doc] = prepareDocuments({ source, text, docId: source.replace(/\.\w+$/, '') });
  if (!doc) throw new Error(`no document from ${source}`);
  return doc.record.meta;
}
