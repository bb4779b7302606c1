/**
 * `POST /api/ask`, `GET /api/answers/:answerId` (permalinks) and `GET /api/conversations/:id`.
 */
import { Router } from 'express';
import { STORED_ID_PATTERN } from '../../history/history-store.ts';
import { AnswerAbortedError, type AnswerDeps, answerAndRecord } from '../answer-and-record.ts';
import { parseAskInput } from '../ask-input.ts';
import { HttpError } from '../errors.ts';

function storedId(raw: string): string {
  if (!STORED_ID_PATTERN.test(raw)) throw new HttpError('invalid_id');
  return raw;
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
    res.json(answer);
  });

  router.get('/conversations/:id', async (req, res) => {
    const conversation = await options.history.getConversation(storedId(req.params.id));
    if (!conversation) throw new HttpError('not_found', 'No conversation with this id.');
    res.json(conversation);
  });

  return router;
}
