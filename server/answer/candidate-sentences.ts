import type { Chunk, DocumentRecord } from '../../ingest/model.ts';
import { isIndicatorRow } from '../../ingest/targets/indicator-rows.ts';
import { splitSentences } from '../../ingest/text/sentences.ts';

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
  /**
   * A line that ends without a sentence end inside a clause: a heading ("（三）加强…") or the line that
   * introduces items ("孕妇有下列情形之一的，医师应当…："). It names what follows; only a list question is
   * answered from it (with the items after it).
   */
  introduces: boolean;
}

const YEAR = /((?:19|20)\d{2})\s*年/g;

const yearsOf = (text: string) => [...new Set([...text.matchAll(YEAR)].map((m) => Number(m[1])))];

export function candidateSentences(chunk: Chunk, rank: number, doc: DocumentRecord): CandidateSentence[] {
  const horizon = doc.meta.horizonYears;
  if (chunk.kind === 'table-row' && isIndicatorRow(chunk.cells ?? [])) {
    // One indicator (its metric, its baseline and target columns) is one answer: the whole row.
    const years = [...new Set((chunk.cells ?? []).flatMap((c) => yearsOf(c.header)))];
    return [
      {
        chunk,
        rank,
        text: chunk.text.split('\n').join('，'),
        start: chunk.start,
        end: chunk.end,
        years: years.length ? years : horizon,
        yearSource: years.length ? 'table-column' : horizon.length ? 'horizon' : null,
        introduces: false,
      },
    ];
  }
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
          introduces: false,
        } satisfies CandidateSentence;
      });
    });
  }
  let clauseYears: number[] = [];
  const parts = split(chunk.text);
  return parts.map((s, i) => {
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
      introduces: i < parts.length - 1 && !/[。;；!?！？]$/.test(s.text),
    };
  });
}

function split(text: string): { text: string; offset: number }[] {
  return splitSentences(text).map((s) => ({ text: text.slice(s.start, s.end), offset: s.start }));
}
