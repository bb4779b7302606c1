/**
 * HistoryStore on a better-sqlite3 file. WAL mode so that readers (permalink lookups) never wait for the
 * writer; the folder and file are created when missing; the schema is versioned with `user_version`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AnswerResult } from '../answer/contract.ts';
import { hashConversationToken, newConversationToken, tokenMatches } from './conversation-token.ts';
import {
  type AnswerFeedback,
  type ConversationPage,
  FEEDBACK_HISTORY_TURNS,
  type FeedbackRating,
  type FeedbackRecord,
  type HistoryStore,
  type PageRequest,
  type RecordAnswerInput,
  type RecordedTurn,
  type StoredTurn,
  turnsToHistory,
} from './history-store.ts';
import {
  compactResult,
  DAY_MS,
  DEFAULT_MAX_TURNS,
  DEFAULT_RETENTION_DAYS,
  expandResult,
  type HistoryKeepingOptions,
  randomStoredId,
} from './stored-result.ts';

/** Default file, relative to the working directory: kept with the index under the gitignored data folder. */
export const DEFAULT_HISTORY_PATH = 'data/history.sqlite';
/**
 * 1: answers as JSON text. 2: answers stored compactly (result_deflate: the result without the retrieved
 * chunks, which a permalink never shows, deflated); version-1 rows are still read as they are.
 * 3: conversations carry the SHA-256 of their token (token_hash); the earlier turns each answer was given
 * (history_json) are no longer kept, and opening an older file erases them. Conversations from before
 * version 3 have no token, so nobody can read, continue or delete them any more; their answers stay
 * reachable by permalink until the retention period removes them.
 * 4: answers carry the feedback given on them (feedback_rating 'up' | 'down', feedback_note, feedback_at);
 * older files gain the columns, empty.
 */
const SCHEMA_VERSION = 4;

export interface SqliteHistoryOptions extends HistoryKeepingOptions {
  /** Database file; default DEFAULT_HISTORY_PATH. `:memory:` works for throwaway stores. */
  path?: string;
}

interface AnswerRow {
  seq: number;
  id: string;
  question: string;
  result_json: string;
  result_deflate: Buffer | null;
  created_at: string;
  feedback_rating: FeedbackRating | null;
  feedback_note: string | null;
  feedback_at: string | null;
}

interface FeedbackRow extends AnswerRow {
  conversation_id: string;
}

interface ConversationRow {
  id: string;
  created_at: string;
  token_hash: Buffer | null;
}

function resultOf(row: AnswerRow): AnswerResult {
  return row.result_deflate
    ? expandResult(row.result_deflate)
    : (JSON.parse(row.result_json) as AnswerResult);
}

function feedbackOf(row: AnswerRow): AnswerFeedback | null {
  if (!row.feedback_rating || !row.feedback_at) return null;
  return { rating: row.feedback_rating, note: row.feedback_note, createdAt: row.feedback_at };
}

function rowToTurn(row: AnswerRow): StoredTurn {
  return { answerId: row.id, question: row.question, result: resultOf(row), createdAt: row.created_at };
}

/** A conversation's turn: with the feedback its holder gave, which a permalink leaves out. */
function rowToConversationTurn(row: AnswerRow): StoredTurn {
  const feedback = feedbackOf(row);
  return feedback ? { ...rowToTurn(row), feedback } : rowToTurn(row);
}

/** Columns every answer read selects. */
const ANSWER_COLUMNS =
  'rowid AS seq, id, question, result_json, result_deflate, created_at, feedback_rating, feedback_note, feedback_at';

