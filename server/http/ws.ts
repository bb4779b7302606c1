/**
 * Streamed answers over a WebSocket at `/ws` on the same HTTP server. The protocol (also in PROTOCOL.md):
 *
 * Every message is one JSON object in a text frame.
 *
 * Client → server
 *   { "type": "ask", "id": "<client id, 1–128 chars>", "question": "…", "history"?: ChatTurn[],
 *     "conversationId"?: "…", "conversationToken"?: "…" }   (appended only with the conversation's token)
 *   { "type": "cancel", "id": "<id of an ask in progress>" }
 *
 * Server → client, for each ask, in this order:
 *   { "type": "retrieval", "id", "retrieved": RetrievedChunk[] }
 *   { "type": "token", "id", "text": "…" }                    (zero or more; concatenated they form the answer)
 *   { "type": "citations", "id", "citations": Citation[] }
 *   { "type": "done", "id", "result": AnswerResult & { answerId, conversationId, conversationToken } }
 * or, at any point, instead of the rest:
 *   { "type": "error", "id": "<id>" | null, "code": "<stable code from errors.ts>", "message": "…" }
 *
 * A frame that is not JSON, not an object of a known type, binary, or larger than `maxMessageBytes`
 * (64 KiB) gets an error (`invalid_json`, `invalid_message`, `binary_not_supported`, `frame_too_large`)
 * and the connection stays open. Frames above `hardMaxPayloadBytes` (1 MiB) close the connection (1009).
 * One ask at a time per connection (`busy` otherwise); each ask draws on the client's rate-limit budget,
 * the same one its HTTP requests use. An upgrade whose Host is not allowed (DNS rebinding) or whose Origin
 * names another host is refused with 403.
 * Closing the connection or sending `cancel` aborts the answer (no `done`, nothing stored).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { charCount } from '../answer/answer-error.ts';
import type { AnswerEvent } from '../answer/contract.ts';
import type { HistoryStore } from '../history/history-store.ts';
import type { ZhengceService } from '../service-types.ts';
import { AnswerAbortedError, answerAndRecord } from './answer-and-record.ts';
import { DEFAULT_MAX_QUESTION_LENGTH, parseAskInput } from './ask-input.ts';
import { type ErrorCode, HttpError, toHttpError } from './errors.ts';
import { type AllowedHosts, hostAllowed } from './host-check.ts';
import { type ClientRateLimit, createClientRateLimit, type RateLimitOptions } from './rate-limit.ts';

export const WS_PATH = '/ws';
/** Largest message answered normally: a question plus a long history fits with room to spare. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
/** Above this the ws library refuses the frame and closes the connection; nothing legitimate comes near. */
export const DEFAULT_HARD_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Ping interval; a client that misses one pong is dropped, so dead connections do not pile up. */
export const DEFAULT_HEARTBEAT_MS = 30_000;
const MAX_CLIENT_ID_LENGTH = 128;

export interface WebSocketOptions {
  service: ZhengceService;
  history: HistoryStore;
  /** Default DEFAULT_MAX_QUESTION_LENGTH (500), as for HTTP. */
  maxQuestionLength?: number;
  /** As for HTTP: DEFAULT_ANSWER_TIMEOUT_MS. */
  answerTimeoutMs?: number;
  /** Default DEFAULT_MAX_MESSAGE_BYTES (64 KiB). */
  maxMessageBytes?: number;
  /** Default DEFAULT_HARD_MAX_PAYLOAD_BYTES (1 MiB). */
  hardMaxPayloadBytes?: number;
  /** Asks per client per window when `rateLimiter` is not given; defaults as for HTTP (rate-limit.ts). */
  rateLimit?: RateLimitOptions;
  /** The budget shared with HTTP (listen.ts passes the app's); default a budget of this socket server's own. */
  rateLimiter?: ClientRateLimit;
  /** Host header values an upgrade may carry (host-check.ts, DNS rebinding); default any. */
  allowedHosts?: AllowedHosts;
  /** Default DEFAULT_HEARTBEAT_MS. */
  heartbeatMs?: number;
  /**
   * Refuse upgrades whose Origin header names another host than the Host header (cross-site WebSocket
   * hijacking); clients that send no Origin (scripts, tests) are allowed. Default true.
   */
  checkOrigin?: boolean;
  /** Address used for the rate limit; default the socket's remote address. */
  clientIp?: (req: IncomingMessage) => string;
  /** Where unexpected errors are reported; default console.error. */
  logError?: (err: unknown) => void;
}

