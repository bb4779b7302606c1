import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RecordedAnswer } from '../server/http/answer-and-record.ts';
import { createService } from '../server/service.ts';
import { type FakeOpenAi, type FakeReply, startFakeOpenAi } from './support/fake-openai-server.ts';
import { realServiceFromSeeds, startTestServer, type TestServer } from './support/http-test-server.ts';
import { openTestSocket, type ServerMessage } from './support/http-ws-client.ts';

/**
 * The WebSocket stream of a server whose LLM is a fake OpenAI-compatible endpoint on 127.0.0.1: tokens are
 * sent only once the LLM answer passed its checks, so a client never sees an invented number, and the
 * fallback reason never carries upstream text.
 */
type Done = ServerMessage & { result: RecordedAnswer };

const QUESTION = '嘉兴2027年家庭医生签约服务覆盖率目标是多少?';
const KEY = 'sk-test-SECRET';
const INVENTED_PIECES = ['嘉兴市2027年家庭医生签约服务覆盖率目标为', '99.5', '%。[1]'];

/** An honest model: quotes the family-doctor target from whichever numbered source states it. */
function honestReply(prompt: string): string {
  for (const m of prompt.matchAll(/\[(\d+)\][^\n]*\n([^\n]*)/g)) {
    const value = m[2]?.match(/家庭医生签约服务覆盖率达到(\d+%)/)?.[1];
    if (value) return `嘉兴市家庭医生签约服务覆盖率目标为${value}以上。[${m[1]}]`;
  }
  return '文件中没有相关内容。';
}

let reply: (prompt: string) => FakeReply = honestReply;
let fake: FakeOpenAi;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAi((prompt) => reply(prompt));
  // The index the shared test server builds from seeds/, opened again by a service with an LLM.
  const { indexDir } = await realServiceFromSeeds();
  const service = await createService({
    indexDir,
    ensure: false,
    llm: { baseUrl: fake.baseUrl, model: 'fake-qwen', apiKey: KEY, timeoutMs: 5000, maxSources: 6 },
  });
  server = await startTestServer({ service });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function ask(id: string) {
  const requestsBefore = fake.requests.length;
  const socket = await openTestSocket(server.wsUrl);
  socket.sendJson({ type: 'ask', id, question: QUESTION });
  const messages = await socket.untilFinished(id);
  socket.ws.close();
  const done = messages.at(-1) as Done;
  expect(done.type).toBe('done');
  // The LLM was asked, with the key; the answer below is what became of its reply.
  expect(fake.requests.length).toBe(requestsBefore + 1);
  expect(fake.requests.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
  const tokens = messages.filter((m) => m.type === 'token').map((m) => m.text as string);
  return { messages, done, tokens };
}

describe('WebSocket answers from a checked LLM', () => {
  it('never streams a token of an answer that invents a number, and falls back to the extractive answer', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    reply = () => ({ text: INVENTED_PIECES.join(''), pieces: INVENTED_PIECES });
    const { done, tokens, messages } = await ask('invented');
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(token).not.toContain('99.5');
    expect(tokens.join('')).toBe(done.result.answer);
    expect(done.result.answerer).toBe('extractive');
    expect(done.result.answer).toContain('45%');
    expect(done.result.answer).not.toContain('99.5');
    const reason = done.result.fallback?.reason ?? '';
    expect(reason).toBe(
      'The LLM answer stated a number that is not in its cited sources; showing the extractive answer.',
    );
    for (const upstream of INVENTED_PIECES) expect(reason).not.toContain(upstream);
    // Tokens come after retrieval and before citations and done, as PROTOCOL.md says.
    const types = messages.map((m) => m.type);
    expect(types[0]).toBe('retrieval');
    expect(types.slice(-2)).toEqual(['citations', 'done']);
    expect(warn.mock.calls.flat().join('\n')).toContain('99.5');
  });

  it('streams an answer that passes its checks as the LLM answer', async () => {
    reply = honestReply;
    const { done, tokens } = await ask('valid');
    expect(done.result.answerer).toBe('llm');
    expect(done.result.fallback).toBeUndefined();
    expect(done.result.answer).toBe(honestReply(fake.requests.at(-1)?.messages.at(-1)?.content ?? ''));
    expect(done.result.answer).toContain('45%');
    expect(tokens.join('')).toBe(done.result.answer);
    const stored = await (await fetch(`${server.url}/api/answers/${done.result.answerId}`)).json();
    expect(stored.result.answer).toBe(done.result.answer);
  });

  it('answers a 401 that echoes the key with the status only: the key is neither sent nor logged', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    reply = () => ({
      status: 401,
      body: JSON.stringify({
        error: {
          message: `Incorrect API key provided: ${KEY}. Request from llm-gateway.internal:8443.`,
          type: 'invalid_request_error',
        },
      }),
    });
    const { done, tokens, messages } = await ask('unauthorized');
    expect(done.result.answerer).toBe('extractive');
    const reason = done.result.fallback?.reason ?? '';
    expect(reason).toBe('The LLM endpoint refused the key (HTTP 401); showing the extractive answer.');
    expect(reason).not.toContain('SECRET');
    expect(reason).not.toContain('Incorrect API key');
    expect(reason).not.toContain('llm-gateway');
    expect(tokens.join('')).toBe(done.result.answer);
    expect(JSON.stringify(messages)).not.toContain('SECRET');
    const logged = warn.mock.calls.flat().join('\n');
    expect(logged).toContain('401');
    expect(logged).not.toContain('SECRET');
  });
});
