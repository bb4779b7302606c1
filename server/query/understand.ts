import { readFileSync } from 'node:fs';
import { contentWords } from '../../ingest/text/tokenize.ts';
import type { ChatTurn, QueryUnderstanding } from '../answer/contract.ts';
import { type AnswerType, answerTypeOf, FIGURE_TYPES } from './answer-type.ts';
import { type AskedKind, askedKindOf } from './asked-kind.ts';
import type { EnglishDictionary } from './dictionary/english-dictionary.ts';
import { documentFieldsOf, type MetadataField, withoutFieldWords } from './document-fields.ts';
import type { BroaderPlace, RegionFinder } from './find-regions.ts';
import { findYears } from './find-years.ts';
import type { Glossary } from './glossary.ts';
import { defaultLexicon, type Lexicon } from './lexicon/lexicon.ts';
import { ASKED_PER_CAPITA_BASE } from './per-capita-base.ts';
import { resolveFollowUp } from './resolve-followup.ts';

/** What the question asks for, beyond the contract's fields. */
export type Intent = 'target' | 'comparison' | 'metadata' | 'general';

export interface Understanding extends QueryUnderstanding {
  intent: Intent;
  /** Every document field asked, in the order the question asks them; empty unless the intent is metadata. */
  metadataFields: MetadataField[];
  /** What kind of answer the question asks for (a value, a list, the responsible bodies …). */
  answerType: AnswerType;
  /** The unit or noun the question names for its answer (几分钟 → 分钟, 哪个县 → 县). */
  askedKind: AskedKind;
  /**
   * For an elliptical follow-up, the earlier question it continues: its answer's document is the one to
   * search first ("情节严重的呢?" after a question on the vaccine law asks the vaccine law).
   */
  followUpOf: string | null;
  /**
   * The question asks a field of the document the conversation was about ("who issued it?", "它的文号呢"): the
   * earlier question's words name that document, loosely.
   */
  aboutLastDocument: boolean;
  /**
   * What the latest words ask besides the question they continue: the topic of an elliptical follow-up
   * ("二甲医院呢?" → 二甲医院) and the parts after a first question ("…执业医师要到几个？护士呢" → 护士). When one
   * sentence sets several figures, these name the ones the lead line states.
   */
  focus: string[][];
  /**
   * The last answer, when the question asks for what comes after it in the document ("And the phase after
   * that?", "下一阶段呢?"); null otherwise.
   */
  nextAfter: string | null;
  /** Years that name a version of a document (2017年版, 2019年修订), not the year a figure is for. */
  documentYears: number[];
  /** The question asks for the text now in force (现行, 现在, 最新, current): older versions are not searched. */
  currentVersion: boolean;
  /** The year came from an earlier turn while the region changed: boost it, do not require it. */
  softYear: boolean;
  /** The question asks for a figure (多少, how many, rate …), so the answer must contain one. */
  wantsNumber: boolean;
  /** Text used for retrieval: the resolved question plus Chinese glossary terms. */
  searchText: string;
  /** Chinese topic text (question without region, year and question words) used to match sentences. */
  topic: string;
  /**
   * For English questions: the Chinese alternatives of each glossary term matched, one group per term. A
   * sentence covers a group when it contains any alternative, so composite terms do not dilute the match.
   */
  topicGroups: string[][];
  /**
   * For English questions, the glossary terms understood, each as its Chinese alternatives: an answering
   * sentence of a value question names every one ("hospital beds per 1,000 residents" needs 床位 and 每千人口).
   */
  glossaryTerms: string[][];
  /**
   * The topic's words, each with the terms documents use for the same concept (医院 → 医疗机构, 医疗卫生机构;
   * 看病 → 就医, 诊疗): a sentence names a word when it holds any of them. English questions: their term groups.
   */
  topicConcepts: string[][];
  /** Rate words the answer must contain (覆盖率, 死亡率 …): a sentence about another rate does not answer. */
  metricHeads: string[][];
  /**
   * A count per population (每千人口执业医师数): its noun and its base must be named in one clause of the
   * sentence, not one in each ("每千常住人口基层卫生人员数达到3.5人,每个村级医疗卫生机构拥有执业医师至少1人"
   * states no per-1,000 figure of doctors). A noun asked without 数 (每千人口执业医师) stands as its words and
   * their two-character parts. Empty unless the question asks such a count.
   */
  perCapitaHeads: string[][];
  /**
   * The question is about a place no document covers: it names an unknown place and no known one, or only
   * known places that enclose it (青海省西林市: 青海省 is answered by 西宁市, 西林市 by nothing).
   */
  placeUnknown: boolean;
  /** Places asked about that only documents for places inside them answer (上海 → 奉贤区): the answer says so. */
  broaderRegions: BroaderPlace[];
}

