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
    const after = openSqliteHistory({ path });
    expect(await after.getAnswer(stored.answerId)).toEqual({
      ...stored,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    expect((await after.getConversation(stored.conversationId))?.turns).toHaveLength(1);
    expect(await after.getAnswer('NoSuchAnswer0000000000')).toBeNull();
    await after.close();
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
