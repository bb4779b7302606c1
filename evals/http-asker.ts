/**
 * An `ask` function over HTTP: POST <server>/api/ask with { question, history }, for evaluating a
 * running server (or a deployed one) instead of an in-process service.
 */
import { z } from 'zod';
import type { AnswerResult, AskRequest } from '../server/answer/contract.ts';
import type { Ask } from './run-set.ts';

/** Generous because the first question after start-up may wait for models and the index to load. */
export const DEFAULT_HTTP_TIMEOUT_MS = 120_000;

/** A 429 is retried this many times: a long set can outrun the server's per-IP rate limit. */
export const DEFAULT_RATE_LIMIT_RETRIES = 3;
/** Wait when a 429 carries no Retry-After header. */
const FALLBACK_RETRY_AFTER_MS = 10_000;
/** The server's rate-limit window is a minute; never wait longer than that for one retry. */
const MAX_RETRY_AFTER_MS = 60_000;

export interface HttpAskerOptions {
  /** Abort a request after this many ms. Default DEFAULT_HTTP_TIMEOUT_MS (120 s). */
  timeoutMs?: number;
  /** Retries after a 429, waiting for Retry-After each time. Default DEFAULT_RATE_LIMIT_RETRIES (3). */
  rateLimitRetries?: number;
  /** Told before each wait after a 429, so the caller can say why the run paused. Default: silent. */
  onRateLimited?: (waitMs: number) => void;
}

function retryAfterMs(response: Response): number {
  const header = response.headers.get('retry-after');
  const seconds = header === null ? Number.NaN : Number(header);
  const wait = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : FALLBACK_RETRY_AFTER_MS;
  return Math.min(wait, MAX_RETRY_AFTER_MS);
}

// Only the fields the runner reads are checked, so a server adding fields stays compatible.
const AnswerResultShape = z.looseObject({
  status: z.enum(['answered', 'not_found']),
  answer: z.string(),
  citations: z.array(z.looseObject({ n: z.number(), docId: z.string(), text: z.string() })),
  retrieved: z.array(z.looseObject({ chunkId: z.string(), text: z.string() })),
});

/** The server's error text from a JSON body such as { error: { code, message } } or { message }. */
function errorMessage(body: string): string {
  try {
    const json: unknown = JSON.parse(body);
    if (json && typeof json === 'object') {
      const record = json as Record<string, unknown>;
      const error = record.error;
      if (error && typeof error === 'object') {
        const { code, message } = error as Record<string, unknown>;
        if (typeof message === 'string') return typeof code === 'string' ? `${code}: ${message}` : message;
      }
      if (typeof record.message === 'string') return record.message;
      if (typeof error === 'string') return error;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim().slice(0, 500) || '(empty body)';
}

export function askUrl(server: string): string {
  return `${server.replace(/\/+$/, '')}/api/ask`;
}

export function createHttpAsker(server: string, options: HttpAskerOptions = {}): Ask {
  const url = askUrl(server);
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const retries = options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const post = async (question: string, history: AskRequest['history']): Promise<Response> => {
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ question, history: history ?? [] }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new Error(`POST ${url} failed: ${cause ?? (error as Error).message}`);
    }
  };
  return async (req) => {
    let response = await post(req.question, req.history);
    for (let attempt = 0; response.status === 429 && attempt < retries; attempt++) {
      await response.body?.cancel();
      const waitMs = retryAfterMs(response);
      options.onRateLimited?.(waitMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      response = await post(req.question, req.history);
    }
    const body = await response.text();
    if (!response.ok) {
      throw new Error(`POST ${url} returned ${response.status}: ${errorMessage(body)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new Error(`POST ${url} returned ${response.status} with a body that is not JSON`);
    }
    const checked = AnswerResultShape.safeParse(json);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new Error(
        `POST ${url} returned something that is not an AnswerResult (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
      );
    }
    return json as AnswerResult;
  };
}
