/**
 * Privacy and bounds of stored conversations, over a real server (127.0.0.1) with the service built from
 * seeds/ and the SQLite history on disk: a permalink shows one answer and nothing that leads to the rest of
 * its conversation; the conversation needs its token to be read, continued or deleted, and a wrong token
 * looks exactly like an unknown conversation; conversations are trimmed and paged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerResult } from '../server/answer/contract.ts';
import type { HistoryStore } from '../server/history/history-store.ts';
import { HISTORY_ROWS, type RecordedAnswer } from '../server/http/answer-and-record.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';
import { openTestSocket, type ServerMessage } from './support/http-ws-client.ts';

const JIAXING = "What is Jiaxing's 2027 family-doctor target?";
const XINING_FOLLOW_UP = '那西宁呢?';
const PRIVATE_QUESTION = '嘉兴2027年每千人口执业(助理)医师数目标是多少?';
const TOKEN_HEADER = 'X-Conversation-Token';

interface Reply {
  status: number;
  text: string;
  bytes: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly and assert on each one.
  json: () => any;
}

async function call(base: string, path: string, init?: RequestInit): Promise<Reply> {
  const response = await fetch(`${base}${path}`, init);
  const buffer = Buffer.from(await response.arrayBuffer());
  const text = buffer.toString('utf8');
  return { status: response.status, text, bytes: buffer.length, json: () => JSON.parse(text) };
}

async function ask(base: string, body: Record<string, unknown>): Promise<RecordedAnswer> {
  const reply = await call(base, '/api/ask', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(reply.status, reply.text).toBe(200);
  return reply.json();
}

function getConversation(base: string, id: string, token?: string, query = ''): Promise<Reply> {
  return call(base, `/api/conversations/${id}${query}`, { headers: token ? { [TOKEN_HEADER]: token } : {} });
}

/** A token of the right shape that is not the conversation's. */
function otherToken(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
}

/** The turns' questions of a conversation, read with its token. */
async function questionsOf(base: string, id: string, token: string): Promise<string[]> {
  const reply = await getConversation(base, id, token);
  expect(reply.status).toBe(200);
  return reply.json().turns.map((t: { question: string }) => t.question);
}

const UNKNOWN_ID = 'NoSuchConversation0000';

