/**
 * The rule that protects journalists: every number an answer shows must occur in a source it cites.
 * Numbers are compared by value, whatever the writing: 百分之八十 and 80%, 五万元 and 5万元 and 50000元,
 * 五十五 and 55. Marker numbers ([1]), clause references (第二十二条, 第3款) and list markers (（一）, 一、)
 * are not numbers of the answer.
 */
import { findNumerals, type Numeral, scaledValue } from '../../ingest/text/chinese-numerals.ts';
import { unitCategory } from '../../ingest/text/numeric-units.ts';

/** Structure words after an ordinal: a reference to a clause, not a figure. */
const CLAUSE_REFERENCE = /^\s*[条款项章节编目]/;
/** Units that make even a lone 一 a figure (一年, 一倍, 一万元); 一个 / 一项 / 一批 are just "a". */
const FIGURE_CATEGORIES = new Set([
  'money',
  'time',
  'age',
  'ratio',
  'multiple',
  'area',
  'length',
  'mass',
  'volume',
]);
const UNIT_AFTER = /^\s*([^\s\d,,。;;、)）]{1,4})/;

function isListMarker(text: string, n: Numeral): boolean {
  const before = text.slice(Math.max(0, n.start - 1), n.start);
  const after = text.slice(n.end, n.end + 1);
  if (/[(\uFF08]/.test(before) && /[)\uFF09]/.test(after)) return true;
  // 一、 / 1. at the start of a line or after a marker: an enumerator.
  const lineStart = n.start === 0 || /[\n\s]/.test(before);
  return lineStart && /[、..]/.test(after) && !/^\d/.test(text.slice(n.end + 1, n.end + 2));
}

/**
 * Chinese words built from numeral characters are mostly words (统一, 进一步, 三甲, 两个责任): a Chinese
 * number needs support when it has at least two characters (九十, 二十二) or a unit that makes it a
 * figure (五年, 三万元, 百分之八十).
 */
function needsSupport(text: string, n: Numeral): boolean {
  if (n.script === 'arabic' || n.form !== 'plain' || n.scale !== '') return true;
  if ([...n.text].length >= 2) return true;
  const unit = UNIT_AFTER.exec(text.slice(n.end))?.[1] ?? '';
  const category = [...Array(unit.length).keys()]
    .map((i) => unitCategory(unit.slice(0, unit.length - i)))
    .find((c) => c !== null);
  if (category === undefined) return false;
  if (n.value === 1) return FIGURE_CATEGORIES.has(category);
  return category !== 'scale';
}

/** The numbers of `text` that an answer must be able to trace, as written. */
function claimedNumerals(text: string): Numeral[] {
  return findNumerals(text).filter((n) => {
    if (n.ordinal && CLAUSE_REFERENCE.test(text.slice(n.end))) return false;
    if (isListMarker(text, n)) return false;
    return needsSupport(text, n);
  });
}

function withoutMarkers(text: string): string {
  return text.normalize('NFKC').replace(/\[\d+\]/g, ' ');
}

/** Numbers in `text` that need a source, as written (45, 百分之八十, 五十五); citation markers excluded. */
export function numbersIn(text: string): string[] {
  const clean = withoutMarkers(text);
  return claimedNumerals(clean).map((n) => n.text.replace(/\s+/g, ''));
}

/** The values a number may be written as elsewhere: 五十万 is 50 (with 万元) and 500000; 4.0 is 4. */
function keys(n: Numeral): string[] {
  const values = [n.value];
  if (n.scale !== '') values.push(scaledValue(n.value, n.scale));
  return values.map(String);
}

/**
 * A checker over the cited texts, normalised and read for numbers once, so an answer of many lines (a
 * comparison over hundreds of places) costs one pass over its sources, not one per line.
 */
export function numberChecker(citedTexts: readonly string[]): (answer: string) => string[] {
  const sources = citedTexts.map((t) => t.normalize('NFKC')).join('\n');
  const sourceKeys = new Set(findNumerals(sources).flatMap(keys));
  // "7岁" quoted from "7.7岁以下" (item 7: children under 7) is the same figure: digits not glued to other digits.
  const standsIn = (n: Numeral) =>
    n.script === 'arabic' &&
    new RegExp(`(?<!\\d)${n.text.replace(/[万亿\s]/g, '').replace('.', '\\.')}(?!\\d)`).test(sources);
  return (answer) => {
    const clean = withoutMarkers(answer);
    const missing = claimedNumerals(clean)
      .filter((n) => !keys(n).some((key) => sourceKeys.has(key)) && !standsIn(n))
      .map((n) => n.text.replace(/\s+/g, ''));
    return [...new Set(missing)];
  };
}

export function untraceableNumbers(answer: string, citedTexts: readonly string[]): string[] {
  return numberChecker(citedTexts)(answer);
}

/** Marker numbers used in the answer that do not refer to a citation. */
export function danglingMarkers(answer: string, citationNumbers: readonly number[]): number[] {
  const known = new Set(citationNumbers);
  return [...new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))].filter(
    (n) => !known.has(n),
  );
}
