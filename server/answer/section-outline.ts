import { documentDates } from '../../ingest/meta/dates.ts';
import type { Chunk } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import { contentWords } from '../../ingest/text/tokenize.ts';
import type { Understanding } from '../query/understand.ts';
import type { ScoredChunk } from '../retrieve/hybrid-retriever.ts';
import type { CitationList } from './citations.ts';
import { coverage, topicGrams } from './topic-match.ts';

/**
 * A list question about a section of a plan or opinion ("做实常态化监管包括哪几个常态化?", "whose responsibilities
 * does the opinion list?") is answered by the headings of the section's parts: the document's own numbering is
 * the list it gives, and each part is cited where it stands. Questions about an item inside one clause are
 * left to the sentence matcher.
 */
export interface SectionOutline {
  /** The section heading as written ("三、做实常态化监管") and its parts' headings, each with its first chunk. */
  heading: string;
  parts: { heading: string; chunk: Chunk }[];
  title: string;
}

/**
 * Share of a section heading the question must name for the section to be the one asked about: its bigrams for
 * a Chinese question, its words for an English one, whose terms reach fewer of the heading's words ("duties"
 * gives 职责, nothing gives the 明确 of 明确各方职责).
 */
const MIN_HEADING_COVERAGE = { zh: 0.75, en: 0.6 };
/** A section of fewer parts is no list; one of more is summarised by its first ones. */
const MIN_PARTS = 2;
const MAX_PARTS = 12;
/** Retrieved chunks whose sections are tried. */
const SECTION_CANDIDATES = 8;
/** A heading shorter than this (without its number) names too little to be asked about by name. */
const MIN_HEADING_CHARS = 4;

/** A counted term: 四大主业, 三个一号工程, 五项机制, 两个允许. */
const COUNTED_TERM = /[两二三四五六七八九十]+(?:大|个|项|类|条|张)\p{Script=Han}{2,4}/gu;

const NUMBERING =
  /^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十百]+[章节编])\s*/;

const ARTICLE = /^\s*第[一二三四五六七八九十百千零〇\d]+条/;

export function findSectionOutline(
  index: OpenedIndex,
  u: Understanding,
  retrieved: readonly ScoredChunk[],
  /** Years the answer must be for; a section of a document of another year is not it. */
  years: readonly number[],
): SectionOutline | null {
  if (u.answerType !== 'list') return null;
  const topicText = [u.topic, ...u.topicGroups.flat()].join(' ');
  let best: (SectionOutline & { score: number }) | null = null;
  const tried = new Set<string>();
  for (const { chunk } of retrieved.slice(0, SECTION_CANDIDATES)) {
    const doc = index.documentById.get(chunk.docId);
    const chunks = index.chunksByDoc.get(chunk.docId);
    if (!doc || !chunks) continue;
    // "The 2023 opinion": a year the question requires is one of the document's own.
    if (years.length && !years.some((y) => documentDates(doc.meta).some((d) => d.startsWith(String(y)))))
      continue;
    for (let depth = 0; depth < chunk.headingPath.length - 1; depth++) {
      const prefix = chunk.headingPath.slice(0, depth + 1);
      const key = `${chunk.docId}|${prefix.join('>')}`;
      if (tried.has(key)) continue;
      tried.add(key);
      const heading = prefix[depth] ?? '';
      const score = headingNamed(heading, topicText, u.lang);
      if (score < MIN_HEADING_COVERAGE[u.lang] || (best && score <= best.score)) continue;
      const parts = partsOf(chunks, prefix);
      // A chapter's articles (第三十四条 …) have no names to list: the articles themselves answer.
      if (parts.length < MIN_PARTS || parts.some((p) => ARTICLE.test(p.heading))) continue;
      best = { heading, parts: parts.slice(0, MAX_PARTS), title: doc.meta.title, score };
    }
  }
  return best && { heading: best.heading, parts: best.parts, title: best.title };
}

/** How much of a heading the question names: its bigrams (Chinese) or its content words (English terms). */
function headingNamed(heading: string, topicText: string, lang: 'zh' | 'en'): number {
  const bare = heading.replace(NUMBERING, '').replace(/[。.]$/, '');
  if (bare.length < MIN_HEADING_CHARS) return 0;
  if (lang === 'zh') {
    // A heading's counted term ("坚守四大主业" of 四大主业, 三个一号工程) names it as a whole: the question asks
    // for the parts it counts.
    const counted = bare.match(COUNTED_TERM) ?? [];
    if (counted.some((term) => topicText.includes(term))) return 1;
    return coverage(topicGrams(bare), topicText);
  }
  const words = contentWords(bare);
  return words.length ? words.filter((w) => topicText.includes(w)).length / words.length : 0;
}

/** The headings one level below a section, in the document's order, each with the first chunk under it. */
function partsOf(chunks: readonly Chunk[], prefix: readonly string[]): { heading: string; chunk: Chunk }[] {
  const parts: { heading: string; chunk: Chunk }[] = [];
  for (const c of chunks) {
    if (c.headingPath.length <= prefix.length) continue;
    if (!prefix.every((h, i) => c.headingPath[i] === h)) continue;
    const heading = c.headingPath[prefix.length] ?? '';
    if (!parts.some((p) => p.heading === heading)) parts.push({ heading, chunk: c });
  }
  return parts;
}

/** The answer's one line: the section and its parts, each part with the marker of the clause it heads. */
export function outlineLine(outline: SectionOutline, citations: CitationList, lang: 'zh' | 'en'): string {
  const parts = outline.parts.map((p) => `${p.heading}${citations.cite(p.chunk)}`);
  return lang === 'en'
    ? `《${outline.title}》 "${outline.heading}" has these parts: ${parts.join('; ')}`
    : `《${outline.title}》“${outline.heading}”包括：${parts.join('；')}`;
}
