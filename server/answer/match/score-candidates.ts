import { SIGNATURE_HEADING, type TargetRecord } from '../../../ingest/model.ts';
import type { OpenedIndex } from '../../../ingest/store/open-index.ts';
import { findNumerals, findNumericExpressions } from '../../../ingest/text/chinese-numerals.ts';
import { unitCategory } from '../../../ingest/text/numeric-units.ts';
import { contentWords } from '../../../ingest/text/tokenize.ts';
import { FIGURE_TYPES } from '../../query/answer-type.ts';
import { type RegionFinder, regionFinderFor } from '../../query/find-regions.ts';
import { defaultLexicon } from '../../query/lexicon/lexicon.ts';
import { PER_CAPITA_BASE } from '../../query/per-capita-base.ts';
import type { Understanding } from '../../query/understand.ts';
import type { ScoredChunk } from '../../retrieve/hybrid-retriever.ts';
import { type CandidateSentence, candidateSentences } from '../candidate-sentences.ts';
import { containsHeads, coverage, topicGrams } from '../topic-match.ts';
import { citedArticleTexts, withCitedArticles, withCitingSanctions } from './cited-articles.ts';
import { longestCommonRun } from './common-run.ts';
import {
  AT_ONCE,
  COUNT_OR_DURATION,
  FEATURE_NAMES,
  type Features,
  FIGURE,
  featuresOf,
  prepareQuery,
  SANCTION,
  TIME_FIGURE,
  topicCover,
} from './features.ts';
import { populationUnnamed } from './populations.ts';
import { qualifierConflict } from './qualifier-conflict.ts';
import type { MatcherWeights } from './weights.ts';

/** A metric sharing fewer characters in a row than this with the topic is of another kind (卫生, 人口 are common). */
const UNRELATED_RUN = 3;
/** The per-capita base of a metric (每千人口, 每万常住人口拥有): shared by metrics of every kind. */
const PER_CAPITA_PREFIX = new RegExp(`${PER_CAPITA_BASE}(?:拥有)?`, 'g');

/**
 * Whether the figures of a sentence are all a neighbouring metric's: the same head with another qualifier
 * (qualifier-conflict.ts) for every one of them, or a term statistics keep apart from the asked one (门诊 for
 * 住院, 农村 for 城市; lexicon/contrasts.tsv) for one, the rest of another kind (院内感染发生率 beside
 * 门诊处方抗生素使用率, asked 住院患者抗菌药物使用率; 公共卫生人员数 beside 执业医师数, asked 床位). The qualifier
 * test alone is not enough for the second form: the characters before a shared head may be a verb (出现超常处方).
 */
function neighbourFigures(inSentence: readonly TargetRecord[], topic: string): boolean {
  if (!inSentence.length) return false;
  const metric = (t: TargetRecord) => `${t.qualifier ?? ''}${t.metric}`;
  const qualifier = (t: TargetRecord) => qualifierConflict(metric(t), topic);
  if (inSentence.every(qualifier)) return true;
  const contrast = (t: TargetRecord) => defaultLexicon().contrast(topic, metric(t)) !== null;
  const noun = (text: string) => text.normalize('NFKC').replace(PER_CAPITA_PREFIX, '');
  const asked = noun(topic);
  // A short asked noun (护士 of 每千人口护士) is related by all of it: 注册护士数 shares its two characters.
  const related = Math.min(UNRELATED_RUN, asked.length);
  const unrelated = (t: TargetRecord) => longestCommonRun(noun(t.metric), asked).length < related;
  return inSentence.some(contrast) && inSentence.every((t) => contrast(t) || unrelated(t));
}

/** A candidate sentence that passed the hard constraints, with its features and probability of answering. */
export interface ScoredCandidate extends CandidateSentence {
  features: Features;
  /** Logistic probability that the sentence answers the question, 0..1. */
  score: number;
  /** The ranking model's score: candidates are ordered by it. */
  rank: number;
}

