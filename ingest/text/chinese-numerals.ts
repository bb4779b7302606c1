/**
 * Numbers as Chinese documents write them. Laws and regulations write 十八周岁, 五十万元以上五百万元以下,
 * 百分之八十, 千分之五, 十分之一, 二十四小时内; plans mostly write Arabic digits (45%以上, 3.5人). This module
 * reads both, so that targets, answers and the number check treat 百分之八十 and 80% as one number.
 *
 * Conventions, shared with target extraction (`ingest/targets/`):
 * - A trailing 万 / 亿 is kept with the unit, as in Arabic writing (50万元): 五十万元 → value 50, unit 万元;
 *   `scaledValue` gives 500000 元 when amounts written differently must be compared.
 * - 百分之X → X %, 千分之X → X ‰, 万分之X → X ‱; other fractions keep their base in the unit like rates per
 *   100,000 do (10/10万): 十分之一 → 1 /10, 十万分之五 → 5 /10万.
 * - Legal usage (《刑法》第九十九条 and the civil code): 以上 / 以下 / 以内 include the number (≥, ≤), while
 *   超过 / 不满 / 不足 / 未满 exclude it (>, <).
 */
import type { Comparator } from '../model.ts';
import { escapeRegExp } from './escape-regexp.ts';
import { SCALE_PREFIXES, UNIT_LIST, type UnitCategory, unitCategory } from './numeric-units.ts';

const DIGITS: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = {
  十: 10,
  拾: 10,
  百: 100,
  佰: 100,
  千: 1000,
  仟: 1000,
};
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };
/** Rare contractions of tens (廿五 = 二十五), read by rewriting them. */
const CONTRACTIONS: Readonly<Record<string, string>> = { 廿: '二十', 卅: '三十', 卌: '四十' };

const DIGIT_CHARS = '〇零一壹二贰两三叁四肆五伍六陆七柒八捌九玖';
const UNIT_CHARS = '十拾百佰千仟万萬亿億';
const CONTRACTION_CHARS = '廿卅卌';
const RUN = `[${DIGIT_CHARS}${UNIT_CHARS}${CONTRACTION_CHARS}]+(?:点[${DIGIT_CHARS}]+)?`;

