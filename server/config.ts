import { join } from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  type IngestConfig,
  ingestConfigFrom,
  ingestEnvSchema,
  parseEnv,
} from '../ingest/config.ts';
import { type AllowedHosts, allowedHostEntry } from './http/host-check.ts';
import type { LlmConfig } from './llm/choose-provider.ts';

/** Shortest admin token, counting non-space characters: 16 random characters are beyond guessing. */
export const MIN_ADMIN_TOKEN_CHARS = 16;

/**
 * ADMIN_TOKEN: a token that is blank, padded with spaces (which an HTTP client may not send back as given)
 * or mostly spaces is refused rather than silently weak.
 */
const adminTokenSchema = z
  .string()
  .refine((v) => v.trim() === v, 'ADMIN_TOKEN must not start or end with spaces')
  .refine(
    (v) => v.replace(/\s/g, '').length >= MIN_ADMIN_TOKEN_CHARS,
    `ADMIN_TOKEN must have at least ${MIN_ADMIN_TOKEN_CHARS} non-space characters`,
  );

/**
 * TRUST_PROXY: `true` would believe X-Forwarded-For from anyone, so every client could choose its own
 * address (and rate-limit budget); only a hop count or the proxies' addresses are accepted.
 */
const trustProxySchema = z
  .string()
  .default('false')
  .refine(
    (v) => v.trim().toLowerCase() !== 'true',
    'TRUST_PROXY=true lets any client choose its address with X-Forwarded-For; give the number of proxies in front of the server (e.g. 1) or their addresses or subnets (e.g. loopback or 10.0.0.0/8,192.168.1.2)',
  )
  .transform((v): false | number | string => {
    const t = v.trim();
    if (t === '' || t.toLowerCase() === 'false') return false;
    return /^\d+$/.test(t) ? Number(t) : t;
  });

/**
 * ALLOWED_HOSTS: host names (no port) that requests and WebSocket upgrades may carry in their Host header,
 * comma-separated; `*` allows any. Unset: the loopback names when HOST is a loopback address, else any.
 */
const allowedHostsSchema = z
  .string()
  .optional()
  .transform((v, ctx): AllowedHosts | undefined => {
    if (v === undefined || v.trim() === '') return undefined;
    if (v.trim() === '*') return 'any';
    const names: string[] = [];
    for (const entry of v.split(',')) {
      const name = allowedHostEntry(entry);
      if (!name) {
        ctx.addIssue({
          code: 'custom',
          message: `ALLOWED_HOSTS entry "${entry.trim()}" is not a host name without port (e.g. zhengce.example.org,10.0.0.5)`,
        });
        return z.NEVER;
      }
      names.push(name);
    }
    return names;
  });

/** Server settings on top of the ingest ones; all documented in `.env.example`. */
export const serverEnvSchema = ingestEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('data'),
  ADMIN_TOKEN: adminTokenSchema.optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  MAX_QUESTION_LENGTH: z.coerce.number().int().min(10).max(5000).default(500),
  MAX_BODY_BYTES: z
    .string()
    .regex(/^\d+(?:b|kb|mb)$/i, 'MAX_BODY_BYTES is a size such as 32kb')
    .default('32kb'),
  TRUST_PROXY: trustProxySchema,
  ALLOWED_HOSTS: allowedHostsSchema,
  RETRIEVAL_K: z.coerce.number().int().min(1).max(50).default(8),
  ANSWER_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  ANSWER_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  HISTORY_MAX_TURNS: z.coerce.number().int().min(1).max(100_000).default(200),
  HISTORY_STORE: z.enum(['auto', 'sqlite', 'postgres']).default('auto'),
  MAX_UPLOAD_MB: z.coerce.number().min(0.001).max(2000).default(50),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
});