const COMPARISON =
  /各地|对比|比较|哪些(?:城市|地区|地方)|各城市|各个城市|分别是|which cities|which regions|compare|comparison|across (?:cities|regions|documents)|each city|all cities|different cities/i;
const NUMERIC =
  /多少|几|比例|率|目标|指标|数量|达到|什么标准|标准是|how many|how much|what percentage|percent|rate|ratio|target|number of|goal|aim|what standard/i;
/** Question words (server/query/question-words.txt), longest first, and punctuation. */
const QUESTION_WORDS_ZH = new RegExp(
  `${readFileSync(new URL('./question-words.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .sort((a, b) => b.length - a.length)
    .join('|')}|[??,,。.!!、\\s]`,
  'g',
);

/** The question without its question words and punctuation: what it asks about ("去哪个网站看" → "去 网站看"). */
export function withoutQuestionWords(text: string): string {
  return text.replace(QUESTION_WORDS_ZH, ' ');
}

/** A part that only names a further thing to answer: "护士呢", "重点人群呢", "那二甲医院呢". */
const FURTHER_PART = /^(?:那么|那|还有|以及)?(\p{Script=Han}{2,8}?)(?:的)?呢$/u;

/**
 * The things the latest words name for the answer to state: the parts after the first that name only a thing
 * (X？Y呢), or the whole topic of an elliptical follow-up; each as typed and in the documents' wording.
 */
