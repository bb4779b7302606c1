/**
 * Answers a validated question and stores the answer, for both `POST /api/ask` and the WebSocket, so that
 * every answer a client sees has a permalink and belongs to a conversation.
 */
import type { AnswerEvent, AnswerResult, AskRequest } from '../answer/contract.ts';
import { conversationToHistory, type HistoryStore } from '../history/history-store.ts';
import type { ZhengceService } from '../service-types.ts';
import { type AskInput, MAX_HISTORY_TURNS } from './ask-input.ts';

/** What `POST /api/ask` returns and the WebSocket `done` message carries. */
export type RecordedAnswer = AnswerResult & { answerId: string; conversationId: string };

export interface AnswerDeps {
  service: ZhengceService;
  history: HistoryStore;
}

/** Thrown when the client went away before the answer was stored; callers drop it silently. */
export class AnswerAbortedError extends Error {
  constructor() {
    super('The client went away before the answer was ready.');
    this.name = 'AnswerAbortedError';
  }
}

export async function answerAndRecord(
  deps: AnswerDeps,
  input: AskInput,
  onEvent?: (event: AnswerEvent) => void,
  signal?: AbortSignal,
): Promise<RecordedAnswer> {
  let history = input.history;
  if (!history && input.conversationId) {
    // A client that kept only the conversation id (e.g. after a reload) still gets follow-ups resolved.
    const conversation = await deps.history.getConversation(input.conversationId);
    history = conversation ? conversationToHistory(conversation).slice(-MAX_HISTORY_TURNS) : [];
  }
  const request: AskRequest = { question: input.question, history: history ?? [] };
  let result: AnswerResult;
  try {
    result = await deps.service.ask(request, onEvent, signal);
  } catch (err) {
    if (signal?.aborted) throw new AnswerAbortedError();
    throw err;
  }
  if (signal?.aborted) throw new AnswerAbortedError();
  const stored = await deps.history.recordAnswer({
    conversationId: input.conversationId,
    question: input.question,
    history: request.history ?? [],
    result,
  });
  return { ...result, answerId: stored.answerId, conversationId: stored.conversationId };
}
