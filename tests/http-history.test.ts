import { existsSync } from 'node:fs';
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
    await store.recordAnswer({ question: 'q', history: [], result: result('a') });
    await store.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('gives answers distinct URL-safe random ids and groups them by conversation', async () => {
    const store = openSqliteHistory({ path: join(await tempDir(), 'h.sqlite') });
    const first = await store.recordAnswer({ question: '嘉兴?', history: [], result: result('45%以上') });
    const second = await store.recordAnswer({
      conversationId: first.conversationId,
      question: '那西宁呢?',
      history: [{ role: 'user', content: '嘉兴?' }],
      result: result('65%以上'),
    });
    const other = await store.recordAnswer({ question: '常州?', history: [], result: result('x') });
    for (const id of [first.answerId, second.answerId, first.conversationId, other.answerId]) {
      expect(id).toMatch(STORED_ID_PATTERN);
      expect(encodeURIComponent(id)).toBe(id);
    }
    expect(new Set([first.answerId, second.answerId, other.answerId]).size).toBe(3);
    expect(second.conversationId).toBe(first.conversationId);
    expect(other.conversationId).not.toBe(first.conversationId);
    const conversation = await store.getConversation(first.conversationId);
    expect(conversation?.turns.map((t) => t.result.answer)).toEqual(['45%以上', '65%以上']);
    expect(conversation?.turns[1]?.history).toEqual([{ role: 'user', content: '嘉兴?' }]);
    await store.close();
  });

  it('starts a new conversation when given an id it does not know', async () => {
    const store = openSqliteHistory({ path: join(await tempDir(), 'h.sqlite') });
    const stored = await store.recordAnswer({
      conversationId: 'UnknownConversation000',
      question: 'q',
      history: [],
      result: result('a'),
    });
    expect(stored.conversationId).not.toBe('UnknownConversation000');
    expect(await store.getConversation('UnknownConversation000')).toBeNull();
    await store.close();
  });

  it('keeps permalinks and conversations when the store is closed and reopened', async () => {
    const path = join(await tempDir(), 'history.sqlite');
    const clock = () => new Date('2026-01-02T03:04:05.000Z');
    const before = openSqliteHistory({ path, now: clock });
    const stored = await before.recordAnswer({
      question: '嘉兴2027?',
      history: [],
      result: result('45%以上[1]'),
    });
    await before.close();
    const after = openSqliteHistory({ path, now: clock });
    expect(await after.getAnswer(stored.answerId)).toEqual({
      ...stored,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    expect((await after.getConversation(stored.conversationId))?.turns).toHaveLength(1);
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
      history: [],
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
    const old = await store.recordAnswer({ question: '旧', history: [], result: result('1') });
    today = new Date('2026-01-20T00:00:00.000Z');
    const recent = await store.recordAnswer({ question: '新', history: [], result: result('2') });
    today = new Date('2026-02-05T00:00:00.000Z');
    // The next write, a day or more after the last pruning, prunes.
    await store.recordAnswer({ question: '再', history: [], result: result('3') });
    expect(await store.getAnswer(old.answerId)).toBeNull();
    expect(await store.getConversation(old.conversationId)).toBeNull();
    expect((await store.getAnswer(recent.answerId))?.question).toBe('新');
    await store.close();
  });

  it('refuses a file written by a newer schema instead of corrupting it', async () => {
    const path = join(await tempDir(), 'history.sqlite');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteHistory({ path })).toThrow(
      /history schema version 99; this server understands up to 2/,
    );
  });
});