export interface ServerConfig {
  ingest: IngestConfig;
  port: number;
  host: string;
  dataDir: string;
  adminToken: string | undefined;
  rateLimitPerMinute: number;
  maxQuestionLength: number;
  /** express.json body limit, e.g. '32kb'. */
  maxBodyBytes: string;
  /** Express `trust proxy`: false, a hop count or a list of proxy addresses/subnets (never `true`). */
  trustProxy: false | number | string;
  /** Host header values accepted (host-check.ts); undefined: the default for the listen address. */
  allowedHosts: AllowedHosts | undefined;
  retrievalK: number;
  /** Extractive answers kept for repeated questions; 0 turns the cache off. */
  answerCacheSize: number;
  /** Longest an answer may take before the client gets 503 answer_timeout. */
  answerTimeoutMs: number;
  /** Days answers are kept in the history database; 0 keeps them for ever. */
  historyRetentionDays: number;
  /** Turns kept per conversation; recording one more deletes the oldest (sqlite-history.ts). */
  historyMaxTurns: number;
  /** Where conversations and permalinks are kept (historyConfigFrom; opened by history/open-history.ts). */
  history: HistoryConfig;
  /** Largest document an administrator may upload (POST /api/admin/documents), in bytes. */
  maxUploadBytes: number;
  llm: LlmConfig | undefined;
}

/**
 * HISTORY_STORE=auto (the default): in the database with STORE=postgres, so every replica finds every
 * permalink and conversation; in DATA_DIR/history.sqlite otherwise. `sqlite` keeps each process's own file
 * even with STORE=postgres (one replica, or until the database may hold conversations); `postgres` puts
 * them in DATABASE_URL even beside a local index.
 */
export type HistoryConfig =
  | { kind: 'sqlite'; path: string; retentionDays: number; maxTurns: number }
  | { kind: 'postgres'; url: string; poolSize: number; retentionDays: number; maxTurns: number };

function historyConfigFrom(e: z.infer<typeof serverEnvSchema>): HistoryConfig {
  const kept = { retentionDays: e.HISTORY_RETENTION_DAYS, maxTurns: e.HISTORY_MAX_TURNS };
  const kind =
    e.HISTORY_STORE === 'auto' ? (e.STORE === 'postgres' ? 'postgres' : 'sqlite') : e.HISTORY_STORE;
  if (kind === 'sqlite') return { kind, path: join(e.DATA_DIR, 'history.sqlite'), ...kept };
  if (!e.DATABASE_URL)
    throw new ConfigError(
      'Invalid configuration (see .env.example):\n  DATABASE_URL: HISTORY_STORE=postgres needs DATABASE_URL (e.g. postgres://zhengce@127.0.0.1:5432/zhengce)',
    );
  return { kind, url: e.DATABASE_URL, poolSize: e.PG_POOL_SIZE, ...kept };
}

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const e = parseEnv(serverEnvSchema, env);
  if (Boolean(e.LLM_BASE_URL) !== Boolean(e.LLM_MODEL)) {
    throw new Error(
      'Invalid configuration (see .env.example):\n  LLM_BASE_URL and LLM_MODEL must be set together.',
    );
  }
  return {
    ingest: ingestConfigFrom(e),
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    adminToken: e.ADMIN_TOKEN,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    maxQuestionLength: e.MAX_QUESTION_LENGTH,
    maxBodyBytes: e.MAX_BODY_BYTES,
    trustProxy: e.TRUST_PROXY,
    allowedHosts: e.ALLOWED_HOSTS,
    retrievalK: e.RETRIEVAL_K,
    answerCacheSize: e.ANSWER_CACHE_SIZE,
    answerTimeoutMs: e.ANSWER_TIMEOUT_MS,
    historyRetentionDays: e.HISTORY_RETENTION_DAYS,
    historyMaxTurns: e.HISTORY_MAX_TURNS,
    history: historyConfigFrom(e),
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL
        ? {
            baseUrl: e.LLM_BASE_URL,
            model: e.LLM_MODEL,
            apiKey: e.LLM_API_KEY ?? 'not-needed',
            timeoutMs: e.LLM_TIMEOUT_MS,
            maxSources: 6,
          }
        : undefined,
  };
}
