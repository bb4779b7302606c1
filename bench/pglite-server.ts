/**
 * Child process of the PostgreSQL bench rows: PGlite (Postgres compiled to WASM) with pgvector, its data
 * on disk in `<dataDir>`, served on 127.0.0.1 by pglite-socket, so the bench reaches it with `pg` over TCP
 * as it would a real server, and the database's CPU is this process's, not the measuring one's. Prints
 * one JSON line `{"port": N}` once it listens; stops on SIGTERM. Usage: pglite-server.ts <dataDir>
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: pglite-server.ts <dataDir>');
const db = await PGlite.create({ dataDir, extensions: { vector } });
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 });
await server.start();
console.log(JSON.stringify({ port: Number(server.getServerConn().split(':').at(-1)) }));
process.on('SIGTERM', () => {
  void server
    .stop()
    .then(() => db.close())
    .finally(() => process.exit(0));
});
