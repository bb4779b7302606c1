/**
 * `POST /api/answers/:answerId/feedback` `{ rating: 'up' | 'down', note?: string }`: 👍/👎 on one answer,
 * with an optional note, stored with the answer (giving it again replaces it). The answer id is the
 * capability: whoever holds the permalink may rate it, as whoever was shown the answer is who can judge it.
 * The route sits behind the API's rate limit like every other.
 *
 * `GET /api/admin/feedback?rating=down|up|all` (administrator token; 404 without one configured, like every
 * admin route): the 👎 answers (by default) with their notes as a JSONL regression set to complete
 * (server/history/feedback-set.ts), the same as `npm run feedback-export` writes from the database.
 */
import { Router } from 'express';
import { z } from 'zod';
import { charCount } from '../../answer/answer-error.ts';
import { feedbackItem, toJsonl } from '../../history/feedback-set.ts';
import { type HistoryStore, STORED_ID_PATTERN } from '../../history/history-store.ts';
import { HttpError } from '../errors.ts';
import { queryString } from '../query-params.ts';
import { requireAdmin } from './admin.ts';

/**
 * Longest note, in characters (code points, as every length the API checks): room for "the 2027 value is
 * in the annex table, 45% not 40%" several times over, not for pasting documents into the database.
 */
export const MAX_FEEDBACK_NOTE_LENGTH = 1000;

const feedbackSchema = z.object({
  rating: z.enum(['up', 'down']),
  note: z
    .string()
    .refine(
      (text) => charCount(text) <= MAX_FEEDBACK_NOTE_LENGTH,
      `At most ${MAX_FEEDBACK_NOTE_LENGTH} characters`,
    )
    .optional(),
});

export function feedbackRoutes(options: { history: HistoryStore; adminToken?: string }): Router {
  const router = Router();
  router.post('/answers/:answerId/feedback', async (req, res) => {
    if (req.body === undefined) throw new HttpError('unsupported_media_type');
    if (!STORED_ID_PATTERN.test(req.params.answerId)) throw new HttpError('invalid_id');
    const parsed = feedbackSchema.safeParse(req.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      throw new HttpError('invalid_request', issues.join('; '));
    }
    const note = parsed.data.note?.trim() || null;
    const stored = await options.history.setFeedback(req.params.answerId, {
      rating: parsed.data.rating,
      note,
    });
    if (!stored) throw new HttpError('not_found', 'No answer with this id.');
    res.json({ answerId: req.params.answerId, feedback: stored });
  });
  if (options.adminToken) {
    router.get('/admin/feedback', requireAdmin(options.adminToken), async (req, res) => {
      const rating = queryString(req.query, 'rating') ?? 'down';
      if (rating !== 'down' && rating !== 'up' && rating !== 'all') {
        throw new HttpError('invalid_parameter', '"rating" is down (the default), up or all.');
      }
      const records = await options.history.listFeedback(rating === 'all' ? {} : { rating });
      res.type('application/x-ndjson; charset=utf-8');
      res.set('Content-Disposition', 'attachment; filename="zhengce-feedback.jsonl"');
      res.send(toJsonl(records.map(feedbackItem)));
    });
  }
  return router;
}
