/**
 * The HTTP API and the static web page, as an Express 5 app without `listen` (tests call it in-process or
 * on a port of their choosing; `listen.ts` adds the WebSocket and a port). Routes:
 *
 *   POST /api/ask                 { question, history?, conversationId? } → AnswerResult + answerId, conversationId
 *   GET  /api/search?q=&k=        { query, k, results: RetrievedChunk[] }   (k default 5, max 50)
 *   GET  /api/documents           { documents: DocumentMeta[] }
 *   GET  /api/documents/:id?start=&length= | ?section= | ?clause= | ?chunk=   a window of the text (document-window.ts)
 *   GET  /api/targets?region=&year=&metric=&q=&limit=&cursor=&format=json|csv   a page of targets, or a streamed CSV
 *   GET  /api/targets/facets      the values to filter targets by, with counts
 *   POST /api/check               { claim } → ClaimCheck
 *   GET  /api/answers/:answerId   StoredAnswer (permalinks)
 *   POST /api/answers/:answerId/feedback   { rating: 'up'|'down', note? } → { answerId, feedback } (routes/feedback.ts)
 *   GET  /api/admin/feedback?rating=   the rated answers as a JSONL regression set (admin token; routes/feedback.ts)
 *   GET  /api/conversations/:id   Conversation (turns, oldest first)
 *   POST /api/admin/reingest      Authorization: Bearer <adminToken> (and the other admin routes, routes/admin.ts)
 *   POST /api/admin/documents?name=   upload one document (raw bytes); DELETE /api/admin/documents/:docId
 *   GET  /api/admin/jobs/current  the running or last re-index job
 *   GET  /v1/models, POST /v1/chat/completions   Zhengce as an OpenAI-compatible model (integrations/)
 *   POST /mcp                     MCP tools over Streamable HTTP (server/mcp/)
 *   GET  /healthz                 HealthInfo
 *   GET  /vendor/chart.umd.min.js Chart.js from node_modules, for the comparison chart (vendor-files.ts)
 *   GET  /*                       web/ (index.html, app.js, style.css …)
 *
 * Errors are `{ error: { code, message } }` with the status from `errors.ts`.
 */
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { HistoryStore } from '../history/history-store.ts';
import { openAiChatRoutes } from '../integrations/openai-chat-routes.ts';
import { mcpRoutes } from '../mcp/mcp-http-route.ts';
import type { ZhengceService } from '../service-types.ts';
import { DEFAULT_MAX_QUESTION_LENGTH } from './ask-input.ts';
import { HttpError, toHttpError } from './errors.ts';
import { type AllowedHosts, hostAllowed } from './host-check.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { type ClientRateLimit, createClientRateLimit, type RateLimitOptions } from './rate-limit.ts';
import { type AdminActions, adminRoutes } from './routes/admin.ts';
import { answerRoutes } from './routes/answers.ts';
import { documentRoutes } from './routes/documents.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { targetRoutes } from './routes/targets.ts';
import { securityHeaders } from './security-headers.ts';
import { vendorRoutes } from './vendor-files.ts';

/** JSON bodies are a question plus some history; 32 kB is ample and keeps a flood cheap to refuse. */
export const DEFAULT_MAX_BODY_BYTES = '32kb';
/**
 * Chat clients send the whole conversation with every request (answers with their sources included);
 * 1 MB holds far more than the last MAX_HISTORY_TURNS turns that are used.
 */
