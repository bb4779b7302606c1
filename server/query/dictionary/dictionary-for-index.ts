import type { OpenedIndex } from '../../../ingest/store/open-index.ts';
import { type EnglishDictionary, englishDictionary, vocabularyOf } from './english-dictionary.ts';

const byIndex = new WeakMap<OpenedIndex, EnglishDictionary>();

/**
 * The dictionary filtered by one index's vocabulary, built on the first English question (about 0.5 s for
 * the seeds) and kept for the life of the opened index; Chinese-only use never pays for it.
 */
export function dictionaryFor(index: OpenedIndex): () => EnglishDictionary {
  return () => {
    let dictionary = byIndex.get(index);
    if (!dictionary) {
      dictionary = englishDictionary(vocabularyOf(index));
      byIndex.set(index, dictionary);
    }
    return dictionary;
  };
}
