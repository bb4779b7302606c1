/**
 * Answers a validated question and stores the answer, for both `POST /api/ask` and the WebSocket, so that
 * every answer a client sees has a permalink and belongs to a conversation.
 */
import type { AnswerEvent, AnswerResult, AskRequest, AskScope } from '../answer/contract.ts';
import { type HistoryStore, turnsToHistory } from '../history/history-store.ts';
import type { ZhengceService } from '../service-types.ts';
import { type AskInput, MAX_HISTORY_TURNS } from './ask-input.ts';
import { HttpError } from './errors.ts';

/**
 * What `POST /api/ask` returns and the WebSocket `done` message carries: the answer, its permalink id, and
 * the conversation to continue with its token (only ever sent to the client that holds the conversation).
 */
export type RecordedAnswer = AnswerResult & {
  answerId: string;
  conversationId: string;
  conversationToken: string;
};

/**
 * Stored turns read to answer a follow-up sent with only its conversation: each turn is two chat turns,
 * so this many rows give the MAX_HISTORY_TURNS the answerer uses, whatever the conversation's length.
 */
export const HISTORY_ROWS = Math.ceil(MAX_HISTORY_TURNS / 2);

export interface AnswerDeps {
  service: ZhengceService;
  history: HistoryStore;
  /** Longest an answer may take before the client gets 503 answer_timeout. Default DEFAULT_ANSWER_TIMEOUT_MS. */
  answerTimeoutMs?: number;
}

/**
 * Default 10 s: the slowest question of `npm run bench` at 100k chunks (a comparison across all places)
 * takes about a tenth of that; a question that needs more is one the server should refuse rather than
 * keep a connection waiting for.
 */
export const DEFAULT_ANSWER_TIMEOUT_MS = 10_000;

/** Thrown when the client went away before the answer was stored; callers drop it silently. */
export class AnswerAbortedError extends Error {
  constructor() {
    super('The client went away before the answer was ready.');
    this.name = 'AnswerAbortedError';
  }
}

/**
 * A scope naming a document or place the corpus does not have is refused (400 invalid_request, naming
 * them) rather than answered "not in these documents": the user picked something that is not there.
 */
function checkScope(service: ZhengceService, scope: AskScope): void {
  const documents = service.listDocuments();
  const docIds = new Set(documents.map((d) => d.docId));
  const regions = new Set(documents.flatMap((d) => (d.region ? [d.region.name] : [])));
  const unknown = [
    ...(scope.docIds ?? []).filter((id) => !docIds.has(id)),
    ...(scope.regions ?? []).filter((r) => !regions.has(r)),
  ];
  if (unknown.length) {
    throw new HttpError('invalid_request', `scope: not in the corpus: ${unknown.slice(0, 5).join(', ')}`);
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
    // A client that kept only its conversation (e.g. after a reload) still gets follow-ups resolved; without
    // the conversation's token nothing of it is read (and the answer starts a new conversation below).
    // An edited question is answered without the turn it replaces and those after it: one more page
    // row than usual, so that dropping the replaced (last) turn still leaves HISTORY_ROWS.
    const recent = await deps.history.getConversation(input.conversationId, input.conversationToken, {
      limit: HISTORY_ROWS + (input.replacesAnswerId ? 1 : 0),
    });
    const turns = recent?.turns ?? [];
    const replaced = turns.findIndex((turn) => turn.answerId === input.replacesAnswerId);
    history = turnsToHistory(replaced >= 0 ? turns.slice(0, replaced) : turns).slice(-MAX_HISTORY_TURNS);
  }
  if (input.scope) checkScope(deps.service, input.scope);
  const request: AskRequest = {
    question: input.question,
    history: history ?? [],
    ...(input.scope ? { scope: input.scope } : {}),
  };
  let result: AnswerResult;
  const budget = AbortSignal.timeout(deps.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS);
  try {
    result = await deps.service.ask(request, onEvent, signal ? AbortSignal.any([signal, budget]) : budget);
  } catch (err) {
    if (signal?.aborted) throw new AnswerAbortedError();
    if (budget.aborted) throw new HttpError('answer_timeout');
    throw err;
  }
  if (signal?.aborted) throw new AnswerAbortedError();
  const stored = await deps.history.recordAnswer({
    ...(input.conversationId ? { conversationId: input.conversationId } : {}),
    ...(input.conversationToken ? { conversationToken: input.conversationToken } : {}),
    ...(input.replacesAnswerId ? { replacesAnswerId: input.replacesAnswerId } : {}),
    question: input.question,
    result,
  });
  return {
    ...result,
    answerId: stored.answerId,
    conversationId: stored.conversationId,
    conversationToken: stored.conversationToken,
  };
}
