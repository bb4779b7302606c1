import type { Chunk, DocumentRecord } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import type { Citation, RetrievedChunk } from './contract.ts';

/** Numbers citations in the order they are first used; citing the same chunk twice reuses its number. */
export class CitationList {
  readonly citations: Citation[] = [];

  constructor(private readonly index: OpenedIndex) {}

  /** The marker for a chunk, e.g. "[2]". */
  cite(chunk: Chunk): string {
    const existing = this.citations.find((c) => c.chunkId === chunk.id);
    if (existing) return `[${existing.n}]`;
    const doc = this.index.documentById.get(chunk.docId);
    const n = this.citations.length + 1;
    this.citations.push(toCitation(n, chunk, doc));
    return `[${n}]`;
  }
}

export function toCitation(n: number, chunk: Chunk, doc: DocumentRecord | undefined): Citation {
  return {
    n,
    chunkId: chunk.id,
    docId: chunk.docId,
    title: doc?.meta.title ?? chunk.docId,
    docNumber: doc?.meta.docNumber ?? null,
    region: doc?.meta.region?.name ?? '',
    headingPath: chunk.headingPath,
    clausePath: chunk.clausePath,
    text: chunk.text,
    ...sourceOf(chunk, doc),
    start: chunk.start,
    end: chunk.end,
  };
}

/** A table row's text as the document writes it (`Citation.source`); nothing for a clause shown as written. */
function sourceOf(chunk: Chunk, doc: DocumentRecord | undefined): { source?: string } {
  return chunk.kind === 'table-row' && doc ? { source: doc.text.slice(chunk.start, chunk.end) } : {};
}

export function toRetrieved(
  index: OpenedIndex,
  hits: readonly { chunk: Chunk; score: number }[],
): RetrievedChunk[] {
  return hits.map(({ chunk, score }) => {
    const doc = index.documentById.get(chunk.docId);
    return {
      chunkId: chunk.id,
      docId: chunk.docId,
      score: Math.round(score * 1e6) / 1e6,
      title: doc?.meta.title ?? chunk.docId,
      region: doc?.meta.region?.name ?? '',
      headingPath: chunk.headingPath,
      text: chunk.text,
      ...sourceOf(chunk, doc),
    };
  });
}
