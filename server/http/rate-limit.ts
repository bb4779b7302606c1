/**
 * Per-IP request limits. HTTP uses express-rate-limit on `/api/*`; the WebSocket counts `ask` messages
 * with the same window and limit in its own counter (an upgrade is one request, the asks are many).
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { HttpError } from './errors.ts';

/** One minute: long enough to smooth bursts from a page load, short enough to recover quickly. */
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
/**
 * Requests per window per IP (RATE_LIMIT_PER_MINUTE in server/config.ts has the same default): a page load
 * makes about five API calls and an official asks a few questions a minute.
 */
export const DEFAULT_RATE_LIMIT_MAX = 60;

export interface RateLimitOptions {
  /** Window length in ms; default DEFAULT_RATE_LIMIT_WINDOW_MS. */
  windowMs?: number;
  /** Requests (HTTP) or asks (WebSocket) allowed per IP per window; default DEFAULT_RATE_LIMIT_MAX. */
  limit?: number;
}

function resolve(options: RateLimitOptions | undefined): Required<RateLimitOptions> {
  return {
    windowMs: options?.windowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS,
    limit: options?.limit ?? DEFAULT_RATE_LIMIT_MAX,
  };
}

export function createHttpRateLimit(options?: RateLimitOptions): RequestHandler {
  const { windowMs, limit } = resolve(options);
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      const error = new HttpError('rate_limited');
      res.status(error.status).json(error.toBody());
    },
  });
}

export interface WsRateLimiter {
  /** Counts one ask for the address; false when it is over the limit. */
  tryConsume(ip: string): boolean;
}

export function createWsRateLimiter(options?: RateLimitOptions, now: () => number = Date.now): WsRateLimiter {
  const { windowMs, limit } = resolve(options);
  const windows = new Map<string, { startedAt: number; count: number }>();
  return {
    tryConsume(ip) {
      const key = ipKeyGenerator(ip);
      const time = now();
      let window = windows.get(key);
      if (!window || time - window.startedAt >= windowMs) {
        // Drop expired windows as we go so the map cannot grow without bound.
        for (const [k, w] of windows) if (time - w.startedAt >= windowMs) windows.delete(k);
        window = { startedAt: time, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      return window.count <= limit;
    },
  };
}
