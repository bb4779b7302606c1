/**
 * Starts the HTTP server with the app and the WebSocket on one port. `server/main.ts` (and the tests) call
 * this after creating the service and the history store.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AppOptions, createApp } from './app.ts';
import { resolveAllowedHosts } from './host-check.ts';
import { createClientRateLimit, upgradeClientIp } from './rate-limit.ts';
import { attachWebSocket, type WebSocketOptions } from './ws.ts';

export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
export const DEFAULT_KEEP_ALIVE_MS = 5_000;

export interface StartOptions extends AppOptions {
  /** Default 127.0.0.1: only this machine, until an operator chooses otherwise. */
  host?: string;
  /** Default 0 (a free port); main.ts passes the configured PORT. */
  port?: number;
  /**
   * Slow clients: a request's headers must arrive within `headersMs` (default 20 s) and the whole request
   * within `requestMs` (default 120 s, room for a large upload on a slow line), so a client that trickles
   * bytes cannot hold a connection for ever; idle keep-alive connections close after `keepAliveMs` (5 s).
   */
  timeouts?: { headersMs?: number; requestMs?: number; keepAliveMs?: number };
  /** Extra WebSocket options (limits, heartbeat); service, history and shared limits come from above. */
  ws?: Omit<WebSocketOptions, 'service' | 'history'>;
}

export interface RunningServer {
  server: Server;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** Stops accepting connections, ends open WebSockets and waits for the server to close. */
  close(): Promise<void>;
}

export async function startHttpServer(options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  // One budget per client for HTTP and WebSocket asks, and one Host policy for both.
  const rateLimiter = options.rateLimiter ?? createClientRateLimit(options.rateLimit);
  const allowedHosts = resolveAllowedHosts(host, options.allowedHosts);
  const app = createApp({ ...options, rateLimiter, allowedHosts });
  const headersTimeout = options.timeouts?.headersMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = options.timeouts?.requestMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: options.timeouts?.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
      // Node enforces the two timeouts on this tick (30 s by default): check often enough to keep them.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(headersTimeout / 4))),
    },
    app,
  );
  const ws = attachWebSocket(server, {
    service: options.service,
    history: options.history,
    maxQuestionLength: options.maxQuestionLength,
    ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
    rateLimiter,
    allowedHosts,
    clientIp: (req) => upgradeClientIp(app, req),
    logError: options.logError,
    ...options.ws,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${urlHost}:${port}`,
    async close() {
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
