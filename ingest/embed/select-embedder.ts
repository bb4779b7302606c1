import type { EmbedderConfig } from '../config.ts';
import { tokenize } from '../text/tokenize.ts';
import type { Embedder, FittedEmbedder } from './embedder.ts';
import { fitLsaEmbedder, loadLsaEmbedder } from './lsa-embedder.ts';
import { createTransformersEmbedder, isTransformersModelAvailable } from './transformers-embedder.ts';

/** The one place an embedder is chosen. `auto` uses a local transformers model when present, else LSA. */
export type EmbedderKind = 'lsa' | 'transformers';

export function resolveEmbedderKind(config: EmbedderConfig): EmbedderKind {
  if (config.kind !== 'auto') return config.kind;
  return isTransformersModelAvailable(config.transformers) ? 'transformers' : 'lsa';
}

export function describeEmbedderChoice(config: EmbedderConfig): string {
  const kind = resolveEmbedderKind(config);
  if (kind === 'transformers')
    return `transformers.js model ${config.transformers.model} from ${config.transformers.localModelPath}`;
  const why =
    config.kind === 'auto'
      ? ` (no local model ${config.transformers.model} in ${config.transformers.localModelPath})`
      : '';
  return `offline LSA embedder, ${config.lsaDimensions} dimensions${why}`;
}

/** At ingest: an embedder for the corpus, fitted on it when the kind needs that. */
export async function embedderForBuild(
  config: EmbedderConfig,
  corpusTexts: readonly string[],
): Promise<{ kind: EmbedderKind; embedder: Embedder; state: unknown | null }> {
  const kind = resolveEmbedderKind(config);
  if (kind === 'transformers') {
    return { kind, embedder: await createTransformersEmbedder(config.transformers), state: null };
  }
  const lsa: FittedEmbedder = fitLsaEmbedder(corpusTexts, tokenize, { dimensions: config.lsaDimensions });
  return { kind, embedder: lsa, state: lsa.state() };
}

/** When opening an index: the embedder it was built with (LSA from its saved state, transformers from config). */
export async function embedderForIndex(
  kind: EmbedderKind,
  config: EmbedderConfig,
  state: unknown,
): Promise<Embedder> {
  if (kind === 'lsa') return loadLsaEmbedder(state, tokenize);
  return createTransformersEmbedder(config.transformers);
}
