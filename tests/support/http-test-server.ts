/**
 * Starts the real thing for HTTP, WebSocket and browser tests: the service built from seeds/ into a temp
 * index folder (once per test file), a SQLite history in a temp folder, and the app plus WebSocket
 * listening on 127.0.0.1 with a free port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryStore } from '../../server/history/history-store.ts';
import { openSqliteHistory } from '../../server/history/sqlite-history.ts';
import type { AppOptions } from '../../server/http/app.ts';
import { type RunningServer, type StartOptions, startHttpServer } from '../../server/http/listen.ts';
import type { ZhengceService } from '../../server/service-types.ts';
import { SEEDS_DIR, sharedSeedsIndexDir } from './seeds-index.ts';

/** Tests make many requests from one address; the limit itself is tested with its own small setting. */
export const TEST_RATE_LIMIT = { windowMs: 60_000, limit: 10_000 };

let realService: Promise<{ service: ZhengceService; indexDir: string }> | null = null;

/**
 * The real service over the seeds index the globalSetup built once for the run (extractive answerer, no
 * LLM), opened once per test process (the test files share one: vitest.config.ts). Read-only: open it
 * with `ensure: false` to add an LLM.
 */
export function realServiceFromSeeds(): Promise<{ service: ZhengceService; indexDir: string }> {
  realService ??= (async () => {
    const indexDir = sharedSeedsIndexDir();
    const { createService } = await import('../../server/service.ts');
    const service = await createService({ indexDir, corpusDir: SEEDS_DIR, llm: null, ensure: false });
    return { service, indexDir };
  })();
  return realService;
}

export interface TestServer extends RunningServer {
  wsUrl: string;
  service: ZhengceService;
  history: HistoryStore;
  historyPath: string;
  dataDir: string;
  /** Closes the server and the store, and removes the temp data folder unless `keepData`. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestServerOptions extends Partial<Omit<StartOptions, 'history'>> {
  /** Reuse a history file (to test a restart); default a new temp folder. */
  historyPath?: string;
  /** Turns kept per conversation (HISTORY_MAX_TURNS); default the store's. */
  historyMaxTurns?: number;
  /** Wraps the store the server uses (e.g. to count what it reads); `history` stays the real store. */
  wrapHistory?: (store: HistoryStore) => HistoryStore;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const service = options.service ?? (await realServiceFromSeeds()).service;
  const dataDir = options.historyPath ? '' : await mkdtemp(join(tmpdir(), 'zhengce-http-data-'));
  // A folder that does not exist yet: the store must create it.
  const historyPath = options.historyPath ?? join(dataDir, 'data', 'history.sqlite');
  const history = openSqliteHistory({
    path: historyPath,
    ...(options.historyMaxTurns ? { maxTurns: options.historyMaxTurns } : {}),
  });
  const { historyPath: _path, historyMaxTurns: _maxTurns, wrapHistory, ...startOptions } = options;
  const appOptions: StartOptions = {
    rateLimit: TEST_RATE_LIMIT,
    ...startOptions,
    service,
    history: wrapHistory ? wrapHistory(history) : history,
  } satisfies AppOptions;
  const running = await startHttpServer(appOptions);
  return {
    ...running,
    wsUrl: `${running.url.replace(/^http/, 'ws')}/ws`,
    service,
    history,
    historyPath,
    dataDir,
    async close(closeOptions = {}) {
      await running.close();
      await history.close();
      if (dataDir && !closeOptions.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