/** Exact sums of decimals (0.1 + 0.2) would otherwise print as 0.30000000000000004. */
function tidy(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function parseInteger(text: string): number | null {
  const chars = [...text];
  if (chars.length === 0) return null;
  // Without any unit character the digits are positional: 二〇二三 → 2023, 五 → 5.
  if (chars.every((c) => c in DIGITS)) {
    return chars.reduce((n, c) => n * 10 + DIGITS[c]!, 0);
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let lastUnit = 0;
  let highestBig = 0;
  let zeroSinceUnit = false;
  for (const c of chars) {
    if (c in DIGITS) {
      const d = DIGITS[c]!;
      if (d === 0) {
        zeroSinceUnit = true;
        continue;
      }
      // Two digits in a row (十四五) is a name, not a number.
      if (digit !== null) return null;
      digit = d;
    } else if (c in SMALL_UNITS) {
      const unit = SMALL_UNITS[c]!;
      // 一百十 is not written; 一千一百 is.
      if (lastUnit !== 0 && unit >= lastUnit && section % (lastUnit * 10) !== 0) return null;
      section += (digit ?? 1) * unit;
      digit = null;
      lastUnit = unit;
      zeroSinceUnit = false;
    } else if (c in BIG_UNITS) {
      const unit = BIG_UNITS[c]!;
      const n = section + (digit ?? 0);
      if (n === 0 && total === 0) return null;
      // 三万亿: a larger unit multiplies everything before it; 一亿二千万: a smaller one only its section.
      total = unit > highestBig ? (total + n) * unit : total + n * unit;
      highestBig = Math.max(highestBig, unit);
      section = 0;
      digit = null;
      lastUnit = unit;
      zeroSinceUnit = false;
    } else {
      return null;
    }
  }
  if (digit !== null) {
    // 一千二 and 三万五 drop the last unit (1200, 35000); 一百零五 and 十五 do not.
    const implied = !zeroSinceUnit && lastUnit >= 100 ? lastUnit / 10 : 1;
    section += digit * implied;
  }
  return total + section;
}

/**
 * The value of a Chinese numeral (十八 → 18, 一百零五 → 105, 两千 → 2000, 三万 → 30000, 一点五 → 1.5,
 * 二〇二三 → 2023, 廿五 → 25), or null when the text is not one (十四五, 万一). Arabic digits with a Chinese
 * scale are read too (1.5万 → 15000), since documents mix them.
 */
export function parseChineseNumeral(text: string): number | null {
  const source = text.trim().replace(/[廿卅卌]/g, (c) => CONTRACTIONS[c]!);
  const mixed = /^(\d+(?:\.\d+)?)([万萬亿億千])?$/.exec(source);
  if (mixed) {
    const scale = mixed[2] ? (BIG_UNITS[mixed[2]] ?? SMALL_UNITS[mixed[2]]!) : 1;
    return tidy(Number(mixed[1]) * scale);
  }
  const [integerPart = '', fractionPart, extra] = source.split('点');
  if (extra !== undefined || integerPart === '') return null;
  const integer = parseInteger(integerPart);
  if (integer === null) return null;
  if (fractionPart === undefined) return integer;
  const fractionChars = [...fractionPart];
  if (fractionChars.length === 0 || !fractionChars.every((c) => c in DIGITS)) return null;
  return tidy(Number(`${integer}.${fractionChars.map((c) => DIGITS[c]).join('')}`));
}

const FORMAT_DIGITS = '零一二三四五六七八九';
const FORMAT_SMALL = ['', '十', '百', '千'];
const FORMAT_BIG = ['', '万', '亿', '万亿'];

/** One four-digit section (0 < n < 10000) without leading 零. */
function formatSection(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let position = 3; position >= 0; position--) {
    const d = Math.floor(n / 10 ** position) % 10;
    if (d === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += FORMAT_DIGITS[d]! + FORMAT_SMALL[position]!;
  }
  return out;
}

/**
 * A non-negative integer as the documents write it (18 → 十八, 105 → 一百零五, 30000 → 三万, 10010 →
 * 一万零一十). Used by tests and to show a value in the documents' own writing.
 */
export function formatChineseNumeral(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a non-negative integer: ${n}`);
  if (n === 0) return '零';
  const sections: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 10000)) sections.push(rest % 10000);
  if (sections.length > FORMAT_BIG.length) throw new RangeError(`too large: ${n}`);
  let out = '';
  let pendingZero = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const section = sections[i]!;
    if (section === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    // A section below 1000 after a higher one is read with a 零 in front: 一万零五百.
    if (out !== '' && (pendingZero || section < 1000)) out += '零';
    pendingZero = false;
    out += formatSection(section) + FORMAT_BIG[i]!;
  }
  // 十八, not 一十八, at the start only.
  return out.startsWith('一十') ? out.slice(1) : out;
}

export type NumeralForm = 'plain' | 'percent' | 'fraction';

/** One number as written, before any unit: 五十万 in 五十万元, 百分之八十, 1.5, 二〇二三. */
export interface Numeral {
  /** The value as written, with a trailing 万 / 亿 kept in `scale` (五十万 → 50, scale 万). */
  value: number;
  /** 万 or 亿 written after the number (50万, 五十万); '' otherwise. */
  scale: string;
  /** For percent and fraction forms the unit they imply: %, ‰, ‱, /10, /10万. */
  impliedUnit: string;
  form: NumeralForm;
  script: 'arabic' | 'chinese';
  /** Preceded by 第: an ordinal (第二十二条, 第6次). */
  ordinal: boolean;
  text: string;
  start: number;
  end: number;
}

const SCANNER = new RegExp(
  [
    // 百分之八十, 千分之五, 十分之一, 三分之二, 十万分之五
    `(?<den>${RUN})分之(?<num>${RUN})`,
    // 45, 3.5, 1,000, 5万, 1.2亿
    String.raw`(?<arabic>(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d])|(?<![\d.])\d+(?:\.\d+)?)(?<arabicScale>\s*[万亿](?![分]))?`,
    // 半年, 半个月: a half that counts time
    '(?<half>半)(?=个?(?:月|年|小时|天|日))',
    `(?<run>${RUN})`,
  ].join('|'),
  'g',
);

/** Runs made of 百 / 千 / 万 / 亿 alone are words (百姓, 千家万户, 千万), not numbers; 十 alone is ten. */
const LEADING_MULTIPLIERS = /^[百佰千仟万萬亿億]+/;
/** Digit sequences without units other than years (二〇二三) are approximations (三四个, 一一对应). */
const POSITIONAL_OK = /[〇零]|^[^十拾百佰千仟万萬亿億廿卅卌]{4}$/;

function splitScale(run: string): { body: string; scale: string } {
  const last = run.at(-1) ?? '';
  if ((last === '万' || last === '亿') && run.length > 1 && !/[万亿]/.test(run.slice(0, -1))) {
    return { body: run.slice(0, -1), scale: last };
  }
  return { body: run, scale: '' };
}

function fractionNumeral(den: string, num: string): Pick<Numeral, 'value' | 'impliedUnit' | 'form'> | null {
  const value = parseChineseNumeral(num);
  if (value === null) return null;
  if (den === '百' || den === '佰') return { value, impliedUnit: '%', form: 'percent' };
  if (den === '千' || den === '仟') return { value, impliedUnit: '‰', form: 'percent' };
  if (den === '万' || den === '萬') return { value, impliedUnit: '‱', form: 'percent' };
  const { body, scale } = splitScale(den);
  const base = parseChineseNumeral(body);
  if (base === null) return null;
  return { value, impliedUnit: `/${base}${scale}`, form: 'fraction' };
}

/**
 * Every number written in `text`, Arabic or Chinese, in order. Words that only look like numbers
 * (百姓, 千万, 十四五, 三四个) are left out; ordinals are kept and marked.
 */
export function findNumerals(text: string): Numeral[] {
  const found: Numeral[] = [];
  for (const match of text.matchAll(SCANNER)) {
    const groups = match.groups ?? {};
    let start = match.index;
    const ordinal = (): boolean => /第\s*$/.test(text.slice(Math.max(0, start - 2), start));
    if (groups.den !== undefined && groups.num !== undefined) {
      const fraction = fractionNumeral(groups.den, groups.num);
      if (!fraction) continue;
      found.push({
        ...fraction,
        scale: '',
        script: 'chinese',
        ordinal: false,
        text: match[0],
        start,
        end: start + match[0].length,
      });
    } else if (groups.arabic !== undefined) {
      const scale = (groups.arabicScale ?? '').trim();
      found.push({
        value: Number(groups.arabic.replace(/,/g, '')),
        scale,
        impliedUnit: '',
        form: 'plain',
        script: 'arabic',
        ordinal: ordinal(),
        text: match[0],
        start,
        end: start + match[0].length,
      });
    } else if (groups.half !== undefined) {
      found.push({
        value: 0.5,
        scale: '',
        impliedUnit: '',
        form: 'plain',
        script: 'chinese',
        ordinal: false,
        text: '半',
        start,
        end: start + 1,
      });
    } else if (groups.run !== undefined) {
      const lead = LEADING_MULTIPLIERS.exec(groups.run)?.[0] ?? '';
      const run = groups.run.slice(lead.length);
      start += lead.length;
      if (run === '') continue;
      const { body, scale } = splitScale(run);
      const integerPart = body.split('点')[0] ?? '';
      if (/^[^十拾百佰千仟万萬亿億廿卅卌]{2,}$/.test(integerPart) && !POSITIONAL_OK.test(integerPart))
        continue;
      const value = parseChineseNumeral(body);
      if (value === null) continue;
      found.push({
        value,
        scale,
        impliedUnit: '',
        form: 'plain',
        script: 'chinese',
        ordinal: ordinal(),
        text: run,
        start,
        end: start + run.length,
      });
    }
  }
  return found;
}

/** Comparators of figures in laws: 超过 / 不满 exclude the number, which targets' ≥ / ≤ do not say. */
export type ExpressionComparator = Comparator | '>' | '<';

/** A number with its unit, comparator and range as a document writes it. */
export interface NumericExpression {
  value: number;
  /** Upper bound of a range (五十万元以上五百万元以下, 5-10个, 三至十万); null otherwise. */
  valueMax: number | null;
  /** As written, with a trailing scale kept: 万元, %, ‰, /10, 周岁, 个月; '' when none follows. */
  unit: string;
  unitCategory: UnitCategory | null;
  comparator: ExpressionComparator;
  script: 'arabic' | 'chinese';
  /** The whole expression as written, including comparator words: 不少于五年, 二十倍以上. */
  text: string;
  start: number;
  end: number;
  /** Where the (first) number starts, after any comparator word before it. */
  numberStart: number;
}

/** Written before a number; longest first. */
const PREFIX_COMPARATORS: readonly [string, ExpressionComparator][] = [
  ['不得低于', '≥'],
  ['不得少于', '≥'],
  ['不得超过', '≤'],
  ['不得高于', '≤'],
  ['不低于', '≥'],
  ['不少于', '≥'],
  ['不超过', '≤'],
  ['不高于', '≤'],
  ['不多于', '≤'],
  ['至少', '≥'],
  ['最多', '≤'],
  ['年满', '≥'],
  ['超过', '>'],
  ['高于', '>'],
  ['多于', '>'],
  ['不满', '<'],
  ['不足', '<'],
  ['未满', '<'],
  ['低于', '<'],
  ['少于', '<'],
  ['≥', '≥'],
  ['≤', '≤'],
  ['>=', '≥'],
  ['<=', '≤'],
];
/** Written after the number and its unit; longest first. 内 alone (二十四小时内) is a time limit. */
const SUFFIX_COMPARATORS: readonly [string, ExpressionComparator][] = [
  ['及以上', '≥'],
  ['及以下', '≤'],
  ['以上', '≥'],
  ['以下', '≤'],
  ['以内', '≤'],
  ['之内', '≤'],
  ['左右', '≈'],
  ['内', '≤'],
];
const RANGE_CONNECTOR = /^\s*(?:至|到|—|–|-|~|～)\s*$/;

function unitAt(text: string, at: number): string {
  for (const { unit } of UNIT_LIST) {
    if (text.startsWith(unit, at)) return unit;
  }
  return '';
}

interface Piece {
  numeral: Numeral;
  unit: string;
  /** End of number and unit. */
  unitEnd: number;
  suffix: ExpressionComparator | null;
  /** End including the suffix word. */
  end: number;
}

function pieceOf(text: string, numeral: Numeral): Piece {
  let unit = numeral.impliedUnit;
  let at = numeral.end;
  if (unit === '') {
    // The scale stays with the unit (五十万元 → 万元); a bare 万 after a scaled number is not a second scale.
    const written = unitAt(text, at);
    const counted = unitCategory(written) === 'scale' ? '' : written;
    unit = numeral.scale + counted;
    at += counted.length;
  }
  let suffix: ExpressionComparator | null = null;
  let end = at;
  for (const [word, comparator] of SUFFIX_COMPARATORS) {
    if (text.startsWith(word, at)) {
      suffix = comparator;
      end = at + word.length;
      break;
    }
  }
  return { numeral, unit, unitEnd: at, suffix, end };
}

function prefixBefore(text: string, at: number): { word: string; comparator: ExpressionComparator } | null {
  const before = text.slice(Math.max(0, at - 4), at);
  for (const [word, comparator] of PREFIX_COMPARATORS) {
    if (before.endsWith(word)) return { word, comparator };
  }
  return null;
}

/**
 * The value a number stands for once its scale is applied: 五十万元 (50 万元) → 500000, 5万 → 50000; ratios
 * and units without a scale keep their value. Used to compare amounts written in different ways.
 */
export function scaledValue(value: number, unit: string): number {
  if (NOT_SCALED.has(unit)) return value;
  const scale = SCALE_PREFIXES[unit[0] ?? ''];
  return scale === undefined ? value : tidy(value * scale);
}

/** Units that begin with a scale character but are units in their own right, not thousands of 米 / 克. */
const NOT_SCALED = new Set(['千米', '千克']);

/** The unit two amounts share once their scales are removed (元 for 元 and 万元), or null. */
function commonBase(a: string, b: string): string | null {
  const strip = (unit: string) => (!NOT_SCALED.has(unit) && /^[千万亿]./.test(unit) ? unit.slice(1) : unit);
  const base = strip(a);
  return base === strip(b) && a !== b && base !== '' ? base : null;
}

/** 2023年 is a date, and so is 21日 after 2月: neither is a duration. */
function isDate(text: string, piece: Piece): boolean {
  const { numeral, unit } = piece;
  if (unit === '年') return Number.isInteger(numeral.value) && numeral.value >= 1000 && numeral.value <= 2999;
  if (unit === '日') return /月\s*$/.test(text.slice(Math.max(0, numeral.start - 2), numeral.start));
  return false;
}

function expressionOf(
  text: string,
  first: Piece,
  last: Piece,
  comparator: ExpressionComparator,
): NumericExpression {
  const prefix = prefixBefore(text, first.numeral.start);
  const start = prefix && first === last ? first.numeral.start - prefix.word.length : first.numeral.start;
  return {
    value: first.numeral.value,
    valueMax: first === last ? null : last.numeral.value,
    unit: last.unit,
    unitCategory: unitCategory(last.unit),
    comparator: first === last && prefix ? prefix.comparator : comparator,
    script: first.numeral.script,
    text: text.slice(start, last.end),
    start,
    end: last.end,
    numberStart: first.numeral.start,
  };
}

/**
 * Every number in `text` with its unit, comparator and range: 五十万元以上五百万元以下 (range 50–500 万元),
 * 3至10万 (range 3–10 万), 二十倍以上 (≥ 20 倍), 不少于五年 (≥ 5 年), 百分之八十 (= 80 %), 二十四小时内
 * (≤ 24 小时). A range whose two ends have different units (六个月以上一年以下) is returned as its two ends.
 * Ordinals (第二十二条, 第6次), dates (2023年, 2月21日) and numbers without a unit are not expressions.
 */
export function findNumericExpressions(text: string): NumericExpression[] {
  const pieces = findNumerals(text)
    .filter((n) => !n.ordinal)
    .map((n) => pieceOf(text, n))
    .filter((piece) => !isDate(text, piece));
  const out: NumericExpression[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const next = pieces[i + 1];
    if (next) {
      const between = text.slice(piece.unitEnd, next.numeral.start);
      const sameUnit = piece.unit === next.unit || piece.unit === '';
      // 五十万元以上五百万元以下: the first end says 以上 and the second 以下, with nothing between.
      const legalRange = piece.suffix === '≥' && next.suffix === '≤' && piece.end === next.numeral.start;
      const dashRange = piece.suffix === null && RANGE_CONNECTOR.test(between);
      if ((legalRange || dashRange) && sameUnit && next.numeral.script === piece.numeral.script) {
        out.push(expressionOf(text, piece, next, 'range'));
        i++;
        continue;
      }
      // 五千元以上三万元以下: amounts that differ only in scale are a range in the unscaled unit.
      const base = commonBase(piece.unit, next.unit);
      if (legalRange && base !== null) {
        const range = expressionOf(text, piece, next, 'range');
        out.push({
          ...range,
          value: scaledValue(piece.numeral.value, piece.unit),
          valueMax: scaledValue(next.numeral.value, next.unit),
          unit: base,
          unitCategory: unitCategory(base),
        });
        i++;
        continue;
      }
    }
    out.push(expressionOf(text, piece, piece, piece.suffix ?? '='));
  }
  // A number without a unit (the 一 of （一）, the 2 of 2月) is not an expression of a quantity.
  return out.filter((expression) => expression.unit !== '');
}

const FIGURE_CHAR = `[${DIGIT_CHARS}${UNIT_CHARS}${CONTRACTION_CHARS}]`;
/** A figure starts with a digit or a ten: 万元 alone (after 60) is a unit, not a number. */
const FIGURE_START = `[${DIGIT_CHARS}十拾${CONTRACTION_CHARS}]`;
/** Units of amounts (not 级: 二级以上 names a level of hospital, not a quantity). */
const AMOUNT_UNITS = UNIT_LIST.filter(({ unit, category }) => category !== 'scale' && unit !== '级')
  .map(({ unit }) => escapeRegExp(unit))
  .join('|');
const STRONG_UNITS = UNIT_LIST.filter(({ category }) =>
  ['money', 'age', 'ratio', 'multiple', 'area', 'length', 'mass', 'volume'].includes(category),
)
  .map(({ unit }) => escapeRegExp(unit))
  .join('|');

/**
 * RegExp source (no flags, no groups) of a figure written in Chinese numerals: 百分之八十, 千分之五,
 * 五十五周岁, 三万元, 二十倍, 不少于两次, 五日以上, 一个月内. A lone numeral with a counting word (两个责任,
 * 三项机制, 三年行动) is a name, not a figure, unless a comparator frames it.
 */
export const CHINESE_FIGURE_SOURCE = [
  `(?:${FIGURE_CHAR}+)?分之${FIGURE_CHAR}+`,
  `${FIGURE_START}${FIGURE_CHAR}+(?:${AMOUNT_UNITS})`,
  `${FIGURE_START}(?:${STRONG_UNITS})`,
  `(?<=不少于|不低于|不超过|不高于|至少|年满|不得低于|不得少于|不得超过)${FIGURE_START}${FIGURE_CHAR}*(?:${AMOUNT_UNITS})`,
  `${FIGURE_START}${FIGURE_CHAR}*(?:${AMOUNT_UNITS})(?=以上|以下|以内|之内|内)`,
].join('|');
