/**
 * Rated answers (the 👎 ones, by default) as draft regression items in the evaluation format
 * (evals/set-format.ts), one JSON object a line: the question as asked, the earlier turns of its
 * conversation as `history`, and, as notes the runner ignores, the answer given, its citations and the
 * user's note. What a correct answer contains is for an evaluator to say, so `facts` and `quotes` hold
 * TODO placeholders: they parse, and an item left as exported fails when run (no answer contains
 * "TODO: …") instead of passing unread. Written by `npm run feedback-export` (evals/feedback-export.ts)
 * and by `GET /api/admin/feedback` (server/http/routes/feedback.ts).
 */
import type { AnswerResult } from '../answer/contract.ts';
import type { FeedbackRating, FeedbackRecord } from './history-store.ts';

/** What an evaluator replaces; starting with TODO so a search finds every item still to complete. */
export const TODO_FACT = 'TODO: what a correct answer states (e.g. 45%以上), or set "unanswerable": true';
export const TODO_QUOTE = 'TODO: an exact phrase of the clause that answers';

/** Tags of every exported item: the suite can be run or filtered by them. */
export const FEEDBACK_TAGS = ['feedback', 'needs-expected'];

/** One line of the exported set: an EvalItem (set-format.ts) plus notes for the evaluator. */
export interface FeedbackItem {
  id: string;
  question: string;
  history?: { role: 'user' | 'assistant'; content: string }[];
  facts: string[];
  quotes: string[];
  tags: string[];
  rating: FeedbackRating;
  note: string | null;
  answerId: string;
  answeredAt: string;
  ratedAt: string;
  given: {
    status: AnswerResult['status'];
    answer: string;
    lead: string | null;
    citations: {
      n: number;
      title: string;
      docNumber: string | null;
      region: string;
      clausePath: string | null;
      text: string;
    }[];
  };
}

export function feedbackItem(record: FeedbackRecord): FeedbackItem {
  const { result } = record;
  return {
    // The answer id is unique and stable, so re-exporting gives the same ids and a baseline still matches.
    id: `feedback-${record.answerId}`,
    question: record.question,
    ...(record.history.length ? { history: record.history } : {}),
    facts: [TODO_FACT],
    quotes: [TODO_QUOTE],
    tags: [...FEEDBACK_TAGS, result.query.lang === 'en' ? 'en' : 'zh'],
    rating: record.feedback.rating,
    note: record.feedback.note,
    answerId: record.answerId,
    answeredAt: record.answeredAt,
    ratedAt: record.feedback.createdAt,
    given: {
      status: result.status,
      answer: result.answer,
      lead: result.lead,
      citations: result.citations.map((c) => ({
        n: c.n,
        title: c.title,
        docNumber: c.docNumber,
        region: c.region,
        clausePath: c.clausePath ?? (c.headingPath.join(' › ') || null),
        text: c.text,
      })),
    },
  };
}

export function toJsonl(items: readonly FeedbackItem[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}
