/**
 * One behaviour for every HistoryStore: the same cases run on the SQLite store (a file per test) and on
 * the PostgreSQL store over TCP (the Debian PostgreSQL 15 server, migrated by the versioned migrations,
 * its history tables emptied between tests). What a store keeps on disk (only the token's SHA-256, the
 * result deflated without its retrieved chunks) is read back from each store's own storage.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../ingest/store/postgres/migrate.ts';
import { closePgPools, type PgPool, pgPool } from '../ingest/store/postgres/pg-pool.ts';
import { type HistoryStore, STORED_ID_PATTERN } from '../server/history/history-store.ts';
import { openPostgresHistory } from '../server/history/postgres-history.ts';
import { openSqliteHistory } from '../server/history/sqlite-history.ts';
import { answerResult } from './support/answer-result.ts';
import { startPostgresCluster, type TestDatabase } from './support/pg-servers.ts';

const result = answerResult;

/** Enough for every conversation these tests build. */
const PAGE = { limit: 200 };

interface OpenOptions {
  now?: () => Date;
  retentionDays?: number;
  maxTurns?: number;
}

/** A store implementation under test: every `open` in one test reaches the same stored history. */
interface Backend {
  name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A fresh, empty history for the next test. */
  reset(): Promise<void>;
  open(options?: OpenOptions): Promise<HistoryStore>;
  /** Byte lengths of the stored results, one per answer. */
  storedResultBytes(): Promise<number[]>;
  /** The stored token hashes, one per conversation. */
  storedTokenHashes(): Promise<Buffer[]>;
  /** Everything the store holds, as bytes, to search for what must not be there. */
  everything(): Promise<Buffer[]>;
}