/** The note of responsible bodies that closes a plan's clause: （省卫生健康委、省教育厅等按职责分工负责）. */
const RESPONSIBLE_NOTE = /^[（(][^）)]{2,200}(?:负责|牵头|配合)[^）)]{0,10}[）)]。?$/;

/** A topic that ends in a word for a share or a rate: 占比, 比例, 比重, 覆盖率. */
const SHARE_WORD = /(?:占比|比例|比重|[^效频]率)$/u;
/** An English question asking a share or a rate: "what coverage rate", "what percentage", "the share of". */
const ENGLISH_SHARE_WORD = /\b(?:rates?|percentages?|share|proportion|ratio|coverage|per ?cent)\b/i;
/** A figure that is a share: 45%, 8‰, 9/10万, 百分之八十, 十万分之…. */
const SHARE_FIGURE = /\d\s*[%‰]|\/\s*(?:10)?万|百分之|千分之|万分之|[<>≤≥]\s*\d/;

/** A class, type or grade named by a Latin letter: A类, B型, C级 (甲类 is left to the topic). */
const LETTER_CLASS = /[A-Z][类型级档]/g;

/** The letter classes a text names, as NFKC writes them. */
function letterClassesIn(text: string): string[] {
  return [...new Set(text.normalize('NFKC').match(LETTER_CLASS) ?? [])];
}

/**
 * Every sentence of the retrieved chunks that may answer, with its features. Hard constraints drop a
 * sentence outright: a year the question requires and the sentence lacks, a figure a value question needs,
 * the rate word (覆盖率, 死亡率) the question names. Everything else is a feature.
 */
