import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskRequest } from '../server/answer/contract.ts';
import type { ZhengceService } from '../server/service-types.ts';
import { realServiceFromSeeds, startTestServer, type TestServer } from './support/http-test-server.ts';
import { openTestSocket } from './support/http-ws-client.ts';

/**
 * The real service, slowed for one kind of question: it waits 400 ms before answering, as a question that
 * outgrows the server's budget would, and gives up when its signal is aborted.
 */
async function slowedService(): Promise<ZhengceService> {
  const { service } = await realServiceFromSeeds();
  return {
    ...service,
    async ask(req: AskRequest, onEvent, signal) {
      if (req.question.includes('慢')) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 400);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
      }
      return service.ask(req, onEvent, signal);
    },
  };
}

describe('each answer has a time budget (ANSWER_TIMEOUT_MS)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ service: await slowedService(), answerTimeoutMs: 100 });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers 503 answer_timeout over HTTP when the budget runs out, and answers the next question', async () => {
    const started = performance.now();
    const res = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: '慢慢来:嘉兴2027年家庭医生签约服务覆盖率目标?' }),
    });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('answer_timeout');
    expect(performance.now() - started).toBeLessThan(390);
    const next = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: '嘉兴2027年家庭医生签约服务覆盖率目标?' }),
    });
    expect(next.status).toBe(200);
    expect((await next.json()).answer).toContain('45%');
  });

  it('sends the same code over the WebSocket', async () => {
    const socket = await openTestSocket(server.wsUrl);
    socket.sendJson({
      type: 'ask',
      id: 'slow',
      question: '慢一点:嘉兴2027年家庭医生签约服务覆盖率目标?',
      history: [],
    });
    const messages = await socket.untilFinished('slow');
    expect(messages.at(-1)).toMatchObject({ type: 'error', id: 'slow', code: 'answer_timeout' });
    socket.ws.close();
  });
});
