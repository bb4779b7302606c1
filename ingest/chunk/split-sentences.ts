/** A sentence of a clause with its offsets in the document text. */
export interface Sentence {
  start: number;
  end: number;
}

/** Sentence ends in Chinese policy text; a line break also ends a sentence. */
const SENTENCE = /[^。;;!?!?\n]+(?:[。;;!?!?]+|\n|$)/g;

export function splitSentences(text: string, offset = 0): Sentence[] {
  const out: Sentence[] = [];
  for (const m of text.matchAll(SENTENCE)) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const start = offset + (m.index ?? 0) + lead;
    out.push({ start, end: start + trimmed.length });
  }
  return out;
}

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
