import type { BuildProgress, BuildResult } from './build-index.ts';
import type { IngestConfig } from './config.ts';
import { corpusHashAll, indexSettings, listAllFiles, sameStampsAll } from './corpus-roots.ts';
import { resolveEmbedderKind } from './embed/select-embedder.ts';
import { FORMAT_VERSION } from './store/format.ts';
import { removeLeftovers } from './store/index-location.ts';
import { type OpenedIndex, openIndex, readManifest } from './store/open-index.ts';

export interface EnsureResult {
  index: OpenedIndex;
  /** Why the index was rebuilt, or null when the existing one was reused. */
  rebuiltBecause: string | null;
  build: BuildResult | null;
}

/** Why the index on disk cannot serve the current corpus and settings, or null when it can. */
export function staleReason(config: IngestConfig): string | null {
  const manifest = readManifest(config.indexDir);
  if (!manifest) return 'there is no index yet';
  if (manifest.formatVersion !== FORMAT_VERSION)
    return `the index format changed (${manifest.formatVersion} → ${FORMAT_VERSION})`;
  const kind = resolveEmbedderKind(config.embedder);
  if (kind !== manifest.embedder.kind) return `the embedder changed (${manifest.embedder.kind} → ${kind})`;
  const settings = indexSettings(config);
  // Same names, sizes and times and same settings: unchanged, without reading a byte of the corpus.
  if (
    JSON.stringify(manifest.settings) === JSON.stringify(settings) &&
    Array.isArray(manifest.stamps) &&
    sameStampsAll(config, manifest.stamps)
  )
    return null;
  if (corpusHashAll(config, listAllFiles(config)) !== manifest.corpusHash) {
    return 'the corpus or the chunking settings changed';
  }
  return null;
}

/**
 * The ingest pipeline (parsers, chunking, target extraction, workers) is imported only when a build is due:
 * a server starting on a current index does not load it.
 */
async function rebuild(config: IngestConfig, onProgress?: (p: BuildProgress) => void): Promise<BuildResult> {
  return (await import('./build-index.ts')).buildIndex(config, onProgress);
}

/** Reuses the index when it matches the corpus and settings, otherwise rebuilds it first (used by `npm start`). */
export async function ensureIndex(
  config: IngestConfig,
  onProgress?: (p: BuildProgress) => void,
): Promise<EnsureResult> {
  // What builds killed mid-way left behind goes first (the served index is never among it).
  removeLeftovers(config.indexDir);
  const reason = staleReason(config);
  const build = reason ? await rebuild(config, onProgress) : null;
  try {
    return { index: await openIndex(config.indexDir, config.embedder), rebuiltBecause: reason, build };
  } catch (err) {
    // A transformers model swapped under the same kind (another model id) is only seen once loaded.
    if (reason || !(err instanceof Error) || !('code' in err) || err.code !== 'embedder_mismatch') throw err;
    const rebuilt = await rebuild(config, onProgress);
    return {
      index: await openIndex(config.indexDir, config.embedder),
      rebuiltBecause: 'the embedder model changed',
      build: rebuilt,
    };
  }
}
