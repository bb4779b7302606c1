import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createService } from '../server/service.ts';
import { type FakeOpenAi, type FakeReply, startFakeOpenAi } from './support/fake-openai-server.ts';
import { realServiceFromSeeds, startTestServer, type TestServer } from './support/http-test-server.ts';
import { openTestSocket } from './support/http-ws-client.ts';

/**
 * Issue 12, finding 2: whatever an LLM endpoint answers when it fails (a 401 that echoes the key, an
 * internal host name, a Python traceback with server paths), the client sees a short category and nothing
 * of the upstream text: not in the POST /api/ask JSON, not in the WebSocket messages, not in the stored
 * permalink. The server log has the detail, with the key removed. Real server on 127.0.0.1, fake
 * OpenAI-compatible endpoint on 127.0.0.1.
 */
const QUESTION = '嘉兴2027年家庭医生签约服务覆盖率目标是多少?';
const KEY = 'sk-live-TOPSECRET-4f9a2c7e';
const INTERNAL_HOST = 'llm-gateway-7.corp.internal';
const TRACEBACK_PATH = '/srv/vllm/venv/lib/python3.11/site-packages/vllm/entrypoints/openai/api_server.py';
const TRACEBACK = `Traceback (most recent call last):\n  File "${TRACEBACK_PATH}", line 283, in create_chat_completion\n    raise ValueError(f"bad request from {client}")\nValueError: upstream ${INTERNAL_HOST}:8443 refused key ${KEY}`;
/** Every piece of upstream text that must never reach a client. */
const SECRETS = [
  KEY,
  'TOPSECRET',
  INTERNAL_HOST,
  'corp.internal',
  TRACEBACK_PATH,
  'site-packages',
  'Traceback',
];

let reply: () => FakeReply = () => 'unused';
let fake: FakeOpenAi;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeOpenAi(() => reply());
  const { indexDir } = await realServiceFromSeeds();
  const service = await createService({
    indexDir,
    ensure: false,
    llm: { baseUrl: fake.baseUrl, model: 'fake-qwen', apiKey: KEY, timeoutMs: 1000, maxSources: 6 },
  });
  server = await startTestServer({ service });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

function expectNoUpstreamText(what: string, value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of SECRETS) expect(text, `${what} contains ${secret}`).not.toContain(secret);
}

interface Answered {
  answerer: string;
  answerId: string;
  fallback?: { reason: string };
}

/** One ask over HTTP and one over the WebSocket, each read back from its permalink. */
async function askEverywhere(): Promise<{ reasons: string[]; logged: string }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const http = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: QUESTION }),
    });
    expect(http.status).toBe(200);
    const httpBody = (await http.json()) as Answered;
    expectNoUpstreamText('POST /api/ask', httpBody);

    const socket = await openTestSocket(server.wsUrl);
    socket.sendJson({ type: 'ask', id: 'a1', question: QUESTION });
    const messages = await socket.untilFinished('a1');
    socket.ws.close();
    expectNoUpstreamText('WebSocket messages', messages);
    const done = messages.at(-1) as unknown as { type: string; result: Answered };
    expect(done.type).toBe('done');

    const reasons: string[] = [];
    for (const result of [httpBody, done.result]) {
      expect(result.answerer).toBe('extractive');
      reasons.push(result.fallback?.reason ?? '');
      const permalink = await fetch(`${server.url}/api/answers/${result.answerId}`);
      expect(permalink.status).toBe(200);
      const stored = await permalink.json();
      expectNoUpstreamText('the stored permalink', stored);
      expect(JSON.stringify(stored)).toContain(result.fallback?.reason ?? '<no reason>');
    }
    const logged = [...warn.mock.calls, ...error.mock.calls].flat().map(String).join('\n');
    // The key is redacted even in the server log.
    expect(logged).not.toContain(KEY);
    return { reasons, logged };
  } finally {
    warn.mockRestore();
    error.mockRestore();
  }
}

describe('LLM failures reach clients as a category only', () => {
  it('a 401 that echoes the key and names an internal host: "refused the key"', async () => {
    reply = () => ({
      status: 401,
      body: JSON.stringify({
        error: { message: `Incorrect API key provided: ${KEY}. Request via ${INTERNAL_HOST}:8443.` },
      }),
    });
    const { reasons, logged } = await askEverywhere();
    for (const reason of reasons) {
      expect(reason).toBe('The LLM endpoint refused the key (HTTP 401); showing the extractive answer.');
    }
    expect(logged).toContain('401');
    expect(logged).toContain(INTERNAL_HOST);
  });

  it('a 500 with a Python traceback: "returned an error", the traceback in the log only', async () => {
    reply = () => ({ status: 500, body: TRACEBACK, contentType: 'text/plain' });
    const { reasons, logged } = await askEverywhere();
    for (const reason of reasons) {
      expect(reason).toBe('The LLM endpoint returned an error (HTTP 500); showing the extractive answer.');
    }
    expect(logged).toContain('Traceback');
  });

  it('a proxy page in place of JSON, and an error event inside the stream: "could not be read"', async () => {
    reply = () => ({
      status: 200,
      body: `<html>502 from ${INTERNAL_HOST}: ${TRACEBACK}</html>`,
      contentType: 'text/html',
    });
    for (const reason of (await askEverywhere()).reasons) {
      expect(reason).toBe('The LLM response could not be read; showing the extractive answer.');
    }
    reply = () => ({
      status: 200,
      contentType: 'text/event-stream',
      body: `data: ${JSON.stringify({ error: { message: TRACEBACK } })}\n\n`,
    });
    const { reasons, logged } = await askEverywhere();
    for (const reason of reasons) {
      expect(reason).toBe('The LLM response could not be read; showing the extractive answer.');
    }
    expect(logged).toContain(INTERNAL_HOST);
  });

  it('an endpoint that does not answer in time: "did not answer in time"', async () => {
    reply = () => ({ text: `late ${KEY}`, delayMs: 1500 });
    for (const reason of (await askEverywhere()).reasons) {
      expect(reason).toBe('The LLM did not answer in time; showing the extractive answer.');
    }
  });
});
