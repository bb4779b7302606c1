/**
 * Feedback on answers against a real server on 127.0.0.1: 👍/👎 with an optional note is stored with the
 * answer for whoever holds its permalink, shown back in the conversation (never in the permalink), checked
 * (rating, note length in code points, ids) and rate-limited like the rest of the API; a history file of
 * schema 3 gains the columns; `npm run feedback-export` turns the 👎 answers into a JSONL set the
 * evaluation parser reads, each item with its question, earlier turns, the answer given and the note.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSet } from '../evals/set-format.ts';
import type { AnswerFeedback, ConversationPage } from '../server/history/history-store.ts';
import { openSqliteHistory } from '../server/history/sqlite-history.ts';
import type { RecordedAnswer } from '../server/http/answer-and-record.ts';
import { MAX_FEEDBACK_NOTE_LENGTH } from '../server/http/routes/feedback.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

const run = promisify(execFile);

let server: TestServer;
let tmp: string;

beforeAll(async () => {
  server = await startTestServer();
  tmp = await mkdtemp(join(tmpdir(), 'zhengce-feedback-'));
});

afterAll(async () => {
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** What these routes answer: an answer, feedback, or an error. */
type Body = RecordedAnswer & { feedback: AnswerFeedback; error: { code: string } };

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

describe('POST /api/answers/:answerId/feedback', () => {
  let first: Body;
  let second: Body;

  beforeAll(async () => {
    first = (await post('/api/ask', { question: '嘉兴2027年家庭医生签约覆盖率目标是多少?' })).body;
    second = (
      await post('/api/ask', {
        question: '那西宁呢?',
        conversationId: first.conversationId,
        conversationToken: first.conversationToken,
      })
    ).body;
    expect(second.conversationId).toBe(first.conversationId);
  });

  it('stores 👎 with a note for the permalink holder and shows it in the conversation, not the permalink', async () => {
    const note = '应给出重点人群的目标 😀';
    const given = await post(`/api/answers/${second.answerId}/feedback`, {
      rating: 'down',
      note: ` ${note} `,
    });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({ answerId: second.answerId, feedback: { rating: 'down', note } });
    expect(Date.parse(given.body.feedback.createdAt)).not.toBeNaN();

    const conversation = await fetch(`${server.url}/api/conversations/${first.conversationId}`, {
      headers: { 'X-Conversation-Token': first.conversationToken },
    }).then((r) => r.json() as Promise<ConversationPage>);
    expect(conversation.turns.map((t) => t.feedback?.rating ?? null)).toEqual([null, 'down']);
    expect(conversation.turns[1]?.feedback?.note).toBe(note);

    const permalink = await fetch(`${server.url}/api/answers/${second.answerId}`).then((r) => r.text());
    expect(permalink).not.toContain('feedback');
    expect(permalink).not.toContain('重点人群的目标');
  });

  it('replaces earlier feedback, and a blank note is no note', async () => {
    expect((await post(`/api/answers/${first.answerId}/feedback`, { rating: 'down' })).status).toBe(200);
    const again = await post(`/api/answers/${first.answerId}/feedback`, { rating: 'up', note: '   ' });
    expect(again.body.feedback).toMatchObject({ rating: 'up', note: null });
    const conversation = await fetch(`${server.url}/api/conversations/${first.conversationId}`, {
      headers: { 'X-Conversation-Token': first.conversationToken },
    }).then((r) => r.json() as Promise<ConversationPage>);
    expect(conversation.turns[0]?.feedback).toMatchObject({ rating: 'up', note: null });
  });

  it('checks the rating, the note length in code points and the id', async () => {
    const path = `/api/answers/${first.answerId}/feedback`;
    for (const body of [{}, { rating: 'meh' }, { rating: 'down', note: 5 }, [1]]) {
      const res = await post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    // Emoji are two UTF-16 units each: the limit counts characters as people do.
    expect((await post(path, { rating: 'down', note: '😀'.repeat(MAX_FEEDBACK_NOTE_LENGTH) })).status).toBe(
      200,
    );
    const tooLong = await post(path, { rating: 'down', note: '😀'.repeat(MAX_FEEDBACK_NOTE_LENGTH + 1) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('invalid_request');
    expect(
      (await post('/api/answers/NoSuchAnswer0000000000/feedback', { rating: 'up' })).body.error.code,
    ).toBe('not_found');
    expect((await post('/api/answers/bad..id/feedback', { rating: 'up' })).body.error.code).toBe(
      'invalid_id',
    );
    const text = await fetch(`${server.url}${path}`, { method: 'POST', body: 'rating=up' });
    expect(text.status).toBe(415);
  });

  it('draws on the same rate-limit budget as the rest of the API', async () => {
    const limited = await startTestServer({ rateLimit: { windowMs: 60_000, limit: 2 } });
    try {
      const asked = await fetch(`${limited.url}/api/ask`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ question: '嘉兴2027年家庭医生签约覆盖率目标是多少?' }),
      }).then((r) => r.json() as Promise<Body>);
      const rate = () =>
        fetch(`${limited.url}/api/answers/${asked.answerId}/feedback`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ rating: 'up' }),
        });
      expect((await rate()).status).toBe(200);
      const refused = await rate();
      expect(refused.status).toBe(429);
      expect((await refused.json()).error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });

  it('exports the 👎 answers as a JSONL set the evaluation parser reads', async () => {
    await post(`/api/answers/${first.answerId}/feedback`, { rating: 'up' });
    await post(`/api/answers/${second.answerId}/feedback`, { rating: 'down', note: '西宁应为65%以上' });
    const out = join(tmp, 'feedback.jsonl');
    await run(process.execPath, [
      '--import',
      'tsx',
      'evals/feedback-export.ts',
      '--history',
      server.historyPath,
      '--out',
      out,
    ]);
    const text = await readFile(out, 'utf8');
    const parsed = parseSet(text);
    expect(parsed.problems).toEqual([]);
    // The first answer is 👍 now (its 👎 replaced): only the second is exported.
    expect(parsed.items.map((i) => i.id)).toEqual([`feedback-${second.answerId}`]);
    const [item] = parsed.items;
    expect(item?.question).toBe('那西宁呢?');
    expect(item?.history).toEqual([
      { role: 'user', content: '嘉兴2027年家庭医生签约覆盖率目标是多少?' },
      { role: 'assistant', content: first.answer },
    ]);
    expect(item?.tags).toContain('needs-expected');
    const raw = JSON.parse(text.trim());
    expect(raw).toMatchObject({ note: '西宁应为65%以上', rating: 'down', given: { answer: second.answer } });
    expect(raw.given.citations[0]).toMatchObject({ title: second.citations[0]?.title });
    expect(raw.facts[0]).toMatch(/^TODO/);
  }, 60_000);
});

