/**
 * HistoryStore on PostgreSQL (the `conversations` and `answers` tables of migration 002), so that with
 * several replicas over one database a permalink or a conversation recorded through one replica is read,
 * continued and deleted through any other. It behaves exactly as the SQLite store (sqlite-history.ts):
 * only the SHA-256 of a conversation token is stored and compared in constant time, a wrong token is an
 * unknown conversation, answers are kept compactly (stored-result.ts), conversations are trimmed to
 * `maxTurns` and answers older than `retentionDays` are pruned.
 *
 * Concurrency: two replicas may append to one conversation at once, so an append locks the conversation's
 * row (SELECT … FOR UPDATE) for its insert and trim; the retention pruning skips conversations that are
 * being appended to (FOR UPDATE SKIP LOCKED) and, if it still races an append, fails on the foreign key
 * rather than deleting the new answer, and is tried again on the next write.
 */
import { checkSchema } from '../../ingest/store/postgres/migrate.ts';
import { inTransaction, type PgClient, type PgPool } from '../../ingest/store/postgres/pg-pool.ts';
import { hashConversationToken, newConversationToken, tokenMatches } from './conversation-token.ts';
import {
  type AnswerFeedback,
  type ConversationPage,
  FEEDBACK_HISTORY_TURNS,
  type FeedbackRating,
  type FeedbackRecord,
  type HistoryStore,
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

export interface PostgresHistoryOptions extends HistoryKeepingOptions {
  /**
   * The process's pool for DATABASE_URL (pg-pool.ts: pgPool), shared with the index; `close()` leaves it
   * open, since the index may still be using it (closePgPools ends it).
   */
  pool: PgPool;
}

interface AnswerRow {
  /** bigint: node-postgres returns int8 as a string, which is what a cursor is anyway. */
  seq: string;
  id: string;
  question: string;
  result_deflate: Buffer;
  created_at: Date;
  feedback_rating: FeedbackRating | null;
  feedback_note: string | null;
  feedback_at: Date | null;
}

interface FeedbackRow extends AnswerRow {
  conversation_id: string;
}

interface ConversationRow {
  id: string;
  created_at: Date;
  token_hash: Buffer;
}

/** Columns every answer read selects. */
const ANSWER_COLUMNS =
  'seq, id, question, result_deflate, created_at, feedback_rating, feedback_note, feedback_at';
/** Newest first from (conversation_id, seq), so a page costs its own rows, not the conversation's. */
const PAGE_SQL = `SELECT ${ANSWER_COLUMNS} FROM answers
  WHERE conversation_id = $1 AND seq < $2::bigint ORDER BY seq DESC LIMIT $3`;
/** Above every seq: the first page. */
const NO_CURSOR = '9223372036854775807';
/** foreign_key_violation: a pruning that raced an append (see the module comment). */
const FOREIGN_KEY_VIOLATION = '23503';

function feedbackOf(row: AnswerRow): AnswerFeedback | null {
  if (!row.feedback_rating || !row.feedback_at) return null;
  return { rating: row.feedback_rating, note: row.feedback_note, createdAt: row.feedback_at.toISOString() };
}

function rowToTurn(row: AnswerRow): StoredTurn {
  return {
    answerId: row.id,
    question: row.question,
    result: expandResult(row.result_deflate),
    createdAt: row.created_at.toISOString(),
  };
}

/** A conversation's turn: with the feedback its holder gave, which a permalink leaves out. */
function rowToConversationTurn(row: AnswerRow): StoredTurn {
  const feedback = feedbackOf(row);
  return feedback ? { ...rowToTurn(row), feedback } : rowToTurn(row);
}

/**
 * The conversation when `token` is its token; null for an unknown id and a wrong token alike (the token
 * is hashed and compared in constant time either way). `lock` holds the row until the transaction ends,
 * so appends and deletes of one conversation from several replicas happen one after the other.
 */
async function authorised(
  client: PgClient,
  conversationId: string | undefined,
  token: string | undefined,
  lock: boolean,
): Promise<ConversationRow | null> {
  const row = conversationId
    ? (
        await client.query<ConversationRow>(
          `SELECT id, created_at, token_hash FROM conversations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
          [conversationId],
        )
      ).rows[0]
    : undefined;
  return tokenMatches(token, row?.token_hash) ? (row ?? null) : null;
}

/** Runs reads that must agree with each other (a conversation and its page) on one snapshot. */
async function snapshot<T>(pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return work(client);
  });
}

/** Opens the store; refuses a database whose schema is not this code's ("run `npm run migrate`"). */
export async function openPostgresHistory(options: PostgresHistoryOptions): Promise<HistoryStore> {
  const { pool } = options;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomStoredId;
  const maxTurns = Math.max(1, options.maxTurns ?? DEFAULT_MAX_TURNS);
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  await checkSchema(pool);

  let prunedAt = 0;
  const prune = async (at: Date) => {
    const cutoff = new Date(at.getTime() - retentionDays * DAY_MS).toISOString();
    await inTransaction(pool, async (client) => {
      await client.query('DELETE FROM answers WHERE created_at < $1', [cutoff]);
      await client.query(`DELETE FROM conversations WHERE id IN (
        SELECT id FROM conversations c
          WHERE NOT EXISTS (SELECT 1 FROM answers a WHERE a.conversation_id = c.id)
          FOR UPDATE SKIP LOCKED)`);
    });
  };
  // Every replica prunes on its own schedule; the deletes are idempotent, so that costs a query, no more.
  const pruneWhenDue = async () => {
    const at = now();
    if (retentionDays <= 0 || at.getTime() - prunedAt < DAY_MS) return;
    prunedAt = at.getTime();
    try {
      await prune(at);
    } catch (err) {
      // Raced an append (the new answer is kept): the next write tries again rather than in a day.
      if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw err;
      prunedAt = 0;
    }
  };
  await pruneWhenDue();

  return {
    async recordAnswer(input) {
      await pruneWhenDue();
      return inTransaction(pool, async (client) => {
        const createdAt = now().toISOString();
        let conversationId: string;
        let conversationToken: string;
        const existing = await authorised(client, input.conversationId, input.conversationToken, true);
        if (existing && input.conversationToken) {
          conversationId = existing.id;
          conversationToken = input.conversationToken;
          // Edit and resend: the replaced answer and every later one of its conversation (seq grows with
          // time); the conversation's row is locked above, so no append slips in between.
          if (input.replacesAnswerId) {
            await client.query(
              `DELETE FROM answers WHERE conversation_id = $1 AND seq >= (
                 SELECT seq FROM answers WHERE id = $2 AND conversation_id = $1
               )`,
              [conversationId, input.replacesAnswerId],
            );
          }
        } else {
          conversationId = newId();
          conversationToken = newConversationToken();
          await client.query('INSERT INTO conversations (id, created_at, token_hash) VALUES ($1, $2, $3)', [
            conversationId,
            createdAt,
            hashConversationToken(conversationToken),
          ]);
        }
        const answerId = newId();
        await client.query(
          `INSERT INTO answers (id, conversation_id, question, result_deflate, created_at)
             VALUES ($1, $2, $3, $4, $5)`,
          [answerId, conversationId, input.question, compactResult(input.result), createdAt],
        );
        await client.query(
          `DELETE FROM answers WHERE conversation_id = $1 AND seq <= (
             SELECT seq FROM answers WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2
           )`,
          [conversationId, maxTurns],
        );
        return {
          answerId,
          conversationId,
          conversationToken,
          question: input.question,
          result: input.result,
          createdAt,
        };
      });
    },

    async getAnswer(answerId) {
      const r = await pool.query<AnswerRow>(`SELECT ${ANSWER_COLUMNS} FROM answers WHERE id = $1`, [
        answerId,
      ]);
      const row = r.rows[0];
      return row ? rowToTurn(row) : null;
    },

    async getConversation(conversationId, conversationToken, page) {
      return snapshot(pool, async (client) => {
        const conversation = await authorised(client, conversationId, conversationToken, false);
        if (!conversation) return null;
        const limit = Math.max(1, Math.floor(page.limit));
        const rows = (
          await client.query<AnswerRow>(PAGE_SQL, [conversation.id, page.before ?? NO_CURSOR, limit + 1])
        ).rows;
        const kept = rows.slice(0, limit).reverse();
        const result: ConversationPage = {
          conversationId: conversation.id,
          createdAt: conversation.created_at.toISOString(),
          turns: kept.map(rowToConversationTurn),
          nextCursor: rows.length > limit && kept[0] ? kept[0].seq : null,
        };
        return result;
      });
    },

    async deleteConversation(conversationId, conversationToken) {
      return inTransaction(pool, async (client) => {
        const conversation = await authorised(client, conversationId, conversationToken, true);
        if (!conversation) return false;
        await client.query('DELETE FROM answers WHERE conversation_id = $1', [conversation.id]);
        await client.query('DELETE FROM conversations WHERE id = $1', [conversation.id]);
        return true;
      });
    },

    async setFeedback(answerId, feedback) {
      const createdAt = now().toISOString();
      const r = await pool.query(
        'UPDATE answers SET feedback_rating = $1, feedback_note = $2, feedback_at = $3 WHERE id = $4',
        [feedback.rating, feedback.note, createdAt, answerId],
      );
      return (r.rowCount ?? 0) > 0 ? { rating: feedback.rating, note: feedback.note, createdAt } : null;
    },

    async listFeedback(options = {}) {
      const rating = options.rating ?? null;
      return snapshot(pool, async (client) => {
        const rated = await client.query<FeedbackRow>(
          `SELECT ${ANSWER_COLUMNS}, conversation_id FROM answers
             WHERE feedback_at IS NOT NULL AND ($1::text IS NULL OR feedback_rating = $1)
             ORDER BY feedback_at, seq`,
          [rating],
        );
        const records: FeedbackRecord[] = [];
        for (const row of rated.rows) {
          const feedback = feedbackOf(row);
          if (!feedback) continue;
          // The turns before this one in its conversation: what a follow-up was answered with.
          const earlier = (
            await client.query<AnswerRow>(PAGE_SQL, [
              row.conversation_id,
              row.seq,
              Math.ceil(FEEDBACK_HISTORY_TURNS / 2),
            ])
          ).rows.reverse();
          records.push({
            answerId: row.id,
            question: row.question,
            result: expandResult(row.result_deflate),
            answeredAt: row.created_at.toISOString(),
            feedback,
            history: turnsToHistory(earlier.map(rowToTurn)),
          });
        }
        return records;
      });
    },

    async close() {
      // Nothing of its own to release: the pool is the process's (see PostgresHistoryOptions.pool).
    },
  };
}
