/**
 * Runs an index build in a child process (ingest/build/build-child.ts) and reports its progress; the
 * promise settles with the build's summary, or rejects with its error, or when the child dies.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BuildChildMessage, BuildChildRequest, BuildSummary } from '../../ingest/build/build-child.ts';
import type { BuildProgress } from '../../ingest/build-index.ts';
import type { IngestConfig } from '../../ingest/config.ts';

const CHILD_ENTRY = fileURLToPath(new URL('../../ingest/build/build-child-boot.mjs', import.meta.url));

export function buildInChild(
  config: IngestConfig,
  onProgress: (progress: BuildProgress) => void,
): Promise<BuildSummary> {
  return new Promise((resolve, reject) => {
    // No inherited execArgv: the boot file registers the TypeScript loader itself, whatever started us.
    const child = fork(CHILD_ENTRY, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    child.on('message', (message: BuildChildMessage) => {
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'done') settle(() => resolve(message.summary));
      else settle(() => reject(new Error(message.message)));
    });
    child.on('error', (err) => settle(() => reject(err)));
    child.on('exit', (code, signal) =>
      settle(() =>
        reject(new Error(`the ingest process stopped (${signal ?? `exit code ${code}`}) before it finished`)),
      ),
    );
    const request: BuildChildRequest = { type: 'build', config };
    child.send(request);
  });
}
