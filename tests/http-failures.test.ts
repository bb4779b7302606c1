/**
 * Behaviour the real service cannot be made to show on demand (a slow stream to interrupt, a failure),
 * run against a recording ZhengceService double behind the real app, WebSocket and SQLite store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRecordingService, type RecordingService } from './support/http-recording-service.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';
import { openTestSocket } from './support/http-ws-client.ts';

async function waitFor(check: () => boolean, timeoutMs = 5000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(service: RecordingService, logged: unknown[] = []) {
  server = await startTestServer({ service, logError: (err) => logged.push(err) });
  return server;
}

describe('aborting answers', () => {
  it('aborts the answer when the WebSocket client disconnects mid-stream, and stores nothing', async () => {
    const service = createRecordingService({ tokenDelayMs: 200, tokens: 5 });
    const { wsUrl, historyPath } = await start(service);
    const socket = await openTestSocket(wsUrl);
    socket.sendJson({ type: 'ask', id: 'q', question: '嘉兴?' });
    expect((await socket.next()).type).toBe('retrieval');
    socket.ws.terminate();
    await waitFor(() => service.asks[0]?.aborted === true);
    expect(service.asks[0]?.finished).toBe(false);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(historyPath, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM answers').get()).toEqual({ n: 0 });
    db.close();
  });

  it('aborts on a cancel message without sending done', async () => {
    const service = createRecordingService({ tokenDelayMs: 200, tokens: 5 });
    const { wsUrl } = await start(service);
    const socket = await openTestSocket(wsUrl);
    socket.sendJson({ type: 'ask', id: 'q', question: '嘉兴?' });
    await socket.next();
    socket.sendJson({ type: 'cancel', id: 'q' });
    await waitFor(() => service.asks[0]?.aborted === true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.received.map((m) => m.type)).not.toContain('done');
    socket.sendJson({ type: 'ask', id: 'again', question: '嘉兴?' });
    expect((await socket.untilFinished('again')).at(-1)?.type).toBe('done');
    socket.ws.close();
  });

  it('answers busy for a second ask on the same connection while one is running', async () => {
    const service = createRecordingService({ tokenDelayMs: 100, tokens: 3 });
    const { wsUrl } = await start(service);
    const socket = await openTestSocket(wsUrl);
    socket.sendJson({ type: 'ask', id: 'one', question: '嘉兴?' });
    socket.sendJson({ type: 'ask', id: 'two', question: '西宁?' });
    expect((await socket.untilFinished('two')).at(-1)).toMatchObject({ type: 'error', code: 'busy' });
    expect((await socket.untilFinished('one')).at(-1)?.type).toBe('done');
    socket.ws.close();
  });

  it('aborts the answer when an HTTP client gives up', async () => {
    const service = createRecordingService({ tokenDelayMs: 200, tokens: 5 });
    const { url } = await start(service);
    const controller = new AbortController();
    const request = fetch(`${url}/api/ask`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: '嘉兴?' }),
      signal: controller.signal,
    });
    await waitFor(() => service.asks.length === 1);
    controller.abort();
    await expect(request).rejects.toThrow();
    await waitFor(() => service.asks[0]?.aborted === true);
  });
});

describe('service failures', () => {
  it('answers 500 internal_error without details over HTTP, logs the error, and keeps serving', async () => {
    const logged: unknown[] = [];
    const service = createRecordingService({ failWith: new Error('index file /secret/path is corrupt') });
    const { url } = await start(service, logged);
    const response = await fetch(`${url}/api/ask`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: '嘉兴?' }),
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal_error', message: 'The server could not answer; the error has been logged.' },
    });
    expect(text).not.toContain('/secret/path');
    expect(logged).toHaveLength(1);
    expect((await fetch(`${url}/api/documents`)).status).toBe(200);
  });

  it('sends an internal_error message over the WebSocket and keeps the connection', async () => {
    const service = createRecordingService({ failWith: new Error('boom at /secret/path') });
    const { wsUrl } = await start(service, []);
    const socket = await openTestSocket(wsUrl);
    socket.sendJson({ type: 'ask', id: 'f', question: '嘉兴?' });
    const finished = await socket.untilFinished('f');
    expect(finished.map((m) => m.type)).toEqual(['retrieval', 'error']);
    expect(finished.at(-1)).toMatchObject({ code: 'internal_error' });
    expect(JSON.stringify(finished)).not.toContain('/secret/path');
    socket.sendJson({ type: 'ask', id: 'g', question: '嘉兴?' });
    expect((await socket.untilFinished('g')).at(-1)?.type).toBe('error');
    socket.ws.close();
  });
});
