/**
 * Where answered questions are kept, so that an answer has a permalink and a conversation survives a page
 * reload or a server restart. The HTTP and WebSocket layers write through this interface only.
 *
 * Privacy: an answer's permalink is public to whoever holds the link and shows that one answer only; a
 * conversation (its turns, appending to it, deleting it) needs the conversation's token, which only the
 * client that started it receives. A wrong or missing token is treated exactly like an unknown id.
 */
import type { AnswerResult, ChatTurn } from '../answer/contract.ts';

/**
 * One answered question: what a permalink (`GET /api/answers/:answerId`) returns and what a conversation's
 * turns are. Deliberately without the conversation id or the earlier turns, so a shared link leads nowhere
 * else.
 */
export interface StoredTurn {
  /** Random, URL-safe; the permalink is `#/answer/<answerId>`. */
  answerId: string;
  question: string;
  /** The answer with its citations (without the retrieved chunks, which only serve streaming). */
  result: AnswerResult;
  /** ISO 8601 timestamp. */
  createdAt: string;
}

/** A turn just stored, with what the client needs to continue its conversation. */
export interface RecordedTurn extends StoredTurn {
  conversationId: string;
  /** The conversation's capability token: new for a new conversation, else the one the client sent. */
  conversationToken: string;
}

/** The newest turns of a conversation (or the ones before a cursor), oldest first. */
export interface ConversationPage {
  conversationId: string;
  createdAt: string;
  turns: StoredTurn[];
  /** Pass as `before` to get the turns older than these; null when there are none. */
  nextCursor: string | null;
}

export interface RecordAnswerInput {
  /**
   * A conversation to append to. Appended only when `conversationToken` is its token; otherwise (absent,
   * unknown, wrong token) a new conversation is started, so a borrowed id never reaches someone else's turns.
   */
  conversationId?: string;
  conversationToken?: string;
  question: string;
  result: AnswerResult;
}

export interface PageRequest {
  /** Most turns returned. */
  limit: number;
  /** A `nextCursor` from an earlier page: only turns older than that page are returned. */
  before?: string;
}

export interface HistoryStore {
  /** Stores an answer and returns it with its ids; trims the conversation to the store's turn limit. */
  recordAnswer(input: RecordAnswerInput): Promise<RecordedTurn>;
  /** The permalink view of one answer; null when unknown (or deleted with its conversation). */
  getAnswer(answerId: string): Promise<StoredTurn | null>;
  /** Null when the id is unknown or the token is not the conversation's (indistinguishable on purpose). */
  getConversation(
    conversationId: string,
    conversationToken: string | undefined,
    page: PageRequest,
  ): Promise<ConversationPage | null>;
  /** Deletes the conversation and all its answers; false when unknown or the token is wrong. */
  deleteConversation(conversationId: string, conversationToken: string | undefined): Promise<boolean>;
  close(): Promise<void>;
}

/** Ids the store hands out: 16 random bytes as base64url (22 characters). */
export const STORED_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Page cursors the store hands out (opaque to clients). */
export const CURSOR_PATTERN = /^[1-9][0-9]{0,14}$/;

/** Stored turns as chat history, oldest first. */
export function turnsToHistory(turns: readonly StoredTurn[]): ChatTurn[] {
  return turns.flatMap((turn): ChatTurn[] => [
    { role: 'user', content: turn.question },
    { role: 'assistant', content: turn.result.answer },
  ]);
}
