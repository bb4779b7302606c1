/**
 * HistoryStore on a better-sqlite3 file. WAL mode so that readers (permalink lookups) never wait for the
 * writer; the folder and file are created when missing; the schema is versioned with `user_version`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { AnswerResult } from '../answer/contract.ts';
import { hashConversationToken, newConversationToken, tokenMatches } from './conversation-token.ts';
import type {
  ConversationPage,
  HistoryStore,
  PageRequest,
  RecordAnswerInput,
  RecordedTurn,
  StoredTurn,
} from './history-store.ts';

/** Default file, relative to the working directory: kept with the index under the gitignored data folder. */
export const DEFAULT_HISTORY_PATH = 'data/history.sqlite';
/**
 * 1: answers as JSON text. 2: answers stored compactly (result_deflate: the result without the retrieved
 * chunks, which a permalink never shows, deflated); version-1 rows are still read as they are.
 * 3: conversations carry the SHA-256 of their token (token_hash); the earlier turns each answer was given
 * (history_json) are no longer kept, and opening an older file erases them. Conversations from before
 * version 3 have no token, so nobody can read, continue or delete them any more; their answers stay
 * reachable by permalink until the retention period removes them.
 */
const SCHEMA_VERSION = 3;
/** 16 random bytes: unguessable, so a permalink does not reveal other people's questions. */
const ID_BYTES = 16;

