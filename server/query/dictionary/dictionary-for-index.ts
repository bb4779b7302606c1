import type { OpenedIndex } from '../../../ingest/store/open-index.ts';
import { cedictFromSubset } from '../../../ingest/text/cedict.ts';
import { type EnglishDictionary, englishDictionary, vocabularyOf } from './english-dictionary.ts';

const byIndex = new WeakMap<OpenedIndex, EnglishDictionary>();

/**
 * The dictionary filtered by one index's vocabulary, from the CC-CEDICT subset ingest stored with it: built
 * on first use (the server warms it at start-up) and kept for the life of the opened index.
 */
export function dictionaryFor(index: OpenedIndex): () => EnglishDictionary {
  return () => {
    let dictionary = byIndex.get(index);
    if (!dictionary) {
      dictionary = englishDictionary(vocabularyOf(index), cedictFromSubset(index.dictionary));
      byIndex.set(index, dictionary);
    }
    return dictionary;
  };
}
