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
  /**
   * The feedback given on this answer, in a conversation's turns only (its holder gave it); a permalink
   * never carries it, since the note may say more than the answer does.
   */
  feedback?: AnswerFeedback;
}

export type FeedbackRating = 'up' | 'down';

/** 👍/👎 on one answer, with an optional note; giving it again replaces it. */
export interface AnswerFeedback {
  rating: FeedbackRating;
  /** Null when none was written. */
  note: string | null;
  /** ISO 8601 timestamp of the latest feedback. */
  createdAt: string;
}

/** A rated answer with what led to it, for turning 👎 answers into regression items (evals/feedback-export.ts). */
export interface FeedbackRecord {
  answerId: string;
  question: string;
  result: AnswerResult;
  answeredAt: string;
  feedback: AnswerFeedback;
  /** The conversation's turns before this answer, oldest first (at most the last FEEDBACK_HISTORY_TURNS). */
  history: ChatTurn[];
}

/** Earlier turns exported with a rated answer: what a follow-up is answered with (MAX_HISTORY_TURNS). */
export const FEEDBACK_HISTORY_TURNS = 20;

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
  /**
   * Edit and resend: an answer of that conversation which this one replaces. It and every later answer of
   * the conversation are deleted (permalinks and feedback with them) in the same transaction as the new
   * answer is stored, so the conversation reads as if the replaced question had never been asked. Ignored
   * when the answer is not one of the conversation's (or the token is wrong and a new one is started).
   */
  replacesAnswerId?: string;
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
  /**
   * Stores an answer and returns it with its ids (after deleting the turns it replaces, if any); trims the
   * conversation to the store's turn limit.
   */
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
  /**
   * Stores feedback on an answer (replacing earlier feedback) for whoever holds its permalink; null when
   * the answer is unknown or deleted.
   */
  setFeedback(
    answerId: string,
    feedback: { rating: FeedbackRating; note: string | null },
  ): Promise<AnswerFeedback | null>;
  /** Rated answers, oldest feedback first, optionally only those with one rating (the evaluators' export). */
  listFeedback(options?: { rating?: FeedbackRating }): Promise<FeedbackRecord[]>;
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
