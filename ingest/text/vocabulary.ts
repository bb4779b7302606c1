import { contentWords } from './tokenize.ts';

const HAN_WORD = /^\p{Script=Han}{2,}$/u;

/**
 * The Chinese words of one chunk for the corpus vocabulary that the English→Chinese dictionary is filtered
 * by: jieba's precise-mode words of the indexed text (what `contentWords` gives the question side) plus
 * the search-mode words of three or more characters among the chunk's lexical tokens. The tokens'
 * character bigrams are left out on purpose: 新生 would enter the vocabulary from every 新生儿 and outrank it
 * for "newborn".
 */
export function vocabularyWords(indexText: string, tokens: readonly string[]): Set<string> {
  const words = new Set(contentWords(indexText).filter((w) => HAN_WORD.test(w)));
  for (const token of tokens) if (token.length >= 3 && HAN_WORD.test(token)) words.add(token);
  return words;
}

/** Word → number of chunks using it, built at ingest and stored in the index (`vocabulary.json`). */
export type VocabularyCounts = Record<string, number>;
