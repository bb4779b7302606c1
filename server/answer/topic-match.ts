import { PER_CAPITA_BASE } from '../query/per-capita-base.ts';

/**
 * Entries a memo keeps before it starts again from empty: the matcher asks for the same candidate sentences
 * and concept words many times per question, and their normalisation was a fifth of an answer's time;
 * clearing when full keeps memory flat whatever the corpus, at the cost of one cold question now and then.
 */
const MEMO_SIZE = 20_000;

function boundedMemo<V>(compute: (text: string) => V): (text: string) => V {
  const memo = new Map<string, V>();
  return (text) => {
    let value = memo.get(text);
    if (value === undefined) {
      value = compute(text);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(text, value);
    }
    return value;
  };
}

/**
 * Texts as compared: NFKC, lower case, and a word's bracketed optional part read as part of it: 乡(镇)卫生院 is
 * the 乡镇卫生院 a question names, 执业(助理)医师 holds 助理医师.
 */
const normalized = boundedMemo((text) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(\p{Script=Han})\((\p{Script=Han}{1,2})\)(?=\p{Script=Han})/gu, '$1$2'),
);

/** topicGrams of a short alternative (a concept word, a metric). */
const gramsOf = boundedMemo((text): ReadonlySet<string> => topicGrams(text));

/**
 * How much of a question's topic a sentence covers, by Han character bigrams (and Latin words): robust to
 * jieba splitting 签约覆盖率 and 签约服务覆盖率 differently, and cheap enough to run on every candidate.
 */
export function topicGrams(text: string): Set<string> {
  const grams = new Set<string>();
  const norm = normalized(text);
  for (const run of norm.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length === 1) grams.add(run);
    for (let i = 0; i + 1 < run.length; i++) grams.add(run.slice(i, i + 2));
  }
  for (const word of norm.match(/[a-z]{3,}/g) ?? []) grams.add(word);
  return grams;
}

/** Share of the topic's grams found in the text, 0..1 (1 when the topic is empty). */
export function coverage(topic: ReadonlySet<string>, text: string): number {
  if (topic.size === 0) return 1;
  const norm = normalized(text);
  let hit = 0;
  for (const g of topic) if (norm.includes(g)) hit++;
  return hit / topic.size;
}

/** Mean over groups of the best coverage any alternative of the group reaches in the text. */
export function groupCoverage(groups: readonly (readonly string[])[], text: string): number {
  if (groups.length === 0) return 0;
  let total = 0;
  for (const group of groups) {
    let best = 0;
    for (const alt of group) best = Math.max(best, coverage(gramsOf(alt), text));
    total += best;
  }
  return total / groups.length;
}

/** True when every head group has an alternative in the text (or there are no heads). */
export function containsHeads(heads: readonly (readonly string[])[], text: string): boolean {
  // Indicator tables write "每千人口拥有注册护士数" for the 每千人口注册护士数 of plans and of the glossary.
  const nfkc = text.normalize('NFKC').replace(PER_CAPITA_HAVING, '$1');
  return heads.every((group) => group.some((alt) => holds(nfkc, alt)));
}

/** 拥有 after a per-capita base (每千人口拥有, 每万常住人口拥有): a wording of the base, not part of the noun. */
const PER_CAPITA_HAVING = new RegExp(`(${PER_CAPITA_BASE})拥有`, 'g');

/** Characters a split head ("开通…占比") may have between its parts. */
const SPLIT_HEAD_GAP = 24;
/** A rate's stem and its 率 stand closer ("感染…率" of 感染发生率, "处方…率" of 处方抗生素使用率): one metric's name. */
const SPLIT_RATE_GAP = 6;

/** An alternative is a word, or two parts in order a few characters apart ("开通…占比" of 开通率). */
function holds(text: string, alt: string): boolean {
  const gap = alt.indexOf('…');
  if (gap < 0) return text.includes(alt);
  const first = alt.slice(0, gap);
  const second = alt.slice(gap + 1);
  for (let at = text.indexOf(first); at >= 0; at = text.indexOf(first, at + 1)) {
    const after = text.indexOf(second, at + first.length);
    if (after >= 0 && after - at - first.length <= (second === '率' ? SPLIT_RATE_GAP : SPLIT_HEAD_GAP))
      return true;
  }
  return false;
}

/** Share of the words found in the text, 0..1. */
export function wordCoverage(words: readonly string[], text: string): number {
  if (words.length === 0) return 0;
  const norm = normalized(text);
  return words.filter((w) => norm.includes(w.toLowerCase())).length / words.length;
}
