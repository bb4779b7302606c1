import type { TargetRecord } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import { CHINESE_FIGURE_SOURCE } from '../../ingest/text/chinese-numerals.ts';
import { contentWords } from '../../ingest/text/tokenize.ts';
import type { Glossary } from '../query/glossary.ts';
import type { Understanding } from '../query/understand.ts';
import { type RetrievalOptions, retrieve, type ScoredChunk } from '../retrieve/hybrid-retriever.ts';
import { broaderPlaceNote } from './broader-place-note.ts';
import { type CandidateSentence, candidateSentences } from './candidate-sentences.ts';
import { CitationList } from './citations.ts';
import { answeredDraft, type Draft, notFoundDraft } from './draft.ts';
import type { NotFoundReason } from './not-found.ts';
import { containsHeads, coverage, groupCoverage, topicGrams, wordCoverage } from './topic-match.ts';
import { clauseStatingYear } from './year-clause.ts';

/**
 * The default answerer: no LLM. It picks the sentence that answers, leads with the value, metric, region and
 * year for a target question, and quotes the sentence; every line carries the marker of the clause it
 * comes from.
 */
export interface AnswerThresholds {
  /** Share of the question's topic a sentence must cover to answer it. Default 0.5, tuned on evals/sets/dev.jsonl. */
  minCoverage: number;
  /** A second sentence is added when it scores at least this share of the best. Default 0.92. */
  secondSentenceRatio: number;
  /**
   * For English questions, the share of glossary terms a sentence must cover. Default 0.5: 0.6 and 0.7
   * refused more answerable questions (dev/gold/heldout) than they caught unanswerable ones.
   */
  minGroupCoverage: number;
  /** How many of the first retrieved chunks may answer with the coverage of their whole article. Default 2. */
  articleContextRanks: number;
  /** Weight of a whole article's coverage against a sentence's own. Default 0.8, tuned on evals/sets/realdocs-dev.jsonl. */
  articleContextWeight: number;
}

export const DEFAULT_THRESHOLDS: AnswerThresholds = {
  minCoverage: 0.5,
  secondSentenceRatio: 0.92,
  minGroupCoverage: 0.5,
  articleContextRanks: 2,
  articleContextWeight: 0.8,
};

export interface AnswerContext {
  index: OpenedIndex;
  glossary: Glossary;
  retrieval: RetrievalOptions;
  thresholds: AnswerThresholds;
}

/** Word coverage counts only for topics of at least this many words: one or two words are too easily covered. */
const MIN_TOPIC_WORDS = 3;

/**
 * Word coverage below this counts as none: two common words of four (居民, 健康 of 居民健康素养水平) must not
 * make another metric's sentence an answer.
 */
const MIN_WORD_COVERAGE = 0.67;

function strongWordCoverage(words: readonly string[], text: string): number {
  const share = wordCoverage(words, text);
  return share >= MIN_WORD_COVERAGE ? share : 0;
}

interface Scored extends CandidateSentence {
  coverage: number;
  score: number;
}

/**
 * A figure with its unit: what a target question must be answered with. Laws write figures in Chinese
 * numerals (五十五周岁, 百分之八十, 三万元), read by CHINESE_FIGURE_SOURCE, which leaves names such as 两个责任 out.
 */
const NUMBER = new RegExp(
  String.raw`\d+(?:\.\d+)?\s*(?:%|‰|\/10万|万|个|张|人|家|所|名|辆|元|级|项|次|支|类|床|间|台|座|户|例|天|小时|分钟)|[A-Z]级|第[一二三四五六七八九十\d]+[期批次届轮]|${CHINESE_FIGURE_SOURCE}`,
);

