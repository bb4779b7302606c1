import { docIdOfChunk } from '../../ingest/store/document-store.ts';
import { dictionaryFor } from '../query/dictionary/dictionary-for-index.ts';
import { type RegionFinder, regionFinderFor } from '../query/find-regions.ts';
import { type Understanding, understand } from '../query/understand.ts';
import { rankChunkIds, type ScoredChunk, scoreRanked } from '../retrieve/hybrid-retriever.ts';
import type { AnswerStrategy } from './answer-strategy.ts';
import { CitationList } from './citations.ts';
import { answeredDraft, type Draft, notFoundDraft } from './draft.ts';
import { type AnswerContext, answerTarget } from './extractive-answer.ts';
import { topicGrams } from './topic-match.ts';

/** A region's part of a question needs this many topic grams to stand on its own. */
const MIN_SEGMENT_GRAMS = 4;

/**
 * "各地家庭医生签约服务覆盖率目标对比" or "Compare Xinjian's 2025 target for X with Jiaxing's 2027 target for Y":
 * the question is asked of every region (or of each region named, with the part of the question that
 * follows its name), one block per region that answers, each with its own citations.
 */
export const comparisonStrategy: AnswerStrategy = {
  name: 'comparison',
  takes: (u) => u.intent === 'comparison',
  answer: answerComparison,
};

/**
 * A comparison over every place works in slices of this many milliseconds and lets other requests in
 * between, so a question across a national corpus never holds the server for its whole duration. 10: one
 * place's answer takes up to about 25 ms at 100k chunks on a busy 2-core machine, and a slice plus one
 * place must stay under the 50 ms that any request may hold the loop (issue 11).
 */
const SLICE_MS = 10;

/** Call between pieces of work: it yields to other requests once SLICE_MS have passed, and stops an aborted answer. */
function timeSlicer(signal: AbortSignal | undefined): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart <= SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    sliceStart = performance.now();
  };
}

/**
 * Places one answer lists when the question names none: beyond a few dozen a chat answer is a table
 * nobody reads and costs what a national corpus costs (at 100k chunks, 1,400 places and a 4 MB response).
 * The most relevant places are listed, and the answer says there are more and where the whole list is
 * (the Targets page, filtered by metric). Named places are always all answered.
 */
export const MAX_COMPARISON_PLACES = 40;

const MORE_PLACES = {
  zh: '更多地方也有相关规定,未逐一列出:可在问题中写明省份或城市,或在“目标”页按指标筛选查看全部。',
  en: 'More places have such provisions than are listed here: name a province or city in the question, or filter the Targets page by this metric to see them all.',
};

async function answerComparison(ctx: AnswerContext, u: Understanding): Promise<Draft> {
  const places = regionFinderFor(ctx.index);
  const named = u.regions.length > 1;
  const segments = regionSegments(u.resolvedQuestion, places);
  // One slicer for the whole answer: the retrieval's pieces and the places' answers count against the same slice.
  const slice = timeSlicer(ctx.signal);
  // Every place asked the same question: one retrieval, deep enough to give each listed place its own
  // share, grouped by place (most relevant place first), instead of one retrieval per place.
  const shared = named ? null : await retrieveByPlace(ctx, u, slice);
  const regions = named ? u.regions : [...(shared?.keys() ?? [])];
  const citations = new CitationList(ctx.index);
  const blocks: string[] = [];
  const retrieved: Draft['retrieved'] = [];
  let more = false;
  for (const region of regions) {
    if (!named && blocks.length >= MAX_COMPARISON_PLACES) {
      more = true;
      break;
    }
    const own = shared?.get(region);
    const draft = await answerTarget(ctx, perRegion(ctx, u, region, segments.get(region)), citations, own);
    retrieved.push(...draft.retrieved.slice(0, 2));
    if (draft.status === 'answered') blocks.push(draft.answer);
    await slice();
  }
  if (more) blocks.push(MORE_PLACES[u.lang === 'en' ? 'en' : 'zh']);
  retrieved.sort((a, b) => b.score - a.score);
  // What the answer rests on, as for any answer: not two clauses of every place tried.
  retrieved.splice(ctx.retrieval.k);
  if (!blocks.length) {
    return notFoundDraft({ kind: 'no-match' }, u, retrieved);
  }
  return answeredDraft(blocks, citations.citations, retrieved);
}

