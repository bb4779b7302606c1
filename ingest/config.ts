import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * Settings for building and opening the index, read from the environment (and `.env`). Every setting is
 * documented in `.env.example`; an invalid value stops the program with a message naming it.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const ingestEnvSchema = z.object({
  CORPUS_DIR: z.string().min(1).default('seeds'),
  INDEX_DIR: z.string().min(1).default('data/index'),
  ADDED_DIR: z.string().min(1).optional(),
  EMBEDDER: z.enum(['auto', 'lexical', 'lsa', 'transformers']).default('auto'),
  TRANSFORMERS_MODEL: z.string().min(1).default('Xenova/bge-small-zh-v1.5'),
  MODELS_DIR: z.string().min(1).default('models'),
  ALLOW_REMOTE_MODELS: bool.default(false),
  REMOTE_MODEL_HOST: z.string().url().optional(),
  TRANSFORMERS_QUANTIZED: bool.default(true),
  LSA_DIMENSIONS: z.coerce.number().int().min(8).max(1024).default(256),
  CHUNK_MAX_CHARS: z.coerce.number().int().min(100).max(5000).default(500),
  CHUNK_OVERLAP_SENTENCES: z.coerce.number().int().min(0).max(5).default(1),
  INGEST_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(64)]).default('auto'),
  // At most 2047: a Node buffer of one read holds under 2 GiB.
  MAX_FILE_MB: z.coerce.number().min(0.001).max(2047).default(200),
  STORE: z.enum(['local', 'postgres']).default('local'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\//, 'DATABASE_URL is a postgres:// (or postgresql://) connection URL')
    .optional(),
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PG_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(1000),
});

export type IngestEnv = z.infer<typeof ingestEnvSchema>;

export interface IngestConfig {
  corpusDir: string;
  indexDir: string;
  /**
   * Documents added with `npm run ingest -- --add` or uploaded by an administrator, indexed with the corpus
   * folder (corpus-roots.ts: addedDirOf); when absent, INDEX_DIR/added, so each index has its own.
   */
  addedDir?: string;
  embedder: EmbedderConfig;
  chunk: { maxChars: number; overlapSentences: number };
  /** Worker threads that read and chunk files; 'auto': up to 4, one per 8 files, none for small corpora. */
  workers: number | 'auto';
  /**
   * Files larger than this (MAX_FILE_MB, default 200 MiB) are skipped by name before a byte is read: the
   * largest real policy PDFs are a few dozen MiB, and a disk image dropped in the corpus would otherwise
   * be read whole into memory.
   */
  maxFileBytes: number;
  /** Where the index lives; absent means the local index in INDEX_DIR (the default). */
  store?: StoreConfig;
}

/**
 * STORE=local: the index files in INDEX_DIR. STORE=postgres: documents, chunks, terms and vectors in
 * PostgreSQL (ingest/store/postgres/), so that several stateless servers can share one index.
 */
export type StoreConfig =
  | { kind: 'local' }
  | {
      kind: 'postgres';
      /** DATABASE_URL; never logged with its password (pg-pool.ts: redactUrl). */
      url: string;
      /** PG_POOL_SIZE: connections each process may open. */
      poolSize: number;
      /** PG_POLL_MS: how often a server checks whether another process changed the index. */
      pollMs: number;
    };

export interface EmbedderConfig {
  kind: 'auto' | 'lexical' | 'lsa' | 'transformers';
  lsaDimensions: number;
  transformers: {
    model: string;
    localModelPath: string;
    allowRemoteModels: boolean;
    remoteHost?: string;
    quantized: boolean;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Loads `.env` from the working directory once, without overriding variables already set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Settings that change the index contents, hashed with the corpus. */
export function buildSettings(config: IngestConfig): unknown {
  return { chunk: config.chunk, lsaDimensions: config.embedder.lsaDimensions };
}

/** Parses with a schema and reports every invalid setting by name. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid configuration (see .env.example):\n${problems}`);
  }
  return result.data;
}

/** STORE=postgres without DATABASE_URL is refused with the setting named, like any invalid value. */
function storeConfigFrom(env: IngestEnv): StoreConfig {
  if (env.STORE === 'local') return { kind: 'local' };
  if (!env.DATABASE_URL)
    throw new ConfigError(
      'Invalid configuration (see .env.example):\n  DATABASE_URL: STORE=postgres needs DATABASE_URL (e.g. postgres://zhengce@127.0.0.1:5432/zhengce)',
    );
  return { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.PG_POOL_SIZE, pollMs: env.PG_POLL_MS };
}

export function ingestConfigFrom(env: IngestEnv): IngestConfig {
  return {
    corpusDir: env.CORPUS_DIR,
    indexDir: env.INDEX_DIR,
    ...(env.ADDED_DIR ? { addedDir: env.ADDED_DIR } : {}),
    embedder: {
      kind: env.EMBEDDER,
      lsaDimensions: env.LSA_DIMENSIONS,
      transformers: {
        model: env.TRANSFORMERS_MODEL,
        localModelPath: env.MODELS_DIR,
        allowRemoteModels: env.ALLOW_REMOTE_MODELS,
        ...(env.REMOTE_MODEL_HOST ? { remoteHost: env.REMOTE_MODEL_HOST } : {}),
        quantized: env.TRANSFORMERS_QUANTIZED,
      },
    },
    chunk: { maxChars: env.CHUNK_MAX_CHARS, overlapSentences: env.CHUNK_OVERLAP_SENTENCES },
    workers: env.INGEST_WORKERS,
    maxFileBytes: Math.round(env.MAX_FILE_MB * 1024 * 1024),
    store: storeConfigFrom(env),
  };
}

export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  return ingestConfigFrom(parseEnv(ingestEnvSchema, env));
}
