import { readFileSync } from 'node:fs';
import type { AnswerType } from './answer-type.ts';

/**
 * What kind of thing the question asks for, as the words an answering sentence contains: the unit of a
 * figure (几分钟 → 分钟, 罚多少 → 元, 分几级 → 级) or the noun of a name (哪个县 → 县, which hotlines → 热线).
 * One recogniser of the question frame; the matcher's type-fit feature prefers sentences that hold one.
 */
export interface AskedKind {
  /** Units a figure of the answer carries; empty when the question names none. */
  units: string[];
  /** Nouns the named things of the answer end in; empty when the question names none. */
  nouns: string[];
  /** The question asks which place (哪个县, which cities): an answer names a place, found by the place data. */
  places: boolean;
}

const NONE: AskedKind = { units: [], nouns: [], places: false };
/** Nouns of places: a sentence answers "哪个县" by naming a county, not by the word 县域. */
const PLACE_NOUN = /^(?:县|区|市|省|镇|地方|地)$/;

/** 几分钟, 多少天, 几个工作日, 几级: the measure word after the question word. */
const CHINESE_UNIT =
  /(?:几|多少)(?:个)?(工作日|分钟|小时|平方米|公里|百分点|万元|周岁|岁|位|日|天|周|月|年|级|档|等|类|种|项|家|所|名|人|次|批|期|轮|张|床|元|倍)/;
/** Questions about the size of a fine or a grant ask for an amount in 元. */
const MONEY =
  /罚多少|罚几|多少钱|多少元|罚款(?:是)?多少|(?:经费|补助|补贴|奖励|拨款)(?:是)?多少|多少(?:经费|资金|补助|补贴|奖励|拨款)|how (?:big|much|large)\b.{0,30}\bfine|fine of how much|amount of the fine/i;
/** 哪个县, 哪些医院, 哪几个部门, 什么平台: the noun after the question word. */
const CHINESE_NOUN =
  /(?:哪个|哪些|哪几个|哪几家|哪几|哪家|哪一个|什么)(县|区|市|省|镇|地方|医院|部门|单位|机构|热线|平台|项目|人群|疾病|病种|药品|人员)/;
const LEVEL = /哪一?级|什么级别|啥级别|几级(?:医院|政府|部门)/;
const PLACE_NOUNS: Record<string, string[]> = { 地方: ['县', '市', '区', '地'] };
/** Units written either way: the asked one and the forms an answering figure may use instead. */
const UNIT_FORMS: Record<string, string[]> = {
  // 30个工作日内 answers 多少天内 too.
  日: ['日', '天', '工作日'],
  天: ['日', '天', '工作日'],
  // People are counted in 名 and 人 alike (新招录…50名, 定向培养25人).
  名: ['名', '人'],
  人: ['人', '名'],
  // 十八周岁 answers 多少岁, and 60岁 answers 多少周岁.
  岁: ['岁', '周岁'],
  周岁: ['周岁', '岁'],
};

interface EnglishKinds {
  words: Map<string, string[]>;
  pattern: RegExp | null;
}

let english: EnglishKinds | null = null;

/**
 * A verb ends the noun the question word asks about: "How many doctors is Xinjian district training" asks for
 * doctors, and district is the place.
 */
const VERB = '(?:is|are|was|were|will|would|does|do|did|must|should|can|could|has|have|had|shall)';

/** asked-kinds.tsv, loaded once: English question words → the Chinese words of what they ask. */
function englishKinds(): EnglishKinds {
  if (english) return english;
  const words = new Map<string, string[]>();
  const text = readFileSync(new URL('./lexicon/asked-kinds.tsv', import.meta.url), 'utf8');
  for (const line of text.split('\n').slice(1)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [en, zh] = line.split('\t');
    if (en && zh) words.set(en.toLowerCase(), zh.split('|'));
  }
  const alternatives = [...words.keys()].sort((a, b) => b.length - a.length).join('|');
  english = {
    words,
    pattern: alternatives
      ? new RegExp(
          `\\b(?:how many|how much|which|what)(?:['’]s| is| are)?\\s+(?:(?!${VERB}\\b)\\w+\\s+){0,3}?(${alternatives})\\b`,
          'i',
        )
      : null,
  };
  return english;
}

export function askedKindOf(question: string, answerType: AnswerType): AskedKind {
  const text = question.normalize('NFKC');
  if (answerType === 'penalty') return MONEY.test(text) ? { ...NONE, units: ['元'] } : NONE;
  if (answerType === 'value' && MONEY.test(text)) return { ...NONE, units: ['元'] };
  const unit = CHINESE_UNIT.exec(text)?.[1];
  if (unit && (answerType === 'duration' || answerType === 'count' || answerType === 'value'))
    return { ...NONE, units: UNIT_FORMS[unit] ?? [unit] };
  // 哪级卫生部门, 什么级别的医院: the answer names a level (县级, 二级以上).
  if (LEVEL.test(text) && (answerType === 'name' || answerType === 'list' || answerType === 'responsible'))
    return { ...NONE, nouns: ['级'] };
  const noun = CHINESE_NOUN.exec(text)?.[1];
  if (noun && (answerType === 'name' || answerType === 'list' || answerType === 'responsible'))
    return { units: [], nouns: PLACE_NOUNS[noun] ?? [noun], places: PLACE_NOUN.test(noun) };
  // Only English questions name the kind in English words.
  if (!/[a-z]{3,}/i.test(text)) return NONE;
  const kinds = englishKinds();
  const word = kinds.pattern?.exec(text)?.[1]?.toLowerCase();
  const zh = word ? kinds.words.get(word) : undefined;
  if (!zh) return MONEY.test(text) ? { ...NONE, units: ['元'] } : NONE;
  const figure = answerType === 'duration' || answerType === 'count' || answerType === 'value';
  return figure
    ? { ...NONE, units: zh }
    : { units: [], nouns: zh, places: zh.every((z) => PLACE_NOUN.test(z)) };
}
