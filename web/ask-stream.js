/**
 * Asking a question: streamed over the WebSocket at /ws when it works, otherwise (no WebSocket, blocked by a
 * proxy, dropped mid-answer) the same question is sent to POST /api/ask and the whole answer shown at once.
 * See server/http/PROTOCOL.md for the message format.
 */
import { ApiError, CANCELLED, postJson } from './api.js';

/** Give up on opening the socket after this long and use HTTP instead. */
const CONNECT_TIMEOUT_MS = 3000;
/** After a failed connection, use HTTP for a while rather than waiting on the socket for every question. */
const RETRY_AFTER_MS = 30_000;

let socket = null;
let opening = null;
let brokenUntil = 0;
let nextId = 1;
const pending = new Map();

function socketUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

function connect() {
  if (socket?.readyState === WebSocket.OPEN) return Promise.resolve(socket);
  if (opening) return opening;
  if (Date.now() < brokenUntil) return Promise.reject(new Error('WebSocket recently failed'));
  opening = new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl());
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error('WebSocket connect timeout'));
    }, CONNECT_TIMEOUT_MS);
    ws.addEventListener('open', () => {
      clearTimeout(timer);
      socket = ws;
      resolve(ws);
    });
    ws.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error('WebSocket error'));
    });
    ws.addEventListener('close', () => {
      clearTimeout(timer);
      reject(new Error('WebSocket closed'));
      if (socket === ws) socket = null;
      for (const handler of pending.values()) handler.lost();
      pending.clear();
    });
    ws.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      pending.get(message.id)?.message(message);
    });
  }).finally(() => {
    opening = null;
  });
  opening.catch(() => {
    brokenUntil = Date.now() + RETRY_AFTER_MS;
  });
  return opening;
}

/**
 * `handlers.signal` stops the answer (Stop): over the socket a `cancel` is sent, over HTTP the request is
 * aborted; either way the server stores nothing and the promise rejects with ApiError code CANCELLED.
 * @param {{ question: string, history: {role: string, content: string}[], conversationId?: string, conversationToken?: string, scope?: { docIds?: string[], regions?: string[] }, replacesAnswerId?: string }} payload
 * @param {{ onRetrieval?: Function, onToken?: Function, onCitations?: Function, onTransport?: Function, signal?: AbortSignal }} handlers
 * @returns {Promise<object>} the AnswerResult with answerId, conversationId and conversationToken
 */
export async function ask(payload, handlers = {}) {
  const { signal } = handlers;
  const cancelled = () => new ApiError(CANCELLED, 'Stopped.', 0);
  let ws;
  try {
    ws = await connect();
  } catch {
    handlers.onTransport?.('http');
    return postJson('/api/ask', payload, { signal });
  }
  if (signal?.aborted) throw cancelled();
  handlers.onTransport?.('ws');
  const id = `q${nextId++}`;
  return new Promise((resolve, reject) => {
    let streamed = false;
    const onAbort = () => {
      // The server aborts the answer on `cancel` and sends nothing more for this id.
      if (!pending.delete(id)) return;
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'cancel', id }));
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (fn) => (value) => {
      signal?.removeEventListener('abort', onAbort);
      fn(value);
    };
    resolve = settle(resolve);
    reject = settle(reject);
    pending.set(id, {
      message(message) {
        if (message.type === 'retrieval') handlers.onRetrieval?.(message.retrieved);
        else if (message.type === 'token') {
          streamed = true;
          handlers.onToken?.(message.text);
        } else if (message.type === 'citations') handlers.onCitations?.(message.citations);
        else if (message.type === 'done') {
          pending.delete(id);
          resolve(message.result);
        } else if (message.type === 'error') {
          pending.delete(id);
          reject(new ApiError(message.code, message.message, 0));
        }
      },
      lost() {
        // The server aborts and stores nothing when the socket drops, so asking again over HTTP is safe.
        handlers.onTransport?.('http', { restart: streamed });
        postJson('/api/ask', payload, { signal }).then(resolve, reject);
      },
    });
    ws.send(JSON.stringify({ type: 'ask', id, ...payload }));
  });
}