function sqliteBackend(): Backend {
  let dir = '';
  let path = '';
  const read = <T>(sql: string): T[] => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  return {
    name: 'SQLite',
    async setUp() {},
    async tearDown() {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
    async reset() {
      if (dir) await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(join(tmpdir(), 'zhengce-history-'));
      path = join(dir, 'history.sqlite');
    },
    async open(options = {}) {
      return openSqliteHistory({ path, ...options });
    },
    async storedResultBytes() {
      return read<{ bytes: number }>('SELECT length(result_deflate) AS bytes FROM answers').map(
        (r) => r.bytes,
      );
    },
    async storedTokenHashes() {
      return read<{ token_hash: Buffer }>('SELECT token_hash FROM conversations').map((r) => r.token_hash);
    },
    async everything() {
      return [path, `${path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    },
  };
}

function postgresBackend(): Backend {
  let db: TestDatabase | undefined;
  let pool: PgPool;
  return {
    name: 'PostgreSQL',
    async setUp() {
      db = await startPostgresCluster();
      pool = pgPool(db.url, 4);
      await migrate(pool);
    },
    async tearDown() {
      await closePgPools();
      await db?.stop();
    },
    async reset() {
      await pool.query('TRUNCATE answers, conversations');
    },
    async open(options = {}) {
      return openPostgresHistory({ pool, ...options });
    },
    async storedResultBytes() {
      const r = await pool.query<{ bytes: number }>(
        'SELECT octet_length(result_deflate) AS bytes FROM answers ORDER BY seq',
      );
      return r.rows.map((row) => row.bytes);
    },
    async storedTokenHashes() {
      const r = await pool.query<{ token_hash: Buffer }>('SELECT token_hash FROM conversations');
      return r.rows.map((row) => row.token_hash);
    },
    async everything() {
      // Every column of every row, bytea as its bytes (row_to_json would show it as hex).
      const rows = await pool.query<{ t: string }>(
        `SELECT row_to_json(c)::text AS t FROM conversations c
         UNION ALL SELECT row_to_json(a)::text FROM answers a`,
      );
      const blobs = await pool.query<{ b: Buffer }>(
        'SELECT token_hash AS b FROM conversations UNION ALL SELECT result_deflate FROM answers',
      );
      return [...rows.rows.map((r) => Buffer.from(r.t)), ...blobs.rows.map((r) => r.b)];
    },
  };
}

describe.each([sqliteBackend(), postgresBackend()])('$name history store', (backend) => {
  beforeAll(() => backend.setUp());
  afterAll(() => backend.tearDown());
  beforeEach(() => backend.reset());
  const opened: HistoryStore[] = [];
  const open = async (options?: OpenOptions) => {
    const store = await backend.open(options);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('gives answers distinct URL-safe random ids and groups them by conversation', async () => {
    const store = await open();
    const first = await store.recordAnswer({ question: '嘉兴?', result: result('45%以上') });
    const second = await store.recordAnswer({
      conversationId: first.conversationId,
      conversationToken: first.conversationToken,
      question: '那西宁呢?',
      result: result('65%以上'),
    });
    const other = await store.recordAnswer({ question: '常州?', result: result('x') });
    for (const id of [first.answerId, second.answerId, first.conversationId, other.answerId]) {
      expect(id).toMatch(STORED_ID_PATTERN);
      expect(encodeURIComponent(id)).toBe(id);
    }
    expect(new Set([first.answerId, second.answerId, other.answerId]).size).toBe(3);
    expect(second.conversationId).toBe(first.conversationId);
    expect(other.conversationId).not.toBe(first.conversationId);
    expect(second.conversationToken).toBe(first.conversationToken);
    expect(other.conversationToken).not.toBe(first.conversationToken);
    const conversation = await store.getConversation(first.conversationId, first.conversationToken, PAGE);
    expect(conversation?.turns.map((t) => t.result.answer)).toEqual(['45%以上', '65%以上']);
    expect(conversation?.nextCursor).toBeNull();
  });

  it('starts a new conversation when given an id it does not know', async () => {
    const store = await open();
    const stored = await store.recordAnswer({
      conversationId: 'UnknownConversation000',
      question: 'q',
      result: result('a'),
    });
    expect(stored.conversationId).not.toBe('UnknownConversation000');
    expect(await store.getConversation('UnknownConversation000', stored.conversationToken, PAGE)).toBeNull();
  });

  it('keeps permalinks and conversations when the store is closed and reopened', async () => {
    const clock = () => new Date('2026-01-02T03:04:05.000Z');
    const before = await backend.open({ now: clock, retentionDays: 0 });
    const stored = await before.recordAnswer({ question: '嘉兴2027?', result: result('45%以上[1]') });
    await before.close();
    const after = await open({ now: clock, retentionDays: 0 });
    expect(await after.getAnswer(stored.answerId)).toEqual({
      answerId: stored.answerId,
      question: stored.question,
      result: stored.result,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    const conversation = await after.getConversation(stored.conversationId, stored.conversationToken, PAGE);
    expect(conversation?.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(conversation?.turns).toHaveLength(1);
    expect(await after.getAnswer('NoSuchAnswer0000000000')).toBeNull();
  });

  it('stores what a permalink shows, without the retrieved clauses, compressed', async () => {
    const store = await open();
    const clause = '全人群家庭医生签约服务覆盖率达到65%以上'.repeat(20);
    const retrieved = Array.from({ length: 8 }, (_, i) => ({
      chunkId: `doc#${i}`,
      docId: 'doc',
      score: 1,
      title: '方案',
      region: '西宁市',
      headingPath: ['二、主要目标'],
      text: clause,
    }));
    const stored = await store.recordAnswer({
      question: '西宁2025?',
      result: { ...result(`65%以上[1]\n原文:“${clause}”[1]`), retrieved },
    });
    const [bytes] = await backend.storedResultBytes();
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(Buffer.byteLength(JSON.stringify(stored.result)) / 10);
    const reopened = await open();
    const permalink = await reopened.getAnswer(stored.answerId);
    expect(permalink?.result.answer).toBe(stored.result.answer);
    expect(permalink?.result.retrieved).toEqual([]);
  });

  it('deletes answers older than the retention period, and conversations left empty', async () => {
    let today = new Date('2026-01-01T00:00:00.000Z');
    const store = await open({ now: () => today, retentionDays: 30 });
    const old = await store.recordAnswer({ question: '旧', result: result('1') });
    today = new Date('2026-01-20T00:00:00.000Z');
    const recent = await store.recordAnswer({ question: '新', result: result('2') });
    today = new Date('2026-02-05T00:00:00.000Z');
    // The next write, a day or more after the last pruning, prunes.
    await store.recordAnswer({ question: '再', result: result('3') });
    expect(await store.getAnswer(old.answerId)).toBeNull();
    expect(await store.getConversation(old.conversationId, old.conversationToken, PAGE)).toBeNull();
    expect((await store.getAnswer(recent.answerId))?.question).toBe('新');
    // The emptied conversation is gone, the two others stay.
    expect(await backend.storedTokenHashes()).toHaveLength(2);
  });

  it('keeps only the SHA-256 of a conversation token, never the token itself', async () => {
    const store = await open();
    const stored = await store.recordAnswer({ question: 'q', result: result('a') });
    await store.close();
    expect(stored.conversationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(stored.conversationToken, 'base64url')).toHaveLength(32);
    const hashes = await backend.storedTokenHashes();
    expect(hashes).toHaveLength(1);
    expect(hashes[0]?.equals(createHash('sha256').update(stored.conversationToken).digest())).toBe(true);
    const stores = await backend.everything();
    expect(stores.length).toBeGreaterThan(0);
    for (const bytes of stores) expect(bytes.includes(stored.conversationToken)).toBe(false);
  });

  it('reads, appends to and deletes a conversation only with its token', async () => {
    const store = await open();
    const mine = await store.recordAnswer({ question: '我的问题', result: result('1') });
    const wrong = `${mine.conversationToken.slice(0, -1)}${mine.conversationToken.endsWith('A') ? 'B' : 'A'}`;
    for (const token of [undefined, '', wrong, 'x'.repeat(43)]) {
      expect(await store.getConversation(mine.conversationId, token, PAGE)).toBeNull();
      expect(await store.deleteConversation(mine.conversationId, token)).toBe(false);
    }
    const intruder = await store.recordAnswer({
      conversationId: mine.conversationId,
      conversationToken: wrong,
      question: '别人的问题',
      result: result('2'),
    });
    expect(intruder.conversationId).not.toBe(mine.conversationId);
    expect(intruder.conversationToken).not.toBe(wrong);
    const conversation = await store.getConversation(mine.conversationId, mine.conversationToken, PAGE);
    expect(conversation?.turns.map((t) => t.question)).toEqual(['我的问题']);
    // Another conversation's token opens nothing of this one.
    expect(await store.getConversation(mine.conversationId, intruder.conversationToken, PAGE)).toBeNull();

    expect(await store.deleteConversation(mine.conversationId, mine.conversationToken)).toBe(true);
    expect(await store.getConversation(mine.conversationId, mine.conversationToken, PAGE)).toBeNull();
    expect(await store.deleteConversation(mine.conversationId, mine.conversationToken)).toBe(false);
    expect(await store.getAnswer(mine.answerId)).toBeNull();
    expect((await store.getAnswer(intruder.answerId))?.question).toBe('别人的问题');
  });

  it('never puts a conversation id into a permalink, even one attached to the result', async () => {
    const store = await open();
    const first = await store.recordAnswer({ question: '一', result: result('1') });
    const attached = {
      ...result('2'),
      conversationId: first.conversationId,
      answerId: 'x',
      conversationToken: 'y',
    };
    const second = await store.recordAnswer({
      conversationId: first.conversationId,
      conversationToken: first.conversationToken,
      question: '二',
      result: attached,
    });
    const permalink = await store.getAnswer(second.answerId);
    expect(Object.keys(permalink ?? {}).sort()).toEqual(['answerId', 'createdAt', 'question', 'result']);
    const text = JSON.stringify(permalink);
    expect(text).not.toContain(first.conversationId);
    expect(text).not.toContain(first.conversationToken);
    expect(text).not.toContain('"一"');
  });

  it('keeps at most maxTurns turns per conversation, deleting the oldest', async () => {
    const store = await open({ maxTurns: 3 });
    const first = await store.recordAnswer({ question: 'q1', result: result('1') });
    const key = { conversationId: first.conversationId, conversationToken: first.conversationToken };
    const later = [];
    for (const n of [2, 3, 4, 5]) {
      later.push(await store.recordAnswer({ ...key, question: `q${n}`, result: result(String(n)) }));
    }
    const conversation = await store.getConversation(first.conversationId, first.conversationToken, PAGE);
    expect(conversation?.turns.map((t) => t.question)).toEqual(['q3', 'q4', 'q5']);
    expect(await store.getAnswer(first.answerId)).toBeNull();
    expect(await store.getAnswer(later[0]?.answerId ?? '')).toBeNull();
    expect((await store.getAnswer(later[3]?.answerId ?? ''))?.question).toBe('q5');
  });

  it('replaces a turn (edit and resend): it and the turns after it go, the new answer takes their place', async () => {
    const store = await open();
    const first = await store.recordAnswer({ question: 'q1', result: result('1') });
    const key = { conversationId: first.conversationId, conversationToken: first.conversationToken };
    const second = await store.recordAnswer({ ...key, question: 'q2', result: result('2') });
    const third = await store.recordAnswer({ ...key, question: 'q3', result: result('3') });
    const other = await store.recordAnswer({ question: 'other', result: result('y') });
    await store.setFeedback(second.answerId, { rating: 'down', note: 'wrong year' });

    const edited = await store.recordAnswer({
      ...key,
      replacesAnswerId: second.answerId,
      question: 'q2 edited',
      result: result('2b'),
    });
    expect(edited.conversationId).toBe(first.conversationId);
    const conversation = await store.getConversation(key.conversationId, key.conversationToken, PAGE);
    expect(conversation?.turns.map((t) => t.question)).toEqual(['q1', 'q2 edited']);
    // The replaced answers' permalinks and feedback go with them; the rest is untouched.
    expect(await store.getAnswer(second.answerId)).toBeNull();
    expect(await store.getAnswer(third.answerId)).toBeNull();
    expect(await store.listFeedback()).toEqual([]);
    expect((await store.getAnswer(first.answerId))?.question).toBe('q1');
    expect((await store.getAnswer(other.answerId))?.question).toBe('other');

    // Another conversation's answer, or a wrong token, replaces nothing.
    await store.recordAnswer({
      ...key,
      replacesAnswerId: other.answerId,
      question: 'q4',
      result: result('4'),
    });
    const stranger = await store.recordAnswer({
      conversationId: key.conversationId,
      conversationToken: 'not-the-token',
      replacesAnswerId: first.answerId,
      question: 'intruder',
      result: result('z'),
    });
    expect(stranger.conversationId).not.toBe(key.conversationId);
    expect((await store.getAnswer(other.answerId))?.question).toBe('other');
    const after = await store.getConversation(key.conversationId, key.conversationToken, PAGE);
    expect(after?.turns.map((t) => t.question)).toEqual(['q1', 'q2 edited', 'q4']);
  });

  it('pages a conversation from the newest turns back, oldest first within a page', async () => {
    const store = await open();
    const first = await store.recordAnswer({ question: 'q1', result: result('1') });
    const key = { conversationId: first.conversationId, conversationToken: first.conversationToken };
    for (const n of [2, 3, 4, 5])
      await store.recordAnswer({ ...key, question: `q${n}`, result: result('x') });
    // Another conversation's turns interleaved in between must not shift the pages.
    await store.recordAnswer({ question: 'other', result: result('y') });
    const pages: string[][] = [];
    const cursors: string[] = [];
    let before: string | undefined;
    do {
      const page = await store.getConversation(key.conversationId, key.conversationToken, {
        limit: 2,
        ...(before ? { before } : {}),
      });
      pages.push(page?.turns.map((t) => t.question) ?? []);
      before = page?.nextCursor ?? undefined;
      if (before) cursors.push(before);
    } while (before);
    expect(pages).toEqual([['q4', 'q5'], ['q2', 'q3'], ['q1']]);
    for (const cursor of cursors) expect(cursor).toMatch(/^[1-9][0-9]{0,14}$/);
  });

  it('keeps feedback with the answer: replaced when given again, shown in the conversation, not the permalink', async () => {
    let today = new Date('2026-03-01T08:00:00.000Z');
    const store = await open({ now: () => today });
    const first = await store.recordAnswer({ question: '嘉兴2027?', result: result('45%以上') });
    const key = { conversationId: first.conversationId, conversationToken: first.conversationToken };
    const second = await store.recordAnswer({ ...key, question: '那2025呢?', result: result('40%') });
    expect(await store.setFeedback('NoSuchAnswer0000000000', { rating: 'up', note: null })).toBeNull();
    expect(await store.setFeedback(second.answerId, { rating: 'up', note: null })).toEqual({
      rating: 'up',
      note: null,
      createdAt: '2026-03-01T08:00:00.000Z',
    });
    today = new Date('2026-03-01T09:00:00.000Z');
    const given = await store.setFeedback(second.answerId, { rating: 'down', note: '应为2025年目标' });
    expect(given).toEqual({ rating: 'down', note: '应为2025年目标', createdAt: '2026-03-01T09:00:00.000Z' });
    const conversation = await store.getConversation(key.conversationId, key.conversationToken, PAGE);
    expect(conversation?.turns.map((t) => t.feedback ?? null)).toEqual([null, given]);
    expect(await store.getAnswer(second.answerId)).not.toHaveProperty('feedback');
    await store.deleteConversation(key.conversationId, key.conversationToken);
    expect(await store.setFeedback(second.answerId, { rating: 'up', note: null })).toBeNull();
  });

  it('lists rated answers oldest feedback first, with the earlier turns, filtered by rating', async () => {
    let today = new Date('2026-03-01T08:00:00.000Z');
    const store = await open({ now: () => today });
    const first = await store.recordAnswer({ question: '嘉兴2027?', result: result('45%以上') });
    const key = { conversationId: first.conversationId, conversationToken: first.conversationToken };
    const second = await store.recordAnswer({ ...key, question: '那2025呢?', result: result('40%') });
    const alone = await store.recordAnswer({ question: '西宁?', result: result('65%') });
    await store.setFeedback(second.answerId, { rating: 'down', note: '错' });
    today = new Date('2026-03-01T09:00:00.000Z');
    await store.setFeedback(alone.answerId, { rating: 'up', note: null });
    today = new Date('2026-03-01T10:00:00.000Z');
    await store.setFeedback(first.answerId, { rating: 'down', note: null });

    const all = await store.listFeedback();
    expect(all.map((r) => r.answerId)).toEqual([second.answerId, alone.answerId, first.answerId]);
    expect(all[0]).toEqual({
      answerId: second.answerId,
      question: '那2025呢?',
      result: { ...result('40%'), retrieved: [] },
      answeredAt: '2026-03-01T08:00:00.000Z',
      feedback: { rating: 'down', note: '错', createdAt: '2026-03-01T08:00:00.000Z' },
      history: [
        { role: 'user', content: '嘉兴2027?' },
        { role: 'assistant', content: '45%以上' },
      ],
    });
    expect(all[2]?.history).toEqual([]);
    expect((await store.listFeedback({ rating: 'down' })).map((r) => r.answerId)).toEqual([
      second.answerId,
      first.answerId,
    ]);
    expect((await store.listFeedback({ rating: 'up' })).map((r) => r.answerId)).toEqual([alone.answerId]);
  });
});

