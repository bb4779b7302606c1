import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RecordedAnswer } from '../server/http/answer-and-record.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';
import { openTestSocket, type ServerMessage } from './support/http-ws-client.ts';

type Done = ServerMessage & { result: RecordedAnswer };

const QUESTION = "What is Jiaxing's 2027 family-doctor target?";

describe('WebSocket /ws over a real server with the service built from seeds/', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('streams retrieval, then tokens, then citations, then done with the stored answer', async () => {
    const socket = await openTestSocket(server.wsUrl);
    socket.sendJson({ type: 'ask', id: 'a1', question: QUESTION, history: [] });
    const messages = await socket.untilFinished('a1');
    const types = messages.map((m) => m.type);
    expect(types[0]).toBe('retrieval');
    expect(types.at(-2)).toBe('citations');
    expect(types.at(-1)).toBe('done');
    const tokens = messages.filter((m) => m.type === 'token');
    expect(tokens.length).toBeGreaterThan(1);
    expect(types.slice(1, 1 + tokens.length).every((t) => t === 'token')).toBe(true);

    const done = messages.at(-1) as Done;
    const streamed = tokens.map((t) => t.text).join('');
    expect(streamed).toBe(done.result.answer);
    expect(done.result.answer).toContain('45%');
    expect(done.result.citations.length).toBeGreaterThan(0);
    const citations = messages.at(-2) as ServerMessage & { citations: unknown[] };
    expect(citations.citations).toEqual(done.result.citations);

    const stored = await (await fetch(`${server.url}/api/answers/${done.result.answerId}`)).json();
    expect(stored.result.answer).toBe(done.result.answer);
    socket.ws.close();
  });

  it('answers a follow-up in the same conversation', async () => {
    const socket = await openTestSocket(server.wsUrl);
    socket.sendJson({ type: 'ask', id: 'first', question: QUESTION });
    const first = (await socket.untilFinished('first')).at(-1) as Done;
    socket.sendJson({
      type: 'ask',
      id: 'second',
      question: '那西宁呢?',
      conversationId: first.result.conversationId,
      conversationToken: first.result.conversationToken,
      history: [
        { role: 'user', content: QUESTION },
        { role: 'assistant', content: first.result.answer },
      ],
    });
    const second = (await socket.untilFinished('second')).at(-1) as Done;
    expect(second.type).toBe('done');
    expect(second.result.conversationId).toBe(first.result.conversationId);
    expect(second.result.query.regions).toContain('西宁市');
    socket.ws.close();
  });

  it('answers garbage frames with error messages and keeps the connection usable', async () => {
    const socket = await openTestSocket(server.wsUrl);
    const errorFor = async (send: () => void) => {
      send();
      const message = await socket.next();
      expect(message.type).toBe('error');
      return message;
    };

    expect((await errorFor(() => socket.ws.send('this is not json'))).code).toBe('invalid_json');
    expect((await errorFor(() => socket.ws.send(Buffer.from([0, 1, 2, 3]), { binary: true }))).code).toBe(
      'binary_not_supported',
    );
    expect((await errorFor(() => socket.sendJson({ type: 'shout', id: 'x1' }))).code).toBe('invalid_message');
    expect((await errorFor(() => socket.sendJson([1, 2, 3]))).code).toBe('invalid_message');
    expect((await errorFor(() => socket.sendJson(null))).code).toBe('invalid_message');
    expect((await errorFor(() => socket.sendJson({ type: 'ask', question: 'no id' }))).code).toBe(
      'invalid_message',
    );
    const empty = await errorFor(() => socket.sendJson({ type: 'ask', id: 'e1', question: ' ' }));
    expect(empty).toMatchObject({ id: 'e1', code: 'question_empty' });
    const long = await errorFor(() => socket.sendJson({ type: 'ask', id: 'e2', question: '问'.repeat(501) }));
    expect(long).toMatchObject({ id: 'e2', code: 'question_too_long' });
    const wrongShape = await errorFor(() => socket.sendJson({ type: 'ask', id: 'e3', question: ['a'] }));
    expect(wrongShape).toMatchObject({ id: 'e3', code: 'invalid_request' });
    const huge = await errorFor(() =>
      socket.sendJson({ type: 'ask', id: 'big', question: 'x'.repeat(100_000) }),
    );
    expect(huge.code).toBe('frame_too_large');

    socket.sendJson({ type: 'ask', id: 'after-garbage', question: QUESTION });
    const done = (await socket.untilFinished('after-garbage')).at(-1);
    expect(done?.type).toBe('done');
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    socket.ws.close();
  });

  it('closes only the offending connection for a frame over the hard limit', async () => {
    const socket = await openTestSocket(server.wsUrl);
    socket.ws.send('x'.repeat(2 * 1024 * 1024));
    expect(await socket.closed).toBe(1009);
    const next = await openTestSocket(server.wsUrl);
    next.sendJson({ type: 'ask', id: 'still-up', question: QUESTION });
    expect((await next.untilFinished('still-up')).at(-1)?.type).toBe('done');
    next.ws.close();
  });

  it('survives a client that disconnects mid-stream and answers the next client', async () => {
    for (let round = 0; round < 3; round += 1) {
      const quitter = await openTestSocket(server.wsUrl);
      quitter.sendJson({ type: 'ask', id: `quit-${round}`, question: QUESTION });
      await quitter.next();
      quitter.ws.terminate();
    }
    const abrupt = await openTestSocket(server.wsUrl);
    abrupt.sendJson({ type: 'ask', id: 'abrupt', question: QUESTION });
    abrupt.ws.terminate();

    const next = await openTestSocket(server.wsUrl);
    next.sendJson({ type: 'ask', id: 'next', question: '新建区2025年每千人口托位数目标是多少?' });
    const done = (await next.untilFinished('next')).at(-1) as Done;
    expect(done.type).toBe('done');
    expect(done.result.status).toBe('answered');
    next.ws.close();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses upgrades on other paths (404) and from another site (403)', async () => {
    const otherPath = server.wsUrl.replace(/\/ws$/, '/socket');
    await expect(openTestSocket(otherPath)).rejects.toThrow('upgrade refused: 404');
    await expect(openTestSocket(server.wsUrl, { Origin: 'https://evil.example' })).rejects.toThrow(
      'upgrade refused: 403',
    );
    const sameSite = await openTestSocket(server.wsUrl, { Origin: server.url });
    sameSite.ws.close();
  });
});

describe('WebSocket rate limit', () => {
  it('answers rate_limited once an IP has asked more than the limit', async () => {
    const server = await startTestServer({ rateLimit: { windowMs: 60_000, limit: 1 } });
    try {
      const socket = await openTestSocket(server.wsUrl);
      socket.sendJson({ type: 'ask', id: 'one', question: QUESTION });
      expect((await socket.untilFinished('one')).at(-1)?.type).toBe('done');
      socket.sendJson({ type: 'ask', id: 'two', question: QUESTION });
      expect((await socket.untilFinished('two')).at(-1)).toMatchObject({
        type: 'error',
        code: 'rate_limited',
      });
      socket.ws.close();
    } finally {
      await server.close();
    }
  });
});
