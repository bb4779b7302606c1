import type { Sentence } from '../text/sentences.ts';

export { type Sentence, splitSentences } from '../text/sentences.ts';

/**
 * Groups sentences into parts of at most `maxChars` (a longer single sentence stays whole), each part after
 * the first starting with the last sentence of the one before when that sentence is short, so a target and
 * the sentence that names its year are found together.
 */
export function groupSentences(
  sentences: readonly Sentence[],
  maxChars: number,
  overlap: number,
): Sentence[] {
  const parts: Sentence[] = [];
  let i = 0;
  while (i < sentences.length) {
    const first = sentences[i];
    if (!first) break;
    let j = i;
    while (j + 1 < sentences.length && (sentences[j + 1]?.end ?? 0) - first.start <= maxChars) j++;
    const last = sentences[j] ?? first;
    parts.push({ start: first.start, end: last.end });
    if (j + 1 >= sentences.length) break;
    let next = j + 1;
    for (let k = 0; k < overlap && next - 1 > i; k++) {
      const back = sentences[next - 1];
      if (!back || back.end - back.start > maxChars / 2) break;
      next--;
    }
    i = next;
  }
  return parts;
}