describe('PostgreSQL history store and the schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await startPostgresCluster();
  });
  afterAll(async () => {
    await closePgPools();
    await db?.stop();
  });

  it('refuses an unmigrated database with the command to run, and opens once migrated', async () => {
    const pool = pgPool(db.url, 2);
    await expect(openPostgresHistory({ pool })).rejects.toThrow(/run `STORE=postgres npm run migrate`/);
    await migrate(pool);
    const store = await openPostgresHistory({ pool });
    const stored = await store.recordAnswer({ question: 'q', result: result('a') });
    expect((await store.getAnswer(stored.answerId))?.question).toBe('q');
    await store.close();
    // close() leaves the shared pool open for the index.
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('serialises two appends to one conversation from two pools (two replicas), trimming exactly', async () => {
    const pools = [pgPool(db.url, 3), pgPool(db.url, 4)];
    const [a, b] = await Promise.all(pools.map((pool) => openPostgresHistory({ pool, maxTurns: 5 })));
    if (!a || !b) throw new Error('stores did not open');
    const first = await a.recordAnswer({ question: 'q0', result: result('0') });
    const key = { conversationId: first.conversationId, conversationToken: first.conversationToken };
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).recordAnswer({ ...key, question: `q${i + 1}`, result: result(String(i)) }),
      ),
    );
    const page = await b.getConversation(key.conversationId, key.conversationToken, PAGE);
    expect(page?.turns).toHaveLength(5);
    expect(page?.turns.map((t) => t.question)).not.toContain('q0');
  });
});
