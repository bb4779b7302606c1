/**
 * Child process of `npm run bench`: does the offline vector side earn its ingest cost? Over an index built
 * with EMBEDDER=lsa, hit@5 of the gold questions with the vectors fused at several weights (0 = lexical
 * only, the default), for all questions and for the English ones alone.
 * Usage: run-vectors.ts <lsaIndexDir> <items.json>
 */
import { readFileSync } from 'node:fs';
import { includesNormalized } from '../evals/normalize.ts';
import type { EvalItem } from '../evals/set-format.ts';
import { createService } from '../server/service.ts';

const [indexDir, itemsFile] = process.argv.slice(2);
if (!indexDir || !itemsFile) throw new Error('usage: run-vectors.ts <lsaIndexDir> <items.json>');
const items = (JSON.parse(readFileSync(itemsFile, 'utf8')) as EvalItem[]).filter(
  (i) => !i.unanswerable && i.quotes.length > 0 && !i.history?.length,
);
const english = (i: EvalItem) => (i.tags ?? []).includes('en');

const rows = [];
for (const weight of [0, 0.1, 0.2, 0.5]) {
  const service = await createService({
    indexDir,
    ensure: false,
    llm: null,
    answerCacheSize: 0,
    retrieval: { vectorWeight: weight },
  });
  let all = 0;
  let en = 0;
  for (const item of items) {
    const texts = (await service.search(item.question, 5)).map((r) => r.text);
    const hit = texts.some((t) => item.quotes.some((q) => includesNormalized(t, q)));
    if (hit) all++;
    if (hit && english(item)) en++;
  }
  rows.push({
    weight,
    hitAt5: all / items.length,
    englishHitAt5: en / Math.max(1, items.filter(english).length),
  });
}
console.log(JSON.stringify({ items: items.length, english: items.filter(english).length, rows }));
