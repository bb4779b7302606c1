/**
 * Stateless replicas: two real servers (`tsx server/main.ts`, separate processes) on 127.0.0.1 over one
 * PostgreSQL database (Debian PostgreSQL 15). The database is filled by `STORE=postgres npm run ingest`;
 * a document uploaded through replica A's admin API is answered by replica B within seconds, B holding
 * nothing but the caches it reloads when the database's index version moves; and a conversation (with its
 * token) and a permalink recorded through A are read, continued, rated and deleted through B, neither
 * replica keeping history of its own.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../ingest/store/postgres/migrate.ts';
import { closePgPools, pgPool } from '../ingest/store/postgres/pg-pool.ts';
import { freePort, startPostgresCluster, type TestDatabase } from './support/pg-servers.ts';
import { SEEDS_DIR } from './support/seeds-index.ts';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const ADMIN_TOKEN = 'replica-admin-token-5c1e9a7b3d';

const NEW_DOCUMENT = `湖州市人民政府办公室关于印发湖州市托育服务高质量发展实施方案的通知

湖政办发〔2025〕7号

各区县人民政府，市政府各部门：
《湖州市托育服务高质量发展实施方案》已经市政府同意，现印发给你们，请认真贯彻执行。

湖州市人民政府办公室
2025年3月10日

湖州市托育服务高质量发展实施方案

一、总体目标
到2026年，湖州市每千人口拥有3岁以下婴幼儿托位数达到4.6个，普惠托位占比达到60%以上。

二、重点任务
(一)扩大普惠托育服务供给。每个乡镇(街道)至少建成1家普惠托育机构。
`;

interface Replica {
  url: string;
  /** Its DATA_DIR, where a SQLite history would be. */
  dir: string;
  child: ChildProcess;
  log: string[];
}

let db: TestDatabase;
const folders: string[] = [];
const replicas: Replica[] = [];

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    STORE: 'postgres',
    DATABASE_URL: db.url,
    CORPUS_DIR: SEEDS_DIR,
    PG_POLL_MS: '500',
    RATE_LIMIT_PER_MINUTE: '10000',
    ...extra,
  };
}

async function startReplica(name: string, extra: Record<string, string> = {}): Promise<Replica> {
  const dir = mkdtempSync(join(tmpdir(), `zhengce-replica-${name}-`));
  folders.push(dir);
  const port = await freePort();
  const child = spawn(TSX, ['server/main.ts'], {
    env: baseEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      INDEX_DIR: join(dir, 'index'),
      ...extra,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const replica = { url: `http://127.0.0.1:${port}`, dir, child, log };
  replicas.push(replica);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`replica ${name} did not start: ${log.join('')}`)),
      60_000,
    );
    const onData = (data: Buffer) => {
      log.push(data.toString());
      if (log.join('').includes('Zhengce is listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited (${code}): ${log.join('')}`));
    });
  });
  return replica;
}

interface Asked {
  status: string;
  answer: string;
  citations: { docId: string }[];
  answerId: string;
  conversationId: string;
  conversationToken: string;
}

async function ask(
  replica: Replica,
  question: string,
  conversation?: { conversationId: string; conversationToken: string },
): Promise<Asked> {
  const r = await fetch(`${replica.url}/api/ask`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ question, ...conversation }),
  });
  expect(r.status).toBe(200);
  return (await r.json()) as Asked;
}

/** Both replicas, started once for the file: A with the admin token (uploads), B without. */
let started: Promise<[Replica, Replica]> | undefined;
function bothReplicas(): Promise<[Replica, Replica]> {
  started ??= Promise.all([startReplica('a', { ADMIN_TOKEN }), startReplica('b')]);
  return started;
}

beforeAll(async () => {
  db = await startPostgresCluster();
  await migrate(pgPool(db.url, 2));
  await closePgPools();
  // The database is filled the way an operator does it.
  const indexDir = mkdtempSync(join(tmpdir(), 'zhengce-replica-ingest-'));
  folders.push(indexDir);
  const out = await run(TSX, ['ingest/cli.ts'], { env: baseEnv({ INDEX_DIR: indexDir }) });
  expect(out.stdout).toMatch(/Indexed 5 document\(s\)/);
});