describe('GET /api/admin/feedback', () => {
  it('gives the 👎 answers as a JSONL set the parser reads, to the administrator only', async () => {
    const admin = await startTestServer({ adminToken: 'admin-secret-for-tests' });
    try {
      const ask = await fetch(`${admin.url}/api/ask`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ question: '嘉兴2027年家庭医生签约覆盖率目标是多少?' }),
      }).then((r) => r.json() as Promise<Body>);
      await fetch(`${admin.url}/api/answers/${ask.answerId}/feedback`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rating: 'down', note: '缺少年份' }),
      });
      const url = `${admin.url}/api/admin/feedback`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(403);
      const auth = { Authorization: 'Bearer admin-secret-for-tests' };
      const response = await fetch(url, { headers: auth });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/x-ndjson');
      const parsed = parseSet(await response.text());
      expect(parsed.problems).toEqual([]);
      expect(parsed.items.map((i) => i.question)).toEqual(['嘉兴2027年家庭医生签约覆盖率目标是多少?']);
      expect(await fetch(`${url}?rating=up`, { headers: auth }).then((r) => r.text())).toBe('');
      expect((await fetch(`${url}?rating=meh`, { headers: auth })).status).toBe(400);
    } finally {
      await admin.close();
    }
    // Without an administrator token configured the route does not exist.
    expect((await fetch(`${server.url}/api/admin/feedback`)).status).toBe(404);
  });
});

describe('history schema 4', () => {
  it('adds the feedback columns to a schema-3 file', async () => {
    const path = join(tmp, 'v3.sqlite');
    const old = new Database(path);
    old.exec(`
      CREATE TABLE conversations (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, token_hash BLOB);
      CREATE TABLE answers (
        id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations(id), question TEXT NOT NULL,
        history_json TEXT NOT NULL, result_json TEXT NOT NULL, created_at TEXT NOT NULL, result_deflate BLOB
      );
    `);
    const at = new Date().toISOString();
    old.prepare('INSERT INTO conversations VALUES (?, ?, NULL)').run('OldConversation0000000', at);
    old
      .prepare("INSERT INTO answers VALUES (?, ?, ?, '[]', ?, ?, NULL)")
      .run(
        'OldAnswer0000000000000',
        'OldConversation0000000',
        '旧问题',
        JSON.stringify({ answer: '旧' }),
        at,
      );
    old.pragma('user_version = 3');
    old.close();
    const store = openSqliteHistory({ path });
    expect(await store.setFeedback('OldAnswer0000000000000', { rating: 'down', note: '错' })).toMatchObject({
      rating: 'down',
    });
    expect((await store.listFeedback({ rating: 'down' })).map((r) => r.question)).toEqual(['旧问题']);
    expect(await store.listFeedback({ rating: 'up' })).toEqual([]);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    db.close();
  });
});
