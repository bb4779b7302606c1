/**
 * Child process of `npm run bench`: builds one index and prints its timings as one JSON line, so peak memory
 * is the build's own. Usage: run-ingest.ts <corpusDir> <indexDir>
 */
import { buildIndex } from '../ingest/build-index.ts';
import { loadIngestConfig } from '../ingest/config.ts';
import { peakRssMiB } from './stats.ts';

const [corpusDir, indexDir] = process.argv.slice(2);
if (!corpusDir || !indexDir) throw new Error('usage: run-ingest.ts <corpusDir> <indexDir>');
const config = loadIngestConfig({ ...process.env, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
const started = performance.now();
const result = await buildIndex(config);
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    seconds,
    stageSeconds: result.stageSeconds,
    counts: result.manifest.counts,
    embedder: result.manifest.embedder,
    failures: result.failures.length,
    peakRssMiB: peakRssMiB(),
  }),
);
