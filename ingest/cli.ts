/**
 * `npm run ingest`: rebuilds the index from the corpus folder and prints a summary. Exit code 1 when no
 * document could be indexed or the settings are invalid; files that fail are listed and the rest indexed.
 */
import { buildIndex } from './build-index.ts';
import { loadDotEnv, loadIngestConfig } from './config.ts';
import { describeEmbedderChoice } from './embed/select-embedder.ts';
import { progressReporter } from './progress-bar.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadIngestConfig();
  console.log(`Corpus: ${config.corpusDir} → index: ${config.indexDir}`);
  console.log(`Embedder: ${describeEmbedderChoice(config.embedder)}`);
  const progress = progressReporter();
  const { manifest, failures, warnings, stageSeconds } = await buildIndex(
    config,
    progress.onProgress,
  ).finally(progress.stop);
  const c = manifest.counts;
  console.log(
    `Indexed ${c.documents} document(s): ${c.chunks} chunks (${c.tableRows} table rows), ${c.targets} targets in ${manifest.buildSeconds} s.`,
  );
  console.log(
    `Stages: ${Object.entries(stageSeconds)
      .map(([stage, seconds]) => `${stage} ${seconds.toFixed(1)} s`)
      .join(', ')}.`,
  );
  for (const w of warnings) console.warn(`Warning ${w.path}${w.docId ? ` (${w.docId})` : ''}: ${w.message}`);
  for (const f of failures) console.error(`Skipped ${f.path}: ${f.error}`);
}

main().catch((err: unknown) => {
  console.error(`Ingest failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
