import type { Chunk } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import type { Understanding } from '../query/understand.ts';
import { retrieve } from '../retrieve/hybrid-retriever.ts';
import type { AnswerStrategy } from './answer-strategy.ts';
import { type CandidateSentence, candidateSentences } from './candidate-sentences.ts';
import { CitationList } from './citations.ts';
import { answeredDraft, type Draft, notFoundDraft } from './draft.ts';
import type { AnswerContext } from './extractive-answer.ts';

/**
 * "And the phase after that?", "下一阶段呢?": the item after the one the last answer gave, in the document's own
 * order. The last answer's words find the sentence it came from; the answer is the sentence after it in its
 * clause, or the first sentence of the next clause under the same heading.
 */
export const nextItemStrategy: AnswerStrategy = {
  name: 'next-item',
  takes: (u) => u.nextAfter !== null,
  answer: (ctx, u) => answerNext(ctx, u),
};

/** Runs of the last answer that locate its sentence: Chinese words and dates, 4 characters or more. */
const ANCHOR = /[\p{Script=Han}\d年月日%‰.\-–—~～]{4,}/gu;
/** A sentence must hold this many characters of the last answer's anchors to be the one it gave. */
const MIN_ANCHORED_CHARS = 6;

const bare = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

async function answerNext(ctx: AnswerContext, u: Understanding): Promise<Draft> {
  const last = u.nextAfter ?? '';
  const anchors = [...bare(last).matchAll(ANCHOR)].map((m) => m[0].replace(/[。.]$/, ''));
  const retrieved = await retrieve(ctx.index, { ...u, searchText: `${last} ${u.searchText}` }, ctx.retrieval);
  let from: { sentence: CandidateSentence; sentences: CandidateSentence[]; score: number } | null = null;
  for (const [rank, { chunk }] of retrieved.entries()) {
    const doc = ctx.index.documentById.get(chunk.docId);
    if (!doc) continue;
    const sentences = candidateSentences(chunk, rank, doc);
    for (const sentence of sentences) {
      const text = bare(sentence.text);
      const score = anchors.filter((a) => text.includes(a)).reduce((sum, a) => sum + a.length, 0);
      if (score >= MIN_ANCHORED_CHARS && score > (from?.score ?? 0)) from = { sentence, sentences, score };
    }
  }
  const next = from && nextSentence(ctx.index, from.sentence, from.sentences);
  if (!next) return notFoundDraft({ kind: 'no-match' }, u, retrieved);
  const citations = new CitationList(ctx.index);
  const marker = citations.cite(next.chunk);
  const line = u.lang === 'en' ? `"${next.text}" ${marker}` : `原文:“${next.text}”${marker}`;
  return answeredDraft([line], citations.citations, retrieved);
}

/**
 * The first sentence of the line after `s`'s line ("总结推广（2027年4月-2027年12月）：…" after "试点推进（…）：…"): an item
 * of a plan or a law is a line of its own, and the rest of the line is the same item. In the clause, else in the
 * next clause under the same heading.
 */
function nextSentence(
  index: OpenedIndex,
  s: CandidateSentence,
  sentences: readonly CandidateSentence[],
): { text: string; chunk: Chunk } | null {
  const doc = index.documentById.get(s.chunk.docId);
  if (!doc) return null;
  const newline = doc.text.indexOf('\n', s.end);
  const lineEnd = newline < 0 ? doc.text.length : newline;
  const after = sentences.find((x) => x.start > lineEnd && x.text.trim().length > 0);
  if (after) return { text: after.text, chunk: after.chunk };
  const chunks = index.chunksByDoc.get(s.chunk.docId) ?? [];
  const following = chunks[chunks.findIndex((c) => c.id === s.chunk.id) + 1];
  const parent = (c: Chunk) => c.headingPath.slice(0, -1).join('>');
  if (!following || parent(following) !== parent(s.chunk)) return null;
  const first = candidateSentences(following, 0, doc).find(
    (x) => x.start > lineEnd && x.text.trim().length > 0,
  );
  return first ? { text: first.text, chunk: following } : null;
}