export function collectCandidates(
  index: OpenedIndex,
  u: Understanding,
  retrieved: readonly ScoredChunk[],
  hardYears: readonly number[],
): Omit<ScoredCandidate, 'score' | 'rank'>[] {
  const q = prepareQuery(
    {
      topic: u.topic,
      topicGroups: u.topicGroups,
      concepts: u.topicConcepts,
      years: u.years,
      answerType: u.answerType,
      askedKind: u.askedKind,
    },
    contentWords,
    (token) => index.lexical.idf(token),
  );
  // A question with no topic left (an English question the glossary cannot read) matches nothing, not everything.
  if (q.grams.size === 0 && q.topicGroups.length === 0) return [];
  // A place named by a follow-up ("那西宁呢?") moves the question, which the place filter does: it is not a thing
  // the sentence must name.
  const places = regionFinderFor(index);
  const focus = u.followUpOf
    ? u.focus.filter((forms) => !forms.some((f) => places.find(f).spans.length))
    : [];
  const needsFigure = FIGURE_TYPES.has(u.answerType) || u.wantsNumber;
  const classes = letterClassesIn(u.resolvedQuestion);
  // Asked in units of measure (张, 公斤, 几天), not in a noun of things (医院 of "What hospital-delivery rate"):
  // the figure must be in one of them (7日用量 answers 几天的量; a 保存期限为1年 does not).
  const measuredIn =
    (u.answerType === 'value' || u.answerType === 'duration') &&
    u.askedKind.units.length > 0 &&
    u.askedKind.units.every((unit) => unitCategory(unit) !== null);
  // "是70%吗?" checks a figure: the clause that states another one answers it.
  const givenFigures = u.lang === 'zh' && u.answerType !== 'yesno' ? givenFiguresOf(u.resolvedQuestion) : [];
  // 代码是多少, 编号: a code is a bare number ("代码为“28”"), not a figure with a unit.
  const asksCode = CODE.test(u.resolvedQuestion);
  const looseFigure = u.answerType === 'count' || u.answerType === 'duration';
  // "人均预期寿命23年要达到什么水平" may be answered by a benchmark, not a figure: 达到全国平均水平.
  const asksLevel = LEVEL_ASKED.test(u.resolvedQuestion);
  // "普惠托位占比要求多少" asks a share: a count of places (每千人口托位数4.1个) is another metric's figure.
  // So does "what health management rate …": a count of health management centres (3-5个) does not answer it.
  const asksShare =
    needsFigure &&
    (u.lang === 'zh' ? SHARE_WORD.test(u.topic.trim()) : ENGLISH_SHARE_WORD.test(u.resolvedQuestion));
  const topScore = retrieved[0]?.score ?? 0;
  const out: Omit<ScoredCandidate, 'score' | 'rank'>[] = [];
  // A penalty asked in the words of the duty it punishes: the sanctions citing the duty's article come with it.
  // A list asked of cases another article points at ("本办法第四十六条规定情形"): that article comes with it.
  const pool =
    u.answerType === 'penalty'
      ? withCitingSanctions(index, retrieved, SANCTION)
      : u.answerType === 'list'
        ? withCitedArticles(index, retrieved)
        : retrieved;
  pool.forEach(({ chunk, score }, rank) => {
    // The header holds the notice (addressees, approving meeting, basis): it answers general questions only.
    if (chunk.kind === 'header' && u.intent !== 'general') return;
    // The signature block holds the issuer and the date, which the metadata answer gives; it states no rule.
    if (chunk.headingPath[0] === SIGNATURE_HEADING) return;
    // A figure the question states as its case ("记满6分会…吗", "床位不满100张的") is in the clause that answers
    // it: a clause without it is about another case.
    if (givenFigures.length) {
      const values = valuesIn(chunk.text);
      if (!givenFigures.every((v) => values.has(v))) return;
    }
    const doc = index.documentById.get(chunk.docId);
    if (!doc) return;
    const context = `${doc.meta.title} ${doc.meta.issuer ?? ''}`;
    const clauseCoverage = topicCover(q, `${chunk.headingPath.join(' ')} ${chunk.text}`);
    const targets = index.targetsByChunk.get(chunk.id) ?? [];
    // The sentence that announces a list ("孕妇有下列情形之一的，医师应当对其进行产前诊断：") says what its items
    // are about: an item ("初产妇年龄超过35周岁的") is read with it where the question's terms must be named.
    let announced = '';
    const title = bare(doc.meta.title);
    for (const s of candidateSentences(chunk, rank, doc)) {
      if (s.introduces) announced = s.text;
      // The document's title (or a piece of it) standing as a line says nothing a question asks for.
      if (title.includes(bare(s.text))) continue;
      // A sentence announcing a list is about what its items say ("将本人的医疗保障凭证交由他人冒名使用").
      // A sanction is also read with the articles it cites ("违反本条例第二十八条第一款规定的"): they name the breach.
      // The bodies a plan names for a clause close it: "…服务。（省卫生健康委、省民政厅等按职责分工负责）" answers who
      // is responsible for all the clause says.
      const evidence =
        u.answerType === 'penalty' || s.introduces
          ? [
              sanctionEvidence(chunk.text, s.start - chunk.start),
              ...(u.answerType === 'penalty' ? citedArticleTexts(index, chunk.docId, s.text) : []),
            ].join('\n')
          : u.answerType === 'responsible' && RESPONSIBLE_NOTE.test(s.text)
            ? chunk.text
            : undefined;
      // Where an English question's terms may stand for this sentence: the title and issuer hold the context
      // terms (卫健委 of "Changzhou's health commission plans …"); an announcing sentence's items hold its cases
      // ("应当在2小时内…报告：（一）发生…传染病暴发、流行的"). Built once, and only for the English checks below.
      let where: string | undefined;
      const answeredIn = () =>
        (where ??= `${context} ${chunk.headingPath.join(' ')} ${announced} ${s.text} ${evidence ?? ''}`);
      // "那户外自然光呢?" after a question on exercise time asks for the thing it names: a sentence without it
      // answers the earlier question, not this one.
      if (focus.length && !focus.some((forms) => forms.some((f) => namedIn(f, s.text)))) continue;
      if (hardYears.length && !hardYears.some((y) => s.years.includes(y))) continue;
      // "B类上门护理" names a class by its letter: a sentence of another class (C类护理) is not about it.
      if (classes.length) {
        const named = letterClassesIn(s.text);
        if (named.length && !classes.some((c) => named.includes(c))) continue;
      }
      // A sanction article often opens with "有下列情形之一的，…处…罚款：" and lists the violations after it.
      // Other questions skip it, unless it sets a figure of its own besides the sanction ("应当派遣工作人员在
      // 十二个小时内到达现场，并按照下列程序接受遗体："): the figure question is answered there.
      if (
        s.introduces &&
        u.answerType !== 'list' &&
        u.answerType !== 'penalty' &&
        !(needsFigure && !SANCTION.test(s.text)) &&
        // "…属于参保人员的，暂停其医疗费用联网结算3个月至12个月：" sets the span a duration question asks.
        !(u.answerType === 'duration' && TIME_FIGURE.test(s.text))
      )
        continue;
      // A penalty question is answered by a sanction: the article that sets the duty it breaks does not say one.
      if (u.answerType === 'penalty' && !SANCTION.test(s.text)) continue;
      // "How big is the fine" is answered by a fine: 追究刑事责任 is a sanction but states no amount.
      if (u.answerType === 'penalty' && u.askedKind.units.includes('元') && !/罚款|元/.test(s.text)) continue;
      // A value asked in a unit of measure (多少张, what minimum weight, how much money) is a figure in that unit:
      // another figure of the sentence (两次采集间隔期不少于六个月, a date 11月20日) is a neighbouring fact's.
      if (measuredIn && q.unitFigure && !q.unitFigure.test(s.text.normalize('NFKC'))) continue;
      // A table row states its unit apart (单位: %, 2025年目标: 28): its unit cell says what its figures are.
      if (asksShare && !SHARE_FIGURE.test(s.text.normalize('NFKC')) && !/单位: ?(?:%|‰|\/)/.test(s.text))
        continue;
      const inSentence = targets.filter((t) => t.start < s.end && t.end > s.start);
      // An indicator row's figures are bare ("<3" under 2025年目标): the row's target records hold them.
      if (
        needsFigure &&
        !FIGURE.test(s.text) &&
        !inSentence.length &&
        !(asksCode && /\d{2,}/.test(s.text)) &&
        !(looseFigure && COUNT_OR_DURATION.test(s.text)) &&
        !(u.answerType === 'duration' && AT_ONCE.test(s.text)) &&
        !(asksLevel && BENCHMARK.test(s.text))
      )
        continue;
      // A time limit asked in days or hours ("within how many days", 几小时内) is stated as a span of time, when
      // something is done at once, or how often: a sentence with only a count (100张) does not answer it.
      if (
        u.answerType === 'duration' &&
        u.askedKind.units.length &&
        !TIME_FIGURE.test(s.text) &&
        !AT_ONCE.test(s.text) &&
        !PERIODIC.test(s.text)
      )
        continue;
      if (!containsHeads(u.metricHeads, s.text)) continue;
      // A count per population is stated where its noun and its base stand in one clause of the sentence
      // (commas and semicolons part clauses; 、 joins items that share one base).
      if (
        u.perCapitaHeads.length &&
        !clausesOf(s.text).some((clause) => containsHeads(u.perCapitaHeads, clause))
      )
        continue;
      // An English value question's figure belongs to the terms it names: a sentence missing one of them states
      // a neighbouring metric's figure (hospital beds per 1,000 asked, childcare places per 1,000 stated). A
      // Chinese topic's words are a weaker guess at what must be named (fresh.jsonl fell from 92% to 78% with
      // its last word as a hard rule): for Chinese this is a feature only.
      if (needsFigure && u.lang === 'en' && !containsHeads(u.glossaryTerms, answeredIn())) continue;
      // An English yes-no question names at least one of its terms where it is answered: "Can online pharmacies
      // sell vaccines?" is not answered by a clause on selling organs.
      if (
        u.answerType === 'yesno' &&
        u.lang === 'en' &&
        u.glossaryTerms.length &&
        !u.glossaryTerms.some((term) => containsHeads([term], answeredIn()))
      )
        continue;
      // So does an English penalty question, by a term other than the law's name: the fine for another breach
      // (使用非卫生技术人员) of the same regulation is not the one asked (failing to treat 急危重症患者).
      if (u.answerType === 'penalty' && u.lang === 'en') {
        const breach = u.glossaryTerms.filter((term) => !containsHeads([term], title));
        if (breach.length && !breach.some((term) => containsHeads([term], answeredIn()))) continue;
      }
      // Every figure of the sentence is a neighbouring metric's (住院… asked as 门诊…), or one stands for the
      // contrasting term and the others for metrics of another kind: it does not answer.
      if (needsFigure && u.lang === 'zh' && neighbourFigures(inSentence, u.topic)) continue;
      // A figure asked of a population (重点人群签约率) is not the figure set for everyone (签约服务覆盖率45%): the
      // population, or a term for it, is named by the sentence, its heading or the sentence announcing it.
      if (
        needsFigure &&
        u.lang === 'zh' &&
        inSentence.length &&
        populationUnnamed(u.topic, `${chunk.headingPath.join(' ')} ${announced} ${s.text}`)
      )
        continue;
      // Any other question names one of terms kept apart (第一次开 asked, 再次开具 stated): the sentence is the
      // other case's rule.
      if (!needsFigure && u.lang === 'zh' && defaultLexicon().contrast(u.topic, s.text)) continue;
      const features = featuresOf(q, {
        candidate: s,
        chunkScore: score,
        topScore,
        targets: inSentence,
        clauseCoverage,
        evidence,
        namesPlace: u.askedKind.places && namesOtherPlace(places, s.text, u.regions),
      });
      out.push({ ...s, features });
    }
  });
  return out;
}

