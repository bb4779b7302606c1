import type { BuildProgress, BuildResult } from './build-index.ts';
import type { IngestConfig } from './config.ts';
import { readScanned, sameStamps, skippedWithoutReading } from './corpus.ts';
import { corpusHashAll, indexSettings, scanAll } from './corpus-roots.ts';
import type { SkippedFile } from './corpus-scan.ts';
import { resolveEmbedderKind } from './embed/select-embedder.ts';
import { FORMAT_VERSION } from './store/format.ts';
import { removeLeftovers } from './store/index-location.ts';
import { type OpenedIndex, openIndex, readManifest } from './store/open-index.ts';

export interface EnsureResult {
  index: OpenedIndex;
  /** Why the index was rebuilt, or null when the existing one was reused. */
  rebuiltBecause: string | null;
  build: BuildResult | null;
  /**
   * Corpus entries that are not read (links, FIFOs, unreadable files and folders, empty or oversized
   * files), as a build would skip them, for the start-up log. When the index was reused, a file that
   * became unreadable after it was indexed is here too: the index keeps its text as it was built.
   */
  skipped: SkippedFile[];
}

export interface StaleCheck {
  /** Why the index on disk cannot serve the current corpus and settings, or null when it can. */
  reason: string | null;
  /** What a build would skip, found without reading file contents when the index is current. */
  skipped: SkippedFile[];
}

/** Whether the index on disk can serve the current corpus and settings; never throws on an unreadable file. */
export function checkIndex(config: IngestConfig): StaleCheck {
  const manifest = readManifest(config.indexDir);
  if (!manifest) return { reason: 'there is no index yet', skipped: [] };
  if (manifest.formatVersion !== FORMAT_VERSION)
    return {
      reason: `the index format changed (${manifest.formatVersion} → ${FORMAT_VERSION})`,
      skipped: [],
    };
  const kind = resolveEmbedderKind(config.embedder);
  if (kind !== manifest.embedder.kind)
    return { reason: `the embedder changed (${manifest.embedder.kind} → ${kind})`, skipped: [] };
  const settings = indexSettings(config);
  const scan = scanAll(config);
  // Same names, sizes and times and same settings: unchanged, without reading a byte of the corpus.
  if (
    JSON.stringify(manifest.settings) === JSON.stringify(settings) &&
    Array.isArray(manifest.stamps) &&
    sameStamps(scan, manifest.stamps)
  ) {
    const skipped = skippedWithoutReading(scan);
    const skippedNow = new Set(skipped.map((s) => s.path));
    const scanned = new Set(scan.files.map((f) => f.path));
    // A file the build could not read that can be read now (its permissions changed, not its time).
    const readable = (manifest.skipped ?? []).find((s) => scanned.has(s.path) && !skippedNow.has(s.path));
    if (readable) return { reason: `${readable.path} can be read now`, skipped };
    const indexed = new Set(manifest.sources.filter((s) => !s.error).map((s) => s.path));
    return {
      reason: null,
      skipped: skipped.map((s) =>
        indexed.has(s.path) ? { ...s, reason: `${s.reason}; the index keeps its text as it was built` } : s,
      ),
    };
  }
  const listing = readScanned(scan, config.maxFileBytes);
  return {
    reason:
      corpusHashAll(config, listing.files) === manifest.corpusHash
        ? null
        : 'the corpus or the chunking settings changed',
    skipped: listing.skipped,
  };
}

/** Why the index on disk cannot serve the current corpus and settings, or null when it can. */
export function staleReason(config: IngestConfig): string | null {
  return checkIndex(config).reason;
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
  const check = checkIndex(config);
  const reason = check.reason;
  const build = reason ? await rebuild(config, onProgress) : null;
  const skipped = build ? skippedOf(build) : check.skipped;
  try {
    return {
      index: await openIndex(config.indexDir, config.embedder),
      rebuiltBecause: reason,
      build,
      skipped,
    };
  } catch (err) {
    // A transformers model swapped under the same kind (another model id) is only seen once loaded.
    if (reason || !(err instanceof Error) || !('code' in err) || err.code !== 'embedder_mismatch') throw err;
    const rebuilt = await rebuild(config, onProgress);
    return {
      index: await openIndex(config.indexDir, config.embedder),
      rebuiltBecause: 'the embedder model changed',
      build: rebuilt,
      skipped: skippedOf(rebuilt),
    };
  }
}

/** What a build skipped before parsing, as the manifest records it. */
function skippedOf(build: BuildResult): SkippedFile[] {
  return build.manifest.skipped ?? [];
}
