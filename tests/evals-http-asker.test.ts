import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpAsker } from '../evals/http-asker.ts';
import { answerResult } from './evals-fixtures.ts';

describe('createHttpAsker against a server on 127.0.0.1', () => {
  let server: Server;
  let url: string;
  let limited = 0;
  const bodies: unknown[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const request = JSON.parse(body) as { question: string };
        bodies.push(request);
        const json = { 'content-type': 'application/json' };
        if (request.question === '限流' && limited < 2) {
          limited += 1;
          res
            .writeHead(429, { ...json, 'retry-after': '0' })
            .end('{"error":{"code":"rate_limited","message":"Too many requests"}}');
        } else if (request.question === '永远限流') {
          res
            .writeHead(429, { ...json, 'retry-after': '0' })
            .end('{"error":{"code":"rate_limited","message":"Too many requests"}}');
        } else if (request.question === '不是结果') {
          res.writeHead(200, json).end('{"answer":"x"}');
        } else if (request.question === '纯文本错误') {
          res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway\n');
        } else {
          res
            .writeHead(200, json)
            .end(JSON.stringify({ ...answerResult({ answer: '达到3.6人。' }), answerId: 'a1' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts { question, history } and returns the AnswerResult, extra fields included', async () => {
    const ask = createHttpAsker(`${url}/`);
    const result = await ask({ question: '嘉兴?' });
    expect(result.answer).toBe('达到3.6人。');
    expect(bodies.at(-1)).toEqual({ question: '嘉兴?', history: [] });
  });

  it('waits for Retry-After and retries when the server rate-limits', async () => {
    const waits: number[] = [];
    const result = await createHttpAsker(url, { onRateLimited: (ms) => waits.push(ms) })({
      question: '限流',
    });
    expect(result.status).toBe('answered');
    expect(limited).toBe(2);
    expect(waits).toEqual([0, 0]);
  });

  it("gives up after the retries with the server's message", async () => {
    await expect(createHttpAsker(url, { rateLimitRetries: 1 })({ question: '永远限流' })).rejects.toThrow(
      `POST ${url}/api/ask returned 429: rate_limited: Too many requests`,
    );
  });

  it('rejects a 200 body that is not an AnswerResult, and shows a non-JSON error body', async () => {
    await expect(createHttpAsker(url)({ question: '不是结果' })).rejects.toThrow(
      /returned something that is not an AnswerResult \(status: /,
    );
    await expect(createHttpAsker(url)({ question: '纯文本错误' })).rejects.toThrow(
      `POST ${url}/api/ask returned 502: Bad Gateway`,
    );
  });

  it('says which URL could not be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createHttpAsker(`http://127.0.0.1:${port}`)({ question: 'x' })).rejects.toThrow(
      `POST http://127.0.0.1:${port}/api/ask failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});
