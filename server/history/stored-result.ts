/**
 * How an answer is kept by every history store (SQLite and PostgreSQL alike), so that a permalink shows
 * the same thing whichever store recorded it.
 */
import { randomBytes } from 'node:crypto';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AnswerResult } from '../answer/contract.ts';

/** Default 90 days: long enough to come back to an answer, short enough that the file does not grow for ever. */
export const DEFAULT_RETENTION_DAYS = 90;
/**
 * Default 200 turns: far more than anyone scrolls back through, and it bounds what one conversation costs.
 * The oldest turns go rather than refusing new ones: a user expects a long chat to keep working.
 */
export const DEFAULT_MAX_TURNS = 200;
export const DAY_MS = 86_400_000;

/** What every history store is told about time, ids and what it keeps. */
export interface HistoryKeepingOptions {
  /** Clock for `createdAt` and retention; default the system clock (injectable for deterministic tests). */
  now?: () => Date;
  /** Id generator; default 16 random bytes as base64url. */
  newId?: () => string;
  /**
   * Answers older than this many days are deleted (with conversations left empty), when the store opens
   * and then once a day; 0 keeps everything. Default DEFAULT_RETENTION_DAYS.
   */
  retentionDays?: number;
  /**
   * Turns kept per conversation: recording one more deletes the oldest beyond this (their permalinks then
   * answer 404). Default DEFAULT_MAX_TURNS.
   */
  maxTurns?: number;
}

/** 16 random bytes: unguessable, so a permalink does not reveal other people's questions. */
const ID_BYTES = 16;

export function randomStoredId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/**
 * What is kept of an answer: everything a permalink or a conversation shows. The retrieved chunks (eight
 * clauses of text, half of a result) only serve the answer as it streams, so they are not stored; ids a
 * caller may have attached are dropped so a permalink can never carry them; the rest is deflated at the
 * fastest level (a quarter of the JSON for Chinese text, against a fifth at the default level, in a third of
 * the time: every answer served is stored, and at the default level deflating was a tenth of a cached
 * answer's cost in `npm run bench`).
 */
export function compactResult(result: AnswerResult): Buffer {
  const { answerId, conversationId, conversationToken, ...answer } = result as AnswerResult & {
    answerId?: unknown;
    conversationId?: unknown;
    conversationToken?: unknown;
  };
  return deflateRawSync(JSON.stringify({ ...answer, retrieved: [] }), { level: constants.Z_BEST_SPEED });
}

/** The answer back from compactResult's bytes. */
export function expandResult(deflated: Buffer): AnswerResult {
  return JSON.parse(inflateRawSync(deflated).toString('utf8')) as AnswerResult;
}
