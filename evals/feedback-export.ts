/**
 * npm run feedback-export -- [--out file.jsonl] [--history data/history.sqlite] [--rating down|up|all]
 *
 * Turns answers users rated 👎 (with their notes) into a draft regression set in the evaluation format
 * (set-format.ts), read from the history store; the item format is server/history/feedback-set.ts, and a
 * running server gives the same file at GET /api/admin/feedback. README "Turning feedback into regression
 * items" says how to complete an item and add it to a suite.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { closePgPools } from '../ingest/store/postgres/pg-pool.ts';
import { type HistoryConfig, loadServerConfig } from '../server/config.ts';
import { feedbackItem, toJsonl } from '../server/history/feedback-set.ts';
import { openHistoryStore } from '../server/history/open-history.ts';

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
