/**
 * How much of a question's topic a sentence covers, by Han character bigrams (and Latin words): robust to
 * jieba splitting 签约覆盖率 and 签约服务覆盖率 differently, and cheap enough to run on every candidate.
 */
export function topicGrams(text: string): Set<string> {
  const grams = new Set<string>();
  const normalized = text.normalize('NFKC').toLowerCase();
  for (const run of normalized.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length === 1) grams.add(run);
    for (let i = 0; i + 1 < run.length; i++) grams.add(run.slice(i, i + 2));
  }
  for (const word of normalized.match(/[a-z]{3,}/g) ?? []) grams.add(word);
  return grams;
}

/** Share of the topic's grams found in the text, 0..1 (1 when the topic is empty). */
export function coverage(topic: ReadonlySet<string>, text: string): number {
  if (topic.size === 0) return 1;
  const normalized = text.normalize('NFKC').toLowerCase();
  let hit = 0;
  for (const g of topic) if (normalized.includes(g)) hit++;
  return hit / topic.size;
}

/** Mean over groups of the best coverage any alternative of the group reaches in the text. */
export function groupCoverage(groups: readonly (readonly string[])[], text: string): number {
  if (groups.length === 0) return 0;
  let total = 0;
  for (const group of groups) {
    let best = 0;
    for (const alt of group) best = Math.max(best, coverage(topicGrams(alt), text));
    total += best;
  }
  return total / groups.length;
}

/** True when every head group has an alternative in the text (or there are no heads). */
export function containsHeads(heads: readonly (readonly string[])[], text: string): boolean {
  const normalized = text.normalize('NFKC');
  return heads.every((group) => group.some((alt) => normalized.includes(alt)));
}

/** Share of the words found in the text, 0..1. */
export function wordCoverage(words: readonly string[], text: string): number {
  if (words.length === 0) return 0;
  const normalized = text.normalize('NFKC').toLowerCase();
  return words.filter((w) => normalized.includes(w.toLowerCase())).length / words.length;
}