function focusOf(question: string, elliptical: boolean, expand: (text: string) => string): string[][] {
  const parts = question
    .normalize('NFKC')
    .split(/[?,;!。]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const further = (elliptical ? parts : parts.slice(1))
    .map((p) => FURTHER_PART.exec(p)?.[1])
    .filter((p): p is string => Boolean(p) && findYears(p ?? '').length === 0);
  // As typed and as documents write it: 二甲医院 is 二级甲等医院, and plans write 二甲 too.
  return further.map((p) => [...new Set([p, expand(p)])]);
}

/**
 * The focus of an elliptical English follow-up ("What about key groups?", "And for pharmacies?"): the glossary
 * terms its own words name, each with its alternatives. Ordinary vocabulary (kind = word) names no focus.
 */
function englishFocus(question: string, elliptical: boolean, glossary: Glossary): string[][] {
  if (!elliptical) return [];
  return glossary
    .expand(question)
    .matches.filter((m) => !m.word)
    .map((m) => m.zh);
}

/** An opening clause naming the document a question is asked of: "Under the NHC's 2024 referral notice, …". */
const DOCUMENT_CLAUSE =
  /^\s*(?:under|according to|in)\s+[^,?]{3,90}?\b(?:notice|rules?|regulations?|law|decision|plan|measures|opinion|provisions|norms|guidelines?)\b[^,?]{0,20},\s*/i;

/** Words that make one time phrase with a year: 到/至/截至 2027年 底/末/初/前. */
const YEAR_BEFORE = /(?:截至|截止|到|至|在)$/;
const YEAR_AFTER = /^(?:年底|年末|年初|底|末|初|前)/;

/** A year written as a version of a document: 2017年版, 2017版, 2019年修订的. */
const DOCUMENT_VERSION = /((?:19|20)\d{2})\s*年?\s*(?:版|修订|修正|新版|旧版)/g;

/** Words that ask for the text in force rather than an earlier version. */
const CURRENT_VERSION =
  /现行|现在的|现在(?=\p{Script=Han}{0,12}(?:法|条例|办法|规定|细则))|最新|目前的|currently in force|current (?:version|text|law|regulation)|latest version|in force now/iu;

/** Words that point back at the document of the last turn: 它, 这份, 该文件, this, it. */
const POINTS_BACK = /它|这份|这个|这部|这条|这项|该|此|那份|\b(?:it|this|that)\b/i;
/** A document question with at most this much topic of its own is about the last turn's document. */
const MAX_OWN_TOPIC_HAN = 4;

/**
 * "它的文号呢?", "谁发的?", "Which document is that from?" after a question about a clause: the question
 * asks a field of the document the conversation is about, so it is asked of the previous question's topic
 * (its place, its words that name the document). Null when the question is not such a follow-up.
 */
function aboutLastDocument(
  question: string,
  history: readonly ChatTurn[],
  places: RegionFinder,
): string | null {
  const users = history.filter((t) => t.role === 'user');
  const last = users.at(-1);
  if (!last || documentFieldsOf(question).length === 0) return null;
  const own = places.find(question);
  if (own.regions.length || own.unknown.length) return null;
  let topic = question.normalize('NFKC');
  topic = withoutFieldWords(topic);
  const han = (topic.replace(QUESTION_WORDS_ZH, '').match(/\p{Script=Han}/gu) ?? []).length;
  if (han > MAX_OWN_TOPIC_HAN && !POINTS_BACK.test(question)) return null;
  const previous = resolveFollowUp(last.content, users.slice(0, -1), places).text;
  return `${previous} ${question}`;
}

/** "除了…(以外)，" opening what a question leaves out. */
const EXCLUDED_PART = /除了?[^，,。？?；;]{1,30}?(?:以外|之外)?[，,](?=还|另外|又|其他|其它)/g;

/** A follow-up asking for the item after the last one: 下一阶段呢, 然后呢, and the phase after that, what's next. */
const NEXT_ITEM =
  /下一(?:阶段|步|个|项|条|期|批|轮)|后一(?:阶段|步|项)|之后呢|然后呢|再往后|接下来呢|\b(?:the )?(?:phase|stage|step|one|item|part) after (?:that|this|it)\b|\bnext (?:phase|stage|step|one|item|part)\b|what comes (?:next|after)|\bthen what\b/i;

/** A question of its own ("下一步工作重点有哪些?") is longer than a follow-up asking for the next item. */
const MAX_NEXT_ITEM_CHARS = 12;
const MAX_NEXT_ITEM_WORDS = 8;

function asksNextItem(question: string): boolean {
  const text = question.normalize('NFKC');
  if (!NEXT_ITEM.test(text)) return false;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = text.match(/[a-z]+/gi)?.length ?? 0;
  return han <= MAX_NEXT_ITEM_CHARS && words <= MAX_NEXT_ITEM_WORDS;
}

/** Chinese words taken per English word from the dictionary: its first ones are good, later ones loose. */
const MAX_DICTIONARY_TERMS = 2;

export function understand(
  question: string,
  history: readonly ChatTurn[],
  glossary: Glossary,
  places: RegionFinder,
  /** English words the glossary lacks are looked up here (CC-CEDICT filtered by the corpus). */
  dictionary?: () => EnglishDictionary,
): Understanding {
  const resolved = resolveFollowUp(question, history, places);
  const docFollowUp = aboutLastDocument(question, history, places);
  const text = docFollowUp ?? resolved.text;
  const lang: 'zh' | 'en' = /\p{Script=Han}/u.test(question) ? 'zh' : 'en';
  const regions = places.find(text);
  const documentYears = [
    ...new Set([...text.normalize('NFKC').matchAll(DOCUMENT_VERSION)].map((m) => Number(m[1]))),
  ];
  const mentions = findYears(text);
  const years = [...new Set(mentions.map((y) => y.year))].filter((y) => !documentYears.includes(y));
  // Question phrases whose words name nothing: "how old" asks an age (not 老年人), "how big" an amount, "how
  // long" a span (CC-CEDICT's "long" is 悠久 and 远程).
  const englishText = text
    .replace(/\bhow old\b/gi, 'what age')
    .replace(/\bhow (?:big|large)\b/gi, 'how much')
    .replace(/\bhow long\b/gi, 'how');
  const expansion = /[a-z]/i.test(englishText) ? glossary.expand(englishText) : null;
  // The glossary keeps priority: the dictionary reads only the words outside its matches.
  const dictionaryMatches =
    lang === 'en' && dictionary ? dictionary().expand(englishText, expansion?.matches ?? []) : [];
  const looked = dictionaryMatches.map((m) => m.zh.slice(0, MAX_DICTIONARY_TERMS));
  const expansions = [...(expansion?.zhTerms ?? []), ...looked.flat()];
  // "Under the NHC referral notice, what should be in place by 2027?": the opening clause names the document
  // (its issuer, its kind) for retrieval; what the sentence must be about is asked after it.
  const askedFrom = lang === 'en' ? (DOCUMENT_CLAUSE.exec(englishText)?.[0].length ?? 0) : 0;
  const topicGroups =
    lang === 'en'
      ? [
          ...(expansion?.matches.filter((m) => m.start >= askedFrom).map((m) => m.zh) ?? []),
          ...dictionaryMatches
            .filter((m) => m.start >= askedFrom)
            .map((m) => m.zh.slice(0, MAX_DICTIONARY_TERMS)),
        ]
      : [];
  // A follow-up about the last turn's document asks only what the new question asks.
  const fieldText = docFollowUp ? question : text;
  const asked = documentFieldsOf(fieldText);
  const asksField = asked.length > 0;
  const comparison = COMPARISON.test(text) || regions.regions.length > 1;
  const lexicon = defaultLexicon();
  const focus =
    lang === 'en'
      ? englishFocus(question, Boolean(resolved.previous), glossary)
      : focusOf(question, Boolean(resolved.previous), lexicon.expandText.bind(lexicon));
  // Colloquial forms are read as their standard ones (啥 → 什么, 家医 → 家庭医生) for every decision below.
  const answerType = answerTypeOf(lexicon.expandText(text));
  // "Which cities set … targets" asks which places, and for their figures; "which hospitals" asks for names.
  const wantsNumber = comparison ? NUMERIC.test(text) : FIGURE_TYPES.has(answerType);
  const intent: Intent =
    docFollowUp || (asksField && !/覆盖率|死亡率|coverage|mortality/i.test(text))
      ? 'metadata'
      : comparison
        ? 'comparison'
        : wantsNumber
          ? 'target'
          : 'general';
  let topic = text.normalize('NFKC');
  for (const s of [...regions.spans].reverse()) topic = topic.slice(0, s.start) + topic.slice(s.end);
  for (const y of findYears(topic).reverse()) {
    // "到27年底" is one time phrase: without its 到…底 the topic would read 到底 ("after all").
    const before = YEAR_BEFORE.exec(topic.slice(0, y.start))?.[0].length ?? 0;
    const after = YEAR_AFTER.exec(topic.slice(y.end))?.[0].length ?? 0;
    topic = topic.slice(0, y.start - before) + topic.slice(y.end + after);
  }
  const typedTopic = topic
    // "除了县区政府牵头，还有哪些责任部门" asks for what is not named there: the excluded part is no topic.
    .replace(EXCLUDED_PART, ' ')
    .replace(/[a-z'’-]+/gi, ' ')
    .replace(QUESTION_WORDS_ZH, ' ')
    .trim();
  // Abbreviations become the words documents use; the question's own words still search (a document may
  // write 医保 too), and terms for the same concept (养老 / 医养结合) widen the search, not the topic.
  const chineseTopic = lexicon.expandText(typedTopic);
  const related = lexicon.findConcepts(chineseTopic).flatMap((c) => c.related);
  topic = [chineseTopic, ...expansions].join(' ').trim();
  return {
    resolvedQuestion: text,
    lang,
    regions: regions.regions,
    unknownRegions: regions.unknown,
    years,
    documentYears,
    currentVersion: CURRENT_VERSION.test(text),
    followUpOf: docFollowUp ? null : (resolved.previous ?? null),
    aboutLastDocument: docFollowUp !== null,
    focus,
    nextAfter: asksNextItem(question)
      ? (history.filter((t) => t.role === 'assistant').at(-1)?.content ?? null)
      : null,
    expansions,
    intent,
    metadataFields: intent === 'metadata' ? asked : [],
    answerType,
    askedKind: askedKindOf(lexicon.expandText(text), answerType),
    topicGroups,
    metricHeads: metricHeadsOf(chineseTopic, topicGroups),
    perCapitaHeads: perCapitaHeadsOf(chineseTopic, topicGroups, lexicon),
    topicConcepts:
      lang === 'en' ? topicGroups : contentWords(chineseTopic).map((w) => [w, ...lexicon.relatedTerms(w)]),
    // "And for registered nurses?" after licensed doctors per 1,000: the terms it names replace the earlier ones.
    glossaryTerms:
      lang === 'en'
        ? focus.length
          ? focus
          : (expansion?.matches.filter((m) => !m.word).map((m) => m.zh) ?? [])
        : [],
    broaderRegions: regions.broader,
    placeUnknown:
      regions.unknown.length > 0 &&
      regions.regions.every((r) => regions.broader.some((b) => b.answeredBy.some((a) => a.name === r))),
    // 今年 and 明年 are read against today's date, which a document written earlier may not mean: preferred only.
    softYear:
      resolved.inheritedYear ||
      // "它的文号呢" after a question on 2022 targets asks the document's number: that year is the earlier turn's.
      (docFollowUp !== null && findYears(question).length === 0) ||
      (years.length > 0 && mentions.every((y) => y.relative || documentYears.includes(y.year))),
    wantsNumber,
    searchText: [
      text,
      ...(chineseTopic !== typedTopic ? [chineseTopic] : []),
      ...related,
      ...expansions,
    ].join(' '),
    topic,
  };
}

/** The rate a question asks about: 覆盖率 in 家庭医生签约覆盖率, or a glossary term whose Chinese ends in 率. */
/** Per-population bases as questions ask them, with the ways documents write them. */
const PER_CAPITA: readonly [RegExp, string[]][] = [
  // Per 1,000 people is not per 1,000 children (每千名儿童) or births: a question naming the population asks
  // for a base written with it; one naming another group (每千名儿童) is matched by 每千 alone.
  [/每千人|千人/, ['每千人', '千人口', '每千常住人口', '每千户籍人口', '每千居民']],
  [/每千(?!人)/, ['每千']],
  [/每万|万人(?!次)/, ['每万', '万人', '/万', '万常住人口']],
  [/每十万|10万人/, ['每十万', '10万', '/10万']],
];

/** How documents write a rate as a share of a whole. */
const RATE_AS_SHARE = ['占比', '比例', '比重'];

function metricHeadsOf(topic: string, groups: readonly string[][]): string[][] {
  if (groups.length) return groups.filter((g) => g.length > 0 && g.every((alt) => /率$/.test(alt)));
  // 开通率 is also written as the share it is: "开通即时结算的定点医疗机构占比" (stem, then 占比/比例/比重).
  const rates = [...new Set(topic.match(/\p{Script=Han}{2}率/gu) ?? [])].map((head) => [
    head,
    ...RATE_AS_SHARE.map((share) => `${head.slice(0, -1)}…${share}`),
    // 院感率 is written 院内感染发生率, 抗生素处方率 门诊处方抗生素使用率: the stem, a few characters, then 率.
    `${head.slice(0, -1)}…率`,
  ]);
  const counts = countNouns(topic);
  // A figure per population is not a total: 每千人口床位数 is not the 80张 of one ward.
  const bases = perCapitaBases(topic);
  return [...rates, ...counts, ...bases];
}

/** A count per population (床位数, 托位数, 医师数) is named by its noun: 每千人口床位6张 has no 数. */
function countNouns(topic: string): string[][] {
  return [...new Set(topic.match(/\p{Script=Han}{2}(?=数)/gu) ?? [])]
    .filter((noun) => !/^(?:人口|总数|多少|指数|人数|次数|个数)$/.test(noun))
    .map((noun) => [noun]);
}

function perCapitaBases(topic: string): string[][] {
  return PER_CAPITA.filter(([asked]) => asked.test(topic)).map(([, written]) => written);
}

function perCapitaHeadsOf(topic: string, groups: readonly string[][], lexicon: Lexicon): string[][] {
  if (groups.length) return [];
  const bases = perCapitaBases(topic);
  if (!bases.length) return [];
  const counts = countNouns(topic);
  if (counts.length) return [...counts, ...bases];
  const noun = perCapitaNoun(topic, lexicon);
  return noun.length ? [noun, ...bases] : [];
}

/**
 * The noun a per-capita question names without 数 (每千人口执业医师, 千人床位): its word, the terms documents
 * use for it, and its two-character parts, since documents write 执业(助理)医师 for 执业医师. A sentence of
 * another per-capita metric (每千人口托位数 asked 每千人口执业医师) names none of them.
 */
function perCapitaNoun(topic: string, lexicon: Lexicon): string[] {
  const base = ASKED_PER_CAPITA_BASE.exec(topic);
  if (!base) return [];
  // The noun stands after the base (每千人口执业医师) or before it (中医医师每千人要配到多少).
  const words = contentWords(topic.replace(base[0], ' '));
  const parts = words.flatMap((word) =>
    Array.from({ length: word.length - 1 }, (_, i) => word.slice(i, i + 2)),
  );
  return [...new Set([...words, ...words.flatMap((word) => lexicon.relatedTerms(word)), ...parts])];
}
