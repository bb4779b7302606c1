/**
 * The clause segment around a figure: the stretch of a sentence between two of these marks. Full-width
 * marks are written as escapes so that a formatter or an NFKC pass cannot fold them into ASCII.
 */
export const SEGMENT_END = /[,\uFF0C;\uFF1B。:\uFF1A!\uFF01?\uFF1F\n]/;

/** Where the segment holding `index` starts. */
export function segmentStart(sentence: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    if (SEGMENT_END.test(sentence[i] ?? '')) return i + 1;
  }
  return 0;
}

/** Where the segment holding `index` ends (exclusive). */
export function segmentEnd(sentence: string, index: number): number {
  for (let i = index; i < sentence.length; i++) {
    if (SEGMENT_END.test(sentence[i] ?? '')) return i;
  }
  return sentence.length;
}
