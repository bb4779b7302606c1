/**
 * Starts the HTTP server with the app and the WebSocket on one port. `server/main.ts` (and the tests) call
 * this after creating the service and the history store.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AppOptions, createApp } from './app.ts';
import { attachWebSocket, type WebSocketOptions } from './ws.ts';

export interface StartOptions extends AppOptions {
  /** Default 127.0.0.1: only this machine, until an operator chooses otherwise. */
  host?: string;
  /** Default 0 (a free port); main.ts passes the configured PORT. */
  port?: number;
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
  const app = createApp(options);
  const server = createServer(app);
  const ws = attachWebSocket(server, {
    service: options.service,
    history: options.history,
    maxQuestionLength: options.maxQuestionLength,
    ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
    rateLimit: options.rateLimit,
    logError: options.logError,
    ...options.ws,
  });
  const host = options.host ?? '127.0.0.1';
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