/** Words asking what level a target sets. */
const LEVEL_ASKED = /什么水平|啥水平|哪个水平|什么程度|what level/i;
/** A target set against a benchmark rather than as a figure: 达到全国平均水平, 优于全国平均水平, 位居全国前列. */
const BENCHMARK =
  /(?:达到|高于|优于|超过|保持|位居|进入)(?:全国|全省|全市|国内|国际|同类地区|东部地区|西部地区)(?:平均|先进|领先|中上)?(?:水平|前列)/;

/** Words asking for a code or number that is written without a unit. */
const CODE = /代码|编码|编号|号码|邮编/;

/**
 * The figures a question states as its case: Arabic numbers (6分, 100张) and Chinese ones with a unit
 * (四十八小时), without years, dates, document numbers (国办发〔2023〕17号) and ordinals (第22条). A Chinese 一
 * is "a" (一年内, 一个自然年度), not a figure.
 */
function givenFiguresOf(question: string): number[] {
  const text = question
    .normalize('NFKC')
    .replace(/\S*[〔[(]\d{4}[〕\])]\S*?号/g, ' ')
    .replace(/(?<!\d)(?:19|20)\d{2}(?!\d)|\d{2}\s*年(?:度|底|末|初)?|\d{1,2}\s*[月日]/g, ' ')
    .replace(/第\s*\d+/g, ' ')
    // "是哪两个" asks for two things; it states no case.
    .replace(/哪[两二三四五六七八九十]+/g, ' ');
  const values = new Set<number>();
  for (const m of text.matchAll(GIVEN_FIGURE)) values.add(Number(m[1]));
  for (const e of findNumericExpressions(text))
    if (e.script === 'chinese' && e.unit && e.value !== 1) values.add(e.value);
  return [...values];
}

