/**
 * The PostgreSQL engine of the bench rows: PGlite with pgvector (bench/pglite-server.ts) in its own
 * process, its data in a folder on disk, reached over TCP on 127.0.0.1. It is the engine with pgvector on
 * these machines (the Debian PostgreSQL 15 server has none), so RESULTS.md names it beside every figure.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchDatabase {
  url: string;
  /** What serves `url`, as RESULTS.md names it. */
  engine: string;
  stop(): Promise<void>;
}

export const PGLITE_ENGINE = 'PGlite + pgvector (WASM Postgres) over pglite-socket on 127.0.0.1';

/** Starts a fresh PGlite server with its data in `dataDir` (emptied first). */
export async function startPgliteEngine(dataDir: string): Promise<BenchDatabase> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'pglite-server.ts'), join(dataDir, 'pgdata')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the PGlite server exited (${code}) before listening`)));
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    engine: PGLITE_ENGINE,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