export function openSqliteHistory(options: SqliteHistoryOptions = {}): HistoryStore {
  const path = options.path ?? DEFAULT_HISTORY_PATH;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomStoredId;
  const maxTurns = Math.max(1, options.maxTurns ?? DEFAULT_MAX_TURNS);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });

  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // With WAL, NORMAL syncs at checkpoints rather than at every commit: a crash of the server loses nothing,
  // a power cut may lose the last answers' permalinks, and each answer's write no longer waits for the disk.
  db.pragma('synchronous = NORMAL');
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
    if (!hasColumn('answers', 'feedback_rating')) {
      db.exec(`
        ALTER TABLE answers ADD COLUMN feedback_rating TEXT CHECK (feedback_rating IN ('up', 'down'));
        ALTER TABLE answers ADD COLUMN feedback_note TEXT;
        ALTER TABLE answers ADD COLUMN feedback_at TEXT;
      `);
    }
    // The evaluators' export reads rated answers only; without this it would read every answer.
    db.exec(
      'CREATE INDEX IF NOT EXISTS answers_by_feedback ON answers(feedback_at) WHERE feedback_at IS NOT NULL',
    );
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
  const findAnswer = db.prepare<[string], AnswerRow>(`SELECT ${ANSWER_COLUMNS} FROM answers WHERE id = ?`);
  // Newest first from the (conversation_id, rowid) index, so a page costs its own rows, not the conversation's.
  const pageOf = db.prepare<[string, number, number], AnswerRow>(
    `SELECT ${ANSWER_COLUMNS} FROM answers WHERE conversation_id = ? AND rowid < ? ORDER BY rowid DESC LIMIT ?`,
  );
  const updateFeedback = db.prepare<[FeedbackRating, string | null, string, string]>(
    'UPDATE answers SET feedback_rating = ?, feedback_note = ?, feedback_at = ? WHERE id = ?',
  );
  const rated = db.prepare<[FeedbackRating | null, FeedbackRating | null], FeedbackRow>(
    `SELECT ${ANSWER_COLUMNS}, conversation_id FROM answers
       WHERE feedback_at IS NOT NULL AND (? IS NULL OR feedback_rating = ?) ORDER BY feedback_at, rowid`,
  );
  const trimConversation = db.prepare<{ conversation: string; keep: number }>(
    `DELETE FROM answers WHERE conversation_id = @conversation AND rowid <= (
       SELECT rowid FROM answers WHERE conversation_id = @conversation ORDER BY rowid DESC LIMIT 1 OFFSET @keep
     )`,
  );
  // Edit and resend: the replaced answer and every later one of its conversation (rowids grow with time).
  const deleteFrom = db.prepare<{ conversation: string; answer: string }>(
    `DELETE FROM answers WHERE conversation_id = @conversation AND rowid >= (
       SELECT rowid FROM answers WHERE id = @answer AND conversation_id = @conversation
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
      if (input.replacesAnswerId)
        deleteFrom.run({ conversation: conversationId, answer: input.replacesAnswerId });
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
      turns: kept.map(rowToConversationTurn),
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

  const giveFeedback = db.transaction(
    (answerId: string, feedback: { rating: FeedbackRating; note: string | null }): AnswerFeedback | null => {
      const createdAt = now().toISOString();
      const changed = updateFeedback.run(feedback.rating, feedback.note, createdAt, answerId).changes;
      return changed > 0 ? { rating: feedback.rating, note: feedback.note, createdAt } : null;
    },
  );

  const readFeedback = db.transaction((rating: FeedbackRating | null): FeedbackRecord[] =>
    rated.all(rating, rating).flatMap((row) => {
      const feedback = feedbackOf(row);
      if (!feedback) return [];
      // The turns before this one in its conversation: what a follow-up was answered with.
      const earlier = pageOf
        .all(row.conversation_id, row.seq, Math.ceil(FEEDBACK_HISTORY_TURNS / 2))
        .reverse();
      return [
        {
          answerId: row.id,
          question: row.question,
          result: resultOf(row),
          answeredAt: row.created_at,
          feedback,
          history: turnsToHistory(earlier.map(rowToTurn)),
        },
      ];
    }),
  );

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
    async setFeedback(answerId, feedback) {
      return giveFeedback(answerId, feedback);
    },
    async listFeedback(options = {}) {
      return readFeedback(options.rating ?? null);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
