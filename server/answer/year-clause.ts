import type { Chunk } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';

/**
 * The clause of a document that states a year an answer shows but its quoted clause does not (Jiaxing's
 * targets are "到2027年" once, in its general requirements): cited so every number stays traceable.
 * Prefers a body clause saying "到2027年" over any chunk merely mentioning 2027年.
 */
export function clauseStatingYear(index: OpenedIndex, docId: string, year: number): Chunk | null {
  const chunks = index.chunksByDoc.get(docId) ?? [];
  return (
    chunks.find((c) => c.kind !== 'header' && c.text.includes(`到${year}年`)) ??
    chunks.find((c) => c.text.includes(`${year}年`)) ??
    null
  );
}
