-- Schema 2: conversations and permalinks (server/history/postgres-history.ts), so that every replica finds
-- an answer or a conversation whichever replica recorded it. The same content as the SQLite history
-- (server/history/sqlite-history.ts, its schema 4), without that file's leftovers from older versions.

-- token_hash is the SHA-256 of the conversation's capability token: the token itself is never stored, so a
-- copy of the database opens no conversation.
CREATE TABLE conversations (
  id text PRIMARY KEY,
  created_at timestamptz NOT NULL,
  token_hash bytea NOT NULL CHECK (length(token_hash) = 32)
);

-- seq orders a conversation's turns and is the page cursor (CURSOR_PATTERN: 1 to 15 digits); result_deflate
-- is the answer without its retrieved chunks, as JSON, raw-deflated (what a permalink shows, a fifth of the
-- size). No ON DELETE CASCADE: a conversation is deleted with its answers explicitly, and a pruning that
-- races an append fails on the key instead of taking the new answer with it.
CREATE TABLE answers (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  conversation_id text NOT NULL REFERENCES conversations (id),
  question text NOT NULL,
  result_deflate bytea NOT NULL,
  created_at timestamptz NOT NULL,
  feedback_rating text CHECK (feedback_rating IN ('up', 'down')),
  feedback_note text,
  feedback_at timestamptz,
  CHECK ((feedback_rating IS NULL) = (feedback_at IS NULL))
);
-- A page of a conversation, newest first: costs its own rows, not the conversation's.
CREATE INDEX answers_by_conversation ON answers (conversation_id, seq);
-- Retention deletes by age.
CREATE INDEX answers_by_created ON answers (created_at);
-- The evaluators' export reads rated answers only.
CREATE INDEX answers_by_feedback ON answers (feedback_at, seq) WHERE feedback_at IS NOT NULL;
