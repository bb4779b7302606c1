import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseLlmProvider } from '../server/llm/choose-provider.ts';
import { OpenAiCompatibleProvider } from '../server/llm/openai-compatible-provider.ts';
import { LlmError, type LlmMessage } from '../server/llm/provider.ts';
import { type FakeOpenAi, type FakeReply, startFakeOpenAi } from './support/fake-openai-server.ts';
import { RecordingLlmProvider } from './support/recording-llm-provider.ts';

const KEY = 'sk-test-SECRET';
const MESSAGES: LlmMessage[] = [
  { role: 'system', content: 'Answer from the sources.' },
  { role: 'user', content: 'Q?' },
];
let next: FakeReply = '';
let fake: FakeOpenAi;

beforeAll(async () => {
  fake = await startFakeOpenAi(() => next);
});
afterAll(async () => {
  await fake.close();
});

const provider = (overrides: Partial<ConstructorParameters<typeof OpenAiCompatibleProvider>[0]> = {}) =>
  new OpenAiCompatibleProvider({
    baseUrl: fake.baseUrl,
    model: 'fake-qwen',
    apiKey: KEY,
    timeoutMs: 5000,
    ...overrides,
  });

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const delta of stream) out.push(delta);
  return out;
}

async function llmErrorOf(promise: Promise<unknown>): Promise<LlmError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

describe('OpenAiCompatibleProvider over a fake endpoint on 127.0.0.1', () => {
  it('streams the deltas of a server-sent-event completion and sends model, messages and key', async () => {
    next = { text: '覆盖率45%。[1]', pieces: ['覆盖率', '45%', '。[1]'] };
    const p = provider({ baseUrl: `${fake.baseUrl}/` });
    expect(p.modelId).toBe('fake-qwen');
    expect(await collect(p.stream(MESSAGES))).toEqual(['覆盖率', '45%', '。[1]']);
    const request = fake.requests.at(-1);
    expect(request).toMatchObject({ model: 'fake-qwen', stream: true, authorization: `Bearer ${KEY}` });
    expect(request?.messages).toEqual(MESSAGES);
  });

  it('generates a whole completion without streaming', async () => {
    next = '整段回答。[1]';
    expect(await provider().generate(MESSAGES)).toBe('整段回答。[1]');
    expect(fake.requests.at(-1)?.stream).toBe(false);
  });

  it('sends no Authorization header without a key', async () => {
    next = 'ok';
    await provider({ apiKey: '' }).generate(MESSAGES);
    expect(fake.requests.at(-1)?.authorization).toBeUndefined();
  });

  it('reads CRLF events, comments, multi-line data and a JSON answer to a stream request', async () => {
    const event = (content: string) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\r\n\r\n`;
    next = {
      status: 200,
      contentType: 'text/event-stream',
      body: `: keep-alive\r\n\r\nevent: message\r\n${event('甲')}${event('乙')}data: [DONE]\r\n\r\n`,
    };
    expect(await collect(provider().stream(MESSAGES))).toEqual(['甲', '乙']);
    next = {
      status: 200,
      body: JSON.stringify({ choices: [{ message: { role: 'assistant', content: '一次给出' } }] }),
    };
    expect(await collect(provider().stream(MESSAGES))).toEqual(['一次给出']);
  });

  it('reports an HTTP error by status, with the body in the message only redacted', async () => {
    next = {
      status: 401,
      body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}. Bearer ${KEY}` } }),
    };
    for (const call of [provider().generate(MESSAGES), collect(provider().stream(MESSAGES))]) {
      const err = await llmErrorOf(call);
      expect(err.kind).toBe('http_status');
      expect(err.status).toBe(401);
      expect(err.message).toContain('Incorrect API key');
      expect(err.message).not.toContain('SECRET');
    }
  });

  it('reports an error event in the stream and a body that is not JSON as bad responses', async () => {
    next = {
      status: 200,
      contentType: 'text/event-stream',
      body: `data: {"error":{"message":"${KEY}"}}\n\n`,
    };
    const streamed = await llmErrorOf(collect(provider().stream(MESSAGES)));
    expect(streamed.kind).toBe('bad_response');
    expect(streamed.message).not.toContain('SECRET');
    next = { status: 200, body: '<html>proxy error</html>' };
    expect((await llmErrorOf(provider().generate(MESSAGES))).kind).toBe('bad_response');
  });

  it('reports an endpoint that does not listen as unreachable', async () => {
    const err = await llmErrorOf(provider({ baseUrl: 'http://127.0.0.1:9/v1' }).generate(MESSAGES));
    expect(err.kind).toBe('unreachable');
  });

  it('gives up after timeoutMs, and passes the caller abort on as it is', async () => {
    next = { text: 'late', delayMs: 2000 };
    const err = await llmErrorOf(collect(provider({ timeoutMs: 150 }).stream(MESSAGES)));
    expect(err.kind).toBe('timeout');

    const controller = new AbortController();
    const pending = provider().generate(MESSAGES, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const aborted = await pending.then(
      () => null,
      (e: unknown) => e,
    );
    expect(aborted).not.toBeInstanceOf(LlmError);
    expect(controller.signal.aborted).toBe(true);
  });
});

describe('server-sent events cut at any byte', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    // Writes the stream one byte at a time, so lines, events and UTF-8 characters arrive in pieces.
    server = createServer(async (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const body = Buffer.from(
        `${['嘉兴', '市45%', '。[1]'].map((content) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\r\n\r\n`).join('')}data: [DONE]\n\n`,
      );
      for (const byte of body) {
        res.write(Buffer.from([byte]));
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('still yields whole deltas', async () => {
    const p = new OpenAiCompatibleProvider({ baseUrl, model: 'm', apiKey: '', timeoutMs: 10_000 });
    expect((await collect(p.stream(MESSAGES))).join('')).toBe('嘉兴市45%。[1]');
  });
});

describe('chooseLlmProvider', () => {
  it('builds the OpenAI-compatible provider once per config, unless a provider is given', () => {
    const config = {
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      apiKey: '',
      timeoutMs: 1000,
      maxSources: 6,
    };
    const built = chooseLlmProvider(config);
    expect(built).toBeInstanceOf(OpenAiCompatibleProvider);
    expect(chooseLlmProvider(config)).toBe(built);
    const double = new RecordingLlmProvider(['x']);
    expect(chooseLlmProvider({ ...config, provider: double })).toBe(double);
  });
});
