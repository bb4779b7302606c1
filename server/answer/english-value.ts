/**
 * A value as documents write it (45%以上, 30日内, 不低于80元), read out in English for an English lead line:
 * the digits stay exactly as written, only the words around them are translated, so the number check and a
 * reader comparing with the Chinese quote see the same figure. Values with 万/亿 or Chinese numerals are left
 * as written: turning 5万 into 50,000 would show a number the clause does not contain.
 */
const UNITS: readonly [RegExp, string][] = [
  [/周岁$|岁$/, ' years old'],
  [/个月$/, ' months'],
  [/小时$/, ' hours'],
  [/分钟$/, ' minutes'],
  [/[日天]$/, ' days'],
  [/年$/, ' years'],
  [/周$/, ' weeks'],
  [/人次$/, ' visits'],
  [/人$/, ' people'],
  [/张$/, ' beds'],
  [/元$/, ' yuan'],
  [/次$/, ' times'],
  [/[个家所项名类支台座户例辆间]$/, ''],
];
const BEFORE: readonly [RegExp, string][] = [
  [/^(?:不低于|不少于|至少)/, 'at least '],
  [/^(?:不超过|不高于|不多于|最多)/, 'at most '],
  [/^(?:达到|提高到|降低到|控制在)/, ''],
];
const AFTER: readonly [RegExp, string][] = [
  [/(?:以上|及以上)$/, ' or more'],
  [/(?:以下|及以下)$/, ' or less'],
  [/(?:以内|之内|内)$/, '|within'],
  [/左右$/, '|about'],
];

/** "45% or more (45%以上)": the English reading, and the value as the document writes it when they differ. */
export function englishValueLabel(valueText: string): string {
  const en = englishValue(valueText);
  return en === valueText.trim() ? en : `${en} (${valueText.trim()})`;
}

export function englishValue(valueText: string): string {
  const text = valueText.trim();
  if (/[万亿]|[一二两三四五六七八九十百千]/.test(text) || !/\d/.test(text)) return text;
  const [before, afterPrefix] = take(text, BEFORE);
  const [after, afterSuffix] = take(afterPrefix, AFTER);
  const [unit, rest] = take(afterSuffix, UNITS);
  // Whatever is left must be the figure itself (45%, 4.6, 5-10, 10/10万): otherwise keep the original.
  if (!/^[\d.,%‰/\-—–~～]+$/.test(rest)) return text;
  const figure = `${rest}${unit}`;
  if (after.startsWith('|')) return `${before}${after.slice(1)} ${figure}`;
  return `${before}${figure}${after}`;
}

/** The English of the first pattern that matches, and the text without what it matched. */
function take(text: string, table: readonly [RegExp, string][]): [string, string] {
  const hit = table.find(([re]) => re.test(text));
  return hit ? [hit[1], text.replace(hit[0], '')] : ['', text];
}
