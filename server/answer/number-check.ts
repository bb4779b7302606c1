/**
 * The rule that protects journalists: every number an answer shows must occur in a source it cites.
 * Marker numbers ([1]) are not numbers of the answer.
 */
export function numbersIn(text: string): string[] {
  const withoutMarkers = text.normalize('NFKC').replace(/\[\d+\]/g, ' ');
  return [...withoutMarkers.matchAll(/\d+(?:\.\d+)?/g)].map((m) => m[0]);
}

export function untraceableNumbers(answer: string, citedTexts: readonly string[]): string[] {
  const sources = citedTexts.map((t) => t.normalize('NFKC')).join('\n');
  const sourceNumbers = new Set(numbersIn(sources).flatMap(equivalents));
  // "7岁" quoted from "7.7岁以下" (item 7: children under 7) is the same figure: digits not glued to other digits.
  const standsIn = (n: string) => new RegExp(`(?<!\\d)${n.replace('.', '\\.')}(?!\\d)`).test(sources);
  return [...new Set(numbersIn(answer))].filter(
    (n) => !equivalents(n).some((e) => sourceNumbers.has(e) || standsIn(e)),
  );
}

/** 4.0 and 4, 02 and 2 are the same number as written in different places. */
function equivalents(n: string): string[] {
  const value = Number(n);
  return Number.isFinite(value) ? [n, String(value)] : [n];
}

/** Marker numbers used in the answer that do not refer to a citation. */
export function danglingMarkers(answer: string, citationNumbers: readonly number[]): number[] {
  const known = new Set(citationNumbers);
  return [...new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))].filter(
    (n) => !known.has(n),
  );
}
