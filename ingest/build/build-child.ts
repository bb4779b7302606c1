/**
 * `buildIndex` in a child process, so that a server re-indexing keeps answering: the build's CPU, memory
 * and synchronous file reads stay out of the server's event loop, and a build that crashes or is killed
 * takes nothing with it (the previous index stays published, index-location.ts). The server forks
 * build-child-boot.mjs and talks to it over IPC:
 *
 *   parent → child  { type: 'build', config: IngestConfig }
 *   child → parent  { type: 'progress', progress: BuildProgress }   (any number)
 *                   { type: 'done', summary: BuildSummary } | { type: 'failed', message: string }
 *
 * The child exits when its parent goes away (IPC disconnect), so an orphaned build never runs on.
 */
import type { BuildProgress, BuildResult } from '../build-index.ts';
import type { IngestConfig } from '../config.ts';
import { closeBuildResources, runBuild } from '../run-build.ts';

/** What a finished build reports to the server: the counts and what went wrong, file by file. */
export interface BuildSummary {
  counts: BuildResult['manifest']['counts'];
  buildSeconds: number;
  files: BuildResult['files'];
  failures: BuildResult['failures'];
  warnings: number;
}

export type BuildChildRequest = { type: 'build'; config: IngestConfig };
export type BuildChildMessage =
  | { type: 'progress'; progress: BuildProgress }
  | { type: 'done'; summary: BuildSummary }
  | { type: 'failed'; message: string };

/** Progress messages are sent at most this often: enough for a progress bar, cheap over IPC. */
const PROGRESS_INTERVAL_MS = 200;

function send(message: BuildChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, () => resolve());
  });
}

process.on('disconnect', () => process.exit(1));
process.once('message', async (request: BuildChildRequest) => {
  let lastSent = 0;
  try {
    const result = await runBuild(request.config, (progress) => {
      const now = Date.now();
      if (now - lastSent < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
      lastSent = now;
      void send({ type: 'progress', progress });
    });
    await send({
      type: 'done',
      summary: {
        counts: result.manifest.counts,
        buildSeconds: result.manifest.buildSeconds,
        files: result.files,
        failures: result.failures,
        warnings: result.warnings.length,
      },
    });
  } catch (err) {
    await send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
  await closeBuildResources(request.config).catch(() => {});
  process.exit(0);
});
