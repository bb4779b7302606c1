/**
 * npm run feedback-export -- [--out file.jsonl] [--history data/history.sqlite] [--rating down|up|all]
 *
 * Turns answers users rated 👎 (with their notes) into a draft regression set in the evaluation format
 * (set-format.ts): each item is the question as asked, the earlier turns of its conversation as `history`,
 * and, as notes the runner ignores, the answer given, its citations and the user's note. What a correct
 * answer contains is for an evaluator to say, so `facts` and `quotes` hold TODO placeholders: they parse,
 * and an item left as exported fails when run (no answer contains "TODO: …") instead of passing unread.
 * README "Turning feedback into regression items" says how to complete one and add it to a suite.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { closePgPools } from '../ingest/store/postgres/pg-pool.ts';
import type { AnswerResult } from '../server/answer/contract.ts';
import { type HistoryConfig, loadServerConfig } from '../server/config.ts';
import type { FeedbackRating, FeedbackRecord } from '../server/history/history-store.ts';
import { openHistoryStore } from '../server/history/open-history.ts';

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

const USAGE = `Usage: npm run feedback-export -- [--out file.jsonl] [--history file.sqlite] [--rating down|up|all]

  --out <file.jsonl>   where the set goes (default: standard output)
  --history <file>     a history SQLite file (default: the server's history, HISTORY_STORE: the database
                       with STORE=postgres, else $DATA_DIR/history.sqlite)
  --rating <rating>    down (default), up, or all`;

async function main(): Promise<number> {
  let values: { out?: string; history?: string; rating?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: 'string' },
        history: { type: 'string' },
        rating: { type: 'string', default: 'down' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const rating = values.rating;
  if (rating !== 'down' && rating !== 'up' && rating !== 'all') {
    console.error(`--rating must be down, up or all.\n\n${USAGE}`);
    return 2;
  }
  // --history names a SQLite file; without it, the server's own store (HISTORY_STORE: with STORE=postgres
  // the database, where every replica's feedback is).
  const config = loadServerConfig().history;
  const chosen: HistoryConfig = values.history ? { ...config, kind: 'sqlite', path: values.history } : config;
  if (chosen.kind === 'sqlite' && !existsSync(chosen.path)) {
    console.error(`No history database at ${chosen.path} (give --history).`);
    return 2;
  }
  // Retention off: an export reads; it must not delete answers the server would still keep today.
  const { store } = await openHistoryStore(chosen, { retentionDays: 0 });
  try {
    const records = await store.listFeedback(rating === 'all' ? {} : { rating });
    const text = toJsonl(records.map(feedbackItem));
    if (values.out) {
      writeFileSync(values.out, text);
      console.error(`Wrote ${records.length} item(s) to ${values.out}.`);
    } else process.stdout.write(text);
    return 0;
  } finally {
    await store.close();
    await closePgPools();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exitCode = 1;
    },
  );
}
