/**
 * Turns a prepared document's clauses and table cells into target records: every quantitative target,
 * each with the verbatim sentence it comes from and that sentence's offsets in `DocumentRecord.text`.
 *
 * Quotes are always cut from the document text itself (never from `Chunk.text`, which for table rows is
 * the cells labelled by their headers), so a record's `quote === doc.text.slice(start, end)` holds.
 * Years come from the sentence first, then from a table row's column header (2024年度), then from the
 * document's horizon: with several horizon years (2025 and 2035) the one named last before the sentence
 * in the same chunk, else the earliest, since later horizons are visions rather than numbered targets.
 * Record ids are `${chunkId}:t${n}` with n counting from 1 within the chunk.
 */
import type { Chunk, DocumentRecord, TargetRecord } from '../model.ts';
import { type Sentence, splitSentences as splitAt } from '../text/sentences.ts';
import { extractFromSentence, type SentenceContext } from './extract-from-sentence.ts';
import { indicatorRowTargets } from './indicator-rows.ts';
import { metricGroup } from './metric-groups.ts';
import { findYearMarkers } from './year-markers.ts';

export { extractFromSentence, type SentenceContext, type TargetCandidate } from './extract-from-sentence.ts';

/**
 * Sentences of `text` between `start` and `end`: the shared splitter, without cutting at semicolons (a figure
 * after a semicolon keeps the year and subject stated before it).
 */
export function splitSentences(text: string, start: number, end: number): Sentence[] {
  return splitAt(text.slice(start, end), start, { semicolons: false });
}

/**
 * Where a table cell's value lies in the document text. Cell values may have lost the line breaks and
 * padding the page had, so the search ignores whitespace on both sides.
 */
export function locateIgnoringSpace(text: string, needle: string, from: number, to: number): Sentence | null {
  const compactNeedle = needle.replace(/\s+/g, '');
  if (compactNeedle === '') return null;
  const positions: number[] = [];
  let compact = '';
  for (let i = from; i < to; i++) {
    const char = text[i] ?? '';
    if (/\s/.test(char)) continue;
    positions.push(i);
    compact += char;
  }
  const found = compact.indexOf(compactNeedle);
  if (found === -1) return null;
  return { start: positions[found]!, end: positions[found + compactNeedle.length - 1]! + 1 };
}

function horizonHint(doc: DocumentRecord, chunk: Chunk, sentenceStart: number): SentenceContext {
  const horizons = [...doc.meta.horizonYears].sort((a, b) => a - b);
  if (horizons.length === 0) return { yearHint: null, yearHintSource: null };
  if (horizons.length === 1) return { yearHint: horizons[0]!, yearHintSource: 'horizon' };
  const named = findYearMarkers(doc.text.slice(chunk.start, sentenceStart))
    .map((marker) => marker.year)
    .filter((year) => horizons.includes(year));
  return { yearHint: named[named.length - 1] ?? horizons[0]!, yearHintSource: 'horizon' };
}

const TABLE_COLUMN_YEAR = /(\d{4})\s*年/;
/** A metric names what is measured in words: two Han characters at least. */
const METRIC_WORDS = /\p{Script=Han}{2}/u;

interface SentenceJob {
  span: Sentence;
  context: SentenceContext;
}

function tableRowJobs(doc: DocumentRecord, chunk: Chunk): SentenceJob[] {
  const jobs: SentenceJob[] = [];
  let cursor = chunk.start;
  for (const cell of chunk.cells ?? []) {
    const span = locateIgnoringSpace(doc.text, cell.value, cursor, chunk.end);
    if (!span) continue;
    cursor = span.end;
    const columnYear = TABLE_COLUMN_YEAR.exec(cell.header);
    for (const sentence of splitSentences(doc.text, span.start, span.end)) {
      const context: SentenceContext = columnYear
        ? { yearHint: Number(columnYear[1]), yearHintSource: 'table-column' }
        : horizonHint(doc, chunk, sentence.start);
      jobs.push({ span: sentence, context });
    }
  }
  return jobs;
}

function textJobs(doc: DocumentRecord, chunk: Chunk): SentenceJob[] {
  return splitSentences(doc.text, chunk.start, chunk.end).map((span) => ({
    span,
    context: horizonHint(doc, chunk, span.start),
  }));
}

export function extractTargets(doc: DocumentRecord, chunks: readonly Chunk[]): TargetRecord[] {
  const records: TargetRecord[] = [];
  // Overlapping chunk parts must not report the same written value twice.
  const seenValues = new Set<number>();
  for (const chunk of chunks) {
    if (chunk.kind === 'header') continue;
    const jobs = chunk.kind === 'table-row' ? tableRowJobs(doc, chunk) : textJobs(doc, chunk);
    let n = 0;
    for (const { span, context } of jobs) {
      const quote = doc.text.slice(span.start, span.end);
      for (const candidate of extractFromSentence(quote, context)) {
        // A unit cell ("/10万") read as a figure has no metric in words: it is no target.
        if (!METRIC_WORDS.test(candidate.metric)) continue;
        const valueAt = span.start + candidate.start;
        if (seenValues.has(valueAt)) continue;
        seenValues.add(valueAt);
        n += 1;
        records.push({
          id: `${chunk.id}:t${n}`,
          // A document whose place is unknown (a national law read without a region) has region ''.
          region: doc.meta.region?.name ?? '',
          docId: doc.meta.docId,
          chunkId: chunk.id,
          headingPath: chunk.headingPath,
          metric: candidate.metric,
          metricGroup: metricGroup(candidate.metric),
          qualifier: candidate.qualifier,
          value: candidate.value,
          valueMax: candidate.valueMax,
          valueText: candidate.valueText,
          unit: candidate.unit,
          comparator: candidate.comparator,
          kind: candidate.kind,
          year: candidate.year,
          yearSource: candidate.yearSource,
          quote,
          start: span.start,
          end: span.end,
        });
      }
    }
    // An indicator table's row holds bare figures under year columns: its targets come from the row itself.
    if (chunk.kind !== 'table-row' || n > 0) continue;
    const quote = doc.text.slice(chunk.start, chunk.end);
    for (const t of indicatorRowTargets(chunk)) {
      const at = locateIgnoringSpace(doc.text, chunk.cells?.[t.cell]?.value ?? '', chunk.start, chunk.end);
      if (!at || seenValues.has(at.start)) continue;
      seenValues.add(at.start);
      n += 1;
      const { cell: _cell, ...candidate } = t;
      records.push({
        ...candidate,
        id: `${chunk.id}:t${n}`,
        region: doc.meta.region?.name ?? '',
        docId: doc.meta.docId,
        chunkId: chunk.id,
        headingPath: chunk.headingPath,
        metricGroup: metricGroup(candidate.metric),
        quote,
        start: chunk.start,
        end: chunk.end,
      });
    }
  }
  return records;
}