afterAll(async () => {
  for (const r of replicas) {
    if (r.child.exitCode !== null) continue;
    const exited = new Promise((resolve) => r.child.once('exit', resolve));
    r.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (r.child.exitCode === null) r.child.kill('SIGKILL');
  }
  await db?.stop();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('two replicas over one PostgreSQL database', () => {
  it('answers through replica B a document ingested through replica A, within seconds', async () => {
    const [a, b] = await bothReplicas();
    const question = '湖州2026年每千人口托位数目标是多少?';
    // Both serve the seeds from the database; neither knows 湖州 yet.
    for (const r of [a, b]) {
      const health = (await (await fetch(`${r.url}/healthz`)).json()) as {
        manifest: { counts: { documents: number } };
      };
      expect(health.manifest.counts.documents).toBe(5);
      expect((await ask(r, question)).status).toBe('not_found');
    }
    const same = await Promise.all([a, b].map((r) => ask(r, '嘉兴2027年家庭医生签约覆盖率目标是多少?')));
    expect(same[0]?.answer).toBe(same[1]?.answer);
    expect(same[0]?.answer).toContain('45%');

    const upload = await fetch(`${a.url}/api/admin/documents?name=huzhou-2025-childcare-plan.txt`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/octet-stream' },
      body: NEW_DOCUMENT,
    });
    const uploaded = (await upload.json()) as { documents: { docId: string }[] };
    expect(upload.status, JSON.stringify(uploaded)).toBe(201);
    const docId = uploaded.documents[0]?.docId;
    const indexedAt = performance.now();
    // A switched when its job finished; B sees the database's new version on its next poll.
    expect((await ask(a, question)).answer).toContain('4.6个');
    let answer = await ask(b, question);
    while (answer.status !== 'answered' && performance.now() - indexedAt < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await ask(b, question);
    }
    const seconds = (performance.now() - indexedAt) / 1000;
    expect(answer.status).toBe('answered');
    expect(answer.answer).toContain('4.6个');
    expect(answer.citations[0]?.docId).toBe(docId);
    expect(seconds).toBeLessThan(5);
    console.log(`replica B answered the new document ${seconds.toFixed(2)} s after replica A indexed it`);
    const health = (await (await fetch(`${b.url}/healthz`)).json()) as {
      manifest: { counts: { documents: number } };
    };
    expect(health.manifest.counts.documents).toBe(6);
  });

  it('reads, continues, rates and deletes through replica B a conversation and a permalink recorded through A', async () => {
    const [a, b] = await bothReplicas();
    for (const r of [a, b])
      expect(r.log.join('')).toMatch(/History \(conversations, permalinks\): PostgreSQL/);
    const first = await ask(a, '嘉兴2027年家庭医生签约覆盖率目标是多少?');
    expect(first.answer).toContain('45%');
    const key = { conversationId: first.conversationId, conversationToken: first.conversationToken };

    // The permalink, recorded by A, from B: the answer only, no conversation id or token.
    const permalink = await fetch(`${b.url}/api/answers/${first.answerId}`);
    expect(permalink.status).toBe(200);
    const shown = (await permalink.json()) as { answerId: string; result: { answer: string } };
    expect(shown.result.answer).toBe(first.answer);
    expect(JSON.stringify(shown)).not.toContain(first.conversationToken);

    // The conversation from B: with its token only; a wrong or missing token is an unknown id.
    const read = (r: Replica, token?: string) =>
      fetch(`${r.url}/api/conversations/${key.conversationId}`, {
        headers: token ? { 'X-Conversation-Token': token } : {},
      });
    expect((await read(b)).status).toBe(404);
    expect((await read(b, `${key.conversationToken.slice(0, -1)}x`)).status).toBe(404);
    const before = await read(b, key.conversationToken);
    expect(before.status).toBe(200);
    expect(((await before.json()) as { turns: unknown[] }).turns).toHaveLength(1);

    // Continued through B: the same conversation, the follow-up resolved with A's turn (嘉兴 carried over).
    const followUp = await ask(b, '那2025年呢?', key);
    expect(followUp.conversationId).toBe(key.conversationId);
    expect(followUp.conversationToken).toBe(key.conversationToken);
    const rated = await fetch(`${b.url}/api/answers/${first.answerId}/feedback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rating: 'up' }),
    });
    expect(rated.status).toBe(200);
    const seenByA = (await (await read(a, key.conversationToken)).json()) as {
      turns: { question: string; answerId: string; feedback?: { rating: string } }[];
    };
    expect(seenByA.turns.map((t) => t.question)).toEqual([
      '嘉兴2027年家庭医生签约覆盖率目标是多少?',
      '那2025年呢?',
    ]);
    expect(seenByA.turns.map((t) => t.feedback?.rating ?? null)).toEqual(['up', null]);

    // Deleted through B: gone from A too, permalinks included.
    const wrongDelete = await fetch(`${b.url}/api/conversations/${key.conversationId}`, { method: 'DELETE' });
    expect(wrongDelete.status).toBe(404);
    const deleted = await fetch(`${b.url}/api/conversations/${key.conversationId}`, {
      method: 'DELETE',
      headers: { 'X-Conversation-Token': key.conversationToken },
    });
    expect(deleted.status).toBe(204);
    expect((await read(a, key.conversationToken)).status).toBe(404);
    for (const id of [first.answerId, followUp.answerId])
      expect((await fetch(`${a.url}/api/answers/${id}`)).status).toBe(404);
    // Neither replica kept a history file of its own.
    for (const r of [a, b]) expect(existsSync(join(r.dir, 'history.sqlite'))).toBe(false);
  });
});