/**
 * An Arabic number with its unit or measure word: 6分, 100张, 10秒. A number before a name (120急救, 12345热线)
 * or a version (2.0版) names a thing, not a case.
 */
const GIVEN_FIGURE =
  /(?<![\d.])(\d+(?:\.\d+)?)\s*(?=%|‰|分|张|名|人|个|家|所|岁|周岁|天|日|小时|分钟|秒|周|月|年|次|倍|元|万|千|床|项|例|种|类|级|台|辆|平方米|公里|米|克|毫升)(?!分之)/g;

/**
 * Every value a text writes, in figures or in Chinese numerals (12 and 十二 alike), and each run of digits on its
 * own: a list's "7.7岁以下儿童" is item 7, 7岁.
 */
function valuesIn(text: string): Set<number> {
  const nfkc = text.normalize('NFKC');
  const values = new Set(findNumerals(nfkc).map((n) => n.value));
  for (const m of nfkc.matchAll(/\d+/g)) values.add(Number(m[0]));
  return values;
}

/** How often something is done: 每年校验1次 answers 多久校验一次. */
const PERIODIC = /每年|每月|每季度|每周|每半年|半年/;

/** Share of a follow-up's focus term a sentence must hold to be about it (二甲医院 in 二甲综合(中医)医院). */
const MIN_FOCUS_COVERAGE = 0.5;
/** Words of a spoken condition that no document writes: 要是逾期还不改 is 逾期不改. */
const SPOKEN_CONDITION = /要是|如果|假如|万一|还|又|再|也|就|都/g;
const namedIn = (term: string, text: string) =>
  coverage(topicGrams(term.replace(SPOKEN_CONDITION, '')), text) >= MIN_FOCUS_COVERAGE;

