import { z } from 'zod';
import { type IngestConfig, ingestConfigFrom, ingestEnvSchema, parseEnv } from '../ingest/config.ts';
import type { LlmConfig } from './llm/choose-provider.ts';

/** Server settings on top of the ingest ones; all documented in `.env.example`. */
export const serverEnvSchema = ingestEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('data'),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  MAX_QUESTION_LENGTH: z.coerce.number().int().min(10).max(5000).default(500),
  MAX_BODY_BYTES: z
    .string()
    .regex(/^\d+(?:b|kb|mb)$/i, 'MAX_BODY_BYTES is a size such as 32kb')
    .default('32kb'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v) => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  RETRIEVAL_K: z.coerce.number().int().min(1).max(50).default(8),
  ANSWER_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  ANSWER_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
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
  /** Express `trust proxy`: false, true, a hop count or a subnet list. */
  trustProxy: boolean | number | string;
  retrievalK: number;
  /** Extractive answers kept for repeated questions; 0 turns the cache off. */
  answerCacheSize: number;
  /** Longest an answer may take before the client gets 503 answer_timeout. */
  answerTimeoutMs: number;
  /** Days answers are kept in the history database; 0 keeps them for ever. */
  historyRetentionDays: number;
  /** Largest document an administrator may upload (POST /api/admin/documents), in bytes. */
  maxUploadBytes: number;
  llm: LlmConfig | undefined;
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
    retrievalK: e.RETRIEVAL_K,
    answerCacheSize: e.ANSWER_CACHE_SIZE,
    answerTimeoutMs: e.ANSWER_TIMEOUT_MS,
    historyRetentionDays: e.HISTORY_RETENTION_DAYS,
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