export async function answerTarget(
  ctx: AnswerContext,
  u: Understanding,
  citations: CitationList = new CitationList(ctx.index),
): Promise<Draft> {
  const { index } = ctx;
  const retrieved = await retrieve(index, u, ctx.retrieval);
  const notFound = (reason: NotFoundReason) => notFoundDraft(reason, u, retrieved);
  if (u.unknownRegions.length && !u.regions.length) {
    return notFound({ kind: 'unknown-region', names: u.unknownRegions });
  }
  const hardYears = u.softYear ? [] : u.years;
  if (hardYears.length && !yearsCovered(index, u.regions, hardYears)) {
    return notFound({ kind: 'year-not-covered', years: hardYears, regions: u.regions });
  }
  const best = bestSentences(ctx, u, retrieved, hardYears);
  if (!best.length) return notFound({ kind: 'no-match' });
  const lines: string[] = u.broaderRegions.map((b) => broaderPlaceNote(b, u.lang));
  let firstLead: string | null = null;
  for (const s of best) {
    const marker = citations.cite(s.chunk);
    if (u.wantsNumber) {
      const lead = leadLine(ctx, u, s, marker, citations);
      if (lead) lines.push(lead);
      firstLead ??= lead;
    }
    lines.push(u.lang === 'en' ? `"${s.text}" ${marker}` : `原文:“${s.text}”${marker}`);
  }
  return answeredDraft(lines, citations.citations, retrieved, firstLead);
}

function yearsCovered(index: OpenedIndex, regions: readonly string[], years: readonly number[]): boolean {
  const docs = index.documents.filter(
    (d) => !regions.length || (d.meta.region !== null && regions.includes(d.meta.region.name)),
  );
  return years.every((y) =>
    docs.some((d) => {
      const p = d.meta.period;
      if (d.meta.horizonYears.includes(y) || (p && y >= p.start && y <= p.end)) return true;
      return (index.chunksByDoc.get(d.meta.docId) ?? []).some(
        (c) => c.kind !== 'header' && c.years.includes(y),
      );
    }),
  );
}

function bestSentences(
  ctx: AnswerContext,
  u: Understanding,
  retrieved: readonly ScoredChunk[],
  hardYears: readonly number[],
): Scored[] {
  const topic = topicGrams(u.topic);
  // A question with no topic left (an English question the glossary cannot read) matches nothing, not everything.
  if (topic.size === 0 && u.topicGroups.length === 0) return [];
  // Bigrams rescue words split differently; whole words forgive the cross-word bigrams of a colloquial
  // question ("把药房承包出去" ↔ "不得承包、出租药房"). A sentence covers the topic by the better of the two.
  const words = u.topicGroups.length ? [] : contentWords(u.topic);
  const cover = (text: string) =>
    u.topicGroups.length
      ? groupCoverage(u.topicGroups, text)
      : Math.max(
          coverage(topic, text),
          words.length >= MIN_TOPIC_WORDS ? strongWordCoverage(words, text) : 0,
        );
  const numeric = u.wantsNumber;
  const scored: Scored[] = [];
  retrieved.forEach(({ chunk }, rank) => {
    // The header holds the notice (addressees, approving meeting, basis): it answers general questions only.
    if (chunk.kind === 'header' && u.intent !== 'general') return;
    const doc = ctx.index.documentById.get(chunk.docId);
    if (!doc) return;
    // A law article answers as a whole: its question often names words of the article's other
    // sentences ("疫苗法里异常反应的补偿费用谁出" ↔ 第五十六条). Non-numeric questions only, top chunks only.
    const articleCov =
      !numeric && rank < ctx.thresholds.articleContextRanks && /条/.test(chunk.clausePath ?? '')
        ? ctx.thresholds.articleContextWeight * cover(`${chunk.headingPath.join(' ')} ${chunk.text}`)
        : 0;
    for (const s of candidateSentences(chunk, rank, doc)) {
      if (hardYears.length && !hardYears.some((y) => s.years.includes(y))) continue;
      if (numeric && !NUMBER.test(s.text)) continue;
      if (!containsHeads(u.metricHeads, s.text)) continue;
      const cov = cover(s.text);
      const headingCov = cover(`${chunk.headingPath.join(' ')} ${s.text}`);
      let score = 0.8 * cov + 0.2 * headingCov + 0.05 * (1 - rank / Math.max(1, retrieved.length));
      if (u.years.some((y) => s.years.includes(y))) score += 0.05;
      scored.push({
        ...s,
        coverage: Math.max(cov, 0.9 * headingCov, articleCov),
        score: score + 0.1 * articleCov,
      });
    }
  });
  scored.sort((a, b) => b.score - a.score);
  const top = scored[0];
  const min = u.topicGroups.length ? ctx.thresholds.minGroupCoverage : ctx.thresholds.minCoverage;
  if (!top || top.coverage < min) return [];
  const picked = [top];
  const second = scored.find(
    (s) =>
      s !== top &&
      s.score >= top.score * ctx.thresholds.secondSentenceRatio &&
      s.coverage >= min &&
      (s.chunk.id !== top.chunk.id || s.start !== top.start),
  );
  if (second) picked.push(second);
  return picked;
}

