import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese-aware tokenization shared by the lexical index, the LSA embedder and query understanding.
 * Words come from jieba (search mode, so 家庭医生签约服务 also yields 家庭 / 医生 / 签约 / 服务), and every run of
 * Han characters also yields its character bigrams, which rescue words jieba splits differently in the
 * question and the document. Document numbers (嘉政办发〔2024〕5号), numbers with units (45%, 5.8) and years
 * stay whole tokens.
 */

export type Tokenize = (text: string) => string[];

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/**
 * Parts jieba's dictionary is loaded in by `warmSegmenter`. Default 16: the whole dictionary is one native
 * call of 0.2–0.45 s; a sixteenth is 10–35 ms, under the 50 ms a request may wait (issue 11). Loading it in
 * parts gives the same segmenter (each load recomputes the frequency totals over all words loaded).
 */
export const SEGMENTER_WARM_PARTS = 16;

/** Loads jieba's dictionary in parts, yielding between them, unless a tokenize call has loaded it already. */
export async function warmSegmenter(): Promise<void> {
  if (jieba) return;
  const building = new Jieba();
  const per = Math.ceil(dict.length / SEGMENTER_WARM_PARTS);
  // Parts end at a line's end (views of the dictionary's bytes, nothing copied or decoded).
  for (let start = 0; start < dict.length; ) {
    const newline = dict.indexOf(0x0a, Math.min(dict.length - 1, start + per));
    const end = newline < 0 ? dict.length : newline + 1;
    building.loadDict(dict.subarray(start, end));
    start = end;
    await new Promise((resolve) => setImmediate(resolve));
    if (jieba) return;
  }
  jieba = building;
}

const DOC_NUMBER = /[\u4e00-\u9fff]{1,10}[〔[]\d{4}[〕\]]\d+号/g;
const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_OR_NUMBER = /[a-z]+|\d+(?:\.\d+)?%?/g;

/** Function words that carry no meaning for retrieval; kept short on purpose (bigrams cover the rest). */
const STOPWORDS = new Set([
  '的',
  '和',
  '与',
  '及',
  '等',
  '在',
  '了',
  '是',
  '为',
  '对',
  '将',
  '把',
  '由',
  '以',
  '于',
  '并',
  '或',
  '其',
  '之',
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'for',
  'to',
  'and',
  'or',
  'is',
  'are',
  'what',
  'which',
  'by',
  'at',
]);

/** NFKC turns full-width digits, letters and brackets into their ASCII forms, as users type either. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  const tokens: string[] = [];
  for (const m of normalized.matchAll(DOC_NUMBER)) tokens.push(m[0]);
  for (const word of segmenter().cutForSearch(normalized, true)) {
    const w = word.trim();
    if (!w || STOPWORDS.has(w)) continue;
    if (HAN.test(w)) tokens.push(w);
  }
  for (const m of normalized.matchAll(LATIN_OR_NUMBER)) {
    if (!STOPWORDS.has(m[0])) tokens.push(m[0]);
  }
  for (const m of normalized.matchAll(HAN_RUN)) {
    const run = m[0];
    for (let i = 0; i + 1 < run.length; i++) tokens.push(run.slice(i, i + 2));
  }
  return tokens;
}

/** The question's words of two or more characters (jieba, precise mode), for word-level topic coverage. */
export function contentWords(text: string): string[] {
  return [
    ...new Set(
      segmenter()
        .cut(normalizeText(text), true)
        .filter((w) => w.length >= 2 && HAN.test(w) && !STOPWORDS.has(w)),
    ),
  ];
}
