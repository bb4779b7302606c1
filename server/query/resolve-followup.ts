import type { ChatTurn } from '../answer/contract.ts';
import { STOP_WORDS } from './dictionary/english-words.ts';
import type { RegionFinder } from './find-regions.ts';
import { findYears } from './find-years.ts';

/**
 * Turns an elliptical follow-up ("那西宁呢?", "and in 2025?", "what about Xining?") into a whole question by
 * taking the previous question and replacing its region or year: the metric is kept.
 */
export interface ResolvedQuestion {
  text: string;
  isFollowUp: boolean;
  /** The year came from the earlier question while the region changed: use it softly. */
  inheritedYear: boolean;
  /** For an elliptical follow-up ("情节严重的呢?"), the earlier question it continues. */
  previous?: string;
}

/** Words that carry no topic of their own in a follow-up. */
const FILLER_ZH =
  /那么|那|呢|的|又|是|多少|如何|怎么样|怎样|情况|目标|年度|年|请问|还有|以及|和|与|[??,,。.!!\s]/g;
const FILLER_EN =
  /\b(and|what|about|how|in|for|the|then|is|it|its|target|targets|of|there|same|year|years|s|now|tell|me|please|by|two|after|that|later|following|next|one)\b|['’?,.!]/gi;
/** A follow-up adds at most this much topic of its own (e.g. 重点人群). */
const MAX_TOPIC_CHARS_ZH = 6;
const MAX_TOPIC_WORDS_EN = 2;
/** Content words an English follow-up that points back (ENGLISH_OPENER, POINTS_BACK) may have. */
const MAX_BACK_WORDS_EN = 7;
const ENGLISH_OPENER = /^\s*(?:and|what if|and if|then|so|what about|how about)\b/i;
const POINTS_BACK = /\b(?:it|its|they|them|their|this|that|these|those|involved|concerned|the same)\b/i;
/** A case a "…呢?" follow-up names without a question word of its own is at most this long. */
const MAX_CASE_CHARS_ZH = 16;
/** A part naming a time or circumstance: 疫情期间, 紧急情况下, 发现后. */
const CIRCUMSTANCE = /(?:期间|时|时候|情况下|情形下|之后|以后|后)\s*$/;
/** Words with which a question asks something itself. */
const OWN_QUESTION = /几|什么|啥|哪|谁|吗|如何|怎么|怎样|咋|是否|能否|有没有|多久|多长/;

export function resolveFollowUp(
  question: string,
  history: readonly ChatTurn[],
  places: RegionFinder,
): ResolvedQuestion {
  const findRegions = (text: string) => places.find(text);
  const earlier = history.filter((t) => t.role === 'user').map((t) => t.content);
  let context: ResolvedQuestion | null = null;
  for (const q of earlier)
    context =
      context && isElliptical(q, places)
        ? merge(context.text, q, places)
        : { text: q, isFollowUp: false, inheritedYear: false };
  if (!context) return { text: question, isFollowUp: false, inheritedYear: false };
  if (isElliptical(question, places))
    return { ...merge(context.text, question, places), previous: context.text };
  return inheritPlace(context.text, withRelativeYear(question, context.text, history), findRegions);
}

/**
 * A whole question that counts its year from the conversation's ("And what share … a year after that?")
 * gets that year written out: counted from the earlier question's year, or, when it named none, from the
 * year the last answer states ("2025年底前…").
 */
function withRelativeYear(question: string, previous: string, history: readonly ChatTurn[]): string {
  const shift = relativeShift(question);
  if (shift === null || findYears(question).length) return question;
  const answer = history.filter((t) => t.role === 'assistant').at(-1)?.content ?? '';
  const base = findYears(previous)[0] ?? findYears(answer)[0];
  if (!base) return question;
  const year = base.year + shift;
  return /\p{Script=Han}/u.test(question) ? `${year}年 ${question}` : `${question} (${year})`;
}

/**
 * A whole question that names no place, asked in a conversation about one ("And how many high-end CDC
 * talents?"), is about that place; the earlier year is kept as a hint, not a requirement.
 */
function inheritPlace(
  previous: string,
  question: string,
  findRegions: RegionFinder['find'],
): ResolvedQuestion {
  const own = findRegions(question);
  const prev = findRegions(previous);
  if (own.regions.length || own.unknown.length || !prev.regions.length) {
    return { text: question, isFollowUp: false, inheritedYear: false };
  }
  const prevYear = findYears(previous)[0];
  const keepYear = prevYear && findYears(question).length === 0;
  const prefix = `${prev.regions.join('、')}${keepYear ? ` ${prevYear.year}年` : ''}`;
  return { text: `${prefix} ${question}`, isFollowUp: true, inheritedYear: Boolean(keepYear) };
}

function topicOf(question: string, places: RegionFinder): string {
  const regions = places.find(question);
  let text = question.normalize('NFKC');
  for (const s of [...regions.spans].reverse()) text = `${text.slice(0, s.start)} ${text.slice(s.end)}`;
  for (const y of findYears(text).reverse()) text = `${text.slice(0, y.start)} ${text.slice(y.end)}`;
  return text.replace(FILLER_ZH, ' ').replace(FILLER_EN, ' ').trim();
}

const FOLLOWING: readonly [RegExp, number][] = [
  [/后年|two years (?:after|later|on)|the year after next/i, 2],
  [
    /明年|次年|第二年|下一年|the following year|next year|the year after|a year (?:after|later)|one year later/i,
    1,
  ],
];

function relativeShift(followUp: string): number | null {
  for (const [pattern, shift] of FOLLOWING) if (pattern.test(followUp)) return shift;
  return null;
}

export function isElliptical(question: string, places: RegionFinder): boolean {
  const topic = topicOf(question, places);
  const han = (topic.match(/\p{Script=Han}/gu) ?? []).length;
  // Words that only hold a phrase together ("during an epidemic", "the most they're allowed") add no topic.
  const words = topic
    .split(/[\s'’]+/)
    .filter((w) => /[a-z]/i.test(w) && !STOP_WORDS.has(w.toLowerCase())).length;
  const opener = /^\s*(那|那么|and\b|what about\b|how about\b|same\b)/i.test(question.normalize('NFKC'));
  const endsWithNe = /呢\s*[?\uFF1F]?\s*$/.test(question.normalize('NFKC'));
  if (han === 0 && words === 0) return true;
  // "传染病疫情期间呢?": a time or circumstance that asks nothing of its own asks the earlier question for it,
  // however long its name. A longer part naming a thing ("每万人口全科医生数呢?") or a whole case ("逾期不校验还
  // 继续看病的呢?") is a question of its own about the same place.
  if (endsWithNe && CIRCUMSTANCE.test(topic) && !OWN_QUESTION.test(topic) && han <= MAX_CASE_CHARS_ZH)
    return true;
  // "And what happens to the doctors and nurses involved?", "What if it goes further and cheats the fund?":
  // an English opener with a word pointing back (it, they, involved) continues the last question at more length.
  if (han === 0 && ENGLISH_OPENER.test(question) && POINTS_BACK.test(question))
    return words <= MAX_BACK_WORDS_EN;
  return (opener || endsWithNe) && han <= MAX_TOPIC_CHARS_ZH && words <= MAX_TOPIC_WORDS_EN;
}

function merge(previous: string, followUp: string, places: RegionFinder): ResolvedQuestion {
  const findRegions = (text: string) => places.find(text);
  const prev = previous.normalize('NFKC');
  const cur = followUp.normalize('NFKC');
  const newRegions = findRegions(cur);
  let text = prev;
  const prevYears = findYears(text);
  // "那后年呢?" / "And two years after that?" count from the year the conversation is about, not from today.
  const shift = relativeShift(cur);
  const newYears =
    shift !== null && prevYears[0] ? [{ year: prevYears[0].year + shift, start: 0, end: 0 }] : findYears(cur);
  if (newYears[0]) {
    const year = String(newYears[0].year);
    for (const y of [...prevYears].reverse()) text = `${text.slice(0, y.start)}${year}年${text.slice(y.end)}`;
    if (prevYears.length === 0) text = `${year}年 ${text}`;
  }
  const known = newRegions.spans.filter((s) => s.region);
  const replacement = known.length ? (known[0]?.region ?? '') : newRegions.unknown[0];
  const prevRegions = findRegions(text);
  if (replacement) {
    const spans = [...prevRegions.spans].reverse();
    spans.forEach((s, i) => {
      text = text.slice(0, s.start) + (i === spans.length - 1 ? replacement : '') + text.slice(s.end);
    });
    if (prevRegions.spans.length === 0) text = `${replacement} ${text}`;
  }
  const topic = topicOf(cur, places);
  if (topic) text = `${text} ${topic}`;
  // Places inside the conversation's place (溧阳、金坛、武进 of 常州市) name a part of its figures: they stay in
  // the question, as the sentence names them.
  const inside = known
    .filter((s) => s.region === prevRegions.regions[0])
    .map((s) => cur.slice(s.start, s.end))
    .filter((name) => !(known[0]?.region ?? '').startsWith(name));
  if (inside.length) text = `${text} ${inside.join('、')}`;
  const regionChanged = Boolean(replacement) && prevRegions.regions.join() !== (known[0]?.region ?? '');
  return { text, isFollowUp: true, inheritedYear: regionChanged && !newYears.length && prevYears.length > 0 };
}