export interface WebSocketHandle {
  readonly wss: WebSocketServer;
  /** Aborts answers in progress, closes every connection and stops listening for upgrades. */
  close(): Promise<void>;
}

type ServerMessage =
  | (Exclude<AnswerEvent, { type: 'done' | 'error' }> & { id: string })
  | { type: 'done'; id: string; result: unknown }
  | { type: 'error'; id: string | null; code: ErrorCode; message: string };

function rawByteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawToText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    // Host names are case-insensitive; URL lower-cases the Origin's, so the Host header is lower-cased too.
    return new URL(origin).host === req.headers.host?.toLowerCase();
  } catch {
    return false;
  }
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachWebSocket(server: Server, options: WebSocketOptions): WebSocketHandle {
  const maxQuestionLength = options.maxQuestionLength ?? DEFAULT_MAX_QUESTION_LENGTH;
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const logError = options.logError ?? ((err: unknown) => console.error(err));
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const limiter = options.rateLimiter ?? createClientRateLimit(options.rateLimit);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.hardMaxPayloadBytes ?? DEFAULT_HARD_MAX_PAYLOAD_BYTES,
    perMessageDeflate: false,
  });
  const alive = new WeakMap<WebSocket, boolean>();
  const aborters = new Set<AbortController>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== WS_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (!hostAllowed(req, options.allowedHosts ?? 'any')) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (options.checkOrigin !== false && !originAllowed(req)) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const ip = clientIp(req);
    let current: { id: string; controller: AbortController } | null = null;
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    // Protocol errors (bad UTF-8, oversize frames) arrive here; without a listener they would crash.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => current?.controller.abort());

    const send = (message: ServerMessage) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    };
    const sendError = (id: string | null, error: HttpError) => {
      send({ type: 'error', id, code: error.code, message: error.message });
    };

    const ask = async (id: string, body: unknown) => {
      const input = parseAskInput(body, maxQuestionLength);
      if (current) throw new HttpError('busy');
      const controller = new AbortController();
      // Taken before the budget is counted (an await), so a second ask meanwhile is `busy`, not a race.
      current = { id, controller };
      try {
        if (!(await limiter.tryConsume(ip))) throw new HttpError('rate_limited');
      } catch (err) {
        current = null;
        throw err;
      }
      aborters.add(controller);
      const forward = (event: AnswerEvent) => {
        // `done` is sent once the answer is stored (it needs the ids); failures come from the rejection.
        if (event.type === 'done' || event.type === 'error' || controller.signal.aborted) return;
        send({ ...event, id });
      };
      try {
        const result = await answerAndRecord(options, input, forward, controller.signal);
        send({ type: 'done', id, result });
      } catch (err) {
        if (err instanceof AnswerAbortedError) return;
        throw err;
      } finally {
        aborters.delete(controller);
        current = null;
      }
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      let id: string | null = null;
      const run = async () => {
        if (rawByteLength(data) > maxMessageBytes) {
          throw new HttpError('frame_too_large', `Messages are limited to ${maxMessageBytes} bytes.`);
        }
        if (isBinary) throw new HttpError('binary_not_supported');
        let message: unknown;
        try {
          message = JSON.parse(rawToText(data));
        } catch {
          throw new HttpError('invalid_json', 'The message is not valid JSON.');
        }
        if (typeof message !== 'object' || message === null || Array.isArray(message)) {
          throw new HttpError('invalid_message');
        }
        const { type, id: rawId, ...rest } = message as Record<string, unknown>;
        // In characters (code points), like every other length the API checks.
        if (typeof rawId === 'string' && rawId.length > 0 && charCount(rawId) <= MAX_CLIENT_ID_LENGTH) {
          id = rawId;
        }
        if (type === 'cancel') {
          if (id !== null && current?.id === id) current.controller.abort();
          return;
        }
        if (type !== 'ask')
          throw new HttpError('invalid_message', 'Unknown message type; expected "ask" or "cancel".');
        if (id === null) {
          throw new HttpError(
            'invalid_message',
            `An ask needs an "id" of 1–${MAX_CLIENT_ID_LENGTH} characters.`,
          );
        }
        await ask(id, rest);
      };
      run().catch((err: unknown) => {
        const error = toHttpError(err);
        if (error.code === 'internal_error') logError(err);
        sendError(id, error);
      });
    });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  return {
    wss,
    close() {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      for (const controller of aborters) controller.abort();
      for (const ws of wss.clients) ws.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