describe('permalinks and conversation tokens over a real server', () => {
  let server: TestServer;
  let base: string;
  /** The victim's conversation: two turns. */
  let first: RecordedAnswer;
  let second: RecordedAnswer;

  beforeAll(async () => {
    server = await startTestServer();
    base = server.url;
    first = await ask(base, { question: JIAXING });
    second = await ask(base, {
      question: PRIVATE_QUESTION,
      conversationId: first.conversationId,
      conversationToken: first.conversationToken,
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('issues a 32-byte base64url token with every answer, the same one for every turn', () => {
    expect(first.conversationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first.conversationToken, 'base64url')).toHaveLength(32);
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.conversationToken).toBe(first.conversationToken);
  });

  it('serves a permalink with only that answer and its citations: no conversation id, token or other turn', async () => {
    const reply = await call(base, `/api/answers/${first.answerId}`);
    expect(reply.status).toBe(200);
    const permalink = reply.json();
    expect(Object.keys(permalink).sort()).toEqual(['answerId', 'createdAt', 'question', 'result']);
    expect(permalink.answerId).toBe(first.answerId);
    expect(permalink.question).toBe(JIAXING);
    expect(permalink.result.answer).toBe(first.answer);
    expect(permalink.result.citations).toEqual(first.citations);
    expect(permalink.result.citations.length).toBeGreaterThan(0);
    for (const key of ['conversationId', 'conversationToken', 'answerId', 'history']) {
      expect(permalink.result).not.toHaveProperty(key);
    }
    expect(reply.text).not.toContain(first.conversationId);
    expect(reply.text).not.toContain(first.conversationToken);
    expect(reply.text).not.toContain(PRIVATE_QUESTION);
    expect(reply.text).not.toContain(second.answerId);

    // The later turn's permalink does not carry the earlier turn (the history it was answered with) either.
    const later = await call(base, `/api/answers/${second.answerId}`);
    expect(Object.keys(later.json()).sort()).toEqual(['answerId', 'createdAt', 'question', 'result']);
    expect(later.text).not.toContain(JIAXING);
    expect(later.text).not.toContain(first.conversationId);
  });

  it('answers GET /api/conversations/:id without or with a wrong token exactly like an unknown id (404)', async () => {
    const unknown = await getConversation(base, UNKNOWN_ID, first.conversationToken);
    expect(unknown.status).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
    const other = await ask(base, { question: '西宁市2024年全人群家庭医生签约服务覆盖率目标是多少?' });
    for (const token of [
      undefined,
      '',
      otherToken(first.conversationToken),
      other.conversationToken,
      'not a token',
    ]) {
      const reply = await getConversation(base, first.conversationId, token);
      expect({ status: reply.status, text: reply.text }).toEqual({ status: 404, text: unknown.text });
    }
    expect(await questionsOf(base, first.conversationId, first.conversationToken)).toEqual([
      JIAXING,
      PRIVATE_QUESTION,
    ]);
  });

  it('does not append an HTTP ask with a stolen conversation id (no token or a wrong one) to the conversation', async () => {
    const fresh = await ask(base, { question: XINING_FOLLOW_UP, conversationId: UNKNOWN_ID });
    for (const extra of [{}, { conversationToken: otherToken(first.conversationToken) }]) {
      const stolen = await ask(base, {
        question: XINING_FOLLOW_UP,
        conversationId: first.conversationId,
        ...extra,
      });
      // A new conversation of its own, answered without the victim's turns: just like an unknown id.
      expect(stolen.conversationId).not.toBe(first.conversationId);
      expect(stolen.conversationToken).not.toBe(first.conversationToken);
      expect(stolen.query).toEqual(fresh.query);
      expect(stolen.answer).toBe(fresh.answer);
      expect(await questionsOf(base, stolen.conversationId, stolen.conversationToken)).toEqual([
        XINING_FOLLOW_UP,
      ]);
    }
    expect(await questionsOf(base, first.conversationId, first.conversationToken)).toEqual([
      JIAXING,
      PRIVATE_QUESTION,
    ]);
  });

  it('does not append a WebSocket ask with a stolen conversation id to the conversation', async () => {
    const socket = await openTestSocket(server.wsUrl);
    try {
      const done = async (id: string, message: Record<string, unknown>) => {
        socket.sendJson({ type: 'ask', id, question: XINING_FOLLOW_UP, ...message });
        const last = (await socket.untilFinished(id)).at(-1) as ServerMessage & { result: RecordedAnswer };
        expect(last.type).toBe('done');
        return last.result;
      };
      const fresh = await done('fresh', { conversationId: UNKNOWN_ID });
      const noToken = await done('no-token', { conversationId: first.conversationId });
      const wrongToken = await done('wrong-token', {
        conversationId: first.conversationId,
        conversationToken: otherToken(first.conversationToken),
      });
      for (const stolen of [noToken, wrongToken]) {
        expect(stolen.conversationId).not.toBe(first.conversationId);
        expect(stolen.conversationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(stolen.conversationToken).not.toBe(first.conversationToken);
        expect(stolen.query).toEqual(fresh.query);
      }
      // With the token the same socket does continue the conversation, and `done` carries the token.
      const owner = await done('owner', {
        conversationId: first.conversationId,
        conversationToken: first.conversationToken,
      });
      expect(owner.conversationId).toBe(first.conversationId);
      expect(owner.conversationToken).toBe(first.conversationToken);
      expect(await questionsOf(base, first.conversationId, first.conversationToken)).toEqual([
        JIAXING,
        PRIVATE_QUESTION,
        XINING_FOLLOW_UP,
      ]);
    } finally {
      socket.ws.close();
    }
  });

  it('deletes a conversation and its answers with DELETE and the token only', async () => {
    const mine = await ask(base, { question: JIAXING });
    const next = await ask(base, {
      question: XINING_FOLLOW_UP,
      conversationId: mine.conversationId,
      conversationToken: mine.conversationToken,
    });
    const del = (id: string, token?: string) =>
      call(base, `/api/conversations/${id}`, {
        method: 'DELETE',
        headers: token ? { [TOKEN_HEADER]: token } : {},
      });
    const unknown = await del(UNKNOWN_ID, mine.conversationToken);
    expect(unknown.status).toBe(404);
    for (const token of [undefined, otherToken(mine.conversationToken), first.conversationToken]) {
      const refused = await del(mine.conversationId, token);
      expect({ status: refused.status, text: refused.text }).toEqual({ status: 404, text: unknown.text });
    }
    expect(await questionsOf(base, mine.conversationId, mine.conversationToken)).toHaveLength(2);

    const deleted = await del(mine.conversationId, mine.conversationToken);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await getConversation(base, mine.conversationId, mine.conversationToken)).status).toBe(404);
    for (const answerId of [mine.answerId, next.answerId]) {
      const gone = await call(base, `/api/answers/${answerId}`);
      expect(gone.status).toBe(404);
      expect(gone.json().error.code).toBe('not_found');
    }
    expect((await del(mine.conversationId, mine.conversationToken)).status).toBe(404);
    // Someone else's conversation is untouched.
    expect((await call(base, `/api/answers/${first.answerId}`)).status).toBe(200);
  });
});

describe('bounded conversations', () => {
  let server: TestServer;
  /** Turns the server's store handed back from getConversation, per call. */
  const turnsRead: number[] = [];

  beforeAll(async () => {
    const counting = (store: HistoryStore): HistoryStore => ({
      ...store,
      async getConversation(id, token, page) {
        const conversation = await store.getConversation(id, token, page);
        turnsRead.push(conversation?.turns.length ?? 0);
        return conversation;
      },
    });
    server = await startTestServer({ historyMaxTurns: 10_000, wrapHistory: counting });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('keeps the last HISTORY_MAX_TURNS turns of a conversation; the oldest permalinks then answer 404', async () => {
    const small = await startTestServer({ service: server.service, historyMaxTurns: 3 });
    try {
      const asked: RecordedAnswer[] = [await ask(small.url, { question: JIAXING })];
      const key = {
        conversationId: asked[0]?.conversationId,
        conversationToken: asked[0]?.conversationToken,
      };
      for (const question of [XINING_FOLLOW_UP, PRIVATE_QUESTION, '新建区2025年每千人口托位数目标是多少?']) {
        asked.push(await ask(small.url, { question, ...key }));
      }
      expect(new Set(asked.map((a) => a.conversationId)).size).toBe(1);
      const questions = await questionsOf(small.url, key.conversationId ?? '', key.conversationToken ?? '');
      expect(questions).toEqual([
        XINING_FOLLOW_UP,
        PRIVATE_QUESTION,
        '新建区2025年每千人口托位数目标是多少?',
      ]);
      expect((await call(small.url, `/api/answers/${asked[0]?.answerId}`)).status).toBe(404);
      expect((await call(small.url, `/api/answers/${asked[1]?.answerId}`)).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('pages a 5,000-turn conversation: the last 50 by default, at most 200, bounded in bytes, every turn reachable', async () => {
    const result = (n: number): AnswerResult => ({
      status: 'answered',
      answer: `第${n}个回答:家庭医生签约服务覆盖率达到45%以上[1]`,
      lead: null,
      citations: [],
      related: [],
      retrieved: [],
      query: {
        resolvedQuestion: `问题${n}`,
        lang: 'zh',
        regions: [],
        unknownRegions: [],
        years: [],
        expansions: [],
      },
      answerer: 'extractive',
      timings: { retrieveMs: 0, answerMs: 0 },
    });
    const start = await server.history.recordAnswer({ question: 'q1', result: result(1) });
    const key = { conversationId: start.conversationId, conversationToken: start.conversationToken };
    for (let n = 2; n <= 5000; n += 1) {
      await server.history.recordAnswer({ ...key, question: `q${n}`, result: result(n) });
    }
    const id = key.conversationId;
    const token = key.conversationToken;

    const one = await getConversation(server.url, id, token, '?limit=1');
    const page = await getConversation(server.url, id, token);
    expect(page.status).toBe(200);
    const body = page.json();
    expect(body.turns).toHaveLength(50);
    expect(body.turns[0].question).toBe('q4951');
    expect(body.turns.at(-1).question).toBe('q5000');
    expect(typeof body.nextCursor).toBe('string');
    // 50 turns cost about 50 times one turn, not 5,000 times.
    expect(page.bytes).toBeLessThan(60 * one.bytes);
    expect(page.bytes).toBeLessThan(40_000);

    const widest = await getConversation(server.url, id, token, '?limit=200');
    expect(widest.json().turns).toHaveLength(200);
    expect(widest.bytes).toBeLessThan(220 * one.bytes);
    for (const query of ['?limit=201', '?limit=0', '?limit=abc', '?cursor=abc', '?cursor=-1']) {
      const bad = await getConversation(server.url, id, token, query);
      expect({ query, status: bad.status, code: bad.json().error.code }).toEqual({
        query,
        status: 400,
        code: 'invalid_parameter',
      });
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply: Reply = await getConversation(
        server.url,
        id,
        token,
        `?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const chunk = reply.json();
      seen.unshift(...chunk.turns.map((t: { question: string }) => t.question));
      cursor = chunk.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(25);
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => `q${i + 1}`));

    // A follow-up sent with only the conversation reads the last HISTORY_ROWS turns, not all 5,000.
    turnsRead.length = 0;
    const followUp = await ask(server.url, { question: XINING_FOLLOW_UP, ...key });
    expect(followUp.conversationId).toBe(id);
    expect(turnsRead).toEqual([HISTORY_ROWS]);
    expect(HISTORY_ROWS).toBeLessThanOrEqual(10);
    const newest = (await getConversation(server.url, id, token, '?limit=1')).json();
    expect(newest.turns[0].question).toBe(XINING_FOLLOW_UP);
  });
});