/** "嘉兴市2027年家庭医生签约服务覆盖率目标:45%以上" from the target record the sentence holds. */
function leadLine(
  ctx: AnswerContext,
  u: Understanding,
  s: Scored,
  marker: string,
  citations: CitationList,
): string | null {
  const doc = ctx.index.documentById.get(s.chunk.docId);
  if (!doc) return null;
  const target = pickTarget(ctx.index.targetsByChunk, s, u);
  const year = target?.year ?? u.years.find((y) => s.years.includes(y)) ?? s.years[0] ?? null;
  const yearSource = target?.yearSource ?? s.yearSource;
  let markers = marker;
  if (
    year !== null &&
    (yearSource === 'horizon' || yearSource === 'clause') &&
    !s.text.includes(String(year)) &&
    !s.chunk.text.includes(`${year}年`)
  ) {
    const yearChunk = clauseStatingYear(ctx.index, s.chunk.docId, year);
    if (yearChunk) markers += citations.cite(yearChunk);
  }
  const region = doc.meta.region;
  const valueText = target?.valueText ?? s.text.match(NUMBER)?.[0] ?? null;
  if (!valueText) return null;
  const metric = target ? `${target.qualifier ?? ''}${target.metric}` : (s.chunk.headingPath.at(-1) ?? '');
  if (u.lang === 'en') {
    // A label such as "per 1,000 people" would show numbers no clause contains: keep the Chinese then.
    const english = ctx.glossary.englishLabel(metric);
    const label = english && !/\d/.test(english) ? english : metric;
    const place = region ? `${region.english} (${region.name})` : 'Unknown place';
    return `${place}${year ? `, ${year}` : ''}: ${label} — ${valueText} ${markers}`;
  }
  return `${region?.name ?? ''}${year ? `${year}年` : ''}${metric}目标:${valueText} ${markers}`;
}

function pickTarget(
  targetsByChunk: ReadonlyMap<string, readonly TargetRecord[]>,
  s: Scored,
  u: Understanding,
): TargetRecord | null {
  const topic = topicGrams(u.topic);
  const inSentence = (targetsByChunk.get(s.chunk.id) ?? []).filter((t) => t.start < s.end && t.end > s.start);
  let best: { t: TargetRecord; score: number } | null = null;
  for (const t of inSentence) {
    let score = coverage(topic, `${t.qualifier ?? ''}${t.metric}`) + 0.5 * reverseCoverage(t.metric, u.topic);
    if (t.year !== null && u.years.includes(t.year)) score += 0.3;
    if (!best || score > best.score) best = { t, score };
  }
  return best?.t ?? null;
}

/** Share of the metric's grams found in the topic: prefers 全人群…覆盖率 over 满意度 for a coverage question. */
function reverseCoverage(metric: string, topic: string): number {
  return coverage(topicGrams(metric), topic);
}
