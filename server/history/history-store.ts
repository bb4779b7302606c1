/**
 * Where answered questions are kept, so that an answer has a permalink and a conversation survives a page
 * reload or a server restart. The HTTP and WebSocket layers write through this interface only.
 */
import type { AnswerResult, ChatTurn } from '../answer/contract.ts';

/** One answered question, as stored and as returned by `GET /api/answers/:answerId`. */
export interface StoredAnswer {
  /** Random, URL-safe; the permalink is `#/answer/<answerId>`. */
  answerId: string;
  conversationId: string;
  question: string;
  /** The history the question was answered with (what the client sent or what was derived). */
  history: ChatTurn[];
  result: AnswerResult;
  /** ISO 8601 timestamp. */
  createdAt: string;
}

export interface Conversation {
  conversationId: string;
  createdAt: string;
  /** Oldest first. */
  turns: StoredAnswer[];
}

export interface RecordAnswerInput {
  /** An existing conversation to append to; a new one is started when absent or unknown. */
  conversationId?: string;
  question: string;
  history: ChatTurn[];
  result: AnswerResult;
}

export interface HistoryStore {
  /** Stores an answer and returns it with its ids. */
  recordAnswer(input: RecordAnswerInput): Promise<StoredAnswer>;
  getAnswer(answerId: string): Promise<StoredAnswer | null>;
  getConversation(conversationId: string): Promise<Conversation | null>;
  close(): Promise<void>;
}

/** Ids the store hands out: 16 random bytes as base64url (22 characters). */
export const STORED_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** The turns of a stored conversation as chat history, oldest first. */
export function conversationToHistory(conversation: Conversation): ChatTurn[] {
  return conversation.turns.flatMap((turn): ChatTurn[] => [
    { role: 'user', content: turn.question },
    { role: 'assistant', content: turn.result.answer },
  ]);
}
