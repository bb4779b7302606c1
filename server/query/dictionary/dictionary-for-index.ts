import type { OpenedIndex } from '../../../ingest/store/open-index.ts';
import { cedictFromSubset } from '../../../ingest/text/cedict.ts';
import {
  type EnglishDictionary,
  englishDictionary,
  englishDictionaryInSlices,
  vocabularyOf,
} from './english-dictionary.ts';

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

/** Slices of the dictionary built after the server listens. Default 10 ms, a fifth of what a request may wait. */
export const WARM_SLICE_MS = 10;

/**
 * Builds the index's dictionary in slices (englishDictionaryInSlices), unless it is built already. A
 * question that needs it before this finishes builds it at once (dictionaryFor), and this build stops.
 */
export async function warmDictionary(index: OpenedIndex): Promise<void> {
  if (byIndex.has(index)) return;
  const built = await englishDictionaryInSlices(
    vocabularyOf(index),
    cedictFromSubset(index.dictionary),
    WARM_SLICE_MS,
    () => byIndex.has(index),
  );
  if (built && !byIndex.has(index)) byIndex.set(index, built);
}