/** Places whose documents the retrieval reached, in order of their best clause, each with its clauses. */
async function retrieveByPlace(
  ctx: AnswerContext,
  u: Understanding,
  slice: () => Promise<void>,
): Promise<Map<string, ScoredChunk[]>> {
  // Twice the places listed, as some places' best clauses do not answer.
  const depth = Math.min(ctx.index.chunkCount, ctx.retrieval.k * MAX_COMPARISON_PLACES * 2);
  // Quotas are applied to ids before any chunk is read: a place beyond the ones listed, or a clause beyond
  // a place's share, never costs a read of its document.
  const taken = new Map<string, number>();
  const regionOf = (chunkId: string) => ctx.index.documentById.get(docIdOfChunk(chunkId))?.meta.region?.name;
  const accepted = new Set<string>();
  const decide = (chunkId: string): void => {
    const region = regionOf(chunkId);
    if (!region) return;
    const n = taken.get(region) ?? 0;
    if (n >= ctx.retrieval.k || (n === 0 && taken.size >= MAX_COMPARISON_PLACES * 2)) return;
    taken.set(region, n + 1);
    accepted.add(chunkId);
  };
  const options = { ...ctx.retrieval, k: depth, candidates: depth * 4 };
  const searched = { ...u, regions: [] };
  // Ranked once; the quotas decide on ids in rank order, before any chunk is read.
  const ranked = await rankChunkIds(ctx.index, searched, options);
  await slice();
  for (const id of ranked.keys()) decide(id);
  await slice();
  // Reading a document the first time parses it (about 1 ms each at 100k chunks); the places' documents are
  // read in slices so that other requests get in, then the scoring reads them from memory.
  for (const docId of new Set([...accepted].map(docIdOfChunk))) {
    ctx.index.chunksByDoc.get(docId);
    await slice();
  }
  const all = scoreRanked(ctx.index, searched, options, ranked, (id) => accepted.has(id));
  await slice();
  const byPlace = new Map<string, ScoredChunk[]>();
  for (const hit of all) {
    const region = regionOf(hit.chunk.id) ?? '';
    byPlace.set(region, [...(byPlace.get(region) ?? []), hit]);
  }
  return byPlace;
}

function perRegion(
  ctx: AnswerContext,
  u: Understanding,
  region: string,
  segment: string | undefined,
): Understanding {
  const base: Understanding = {
    ...u,
    regions: [region],
    unknownRegions: [],
    placeUnknown: false,
    broaderRegions: [],
    intent: u.wantsNumber ? 'target' : 'general',
  };
  if (!segment) return base;
  const own = understand(
    `${region} ${segment}`,
    [],
    ctx.glossary,
    regionFinderFor(ctx.index),
    dictionaryFor(ctx.index),
  );
  if (topicGrams(own.topic).size < MIN_SEGMENT_GRAMS)
    return { ...base, years: own.years.length ? own.years : u.years };
  return {
    ...own,
    lang: u.lang,
    regions: [region],
    unknownRegions: [],
    placeUnknown: false,
    broaderRegions: [],
    intent: own.wantsNumber || u.wantsNumber ? 'target' : 'general',
    wantsNumber: own.wantsNumber || u.wantsNumber,
  };
}

/** Where a question joins its parts: "X 与 Y", "X, and Y", "compare X with Y". */
const PART_BREAK = /[,,;;、]|\band\b|\bwith\b|\bversus\b|\bvs\.?|与|以及|和/i;

/**
 * Each region's part of the question: the question is cut where it joins its parts, every part that names a
 * region belongs to it, and a part that names none continues the part before it.
 */
function regionSegments(question: string, places: RegionFinder): Map<string, string> {
  const findRegions = (text: string) => places.find(text);
  const segments = new Map<string, string>();
  let current: string | null = null;
  for (const part of question.normalize('NFKC').split(PART_BREAK)) {
    const named = findRegions(part).regions[0];
    if (named) current = named;
    if (!current) continue;
    const own = findRegions(part).spans.reduce(
      (t, s) => t.slice(0, s.start) + ' '.repeat(s.end - s.start) + t.slice(s.end),
      part,
    );
    segments.set(current, `${segments.get(current) ?? ''} ${own}`.trim());
  }
  return segments;
}
