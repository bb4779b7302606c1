/**
 * Moving a server's history from SQLite to PostgreSQL with one command, `npm run migrate -- --history-from
 * <file>`, against the Debian PostgreSQL 15 server over TCP: the conversations come over with their ids,
 * turn order, dates and feedback, the holders' tokens still open them, permalinks still resolve, a second
 * run copies nothing, and a file from before conversation tokens is read too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePgPools, type PgPool, pgPool } from '../ingest/store/postgres/pg-pool.ts';
import type { ConversationPage, StoredTurn } from '../server/history/history-store.ts';
import { openPostgresHistory } from '../server/history/postgres-history.ts';
import { openSqliteHistory } from '../server/history/sqlite-history.ts';
import { answerResult } from './support/answer-result.ts';
import { startPostgresCluster, type TestDatabase } from './support/pg-servers.ts';

const run = promisify(execFile);
const PAGE = { limit: 200 };

let db: TestDatabase;
let pool: PgPool;
let dir: string;

beforeAll(async () => {
  db = await startPostgresCluster();
  pool = pgPool(db.url, 2);
  dir = mkdtempSync(join(tmpdir(), 'zhengce-history-import-'));
});

afterAll(async () => {
  await closePgPools();
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `npm run migrate -- --history-from <file>` as an operator runs it (the tsx entry behind the script). */
async function migrateWithHistory(file: string): Promise<string> {
  const r = await run(
    process.execPath,
    ['--import', 'tsx', 'server/cli/migrate.ts', '--history-from', file],
    {
      env: { ...process.env, STORE: 'postgres', DATABASE_URL: db.url },
    },
  );
  return r.stdout;
}

const count = async (table: string) =>
  Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

describe('npm run migrate -- --history-from <sqlite file>', () => {
  const file = () => join(dir, 'history.sqlite');
  let tokenA = '';
  let idA = '';
  let idB = '';
  let sqlitePageA: ConversationPage | null = null;
  let permalinkB: StoredTurn | null = null;

  it('copies every conversation and answer, which then read the same from PostgreSQL', async () => {
    let t = Date.parse('2026-11-01T08:00:00Z');
    // A minute between turns, so the copied dates are distinct and their order shows.
    const minuteLater = () => {
      t += 60_000;
      return new Date(t);
    };
    const sqlite = openSqliteHistory({ path: file(), now: minuteLater });
    const a1 = await sqlite.recordAnswer({ question: '嘉兴托位目标?', result: answerResult('4.5个') });
    tokenA = a1.conversationToken;
    idA = a1.conversationId;
    const follow = { conversationId: idA, conversationToken: tokenA };
    const a2 = await sqlite.recordAnswer({ ...follow, question: '哪一年?', result: answerResult('2025年') });
    await sqlite.recordAnswer({ ...follow, question: '谁发布的?', result: answerResult('嘉兴市卫健委') });
    const b = await sqlite.recordAnswer({ question: 'Xining family doctors?', result: answerResult('75%') });
    idB = b.conversationId;
    await sqlite.setFeedback(a2.answerId, { rating: 'down', note: '年份不对' });
    sqlitePageA = await sqlite.getConversation(idA, tokenA, PAGE);
    permalinkB = await sqlite.getAnswer(b.answerId);
    await sqlite.close();

    const out = await migrateWithHistory(file());
    expect(out).toContain('History from');
    expect(out).toContain('2 of 2 conversations and 4 of 4 answers copied');

    const pg = await openPostgresHistory({ pool, retentionDays: 0 });
    // The same turns, in the same order, with the same ids, dates, answers and feedback.
    expect(await pg.getConversation(idA, tokenA, PAGE)).toEqual(sqlitePageA);
    expect(sqlitePageA?.turns.map((x) => x.question)).toEqual(['嘉兴托位目标?', '哪一年?', '谁发布的?']);
    expect(await pg.getAnswer(b.answerId)).toEqual(permalinkB);
    // The token is still the conversation's key: another one opens nothing.
    expect(await pg.getConversation(idA, b.conversationToken, PAGE)).toBeNull();
    const feedback = await pg.listFeedback({ rating: 'down' });
    expect(feedback.map((f) => [f.question, f.feedback.note, f.history.length])).toEqual([
      ['哪一年?', '年份不对', 2],
    ]);
    // The holder continues the conversation through PostgreSQL, after the copied turns.
    const next = await pg.recordAnswer({ ...follow, question: '覆盖率?', result: answerResult('90%') });
    expect(next.conversationId).toBe(idA);
    expect((await pg.getConversation(idA, tokenA, PAGE))?.turns.map((x) => x.question)).toEqual([
      '嘉兴托位目标?',
      '哪一年?',
      '谁发布的?',
      '覆盖率?',
    ]);
    await pg.close();
  }, 60_000);

  it('copies nothing twice when run again, and keeps what changed in PostgreSQL since', async () => {
    const pg = await openPostgresHistory({ pool, retentionDays: 0 });
    const before = await pg.getConversation(idA, tokenA, PAGE);
    const out = await migrateWithHistory(file());
    expect(out).toContain('0 of 2 conversations and 0 of 4 answers copied');
    expect(await count('conversations')).toBe(2);
    expect(await count('answers')).toBe(5);
    expect(await pg.getConversation(idA, tokenA, PAGE)).toEqual(before);
    expect(idB).not.toBe('');
    await pg.close();
  }, 60_000);

  it('reads a file from before conversation tokens: its answers keep their permalinks, the conversation stays closed', async () => {
    const old = join(dir, 'history-v1.sqlite');
    const sqlite = new Database(old);
    sqlite.exec(`
      CREATE TABLE conversations (id TEXT PRIMARY KEY, created_at TEXT NOT NULL);
      CREATE TABLE answers (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations(id),
        question TEXT NOT NULL, history_json TEXT NOT NULL, result_json TEXT NOT NULL, created_at TEXT NOT NULL);
      PRAGMA user_version = 1;
    `);
    sqlite
      .prepare('INSERT INTO conversations VALUES (?, ?)')
      .run('oldConversation0001', '2025-01-02T03:04:05.000Z');
    sqlite
      .prepare('INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)')
      .run(
        'oldAnswer000000001',
        'oldConversation0001',
        '常州分级诊疗?',
        '[]',
        JSON.stringify(answerResult('50%')),
        '2025-01-02T03:04:06.000Z',
      );
    sqlite.close();
    const out = await migrateWithHistory(old);
    expect(out).toContain('1 of 1 conversations and 1 of 1 answers copied');
    const pg = await openPostgresHistory({ pool, retentionDays: 0 });
    const turn = await pg.getAnswer('oldAnswer000000001');
    expect(turn?.question).toBe('常州分级诊疗?');
    expect(turn?.result.answer).toBe('50%');
    expect(turn?.createdAt).toBe('2025-01-02T03:04:06.000Z');
    expect(await pg.getConversation('oldConversation0001', undefined, PAGE)).toBeNull();
    expect(await pg.getConversation('oldConversation0001', tokenA, PAGE)).toBeNull();
    await pg.close();
  }, 60_000);

  it('says so when the file is not a history file, and copies nothing', async () => {
    const bad = join(dir, 'not-history.sqlite');
    const other = new Database(bad);
    other.exec('CREATE TABLE t (x)');
    other.close();
    const error = await migrateWithHistory(bad).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain(
      `Migrate failed: ${bad} is not a Zhengce history file (it has no conversations and answers tables).`,
    );
    expect(await count('answers')).toBe(6);
  }, 60_000);
});
