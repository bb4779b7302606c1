/**
 * A WebSocket client for tests (package ws): queues every server message so a test can await them in
 * order, and waits for the answer to one ask.
 */
import WebSocket from 'ws';

export interface ServerMessage {
  type: string;
  id: string | null;
  [key: string]: unknown;
}

export interface TestSocket {
  ws: WebSocket;
  /** Every message received so far, in order. */
  received: ServerMessage[];
  /** The next message not yet taken by `next`; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<ServerMessage>;
  /** Messages up to and including the `done` or `error` for `id`. */
  untilFinished(id: string, timeoutMs?: number): Promise<ServerMessage[]>;
  sendJson(value: unknown): void;
  /** Resolves with the close code once the socket is closed. */
  closed: Promise<number>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function openTestSocket(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, { headers });
  const received: ServerMessage[] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    received.push(JSON.parse(data.toString()) as ServerMessage);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });

  const next = (timeoutMs = DEFAULT_TIMEOUT_MS) =>
    new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const message = received[taken];
        if (message) {
          taken += 1;
          clearTimeout(timer);
          resolve(message);
        } else waiters.push(check);
      };
      check();
    });

  return {
    ws,
    received,
    next,
    async untilFinished(id, timeoutMs) {
      const messages: ServerMessage[] = [];
      for (;;) {
        const message = await next(timeoutMs);
        if (message.id !== id) continue;
        messages.push(message);
        if (message.type === 'done' || message.type === 'error') return messages;
      }
    },
    sendJson(value) {
      ws.send(JSON.stringify(value));
    },
    closed,
  };
}