export interface SqliteHistoryOptions {
  /** Database file; default DEFAULT_HISTORY_PATH. `:memory:` works for throwaway stores. */
  path?: string;
  /** Clock for `createdAt`; default the system clock (injectable for deterministic tests). */
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

/** Default 90 days: long enough to come back to an answer, short enough that the file does not grow for ever. */
export const DEFAULT_RETENTION_DAYS = 90;
/**
 * Default 200 turns: far more than anyone scrolls back through, and it bounds what one conversation costs.
 * The oldest turns go rather than refusing new ones: a user expects a long chat to keep working.
 */
export const DEFAULT_MAX_TURNS = 200;
const DAY_MS = 86_400_000;

interface AnswerRow {
  seq: number;
  id: string;
  question: string;
  result_json: string;
  result_deflate: Buffer | null;
  created_at: string;
}

interface ConversationRow {
  id: string;
  created_at: string;
  token_hash: Buffer | null;
}

/**
 * What is kept of an answer: everything a permalink or a conversation shows. The retrieved chunks (eight
 * clauses of text, half of a result) only serve the answer as it streams, so they are not stored; ids a
 * caller may have attached are dropped so a permalink can never carry them; the rest is deflated (about a
 * fifth of the JSON for Chinese text).
 */
function compactResult(result: AnswerResult): Buffer {
  const { answerId, conversationId, conversationToken, ...answer } = result as AnswerResult & {
    answerId?: unknown;
    conversationId?: unknown;
    conversationToken?: unknown;
  };
  return deflateRawSync(JSON.stringify({ ...answer, retrieved: [] }));
}

function resultOf(row: AnswerRow): AnswerResult {
  const json = row.result_deflate ? inflateRawSync(row.result_deflate).toString('utf8') : row.result_json;
  return JSON.parse(json) as AnswerResult;
}

function randomId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

function rowToTurn(row: AnswerRow): StoredTurn {
  return { answerId: row.id, question: row.question, result: resultOf(row), createdAt: row.created_at };
}

export function openSqliteHistory(options: SqliteHistoryOptions = {}): HistoryStore {
  const path = options.path ?? DEFAULT_HISTORY_PATH;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomId;
  const maxTurns = Math.max(1, options.maxTurns ?? DEFAULT_MAX_TURNS);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });

  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${path} has history schema version ${version}; this server understands up to ${SCHEMA_VERSION}.`,
    );
  }
  db.transaction(() => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS conversations (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        token_hash BLOB
      );
      CREATE TABLE IF NOT EXISTS answers (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        question TEXT NOT NULL,
        history_json TEXT NOT NULL,
        result_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS answers_by_conversation ON answers(conversation_id);
    `);
    const hasColumn = (table: string, name: string) =>
      db
        .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
        .all()
        .some((c) => c.name === name);
    if (!hasColumn('answers', 'result_deflate'))
      db.exec('ALTER TABLE answers ADD COLUMN result_deflate BLOB');
    if (!hasColumn('conversations', 'token_hash')) {
      db.exec('ALTER TABLE conversations ADD COLUMN token_hash BLOB');
    }
    // Earlier turns were kept with every answer before version 3; nothing shows them, so they go.
    if (version < 3) db.exec("UPDATE answers SET history_json = '[]' WHERE history_json <> '[]'");
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();

  const findConversation = db.prepare<[string], ConversationRow>(
    'SELECT id, created_at, token_hash FROM conversations WHERE id = ?',
  );
  const insertConversation = db.prepare<[string, string, Buffer]>(
    'INSERT INTO conversations (id, created_at, token_hash) VALUES (?, ?, ?)',
  );
  // history_json stays in the table (older files have it NOT NULL) but holds nothing any more.
  const insertAnswer = db.prepare<[string, string, string, Buffer, string]>(
    "INSERT INTO answers (id, conversation_id, question, history_json, result_json, result_deflate, created_at) VALUES (?, ?, ?, '[]', '', ?, ?)",
  );
  const findAnswer = db.prepare<[string], AnswerRow>(
    'SELECT rowid AS seq, id, question, result_json, result_deflate, created_at FROM answers WHERE id = ?',
  );
  // Newest first from the (conversation_id, rowid) index, so a page costs its own rows, not the conversation's.
  const pageOf = db.prepare<[string, number, number], AnswerRow>(
    'SELECT rowid AS seq, id, question, result_json, result_deflate, created_at FROM answers WHERE conversation_id = ? AND rowid < ? ORDER BY rowid DESC LIMIT ?',
  );
  const trimConversation = db.prepare<{ conversation: string; keep: number }>(
    `DELETE FROM answers WHERE conversation_id = @conversation AND rowid <= (
       SELECT rowid FROM answers WHERE conversation_id = @conversation ORDER BY rowid DESC LIMIT 1 OFFSET @keep
     )`,
  );
  const deleteAnswersOf = db.prepare<[string]>('DELETE FROM answers WHERE conversation_id = ?');
  const deleteConversationRow = db.prepare<[string]>('DELETE FROM conversations WHERE id = ?');

  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const deleteOld = db.prepare<[string]>('DELETE FROM answers WHERE created_at < ?');
  const deleteEmpty = db.prepare(
    'DELETE FROM conversations WHERE NOT EXISTS (SELECT 1 FROM answers WHERE answers.conversation_id = conversations.id)',
  );
  let prunedAt = 0;
  const prune = db.transaction((at: Date) => {
    deleteOld.run(new Date(at.getTime() - retentionDays * DAY_MS).toISOString());
    deleteEmpty.run();
  });
  const pruneWhenDue = () => {
    const at = now();
    if (retentionDays <= 0 || at.getTime() - prunedAt < DAY_MS) return;
    prunedAt = at.getTime();
    prune(at);
  };
  pruneWhenDue();

  /** The conversation when `token` is its token; null for an unknown id and a wrong token alike. */
  const authorised = (conversationId: string | undefined, token: string | undefined) => {
    const row = conversationId ? findConversation.get(conversationId) : undefined;
    return tokenMatches(token, row?.token_hash) ? (row ?? null) : null;
  };

  const record = db.transaction((input: RecordAnswerInput): RecordedTurn => {
    const createdAt = now().toISOString();
    let conversationId: string;
    let conversationToken: string;
    const existing = authorised(input.conversationId, input.conversationToken);
    if (existing && input.conversationToken) {
      conversationId = existing.id;
      conversationToken = input.conversationToken;
    } else {
      conversationId = newId();
      conversationToken = newConversationToken();
      insertConversation.run(conversationId, createdAt, hashConversationToken(conversationToken));
    }
    const answerId = newId();
    insertAnswer.run(answerId, conversationId, input.question, compactResult(input.result), createdAt);
    trimConversation.run({ conversation: conversationId, keep: maxTurns });
    return {
      answerId,
      conversationId,
      conversationToken,
      question: input.question,
      result: input.result,
      createdAt,
    };
  });

  const readPage = db.transaction((conversationId: string, token: string | undefined, page: PageRequest) => {
    const conversation = authorised(conversationId, token);
    if (!conversation) return null;
    const limit = Math.max(1, Math.floor(page.limit));
    const before = page.before ? Number(page.before) : Number.MAX_SAFE_INTEGER;
    const rows = pageOf.all(conversation.id, before, limit + 1);
    const kept = rows.slice(0, limit).reverse();
    const result: ConversationPage = {
      conversationId: conversation.id,
      createdAt: conversation.created_at,
      turns: kept.map(rowToTurn),
      nextCursor: rows.length > limit && kept[0] ? String(kept[0].seq) : null,
    };
    return result;
  });

  const remove = db.transaction((conversationId: string, token: string | undefined): boolean => {
    const conversation = authorised(conversationId, token);
    if (!conversation) return false;
    deleteAnswersOf.run(conversation.id);
    deleteConversationRow.run(conversation.id);
    return true;
  });

  return {
    async recordAnswer(input) {
      pruneWhenDue();
      return record(input);
    },
    async getAnswer(answerId) {
      const row = findAnswer.get(answerId);
      return row ? rowToTurn(row) : null;
    },
    async getConversation(conversationId, conversationToken, page) {
      return readPage(conversationId, conversationToken, page);
    },
    async deleteConversation(conversationId, conversationToken) {
      return remove(conversationId, conversationToken);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
