import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerResult } from '../server/answer/contract.ts';
import { STORED_ID_PATTERN } from '../server/history/history-store.ts';
import { openSqliteHistory } from '../server/history/sqlite-history.ts';

function result(answer: string): AnswerResult {
  return {
    status: 'answered',
    answer,
    lead: null,
    citations: [],
    related: [],
    retrieved: [],
    query: {
      resolvedQuestion: '问',
      lang: 'zh',
      regions: ['嘉兴市'],
      unknownRegions: [],
      years: [2027],
      expansions: [],
    },
    answerer: 'extractive',
    timings: { retrieveMs: 1, answerMs: 2 },
  };
}

/** Enough for every conversation these tests build. */
const PAGE = { limit: 200 };

const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'zhengce-history-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('SQLite history store', () => {
  it('creates its folder and file, in WAL mode', async () => {
    const path = join(await tempDir(), 'nested', 'data', 'history.sqlite');
    const store = openSqliteHistory({ path });
    await store.recordAnswer({ question: 'q', result: result('a') });
    await store.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('gives answers distinct URL-safe random ids and groups them by conversation', async () => {
    const store = openSqliteHistory({ path: join(await tempDir(), 'h.sqlite') });
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
    await store.close();
  });

  it('starts a new conversation when given an id it does not know', async () => {
    const store = openSqliteHistory({ path: join(await tempDir(), 'h.sqlite') });
    const stored = await store.recordAnswer({
      conversationId: 'UnknownConversation000',
      question: 'q',
      result: result('a'),
    });
    expect(stored.conversationId).not.toBe('UnknownConversation000');
    expect(await store.getConversation('UnknownConversation000', stored.conversationToken, PAGE)).toBeNull();
    await store.close();
  });

  it('keeps permalinks and conversations when the store is closed and reopened', async () => {
    const path = join(await tempDir(), 'history.sqlite');
    const clock = () => new Date('2026-01-02T03:04:05.000Z');
    const before = openSqliteHistory({ path, now: clock });
    const stored = await before.recordAnswer({
      question: '嘉兴2027?',
      result: result('45%以上[1]'),
    });
    await before.close();
    const after = openSqliteHistory({ path, now: clock });
    expect(await after.getAnswer(stored.answerId)).toEqual({
      answerId: stored.answerId,
      question: stored.question,
      result: stored.result,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    const conversation = await after.getConversation(stored.conversationId, stored.conversationToken, PAGE);
    expect(conversation?.turns).toHaveLength(1);
    expect(await after.getAnswer('NoSuchAnswer0000000000')).toBeNull();
    await after.close();
  });

  it('stores what a permalink shows, without the retrieved clauses, compressed', async () => {
    const path = join(await tempDir(), 'history.sqlite');
    const store = openSqliteHistory({ path });
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
    await store.close();
    const db = new Database(path, { readonly: true });
    const row = db.prepare('SELECT result_json, length(result_deflate) AS bytes FROM answers').get() as {
      result_json: string;
      bytes: number;
    };
    db.close();
    expect(row.result_json).toBe('');
    expect(row.bytes).toBeLessThan(Buffer.byteLength(JSON.stringify(stored.result)) / 10);
    const reopened = openSqliteHistory({ path });
    const permalink = await reopened.getAnswer(stored.answerId);
    expect(permalink?.result.answer).toBe(stored.result.answer);
    expect(permalink?.result.retrieved).toEqual([]);
    await reopened.close();
  });

  it('deletes answers older than the retention period, and conversations left empty', async () => {
    const path = join(await tempDir(), 'history.sqlite');
    let today = new Date('2026-01-01T00:00:00.000Z');
    const clock = () => today;
    const store = openSqliteHistory({ path, now: clock, retentionDays: 30 });
    const old = await store.recordAnswer({ question: '旧', result: result('1') });
    today = new Date('2026-01-20T00:00:00.000Z');
    const recent = await store.recordAnswer({ question: '新', result: result('2') });
    today = new Date('2026-02-05T00:00:00.000Z');
    // The next write, a day or more after the last pruning, prunes.
    await store.recordAnswer({ question: '再', result: result('3') });
    expect(await store.getAnswer(old.answerId)).toBeNull();
    expect(await store.getConversation(old.conversationId, old.conversationToken, PAGE)).toBeNull();
    expect((await store.getAnswer(recent.answerId))?.question).toBe('新');
    await store.close();
  });

  it('keeps only the SHA-256 of a conversation token, never the token itself', async () => {
    const path = join(await tempDir(), 'history.sqlite');
    const store = openSqliteHistory({ path });
    const stored = await store.recordAnswer({ question: 'q', result: result('a') });
    await store.close();
    expect(stored.conversationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(stored.conversationToken, 'base64url')).toHaveLength(32);
    const db = new Database(path, { readonly: true });
    const row = db.prepare('SELECT token_hash FROM conversations').get() as { token_hash: Buffer };
    db.close();
    expect(row.token_hash.equals(createHash('sha256').update(stored.conversationToken).digest())).toBe(true);
    for (const file of [path, `${path}-wal`]) {
      try {
        expect(readFileSync(file).includes(stored.conversationToken)).toBe(false);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  });

  it('reads, appends to and deletes a conversation only with its token', async () => {
    const store = openSqliteHistory({ path: join(await tempDir(), 'h.sqlite') });
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

    expect(await store.deleteConversation(mine.conversationId, mine.conversationToken)).toBe(true);
    expect(await store.getConversation(mine.conversationId, mine.conversationToken, PAGE)).toBeNull();
    expect(await store.getAnswer(mine.answerId)).toBeNull();
    expect((await store.getAnswer(intruder.answerId))?.question).toBe('别人的问题');
    await store.close();
  });

  it('never puts a conversation id into a permalink, even one attached to the result', async () => {
    const store = openSqliteHistory({ path: join(await tempDir(), 'h.sqlite') });
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
    await store.close();
  });

  it('keeps at most maxTurns turns per conversation, deleting the oldest', async () => {
    const store = openSqliteHistory({ path: join(await tempDir(), 'h.sqlite'), maxTurns: 3 });
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
    await store.close();
  });

  it('pages a conversation from the newest turns back, oldest first within a page', async () => {
    const store = openSqliteHistory({ path: join(await tempDir(), 'h.sqlite') });
    const first = await store.recordAnswer({ question: 'q1', result: result('1') });
    const key = { conversationId: first.conversationId, conversationToken: first.conversationToken };
    for (const n of [2, 3, 4, 5])
      await store.recordAnswer({ ...key, question: `q${n}`, result: result('x') });
    const pages: string[][] = [];
    let before: string | undefined;
    do {
      const page = await store.getConversation(key.conversationId, key.conversationToken, {
        limit: 2,
        ...(before ? { before } : {}),
      });
      pages.push(page?.turns.map((t) => t.question) ?? []);
      before = page?.nextCursor ?? undefined;
    } while (before);
    expect(pages).toEqual([['q4', 'q5'], ['q2', 'q3'], ['q1']]);
    await store.close();
  });

  it('migrates a version-2 file: permalinks kept, stored histories erased, token-less conversations closed', async () => {
    const path = join(await tempDir(), 'history.sqlite');
    const old = new Database(path);
    old.exec(`
      CREATE TABLE conversations (id TEXT PRIMARY KEY, created_at TEXT NOT NULL);
      CREATE TABLE answers (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        question TEXT NOT NULL,
        history_json TEXT NOT NULL,
        result_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        result_deflate BLOB
      );
      CREATE INDEX answers_by_conversation ON answers(conversation_id);
    `);
    const at = new Date().toISOString();
    old.prepare('INSERT INTO conversations VALUES (?, ?)').run('OldConversation0000000', at);
    old
      .prepare('INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, NULL)')
      .run(
        'OldAnswer0000000000000',
        'OldConversation0000000',
        '旧问题',
        JSON.stringify([{ role: 'user', content: '更早的私人问题' }]),
        JSON.stringify(result('旧回答')),
        at,
      );
    old.pragma('user_version = 2');
    old.close();

    const store = openSqliteHistory({ path });
    expect((await store.getAnswer('OldAnswer0000000000000'))?.result.answer).toBe('旧回答');
    for (const token of [undefined, '', 'x'.repeat(43)]) {
      expect(await store.getConversation('OldConversation0000000', token, PAGE)).toBeNull();
      expect(await store.deleteConversation('OldConversation0000000', token)).toBe(false);
    }
    const appended = await store.recordAnswer({
      conversationId: 'OldConversation0000000',
      question: '新问题',
      result: result('新'),
    });
    expect(appended.conversationId).not.toBe('OldConversation0000000');
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const histories = db.prepare('SELECT history_json FROM answers').all() as { history_json: string }[];
    db.close();
    expect(histories.map((h) => h.history_json)).toEqual(['[]', '[]']);
  });

  it('refuses a file written by a newer schema instead of corrupting it', async () => {
    const path = join(await tempDir(), 'history.sqlite');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteHistory({ path })).toThrow(
      /history schema version 99; this server understands up to 4/,
    );
  });
});
