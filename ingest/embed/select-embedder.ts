import type { EmbedderConfig } from '../config.ts';
import { tokenize } from '../text/tokenize.ts';
import type { Embedder, FittedEmbedder } from './embedder.ts';
import { fitLsaEmbedder, loadLsaEmbedder } from './lsa-embedder.ts';
import { createTransformersEmbedder, isTransformersModelAvailable } from './transformers-embedder.ts';

/**
 * The one place an embedder is chosen. `auto` uses a local transformers model when present, else no vectors
 * at all (`lexical`): the offline LSA vectors added nothing BM25 lacks on the evaluation sets (their weight
 * in the fusion is 0, see hybrid-retriever.ts) yet took two thirds of ingest, so they are built only when
 * asked for with EMBEDDER=lsa.
 */
export type EmbedderKind = 'lexical' | 'lsa' | 'transformers';

export function resolveEmbedderKind(config: EmbedderConfig): EmbedderKind {
  if (config.kind !== 'auto') return config.kind;
  return isTransformersModelAvailable(config.transformers) ? 'transformers' : 'lexical';
}

export function describeEmbedderChoice(config: EmbedderConfig): string {
  const kind = resolveEmbedderKind(config);
  if (kind === 'transformers')
    return `transformers.js model ${config.transformers.model} from ${config.transformers.localModelPath}`;
  if (kind === 'lsa') return `offline LSA embedder, ${config.lsaDimensions} dimensions`;
  const why =
    config.kind === 'auto'
      ? ` (no local model ${config.transformers.model} in ${config.transformers.localModelPath})`
      : '';
  return `none: lexical retrieval only${why}`;
}

/** At ingest: an embedder for the corpus (fitted on its texts when the kind needs that), or none. */
export async function embedderForBuild(
  config: EmbedderConfig,
  /** Each chunk's indexed text (region, title and headings before the text). */
  texts: readonly string[],
): Promise<{ kind: EmbedderKind; embedder: Embedder | null; state: unknown | null }> {
  const kind = resolveEmbedderKind(config);
  if (kind === 'lexical') return { kind, embedder: null, state: null };
  if (kind === 'transformers') {
    return { kind, embedder: await createTransformersEmbedder(config.transformers), state: null };
  }
  const lsa: FittedEmbedder = fitLsaEmbedder(texts, tokenize, { dimensions: config.lsaDimensions });
  return { kind, embedder: lsa, state: lsa.state() };
}

/** When opening an index: the embedder it was built with (LSA from its saved state, transformers from config). */
export async function embedderForIndex(
  kind: EmbedderKind,
  config: EmbedderConfig,
  state: unknown,
): Promise<Embedder | null> {
  if (kind === 'lexical') return null;
  if (kind === 'lsa') return loadLsaEmbedder(state, tokenize);
  return createTransformersEmbedder(config.transformers);
}
