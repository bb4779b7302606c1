/**
 * Slow clients cannot hold connections: headers trickled a byte at a time, or a body that never ends, are
 * cut off with 408 once the configured time is up, and the server goes on answering others.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

let server: TestServer;
let port: number;

beforeAll(async () => {
  server = await startTestServer({ timeouts: { headersMs: 1000, requestMs: 2000 } });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
});

/** Sends `head` at once, then `drip` one byte every `everyMs`; resolves with what the server sent and when it closed. */
function slowClient(head: string, drip: string, everyMs: number): Promise<{ response: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      let i = 0;
      timer = setInterval(() => {
        if (socket.writable) socket.write(drip[i++ % drip.length] ?? 'x');
      }, everyMs);
    });
    socket.on('data', (d) => {
      response += d.toString();
    });
    const done = () => {
      clearInterval(timer);
      resolve({ response, ms: performance.now() - started });
    };
    socket.on('close', done);
    socket.on('error', () => {});
  });
}

describe('request timeouts', () => {
  it('cuts off headers that trickle in, with 408, while answering others', async () => {
    const slow = slowClient('GET /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 'abcdef', 100);
    const fast = await fetch(`${server.url}/healthz`);
    expect(fast.status).toBe(200);
    const { response, ms } = await slow;
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(5000);
  });

  it('cuts off a body that never ends', async () => {
    const head =
      'POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"question":"';
    const { response, ms } = await slowClient(head, '家', 100);
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(6000);
  });
});
