/**
 * `npm run ingest`: rebuilds the index from the corpus folder and prints a summary. Exit code 1 when no
 * document could be indexed or the settings are invalid; files that fail are listed and the rest indexed.
 *
 *   npm run ingest                              rebuild (files unchanged since the last build are reused)
 *   npm run ingest -- --add <file|folder> …     copy documents into ADDED_DIR, then rebuild
 *   npm run ingest -- --remove <docId> …        take documents out of the index, then rebuild
 */
import { parseArgs } from 'node:util';
import { addDocumentPaths, removeDocuments } from './added-documents.ts';
import { loadDotEnv, loadIngestConfig } from './config.ts';
import { describeEmbedderChoice } from './embed/select-embedder.ts';
import { progressReporter } from './progress-bar.ts';
import { closeBuildResources, runBuild } from './run-build.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadIngestConfig();
  const { values, positionals } = parseArgs({
    options: { add: { type: 'boolean' }, remove: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.add && values.remove) throw new Error('Give --add or --remove, not both.');
  if ((values.add || values.remove) && positionals.length === 0)
    throw new Error(
      `--${values.add ? 'add' : 'remove'} needs at least one ${values.add ? 'file or folder' : 'document id'}.`,
    );
  if (!values.add && !values.remove && positionals.length > 0)
    throw new Error(`Unexpected argument "${positionals[0]}"; use --add <files> or --remove <docIds>.`);
  if (values.add) {
    for (const f of addDocumentPaths(config, positionals))
      console.log(`${f.changed ? 'Added' : 'Already there'}: ${f.from} → ${f.path}`);
  }
  if (values.remove) {
    for (const r of removeDocuments(config, positionals))
      console.log(
        `Removed ${r.docId}${r.deletedFile ? ` (deleted ${r.deletedFile})` : ' (kept out of the index; its file is not deleted)'}`,
      );
  }
  const target =
    config.store?.kind === 'postgres'
      ? (await import('./store/postgres/pg-pool.ts')).redactUrl(config.store.url)
      : config.indexDir;
  console.log(`Corpus: ${config.corpusDir} → index: ${target}`);
  console.log(`Embedder: ${describeEmbedderChoice(config.embedder)}`);
  const progress = progressReporter();
  const { manifest, failures, warnings, stageSeconds, files } = await runBuild(
    config,
    progress.onProgress,
    (m) => console.log(m),
  ).finally(async () => {
    progress.stop();
    await closeBuildResources(config);
  });
  const c = manifest.counts;
  console.log(
    `Indexed ${c.documents} document(s): ${c.chunks} chunks (${c.tableRows} table rows), ${c.targets} targets in ${manifest.buildSeconds} s.`,
  );
  console.log(
    `Files: ${files.parsed} parsed, ${files.reused} unchanged since the last build (reused)${manifest.embedder.kind === 'lexical' ? '' : `; ${files.embeddedChunks} chunks embedded`}.`,
  );
  console.log(
    `Stages: ${Object.entries(stageSeconds)
      .map(([stage, seconds]) => `${stage} ${seconds.toFixed(1)} s`)
      .join(', ')}.`,
  );
  for (const w of warnings) console.warn(`Warning ${w.path}${w.docId ? ` (${w.docId})` : ''}: ${w.message}`);
  // One list of what is not in the index and why: links, FIFOs, unreadable files and folders, binary or
  // damaged files, duplicates of an id, by name, so a user can fix each one.
  if (failures.length > 0) {
    console.error(`Skipped (${failures.length}, not indexed):`);
    for (const f of failures) console.error(`  ${f.path}: ${f.error}`);
  }
}

main().catch((err: unknown) => {
  console.error(`Ingest failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
