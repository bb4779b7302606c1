/**
 * The service a running server answers with, across re-indexing. It holds the current LoadedService and
 * replaces it whole when a new index is published, so requests in flight finish on the index they
 * started with and new ones see the new index; nothing is ever half switched. A new index comes from:
 *
 * - an administrator's job (re-ingest, documents added or removed): one at a time; the build runs in a
 *   child process (build-in-child.ts), so the server keeps answering while it runs;
 * - another process (`npm run ingest` beside a running server): the CURRENT pointer is watched and the
 *   new build opened within `watchIntervalMs`;
 * - with STORE=postgres, any process writing to the database (another replica's job, `npm run ingest`
 *   anywhere): `index_state.version` is polled every PG_POLL_MS and the caches reloaded when it moves.
 */
import { unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import type { BuildSummary } from '../ingest/build/build-child.ts';
import type { BuildProgress } from '../ingest/build-index.ts';
import type { IngestConfig } from '../ingest/config.ts';
import { CURRENT_FILE, currentIndexDir } from '../ingest/store/index-location.ts';
import { buildInChild } from './reindex/build-in-child.ts';
import { createService, type LoadedService, type ServiceOptions } from './service.ts';
import type { ZhengceService } from './service-types.ts';

export type ReindexKind = 'reingest' | 'add' | 'remove';

/** What `GET /api/admin/jobs/current` and a 409 show: the running or last job. */
export interface ReindexJob {
  kind: ReindexKind;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** The build's last reported step (files read, embedding, writing). */
  progress: BuildProgress | null;
  summary: BuildSummary | null;
  /** Why it failed; the previous index is still served then. */
  error: string | null;
}

export class ReindexBusyError extends Error {
  override readonly name = 'ReindexBusyError';
  constructor(readonly job: ReindexJob) {
    super('A re-index is already running.');
  }
}

export interface LiveService {
  /** Always answers with the current index. */
  readonly service: ZhengceService;
  current(): LoadedService;
  /** The running job, or the last one; null before the first. */
  job(): ReindexJob | null;
  /**
   * Runs one job: `prepare` (writing uploaded files, the removal list) runs first, inside the one-job lock,
   * then the build in a child process, then the switch. Rejects with ReindexBusyError while another runs.
   */
  reindex<T>(kind: ReindexKind, prepare?: () => T): Promise<{ job: ReindexJob; prepared: T | undefined }>;
  close(): void;
}

export interface LiveServiceOptions extends ServiceOptions {
  /** How often the CURRENT pointer is checked for builds published by other processes; default 2 s, 0 off. */
  watchIntervalMs?: number;
  /** Builds the index; default a child process. Tests of the switch itself may build in-process. */
  build?: (config: IngestConfig, onProgress: (p: BuildProgress) => void) => Promise<BuildSummary>;
}

/** Often enough that a CLI ingest shows up before anyone checks, rarely enough to cost nothing. */
export const DEFAULT_WATCH_INTERVAL_MS = 2000;

export async function createLiveService(options: LiveServiceOptions = {}): Promise<LiveService> {
  let current = await createService(options);
  const { ingest } = current;
  const build = options.build ?? buildInChild;
  let job: ReindexJob | null = null;

  const store = ingest.store?.kind === 'postgres' ? ingest.store : null;
  /** What identifies the index published now: the local CURRENT build, or the database's version. */
  const publishedId = async (): Promise<string> => {
    if (!store) return currentIndexDir(ingest.indexDir);
    const { pgIndexId, pgIndexVersion } = await import('../ingest/store/postgres/pg-open-index.ts');
    const { pgPool } = await import('../ingest/store/postgres/pg-pool.ts');
    return pgIndexId(store, await pgIndexVersion(pgPool(store.url, store.poolSize)));
  };
  /** Opens the published index and makes it current, until the one served is the one published. */
  const switchToPublished = async () => {
    while ((await publishedId()) !== current.index.dir) {
      const next = await createService({
        ...options,
        indexDir: ingest.indexDir,
        corpusDir: ingest.corpusDir,
        embedder: ingest.embedder,
        ...(ingest.store ? { store: ingest.store } : {}),
        ensure: false,
      });
      await next.warmInSlices();
      current = next;
      // The database's version moves with every document an ingest commits: one reload per poll, not a
      // reload loop for as long as an ingest runs; the next poll picks up what came after.
      if (store) return;
    }
  };
  /** Switches run one after another, so a watcher's switch and a job's never open two indexes at once. */
  let switching: Promise<void> = Promise.resolve();
  const switchOnce = () => {
    switching = switching.catch(() => {}).then(switchToPublished);
    return switching;
  };

  const pointer = join(ingest.indexDir, CURRENT_FILE);
  const interval = options.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  const onPointer = () => {
    if (job?.state === 'running') return; // the job switches when it is done
    switchOnce().catch((err: unknown) => {
      options.log?.(`Could not open the index published in ${ingest.indexDir}: ${(err as Error).message}`);
    });
  };
  let poll: NodeJS.Timeout | null = null;
  if (store) {
    // A poll of one row (the version) rather than LISTEN/NOTIFY: it needs no connection held open per
    // replica, survives failovers and poolers (PgBouncer in transaction mode drops LISTEN), and costs one
    // indexed read per PG_POLL_MS.
    const pollMs = options.watchIntervalMs ?? store.pollMs;
    if (pollMs > 0) {
      poll = setInterval(onPointer, pollMs);
      poll.unref();
    }
  } else if (interval > 0) watchFile(pointer, { interval, persistent: false }, onPointer);

  const service: ZhengceService = {
    ask: (...args) => current.ask(...args),
    search: (...args) => current.search(...args),
    listDocuments: () => current.listDocuments(),
    getDocument: (...args) => current.getDocument(...args),
    health: () => current.health(),
    targets: (...args) => current.targets(...args),
    checkClaim: (...args) => current.checkClaim(...args),
  };

  return {
    service,
    current: () => current,
    job: () => job,
    async reindex(kind, prepare) {
      if (job?.state === 'running') throw new ReindexBusyError(job);
      const running: ReindexJob = {
        kind,
        state: 'running',
        startedAt: new Date().toISOString(),
        finishedAt: null,
        progress: null,
        summary: null,
        error: null,
      };
      job = running;
      let prepared: ReturnType<NonNullable<typeof prepare>> | undefined;
      try {
        prepared = prepare?.();
        running.summary = await build(ingest, (p) => {
          running.progress = p;
        });
        await switchOnce();
        running.state = 'done';
      } catch (err) {
        running.state = 'failed';
        running.error = err instanceof Error ? err.message : String(err);
        throw err;
      } finally {
        running.finishedAt = new Date().toISOString();
      }
      return { job: running, prepared };
    },
    close() {
      if (poll) clearInterval(poll);
      else unwatchFile(pointer, onPointer);
    },
  };
}
