/**
 * Per-client request limits: one budget per client address, shared by HTTP (`/api/*`, `/v1`, `/mcp`) and
 * WebSocket `ask` messages, so a client cannot double its allowance by switching transport. HTTP goes
 * through express-rate-limit; the WebSocket draws from the same store under the same key.
 */
import type { IncomingMessage } from 'node:http';
import type { Express, RequestHandler } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit } from 'express-rate-limit';
import { HttpError } from './errors.ts';

/** One minute: long enough to smooth bursts from a page load, short enough to recover quickly. */
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
/**
 * Requests per window per client (RATE_LIMIT_PER_MINUTE in server/config.ts has the same default): a page
 * load makes about five API calls and an official asks a few questions a minute.
 */
export const DEFAULT_RATE_LIMIT_MAX = 60;

export interface RateLimitOptions {
  /** Window length in ms; default DEFAULT_RATE_LIMIT_WINDOW_MS. */
  windowMs?: number;
  /** HTTP requests plus WebSocket asks allowed per client per window; default DEFAULT_RATE_LIMIT_MAX. */
  limit?: number;
}

/** One budget per client, used by the HTTP middleware and by the WebSocket. */
export interface ClientRateLimit {
  /** express middleware for HTTP routes (429 rate_limited when over budget). */
  readonly middleware: RequestHandler;
  /** Counts one WebSocket ask for the client address; false when the budget is used up. */
  tryConsume(ip: string): Promise<boolean>;
}

/**
 * The key of a client address: IPv4 as it is, IPv6 by its /56 network (express-rate-limit's default), so
 * one household or VM cannot rotate through the addresses of its prefix.
 */
function clientKey(ip: string): string {
  return ipKeyGenerator(ip);
}

export function createClientRateLimit(options?: RateLimitOptions): ClientRateLimit {
  const windowMs = options?.windowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS;
  const limit = options?.limit ?? DEFAULT_RATE_LIMIT_MAX;
  const store = new MemoryStore();
  const middleware = rateLimit({
    windowMs,
    limit,
    store,
    // ipKeyGenerator spelled out here: express-rate-limit checks a custom keyGenerator's source for it.
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      const error = new HttpError('rate_limited');
      res.status(error.status).json(error.toBody());
    },
  });
  return {
    middleware,
    async tryConsume(ip) {
      // The middleware initialised the store with windowMs when it was created.
      const { totalHits } = await store.increment(clientKey(ip));
      return totalHits <= limit;
    },
  };
}

/**
 * The client address of a WebSocket upgrade as Express would see it for an HTTP request, honouring the
 * app's `trust proxy` setting, so that both transports charge the same budget behind a reverse proxy too.
 */
export function upgradeClientIp(app: Express, req: IncomingMessage): string {
  // app.request is Express's request prototype; its `ip` getter reads headers and socket through `this`.
  const view = Object.create(app.request, {
    headers: { value: req.headers },
    socket: { value: req.socket },
    connection: { value: req.socket },
  }) as { ip?: string };
  return view.ip ?? req.socket.remoteAddress ?? 'unknown';
}
