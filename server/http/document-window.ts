/**
 * `GET /api/documents/:id` serves a window of a document, not the whole text: its metadata, its table of
 * sections (around the window when there are very many) and at most MAX_WINDOW_LENGTH code units of text, so
 * that a response stays small however large the document. Offsets everywhere are UTF-16 code units of the
 * cleaned text (JavaScript string indices), as in citations and targets.
 */
import type { DocumentMeta } from '../../ingest/model.ts';
import type { ClauseOutlineEntry, DocumentDetail } from '../service-types.ts';
import { HttpError } from './errors.ts';
import { queryInt, queryString } from './query-params.ts';

/** Longest window: a long clause with its neighbours, at most ~60 kB of UTF-8 for Chinese text. */
export const MAX_WINDOW_LENGTH = 20_000;
/** Window when none is asked for: a few screens of reading from the start; the rest loads on demand. */
export const DEFAULT_WINDOW_LENGTH = 10_000;
/**
 * Most sections listed in one response. A section is ~250 bytes of JSON (its heading path repeats the
 * headings above it), so this is ~125 kB at most; documents with more get the sections around the window.
 */
export const MAX_SECTIONS = 500;
/** Largest offset accepted in a query: beyond any document, and short enough to parse without surprises. */
const MAX_OFFSET = 999_999_999;

export interface DocumentSection extends ClauseOutlineEntry {
  /** Position in the document's whole table of sections (`?section=` takes it). */
  index: number;
}

export interface DocumentWindow {
  meta: DocumentMeta;
  /** Length of the whole cleaned text. */
  textLength: number;
  /** The part of the text served: `text` is the cleaned text's [start, end). */
  window: { start: number; end: number };
  text: string;
  /** Sections in the whole document; `sections` lists all of them or MAX_SECTIONS around the window. */
  sectionCount: number;
  sections: DocumentSection[];
  /** Table rows that overlap the window, with their labelled cells. */
  tables: DocumentDetail['tables'];
}

/** What the query asked for: a range, or a section named by index, clause path or chunk id. */
export type WindowRequest =
  | { by: 'range'; start: number; length: number }
  | { by: 'section'; index: number }
  | { by: 'clause'; clausePath: string }
  | { by: 'chunk'; chunkId: string };

/** Reads `start`/`length` or one of `section`/`clause`/`chunk` from the query string. */
export function parseWindowRequest(query: Record<string, unknown>): WindowRequest {
  const start = queryInt(query, 'start', { min: 0, max: MAX_OFFSET });
  const length = queryInt(query, 'length', { min: 0, max: MAX_WINDOW_LENGTH });
  const index = queryInt(query, 'section', { min: 0, max: MAX_OFFSET });
  const clausePath = queryString(query, 'clause')?.trim() || undefined;
  const chunkId = queryString(query, 'chunk')?.trim() || undefined;
  const named = [index, clausePath, chunkId].filter((x) => x !== undefined).length;
  if (named > 1) throw new HttpError('invalid_parameter', 'Give one of "section", "clause" or "chunk".');
  if (named === 1 && (start !== undefined || length !== undefined)) {
    throw new HttpError('invalid_parameter', '"start" and "length" do not combine with a section.');
  }
  if (index !== undefined) return { by: 'section', index };
  if (clausePath !== undefined) return { by: 'clause', clausePath };
  if (chunkId !== undefined) return { by: 'chunk', chunkId };
  return { by: 'range', start: start ?? 0, length: length ?? DEFAULT_WINDOW_LENGTH };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Moves a boundary that falls between the halves of a surrogate pair to before the pair. */
function snap(text: string, offset: number): number {
  return offset > 0 && offset < text.length && isHighSurrogate(text.charCodeAt(offset - 1))
    ? offset - 1
    : offset;
}

/** The range a request names, before clamping to MAX_WINDOW_LENGTH. */
function requestedRange(
  detail: DocumentDetail,
  request: WindowRequest,
): { start: number; end: number; first: number | null } {
  const sections = detail.outline;
  switch (request.by) {
    case 'range': {
      if (request.start > detail.text.length) {
        throw new HttpError(
          'invalid_parameter',
          `"start" is past the end of the text (${detail.text.length} code units).`,
        );
      }
      return { start: request.start, end: request.start + request.length, first: null };
    }
    case 'section': {
      const section = sections[request.index];
      if (!section) {
        throw new HttpError(
          'invalid_parameter',
          `"section" must be below ${sections.length} for this document.`,
        );
      }
      return { start: section.start, end: section.end, first: request.index };
    }
    case 'chunk': {
      const index = sections.findIndex((s) => s.chunkId === request.chunkId);
      const section = sections[index];
      if (!section) throw new HttpError('not_found', `No chunk "${request.chunkId}" in this document.`);
      return { start: section.start, end: section.end, first: index };
    }
    case 'clause': {
      const index = sections.findIndex((s) => s.clausePath === request.clausePath);
      const section = sections[index];
      if (!section) throw new HttpError('not_found', `No clause "${request.clausePath}" in this document.`);
      // A long clause is split into several chunks in a row: serve all of them.
      let end = section.end;
      for (let i = index + 1; sections[i]?.clausePath === request.clausePath; i += 1) {
        end = Math.max(end, sections[i]?.end ?? end);
      }
      return { start: section.start, end, first: index };
    }
  }
}

/** The index of the first section that ends after `offset` (the one the window starts in). */
function sectionAt(sections: readonly ClauseOutlineEntry[], offset: number): number {
  const index = sections.findIndex((s) => s.end > offset);
  return index >= 0 ? index : Math.max(0, sections.length - 1);
}

export function documentWindow(detail: DocumentDetail, request: WindowRequest): DocumentWindow {
  const { text } = detail;
  const range = requestedRange(detail, request);
  const start = snap(text, Math.min(range.start, text.length));
  let end = snap(text, Math.min(range.end, text.length, start + MAX_WINDOW_LENGTH));
  // Snapping back must not empty a window that asked for text (a lone pair at its start).
  if (end === start && range.end > range.start && start < text.length) end = Math.min(text.length, start + 2);
  const all = detail.outline;
  const centre = range.first ?? sectionAt(all, start);
  const from = Math.max(0, Math.min(centre - Math.floor(MAX_SECTIONS / 2), all.length - MAX_SECTIONS));
  const sections = all.slice(from, from + MAX_SECTIONS).map((s, i) => ({ ...s, index: from + i }));
  return {
    meta: detail.meta,
    textLength: text.length,
    window: { start, end },
    text: text.slice(start, end),
    sectionCount: all.length,
    sections,
    tables: detail.tables.filter((row) => row.end > start && row.start < end),
  };
}
