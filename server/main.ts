/**
 * `npm start`: builds the index from the corpus when it is missing or stale, then serves the API, the
 * WebSocket stream and the web page on HOST:PORT (default http://127.0.0.1:3000).
 */
import { ConfigError, loadDotEnv } from '../ingest/config.ts';
import { describeEmbedderChoice } from '../ingest/embed/select-embedder.ts';
import { progressReporter } from '../ingest/progress-bar.ts';
import { loadServerConfig } from './config.ts';
import { openHistoryStore } from './history/open-history.ts';
import { startHttpServer } from './http/listen.ts';
import { createLiveService } from './live-service.ts';
import { adminActionsFor } from './reindex/admin-actions.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadServerConfig();
  console.log(`Corpus: ${config.ingest.corpusDir}; index: ${config.ingest.indexDir}`);
  console.log(`Embedder: ${describeEmbedderChoice(config.ingest.embedder)}`);
  console.log(
    `Answerer: ${config.llm ? `LLM ${config.llm.model} at ${config.llm.baseUrl}, checked, extractive fallback` : 'extractive (no LLM configured)'}`,
  );
  const progress = progressReporter();
  const live = await createLiveService({
    onProgress: progress.onProgress,
    log: (m) => console.log(m),
  }).finally(progress.stop);
  const c = live.current().index.manifest.counts;
  console.log(
    `Serving ${c.documents} documents, ${c.chunks} chunks (${c.tableRows} table rows), ${c.targets} targets.`,
  );
  const history = await openHistoryStore(config.history);
  console.log(`History (conversations, permalinks): ${history.where}`);
  // Re-indexing swaps the whole service (live-service.ts), so requests in flight finish on their index.
  const running = await startHttpServer({
    service: live.service,
    history: history.store,
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
    rateLimit: { windowMs: 60_000, limit: config.rateLimitPerMinute },
    maxQuestionLength: config.maxQuestionLength,
    answerTimeoutMs: config.answerTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
    admin: adminActionsFor(live),
    maxUploadBytes: config.maxUploadBytes,
    host: config.host,
    port: config.port,
  });
  console.log(`Zhengce is listening on ${running.url}`);
  // The English dictionary and jieba are built once the server listens (about 0.5 s, once, in slices that
  // let requests in): health checks and the page answer at once, and an English question that arrives
  // meanwhile builds the dictionary itself rather than waiting for a restart.
  setImmediate(() => {
    live
      .current()
      .warmInSlices()
      .catch((err: unknown) => console.error(`Warming the dictionary failed: ${String(err)}`));
  });
  const stop = () => {
    live.close();
    running.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError
      ? err.message
      : `Zhengce could not start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
