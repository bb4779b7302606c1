import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteHistory } from '../server/history/sqlite-history.ts';
import { answerResult } from './support/answer-result.ts';

const result = answerResult;

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

// The behaviour every history store shares (ids, tokens, retention, max turns, paging, feedback, compact
// storage) is in history-conformance.test.ts, run on SQLite and PostgreSQL; these are the SQLite file's own.
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