export const DEFAULT_INTEGRATION_BODY_BYTES = '1mb';
/** The page shipped with the repository. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

export interface AppOptions {
  service: ZhengceService;
  history: HistoryStore;
  /** Enables `POST /api/admin/reingest`; when absent that route answers 404. */
  adminToken?: string;
  /** Per-client limit on `/api/*`, `/v1`, `/mcp`; defaults in rate-limit.ts (60 requests per minute). */
  rateLimit?: RateLimitOptions;
  /** A budget shared with the WebSocket (listen.ts passes one); default one made from `rateLimit`. */
  rateLimiter?: ClientRateLimit;
  /**
   * Host header values answered (DNS rebinding, host-check.ts); others get 403 host_not_allowed.
   * Default any; startHttpServer passes the default for its listen address.
   */
  allowedHosts?: AllowedHosts;
  /** Longest question, claim or search query in characters; default DEFAULT_MAX_QUESTION_LENGTH (500). */
  maxQuestionLength?: number;
  /** express.json limit; default DEFAULT_MAX_BODY_BYTES ('32kb'). */
  maxBodyBytes?: string;
  /** Re-indexing, uploads and removals for the admin routes (server/reindex/admin-actions.ts). */
  admin?: AdminActions;
  /** Largest document upload in bytes; default DEFAULT_MAX_UPLOAD_BYTES (50 MiB). */
  maxUploadBytes?: number;
  /** Static folder; default DEFAULT_WEB_DIR (web/ in the repository). */
  webDir?: string;
  /**
   * Express `trust proxy` setting, so the rate limit sees client IPs behind a reverse proxy; default false.
   * A hop count or the proxies' addresses: `true` would let any client choose its address (config.ts).
   */
  trustProxy?: false | number | string;
  /** Longest an answer may take (HTTP and WebSocket) before 503 answer_timeout; default 10 s. */
  answerTimeoutMs?: number;
  /** Where unexpected errors are reported; default console.error. The client only sees internal_error. */
  logError?: (err: unknown) => void;
}

export function createApp(options: AppOptions): Express {
  const { service, history } = options;
  const maxQuestionLength = options.maxQuestionLength ?? DEFAULT_MAX_QUESTION_LENGTH;
  const logError = options.logError ?? ((err: unknown) => console.error(err));

  const app = express();
  app.set('trust proxy', options.trustProxy ?? false);
  app.disable('x-powered-by');
  app.use(securityHeaders());
  const allowedHosts = options.allowedHosts ?? 'any';
  app.use((req, _res, next) => {
    // Health probes often use an address as Host, and the health report is not worth rebinding for.
    if (req.path !== '/healthz' && !hostAllowed(req, allowedHosts)) throw new HttpError('host_not_allowed');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json(service.health());
  });

  // One budget per client for the page's API, the OpenAI-compatible API and MCP.
  const rateLimit = (options.rateLimiter ?? createClientRateLimit(options.rateLimit)).middleware;
  const api = express.Router();
  api.use(rateLimit);
  api.use((_req, res, next) => {
    // Answers and targets change on re-ingest; never let a proxy keep a stale copy.
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json({ limit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, strict: true }));
  api.use(
    answerRoutes({
      service,
      history,
      maxQuestionLength,
      ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
    }),
  );
  api.use(feedbackRoutes({ history, ...(options.adminToken ? { adminToken: options.adminToken } : {}) }));
  api.use(documentRoutes({ service, maxQueryLength: maxQuestionLength }));
  api.use(targetRoutes({ service, maxClaimLength: maxQuestionLength }));
  api.use(
    adminRoutes({
      service,
      ...(options.adminToken ? { adminToken: options.adminToken } : {}),
      ...(options.admin ? { admin: options.admin } : {}),
      ...(options.maxUploadBytes ? { maxUploadBytes: options.maxUploadBytes } : {}),
    }),
  );
  // A path some route answers under another method: 405 with Allow (derived from the routes themselves).
  api.use(methodNotAllowed(api));
  api.use(() => {
    throw new HttpError('not_found', 'No such API route.');
  });
  app.use('/api', api);

  // Zhengce for other clients: an OpenAI-compatible chat model and MCP tools (server/integrations, server/mcp).
  const integrationBody = express.json({ limit: DEFAULT_INTEGRATION_BODY_BYTES, strict: true });
  const noStore: express.RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
  const integrationOptions = {
    service,
    maxQuestionLength,
    logError,
    ...(options.answerTimeoutMs ? { answerTimeoutMs: options.answerTimeoutMs } : {}),
  };
  app.use('/v1', rateLimit, noStore, integrationBody, openAiChatRoutes(integrationOptions));
  app.use('/mcp', rateLimit, noStore, integrationBody, mcpRoutes(integrationOptions));

  app.use('/vendor', vendorRoutes());
  app.use(express.static(options.webDir ?? DEFAULT_WEB_DIR, { dotfiles: 'ignore', index: 'index.html' }));
  // The same 405 for routes outside /api (/healthz, /v1, /mcp and whatever is mounted later).
  app.use(methodNotAllowed(app.router));
  app.use(() => {
    throw new HttpError('not_found');
  });

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const error = toHttpError(err);
    if (error.code === 'internal_error') logError(err);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(error.status).json(error.toBody());
  };
  app.use(onError);
  return app;
}
