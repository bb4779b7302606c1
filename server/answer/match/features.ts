import type { TargetRecord } from '../../../ingest/model.ts';
import { CHINESE_FIGURE_SOURCE } from '../../../ingest/text/chinese-numerals.ts';
import type { AnswerType } from '../../query/answer-type.ts';
import type { AskedKind } from '../../query/asked-kind.ts';
import type { CandidateSentence } from '../candidate-sentences.ts';
import { coverage, groupCoverage, topicGrams, wordCoverage } from '../topic-match.ts';
import { longestCommonRun } from './common-run.ts';

/**
 * The named features of one candidate sentence. Every feature is in 0..1 so the fitted weights
 * (`weights.ts`) are comparable, and every feature is something a reader could check by eye.
 */
export const FEATURE_NAMES = [
  /** Share of the question's topic (bigrams, or content words when that is higher) the sentence covers. */
  'topicCoverage',
  /**
   * Share of the topic's weight covered, each bigram weighted by its rarity in the corpus (IDF): the rare
   * words of a question (热线, 号码) decide whether a sentence about its common words (心理, 服务) answers.
   */
  'rareCoverage',
  /**
   * Share of the topic's words the sentence or its headings name, directly or by another term for the same
   * concept (lexicon concept groups): "医院…几小时内报" is answered by "医疗卫生机构…2小时内…报告".
   */
  'conceptCoverage',
  /**
   * The topic's head is found in the sentence or its headings: the rarest content word of a Chinese topic
   * (号码 of 心理援助热线号码, 素养 of 居民健康素养水平), the last understood term of an English one.
   */
  'headPresent',
  /** The same with the clause's heading path prepended: the heading names what the sentence is about. */
  'headingCoverage',
  /** The same over the whole clause: laws' articles answer as a whole. */
  'clauseCoverage',
  /** Share of the sentence's own bigrams found in the topic: short, on-topic sentences beat long ones. */
  'reverseCoverage',
  /** How well the best target record of the sentence names the asked metric (0 without records). */
  'metricMatch',
  /** 1 / (1 + retrieval rank of the chunk). */
  'retrievalRank',
  /** The chunk's fused retrieval score as a share of the best chunk's. */
  'retrievalScore',
  /** The sentence speaks of a year the question names. */
  'yearMatch',
  /** The question names years and the sentence speaks of none of them (soft years only reach here). */
  'yearMismatch',
  /** The sentence has what the answer type needs (a figure, an enumeration, a sanction, a body …). */
  'typeFit',
  /** The sentence is only a heading ("4.推进县区级公立医院提质升级。") or a title: it names, it does not answer. */
  'headingOnly',
  /** The chunk is the document's header (notice, addressees): answers only questions about the notice. */
  'headerChunk',
  /**
   * The sentence announces what the question names and gives it: "甲类传染病是指:鼠疫、霍乱" for "甲类传染病是哪几种",
   * "医疗救助对象范围包括…" for "医疗救助对象有哪些" (list, definition, name and count questions only).
   */
  'introducesTopic',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;

/** What the features of a candidate are computed against: the question's side. */
export interface MatchQuery {
  /** Chinese topic text: the question without place, year and question words, plus expansions. */
  topic: string;
  /** For English questions: the Chinese alternatives of each understood term, one group per term. */
  topicGroups: readonly (readonly string[])[];
  /** The topic's words with their concept-group alternatives. */
  concepts: readonly (readonly string[])[];
  years: readonly number[];
  answerType: AnswerType;
  /** The unit or noun the question asks for (几分钟 → 分钟, 哪个县 → 县); empty when it names none. */
  askedKind: AskedKind;
}

/** Content words are trusted only for topics of at least this many words: one or two are too easily covered. */
const MIN_TOPIC_WORDS = 3;
/**
 * Word coverage below this counts as none: two common words of four (居民, 健康 of 居民健康素养水平) must not
 * make another metric's sentence an answer.
 */
const MIN_WORD_COVERAGE = 0.67;

/**
 * A figure with its unit. Laws write figures in Chinese numerals (五十五周岁, 百分之八十, 三万元), read by
 * CHINESE_FIGURE_SOURCE, which leaves names such as 两个责任 out.
 */
export const FIGURE = new RegExp(
  // Durations count (3个月, 30日, 2小时) but a year (2025年) does not: every plan sentence names one.
  String.raw`\d+(?:\.\d+)?\s*(?:%|‰|\/10万|万|个|张|人|家|所|名|辆|元|级|项|次|支|类|床|间|台|座|户|例|天|日|小时|分钟|周|岁|位|倍)|(?<![\d.])\d{1,2}\s*个?(?:月|年)|[A-Z]级|第[一二三四五六七八九十\d]+[期批次届轮]|${CHINESE_FIGURE_SOURCE}`,
);
/** A sentence that announces and gives its items: "甲类传染病是指:鼠疫、霍乱", "分为甲类、乙类和丙类". */
const ENUMERATION =
  /(?:是指|包括|分为|分成|有以下|下列|如下|主要有)[^。]*[、,，；;]|[:：][^。]*、|(?:一|二|三|四|五|六)是|[(（][一二三四五六七八九十]+[)）]/;
/** Items joined by 、 without an announcing word: weaker evidence of a list. */
const SERIES = /、.*、|、/;
/** A body named as responsible: 牵头, 负责, 责任单位 beside a body. */
const RESPONSIBLE = /牵头|负责|责任(?:单位|部门|处室)|主管|主办|配合|协同部门/;
/**
 * Counts and durations as laws write them, beside FIGURE: 两类, 一家, 半年一次, 每年校验1次 — for questions
 * that ask how many or how long, where a bare Chinese numeral with its measure word is the answer.
 */
export const COUNT_OR_DURATION =
  /[一二两三四五六七八九十百千]+(?:类|种|个|家|所|项|名|人|次|级|倍|日|天|小时|个月|周|年|部分|位)|半年|每年|每月|每季度|每周|\d+\s*位/;
/** When something must be done, as laws write it without a figure: 立即报告, 当日, 次日起. */
export const AT_ONCE = /立即|立刻|马上|即时|当日|当天|次日|同时/;
const DEFINITION = /是指|指的是|所称|称为|即|是.{0,20}的总称|包括/;
export const SANCTION = /罚款|吊销|责令|警告|没收|撤销|降级|撤职|开除|处分|拘留|追究.{0,6}责任|依法处理|暂停/;
const BODY = /部门|委员会|机关|机构|局|厅|委|办公室|中心|政府|医院|单位/;
const RULE = /应当|必须|不得|禁止|严禁|须|要|可以|有权|鼓励|支持/;

/** Everything about a question's topic that does not depend on the candidate, computed once per question. */
export interface PreparedQuery extends MatchQuery {
  grams: ReadonlySet<string>;
  words: readonly string[];
  /** Alternatives for the topic's head: a sentence naming none of them is about something else. */
  head: readonly string[];
  /** Each topic gram with its IDF weight, and their sum. */
  weighted: readonly (readonly [string, number])[];
  totalWeight: number;
  /** A figure in one of the asked units (askedKind.units), compiled once per question; null when none is asked. */
  unitFigure: RegExp | null;
}

export function prepareQuery(
  q: MatchQuery,
  contentWords: (text: string) => string[],
  idf: (token: string) => number,
): PreparedQuery {
  const grams = topicGrams(q.topic);
  // For English questions, the canonical Chinese term of each understood phrase stands for the topic.
  const source = q.topicGroups.length
    ? [...topicGrams(q.topicGroups.map((g) => g[0] ?? '').join(' '))]
    : [...grams];
  const weighted = source.map((g) => [g, idf(g)] as const);
  const words = q.topicGroups.length ? [] : contentWords(q.topic);
  return {
    ...q,
    grams,
    words,
    head: q.topicGroups.length ? (q.topicGroups.at(-1) ?? []) : rarest(words, idf),
    weighted,
    totalWeight: weighted.reduce((sum, [, w]) => sum + w, 0),
    // "年体检人数达到80万以上" counts people in 万 with the unit named before it (人数, 人次).
    unitFigure: q.askedKind.units.length
      ? new RegExp(
          `(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十百千万半]+)\\s*(?:个)?(?:万|千|亿)?(?:${q.askedKind.units.join('|')})${
            q.askedKind.units.includes('人')
              ? '|人(?:数|次)[^，,；;。]{0,6}?\\d+(?:\\.\\d+)?\\s*[万千亿]'
              : ''
          }`,
        )
      : null,
  };
}

/**
 * A Chinese topic's head: its rarest content word (素养 of 居民健康素养水平, not 水平), the later one on a tie;
 * the word a sentence about something else is least likely to contain.
 */
function rarest(words: readonly string[], idf: (token: string) => number): string[] {
  let best: string | undefined;
  let bestIdf = -1;
  for (const w of words) {
    const value = idf(w);
    if (value >= bestIdf) {
      best = w;
      bestIdf = value;
    }
  }
  return best ? [best] : [];
}

function conceptCover(concepts: readonly (readonly string[])[], text: string): number {
  if (concepts.length === 0) return 0;
  const normalized = text.normalize('NFKC').toLowerCase();
  return (
    concepts.filter((alts) => alts.some((a) => normalized.includes(a.toLowerCase()))).length / concepts.length
  );
}

function rareCover(q: PreparedQuery, text: string): number {
  if (q.totalWeight === 0) return 0;
  const normalized = text.normalize('NFKC').toLowerCase();
  let hit = 0;
  for (const [g, w] of q.weighted) if (normalized.includes(g)) hit += w;
  return hit / q.totalWeight;
}

export function topicCover(q: PreparedQuery, text: string): number {
  if (q.topicGroups.length) return groupCoverage(q.topicGroups, text);
  const words = q.words.length >= MIN_TOPIC_WORDS ? wordCoverage(q.words, text) : 0;
  return Math.max(coverage(q.grams, text), words >= MIN_WORD_COVERAGE ? words : 0);
}

export interface CandidateContext {
  candidate: CandidateSentence;
  /** Fused retrieval score of the candidate's chunk and of the best chunk. */
  chunkScore: number;
  topScore: number;
  /** Target records found in the sentence. */
  targets: readonly TargetRecord[];
  /** Coverage of the whole clause, computed once per chunk. */
  clauseCoverage: number;
  /**
   * Text that states what the sentence is about when the sentence does not: a sanction's paragraph and the
   * violations it lists ("有下列情形之一的，…并处…罚款：" + "（二）拒绝实施卫生处理"). The topic features take the
   * better of the sentence and this.
   */
  evidence?: string;
  /** The sentence names a place other than the question's (for questions asking which place). */
  namesPlace?: boolean;
}

export function featuresOf(q: PreparedQuery, c: CandidateContext): Features {
  const s = c.candidate;
  const heading = s.chunk.headingPath.join(' ');
  const ownGrams = topicGrams(s.text);
  const topicText = [q.topic, ...q.topicGroups.flat()].join(' ');
  const metricMatch = c.targets.reduce(
    (best, t) => Math.max(best, coverage(topicGrams(`${t.qualifier ?? ''}${t.metric}`), topicText)),
    0,
  );
  return {
    topicCoverage: Math.max(topicCover(q, s.text), c.evidence ? topicCover(q, c.evidence) : 0),
    rareCoverage: Math.max(rareCover(q, s.text), c.evidence ? rareCover(q, c.evidence) : 0),
    conceptCoverage: conceptCover(q.concepts, `${heading} ${s.text} ${c.evidence ?? ''}`),
    headPresent: q.head.length === 0 || q.head.some((h) => `${heading} ${s.text}`.includes(h)) ? 1 : 0,
    headingCoverage: topicCover(q, `${heading} ${s.text}`),
    clauseCoverage: c.clauseCoverage,
    reverseCoverage: coverage(ownGrams, topicText),
    metricMatch,
    retrievalRank: 1 / (1 + s.rank),
    retrievalScore: c.topScore > 0 ? Math.min(1, c.chunkScore / c.topScore) : 0,
    yearMatch: q.years.some((y) => s.years.includes(y)) ? 1 : 0,
    yearMismatch: q.years.length && !q.years.some((y) => s.years.includes(y)) ? 1 : 0,
    typeFit: kindFit(q, s.text, typeFit(q.answerType, s.text), c.namesPlace ?? false),
    headingOnly: isHeadingOnly(s) ? 1 : 0,
    headerChunk: s.chunk.kind === 'header' ? 1 : 0,
    introducesTopic: INTRODUCED_TYPES.has(q.answerType) && introducesTopic(q.topic, s.text) ? 1 : 0,
  };
}

const INTRODUCED_TYPES: ReadonlySet<AnswerType> = new Set(['list', 'definition', 'name', 'count', 'general']);
/** Words that announce what a thing is or holds. */
const INTRODUCING = /是指|指的是|包括|包含|分为|分成|主要有|有以下|有下列|为以下/g;
/** A subject shorter than this is too common to tie a sentence to a question (传染 of any 传染病 sentence). */
const MIN_SUBJECT_CHARS = 4;

/** The words just before an announcing word hold at least MIN_SUBJECT_CHARS characters of the topic in a row. */
function introducesTopic(topic: string, sentence: string): boolean {
  const text = sentence.normalize('NFKC');
  for (const m of text.matchAll(INTRODUCING)) {
    // "基层医疗卫生机构，是指…": a definition's subject stands before the comma that precedes the word.
    const before = text.slice(0, m.index).replace(/[,，:：]\s*$/, '');
    const clause = before.slice(
      Math.max(...[',', '，', '。', ';', '；', ':', '：'].map((p) => before.lastIndexOf(p))) + 1,
    );
    if (longestCommonRun(clause, topic).length >= Math.min(MIN_SUBJECT_CHARS, clause.length))
      return clause.length >= 2;
  }
  return false;
}

/** A time span or deadline: 30日内, 三个工作日, 十五分钟, 6个月, 半年. */
export const TIME_FIGURE =
  /(?:(?<![\d.])\d{1,3}(?:\.\d+)?|[一二两三四五六七八九十百]+)\s*(?:个)?(?:工作日|分钟|小时|日|天|周|月|年)(?!度)|半年|当日|次日/;
/** Share of the type fit a sentence keeps when it lacks the unit or noun the question names. */
const MISSING_KIND = 0.3;

/**
 * The question names what it asks for (几分钟, 罚多少 → 元, 哪个县, which hotlines): a sentence holding a figure
 * in that unit, or that noun, fits fully; one without it keeps a small share of its type fit.
 */
function kindFit(q: PreparedQuery, text: string, fit: number, namesPlace: boolean): number {
  const kind = q.askedKind;
  if (kind.places) return namesPlace ? Math.max(fit, 0.7) : fit * MISSING_KIND;
  if (q.unitFigure) return q.unitFigure.test(text.normalize('NFKC')) ? 1 : fit * MISSING_KIND;
  if (kind.nouns.length) {
    return kind.nouns.some((n) => text.includes(n)) ? Math.max(fit, 0.7) : fit * MISSING_KIND;
  }
  return fit;
}

function typeFit(type: AnswerType, text: string): number {
  switch (type) {
    case 'value':
      return FIGURE.test(text) ? 1 : 0;
    case 'duration':
      // "多长时间内" is answered by a span of time, not by the 5名 of the same article.
      return TIME_FIGURE.test(text) || AT_ONCE.test(text)
        ? 1
        : FIGURE.test(text) || COUNT_OR_DURATION.test(text)
          ? 0.3
          : 0;
    case 'count':
      return FIGURE.test(text) || COUNT_OR_DURATION.test(text) ? 1 : 0;
    case 'list':
      return ENUMERATION.test(text) ? 1 : SERIES.test(text) ? 0.5 : 0;
    case 'penalty':
      return SANCTION.test(text) ? 1 : 0;
    case 'responsible':
      return BODY.test(text) ? (RESPONSIBLE.test(text) ? 1 : 0.5) : 0;
    case 'name':
      return BODY.test(text) ? 1 : 0;
    case 'definition':
      return DEFINITION.test(text) ? 1 : 0;
    case 'yesno':
    case 'obligation':
      return RULE.test(text) ? 1 : 0;
    case 'general':
      return 0;
  }
}

/**
 * A numbered heading line, or a sentence that repeats the last heading of its clause. An item that ends as
 * a clause of its article does ("(五)初产妇年龄超过35周岁的。", "(一)羊水过多或者过少的；") is content: headings
 * of plans carry no end mark, the items of a law's list do.
 */
function isHeadingOnly(s: CandidateSentence): boolean {
  const text = s.text.replace(/[。.]$/, '').trim();
  const last = s.chunk.headingPath.at(-1)?.trim() ?? '';
  if (last && (text === last || last.endsWith(text))) return true;
  if (/的[。;；]?$/.test(s.text.trim()) || /[;；]$/.test(s.text.trim())) return false;
  return (
    text.length <= 30 &&
    /^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．])/.test(text)
  );
}