/** A line without its spaces, marks and quotes, to compare with a title. */
const bare = (text: string) => text.normalize('NFKC').replace(/[\s\p{P}]/gu, '');

/** "推广嘉善县医共体…" names a county; "县域医共体" names none. The question's own places do not count. */
function namesOtherPlace(finder: RegionFinder, text: string, own: readonly string[]): boolean {
  // Places of the place data only (a county inside the question's city is a span of that city): the guesses
  // at unknown names are too loose here ("推动县" of 推动县域).
  return finder.find(text).spans.some((span) => {
    const name = text.slice(span.start, span.end);
    return !own.some((o) => o.startsWith(name) || name.startsWith(o));
  });
}

/** An item of a law's list: （一）, (二), 1., ①. */
const ITEM_LINE = /^\s*(?:[(（][一二三四五六七八九十]+[)）]|\d+[.．、]|[①-⑳])/;

/**
 * What a sanction punishes is said around it, not always in it: "…有下列情形之一的，对交通运输工具负责人，
 * 由海关责令改正…；情节严重的，并处…罚款：" names the offender in its paragraph and the offences in the items
 * after it. The paragraph holding the sentence, and the items it introduces.
 */
function sanctionEvidence(text: string, at: number): string {
  const start = text.lastIndexOf('\n', Math.max(0, at)) + 1;
  const lines = text.slice(start).split('\n');
  const out = [lines[0] ?? ''];
  if (/[:：]\s*$/.test(out[0] ?? '')) {
    for (const line of lines.slice(1)) {
      if (!line.trim()) continue;
      if (!ITEM_LINE.test(line)) break;
      out.push(line);
    }
  }
  return out.join('\n');
}

/** The clauses of a sentence, as commas and semicolons part them. */
function clausesOf(sentence: string): string[] {
  return sentence.normalize('NFKC').split(/[,;]/);
}

export function probability(features: Features, w: MatcherWeights): number {
  let z = w.bias;
  for (const name of FEATURE_NAMES) z += w.weights[name] * features[name];
  return 1 / (1 + Math.exp(-z));
}

function rankScore(features: Features, w: MatcherWeights): number {
  let z = 0;
  for (const name of FEATURE_NAMES) z += w.rankWeights[name] * features[name];
  return z;
}

/** Candidates scored and sorted best first by the ranking model. */
export function scoreCandidates(
  candidates: readonly Omit<ScoredCandidate, 'score' | 'rank'>[],
  w: MatcherWeights,
): ScoredCandidate[] {
  return candidates
    .map((c) => ({ ...c, score: probability(c.features, w), rank: rankScore(c.features, w) }))
    .sort((a, b) => b.rank - a.rank || b.score - a.score);
}
