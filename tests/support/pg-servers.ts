/**
 * Real PostgreSQL engines for tests, reached over TCP on 127.0.0.1 with `pg` like a production database:
 *
 * - `startPostgresCluster()`: the Debian PostgreSQL server (initdb/pg_ctl in a temporary folder, a free
 *   loopback port, trust authentication). It has no pgvector, so it tests everything but vectors and the
 *   "vector search unavailable" path.
 * - `startPgliteServer()`: PGlite (Postgres compiled to WASM) with the pgvector extension, served by
 *   pglite-socket: the vector side, HNSW included.
 *
 * Both stop in `stop()` (call it in afterAll); a cluster is stopped with pg_ctl's immediate mode and its
 * folder removed, so no postgres process outlives the test file.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestDatabase {
  url: string;
  stop(): Promise<void>;
}

const BIN = ['/usr/local/bin', '/usr/lib/postgresql/15/bin'];

function binary(name: string): string {
  for (const dir of BIN) if (existsSync(join(dir, name))) return join(dir, name);
  return name;
}

export function postgresAvailable(): boolean {
  return BIN.some((dir) => existsSync(join(dir, 'initdb')));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb and pg_ctl refuse to run as root: as root they run as the `postgres` user. */
function run(cmd: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

export async function startPostgresCluster(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'zhengce-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  run(binary('initdb'), ['-A', 'trust', '-U', 'postgres', '-D', data, '-E', 'UTF8', '--locale=C']);
  run(binary('pg_ctl'), [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run(binary('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export async function startPgliteServer(): Promise<TestDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 });
  await server.start();
  const port = Number(server.getServerConn().split(':').at(-1));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
