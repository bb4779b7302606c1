/**
 * `npm run migrate -- --history-from <file>`: copies a server's SQLite history (sqlite-history.ts) into
 * the PostgreSQL history (postgres-history.ts), so an operator moving to `STORE=postgres` keeps every
 * permalink and conversation: the same ids, the same token hashes (the holders' tokens keep working), the
 * same turn order, feedback and dates.
 *
 * - Idempotent: a conversation or answer whose id the database already has is left as it is there (it may
 *   have been continued or rated since), so running it again copies nothing twice.
 * - Atomic: one transaction, so a failure leaves the database as it was.
 * - The file is opened read-only and read whatever its schema version (1 to 4): older files lack columns,
 *   which are read as absent. A conversation from before tokens (version < 3) could be opened by nobody;
 *   it gets a hash that no token has, so it stays closed and its answers stay reachable by permalink.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { checkSchema } from '../../ingest/store/postgres/migrate.ts';
import { inTransaction, type PgPool } from '../../ingest/store/postgres/pg-pool.ts';
import type { AnswerResult } from '../answer/contract.ts';
import { CONVERSATION_TOKEN_BYTES } from './conversation-token.ts';
import { compactResult } from './stored-result.ts';

/** Rows per INSERT: few round trips, modest statements. */
const BATCH_ROWS = 500;

export interface HistoryImportResult {
  conversations: { read: number; copied: number };
  answers: { read: number; copied: number };
}

interface SqliteConversation {
  id: string;
  created_at: string;
  token_hash: Buffer | null;
}

interface SqliteAnswer {
  id: string;
  conversation_id: string;
  question: string;
  result_json: string;
  result_deflate: Buffer | null;
  created_at: string;
  feedback_rating: string | null;
  feedback_note: string | null;
  feedback_at: string | null;
}

export async function importSqliteHistory(path: string, pool: PgPool): Promise<HistoryImportResult> {
  if (!existsSync(path)) throw new Error(`No history file at ${path}.`);
  await checkSchema(pool);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  let conversations: SqliteConversation[];
  let answers: SqliteAnswer[];
  try {
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((t) => t.name),
    );
    if (!tables.has('conversations') || !tables.has('answers'))
      throw new Error(`${path} is not a Zhengce history file (it has no conversations and answers tables).`);
    const columns = (table: string) =>
      new Set(
        db
          .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
          .all()
          .map((c) => c.name),
      );
    const col = (have: Set<string>, name: string) => (have.has(name) ? name : `NULL AS ${name}`);
    const c = columns('conversations');
    const a = columns('answers');
    conversations = db
      .prepare<[], SqliteConversation>(
        `SELECT id, created_at, ${col(c, 'token_hash')} FROM conversations ORDER BY rowid`,
      )
      .all();
    answers = db
      .prepare<[], SqliteAnswer>(
        `SELECT id, conversation_id, question, result_json, ${col(a, 'result_deflate')}, created_at,
           ${col(a, 'feedback_rating')}, ${col(a, 'feedback_note')}, ${col(a, 'feedback_at')}
         FROM answers ORDER BY rowid`,
      )
      .all();
  } finally {
    db.close();
  }
  return inTransaction(pool, async (client) => {
    let copiedConversations = 0;
    for (let i = 0; i < conversations.length; i += BATCH_ROWS) {
      const batch = conversations.slice(i, i + BATCH_ROWS);
      const r = await client.query(
        `INSERT INTO conversations (id, created_at, token_hash)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::bytea[])
         ON CONFLICT (id) DO NOTHING`,
        [
          batch.map((x) => x.id),
          batch.map((x) => x.created_at),
          batch.map((x) =>
            x.token_hash?.length === CONVERSATION_TOKEN_BYTES
              ? x.token_hash
              : randomBytes(CONVERSATION_TOKEN_BYTES),
          ),
        ],
      );
      copiedConversations += r.rowCount ?? 0;
    }
    let copiedAnswers = 0;
    // In the file's order, so each conversation's turns get ascending seq (its page order) here too.
    for (let i = 0; i < answers.length; i += BATCH_ROWS) {
      const batch = answers.slice(i, i + BATCH_ROWS);
      const r = await client.query(
        `INSERT INTO answers (id, conversation_id, question, result_deflate, created_at, feedback_rating,
           feedback_note, feedback_at)
         SELECT id, c, q, r, at, fr, fn, fa FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[],
           $5::timestamptz[], $6::text[], $7::text[], $8::timestamptz[]) WITH ORDINALITY AS x(id, c, q, r, at, fr, fn, fa, n)
         ORDER BY n
         ON CONFLICT (id) DO NOTHING`,
        [
          batch.map((x) => x.id),
          batch.map((x) => x.conversation_id),
          batch.map((x) => x.question),
          batch.map((x) => x.result_deflate ?? compactResult(JSON.parse(x.result_json) as AnswerResult)),
          batch.map((x) => x.created_at),
          batch.map((x) => (x.feedback_at ? x.feedback_rating : null)),
          batch.map((x) => (x.feedback_at ? x.feedback_note : null)),
          batch.map((x) => (x.feedback_rating ? x.feedback_at : null)),
        ],
      );
      copiedAnswers += r.rowCount ?? 0;
    }
    return {
      conversations: { read: conversations.length, copied: copiedConversations },
      answers: { read: answers.length, copied: copiedAnswers },
    };
  });
}
