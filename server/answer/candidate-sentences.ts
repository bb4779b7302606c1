import type { Chunk, DocumentRecord } from '../../ingest/model.ts';

/** A sentence of a retrieved chunk that could answer, with the years it speaks about. */
export interface CandidateSentence {
  chunk: Chunk;
  /** Retrieval rank of the chunk, from 0. */
  rank: number;
  /** The sentence as shown (for table rows prefixed with its column header, e.g. "2024年度: …"). */
  text: string;
  /** Offsets of the sentence in the cleaned document text. */
  start: number;
  end: number;
  years: number[];
  yearSource: 'sentence' | 'clause' | 'table-column' | 'horizon' | null;
}

const SENTENCE = /[^。;;!?!?\n]+(?:[。;;!?!?]+|$)/g;
const YEAR = /((?:19|20)\d{2})\s*年/g;

const yearsOf = (text: string) => [...new Set([...text.matchAll(YEAR)].map((m) => Number(m[1])))];

export function candidateSentences(chunk: Chunk, rank: number, doc: DocumentRecord): CandidateSentence[] {
  const horizon = doc.meta.horizonYears;
  if (chunk.kind === 'table-row') {
    return (chunk.cells ?? []).flatMap((cell) => {
      const at = doc.text.indexOf(cell.value, chunk.start);
      const base = at >= 0 && at < chunk.end ? at : chunk.start;
      const columnYears = yearsOf(cell.header);
      return split(cell.value).map((s) => {
        const own = yearsOf(s.text);
        const years = own.length ? own : columnYears.length ? columnYears : horizon;
        return {
          chunk,
          rank,
          text: `${cell.header}: ${s.text}`,
          start: base + s.offset,
          end: base + s.offset + s.text.length,
          years,
          yearSource: own.length
            ? 'sentence'
            : columnYears.length
              ? 'table-column'
              : horizon.length
                ? 'horizon'
                : null,
        } satisfies CandidateSentence;
      });
    });
  }
  let clauseYears: number[] = [];
  return split(chunk.text).map((s) => {
    const own = yearsOf(s.text);
    if (own.length) clauseYears = own;
    const years = own.length ? own : clauseYears.length ? clauseYears : horizon;
    return {
      chunk,
      rank,
      text: s.text,
      start: chunk.start + s.offset,
      end: chunk.start + s.offset + s.text.length,
      years,
      yearSource: own.length ? 'sentence' : clauseYears.length ? 'clause' : horizon.length ? 'horizon' : null,
    };
  });
}

function split(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  for (const m of text.matchAll(SENTENCE)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t) out.push({ text: t, offset: (m.index ?? 0) + lead });
  }
  return out;
}
