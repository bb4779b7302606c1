/**
 * `npm start`: builds the index from the corpus when it is missing or stale, then serves the API, the
 * WebSocket stream and the web page on HOST:PORT (default http://127.0.0.1:3000).
 */
import { join } from 'node:path';
import { ConfigError, loadDotEnv } from '../ingest/config.ts';
import { describeEmbedderChoice } from '../ingest/embed/select-embedder.ts';
import { progressReporter } from '../ingest/progress-bar.ts';
import { loadServerConfig } from './config.ts';
import { openSqliteHistory } from './history/sqlite-history.ts';
import { startHttpServer } from './http/listen.ts';
import { createService, type LoadedService } from './service.ts';
import type { ZhengceService } from './service-types.ts';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadServerConfig();
  console.log(`Corpus: ${config.ingest.corpusDir}; index: ${config.ingest.indexDir}`);
  console.log(`Embedder: ${describeEmbedderChoice(config.ingest.embedder)}`);
  console.log(
    `Answerer: ${config.llm ? `LLM ${config.llm.model} at ${config.llm.baseUrl}, checked, extractive fallback` : 'extractive (no LLM configured)'}`,
  );
  const progress = progressReporter();
  let current: LoadedService = await createService({
    onProgress: progress.onProgress,
    log: (m) => console.log(m),
  }).finally(progress.stop);
  const c = current.index.manifest.counts;
  console.log(
    `Serving ${c.documents} documents, ${c.chunks} chunks (${c.tableRows} table rows), ${c.targets} targets.`,
  );
  // Re-ingest swaps the whole service, so requests in flight finish on the index they started with.
  const service: ZhengceService = {
    ask: (...args) => current.ask(...args),
    search: (...args) => current.search(...args),
    listDocuments: () => current.listDocuments(),
    getDocument: (id) => current.getDocument(id),
    health: () => current.health(),
    targets: (f) => current.targets(f),
    checkClaim: (claim) => current.checkClaim(claim),
  };
  const running = await startHttpServer({
    service,
    history: openSqliteHistory({
      path: join(config.dataDir, 'history.sqlite'),
      retentionDays: config.historyRetentionDays,
    }),
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
    rateLimit: { windowMs: 60_000, limit: config.rateLimitPerMinute },
    maxQuestionLength: config.maxQuestionLength,
    answerTimeoutMs: config.answerTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    reingest: async () => {
      // Imported when needed: a server that only serves never loads the ingest pipeline.
      const { buildIndex } = await import('../ingest/build-index.ts');
      await buildIndex(config.ingest);
      const next = await createService({ ensure: false });
      next.warm();
      current = next;
    },
    host: config.host,
    port: config.port,
  });
  console.log(`Zhengce is listening on ${running.url}`);
  // The English dictionary and jieba are built once the server listens (about 0.5 s, once): health checks
  // and the page answer at once, and a question that arrives meanwhile waits for them, not for a restart.
  setImmediate(() => current.warm());
  const stop = () => {
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
