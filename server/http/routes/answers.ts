/**
 * `POST /api/ask`, `GET /api/answers/:answerId` (permalinks), and `GET` / `DELETE /api/conversations/:id`
 * (with the conversation's token in `X-Conversation-Token`).
 */
import { type Request, Router } from 'express';
import { CURSOR_PATTERN, STORED_ID_PATTERN, type StoredTurn } from '../../history/history-store.ts';
import { AnswerAbortedError, type AnswerDeps, answerAndRecord } from '../answer-and-record.ts';
import { parseAskInput } from '../ask-input.ts';
import { HttpError } from '../errors.ts';
import { queryInt, queryString } from '../query-params.ts';

/** The header that carries a conversation's token (a header, not the URL, so it stays out of access logs). */
export const CONVERSATION_TOKEN_HEADER = 'X-Conversation-Token';
/** Turns per page of `GET /api/conversations/:id` when `limit` is not given, and the most allowed. */
export const DEFAULT_TURNS_PER_PAGE = 50;
export const MAX_TURNS_PER_PAGE = 200;

/** One message for an unknown conversation and a wrong or missing token, so neither tells the other. */
const NO_CONVERSATION = 'No conversation with this id.';

function storedId(raw: string): string {
  if (!STORED_ID_PATTERN.test(raw)) throw new HttpError('invalid_id');
  return raw;
}

function conversationToken(req: Request): string | undefined {
  return req.get(CONVERSATION_TOKEN_HEADER) || undefined;
}

/** A permalink names its fields one by one, so nothing added to a stored turn later leaks through it. */
function permalink(turn: StoredTurn): StoredTurn {
  return { answerId: turn.answerId, question: turn.question, result: turn.result, createdAt: turn.createdAt };
}

export function answerRoutes(options: AnswerDeps & { maxQuestionLength: number }): Router {
  const router = Router();

  router.post('/ask', async (req, res) => {
    if (req.body === undefined) throw new HttpError('unsupported_media_type');
    const input = parseAskInput(req.body, options.maxQuestionLength);
    const controller = new AbortController();
    // A client that gives up (closes the tab) should not keep the answerer busy.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      res.json(await answerAndRecord(options, input, undefined, controller.signal));
    } catch (err) {
      if (err instanceof AnswerAbortedError) return;
      throw err;
    }
  });

  router.get('/answers/:answerId', async (req, res) => {
    const answer = await options.history.getAnswer(storedId(req.params.answerId));
    if (!answer) throw new HttpError('not_found', 'No answer with this id.');
    res.json(permalink(answer));
  });

  router.get('/conversations/:id', async (req, res) => {
    const id = storedId(req.params.id);
    // Parameters are checked before the conversation is looked up, so a 400 says nothing about it.
    const limit =
      queryInt(req.query, 'limit', { min: 1, max: MAX_TURNS_PER_PAGE, fallback: DEFAULT_TURNS_PER_PAGE }) ??
      DEFAULT_TURNS_PER_PAGE;
    const cursor = queryString(req.query, 'cursor');
    if (cursor !== undefined && !CURSOR_PATTERN.test(cursor)) {
      throw new HttpError('invalid_parameter', '"cursor" must be a nextCursor this server returned.');
    }
    const conversation = await options.history.getConversation(id, conversationToken(req), {
      limit,
      ...(cursor ? { before: cursor } : {}),
    });
    if (!conversation) throw new HttpError('not_found', NO_CONVERSATION);
    res.json(conversation);
  });

  router.delete('/conversations/:id', async (req, res) => {
    const deleted = await options.history.deleteConversation(storedId(req.params.id), conversationToken(req));
    if (!deleted) throw new HttpError('not_found', NO_CONVERSATION);
    res.status(204).end();
  });

  return router;
}
