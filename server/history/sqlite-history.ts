/**
 * HistoryStore on a better-sqlite3 file. WAL mode so that readers (permalink lookups) never wait for the
 * writer; the folder and file are created when missing; the schema is versioned with `user_version`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { AnswerResult, ChatTurn } from '../answer/contract.ts';
import type { Conversation, HistoryStore, RecordAnswerInput, StoredAnswer } from './history-store.ts';

/** Default file, relative to the working directory: kept with the index under the gitignored data folder. */
export const DEFAULT_HISTORY_PATH = 'data/history.sqlite';
/**
 * 1: answers as JSON text. 2: answers stored compactly (result_deflate: the result without the retrieved
 * chunks, which a permalink never shows, deflated); version-1 rows are still read as they are.
 */
const SCHEMA_VERSION = 2;
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
}

/** Default 90 days: long enough to come back to an answer, short enough that the file does not grow for ever. */
export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

interface AnswerRow {
  id: string;
  conversation_id: string;
  question: string;
  history_json: string;
  result_json: string;
  result_deflate: Buffer | null;
  created_at: string;
}

/**
 * What is kept of an answer: everything a permalink or a conversation shows. The retrieved chunks (eight
 * clauses of text, half of a result) only serve the answer as it streams, so they are not stored; the rest
 * is deflated (about a fifth of the JSON for Chinese text).
 */
function compactResult(result: AnswerResult): Buffer {
  return deflateRawSync(JSON.stringify({ ...result, retrieved: [] }));
}

function resultOf(row: AnswerRow): AnswerResult {
  const json = row.result_deflate ? inflateRawSync(row.result_deflate).toString('utf8') : row.result_json;
  return JSON.parse(json) as AnswerResult;
}

function randomId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

function rowToAnswer(row: AnswerRow): StoredAnswer {
  return {
    answerId: row.id,
    conversationId: row.conversation_id,
    question: row.question,
    history: JSON.parse(row.history_json) as ChatTurn[],
    result: resultOf(row),
    createdAt: row.created_at,
  };
}

export function openSqliteHistory(options: SqliteHistoryOptions = {}): HistoryStore {
  const path = options.path ?? DEFAULT_HISTORY_PATH;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomId;
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
  db.exec(`
    CREATE TABLE IF NOT EXISTS conversations (
      id TEXT PRIMARY KEY,
      created_at TEXT NOT NULL
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
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(answers)').all();
  if (!columns.some((c) => c.name === 'result_deflate'))
    db.exec('ALTER TABLE answers ADD COLUMN result_deflate BLOB');
  db.pragma(`user_version = ${SCHEMA_VERSION}`);

  const findConversation = db.prepare<[string], { id: string; created_at: string }>(
    'SELECT id, created_at FROM conversations WHERE id = ?',
  );
  const insertConversation = db.prepare<[string, string]>(
    'INSERT INTO conversations (id, created_at) VALUES (?, ?)',
  );
  const insertAnswer = db.prepare<[string, string, string, string, Buffer, string]>(
    "INSERT INTO answers (id, conversation_id, question, history_json, result_json, result_deflate, created_at) VALUES (?, ?, ?, ?, '', ?, ?)",
  );
  const findAnswer = db.prepare<[string], AnswerRow>('SELECT * FROM answers WHERE id = ?');
  const answersOf = db.prepare<[string], AnswerRow>(
    'SELECT * FROM answers WHERE conversation_id = ? ORDER BY rowid',
  );

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

  const record = db.transaction((input: RecordAnswerInput): StoredAnswer => {
    const createdAt = now().toISOString();
    let conversationId = input.conversationId;
    if (!conversationId || !findConversation.get(conversationId)) {
      conversationId = newId();
      insertConversation.run(conversationId, createdAt);
    }
    const answerId = newId();
    insertAnswer.run(
      answerId,
      conversationId,
      input.question,
      JSON.stringify(input.history),
      compactResult(input.result),
      createdAt,
    );
    return {
      answerId,
      conversationId,
      question: input.question,
      history: input.history,
      result: input.result,
      createdAt,
    };
  });

  return {
    async recordAnswer(input) {
      pruneWhenDue();
      return record(input);
    },
    async getAnswer(answerId) {
      const row = findAnswer.get(answerId);
      return row ? rowToAnswer(row) : null;
    },
    async getConversation(conversationId): Promise<Conversation | null> {
      const conversation = findConversation.get(conversationId);
      if (!conversation) return null;
      return {
        conversationId: conversation.id,
        createdAt: conversation.created_at,
        turns: answersOf.all(conversationId).map(rowToAnswer),
      };
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
