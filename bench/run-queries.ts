/**
 * Child process of `npm run bench`: opens one index as the server does and times every question of the mix,
 * retrieval alone and the full answer, over several repetitions; prints one JSON line.
 * Usage: run-queries.ts <indexDir> <questions.json> <repetitions>
 */
import { readFileSync } from 'node:fs';
import { scoreItem } from '../evals/score-item.ts';
import { MAX_COMPARISON_PLACES } from '../server/answer/comparison-answer.ts';
import { createService } from '../server/service.ts';
import type { BenchQuestion, QuestionKind } from './questions.ts';
import type { KindResult } from './results.ts';
import { latency, peakRssMiB } from './stats.ts';

const [indexDir, questionsFile, repsArg] = process.argv.slice(2);
if (!indexDir || !questionsFile) throw new Error('usage: run-queries.ts <indexDir> <questions.json> <reps>');
const questions = JSON.parse(readFileSync(questionsFile, 'utf8')) as BenchQuestion[];
const reps = Number(repsArg ?? 3);

const openStarted = performance.now();
// Uncached: every repetition answers afresh, so these are the costs of answering, not of a lookup.
const service = await createService({ indexDir, ensure: false, llm: null, answerCacheSize: 0 });
const openMs = performance.now() - openStarted;
const warmStarted = performance.now();
// As the server does before it listens.
service.warm();
const warmMs = performance.now() - warmStarted;
const rssReadyMiB = Math.round(process.memoryUsage().rss / 1024 / 1024);

const retrievalMs = new Map<QuestionKind, number[]>();
const answerMs = new Map<QuestionKind, number[]>();
const correct = new Map<QuestionKind, number>();
const misses: { id: string; question: string; status: string | null; answer: string }[] = [];
const push = (m: Map<QuestionKind, number[]>, k: QuestionKind, v: number) =>
  m.set(k, [...(m.get(k) ?? []), v]);

// As the server does before it listens.
service.warm();

for (let rep = 0; rep < reps; rep++) {
  for (const q of questions) {
    const t0 = performance.now();
    await service.search(q.item.question, 5);
    const t1 = performance.now();
    const result = await service.ask({ question: q.item.question, history: q.item.history ?? [] });
    const t2 = performance.now();
    push(retrievalMs, q.kind, t1 - t0);
    push(answerMs, q.kind, t2 - t1);
    if (rep > 0) continue;
    let ok: boolean;
    if (q.kind === 'all-places') {
      const docs = new Set(result.citations.map((c) => c.docId));
      // An answer lists at most MAX_COMPARISON_PLACES places (and says there are more).
      const listed = Math.min(q.expectedDocuments ?? 0, MAX_COMPARISON_PLACES);
      ok = result.status === 'answered' && docs.size >= 0.9 * listed;
    } else ok = scoreItem(q.item, result, t2 - t1).passed;
    if (ok) correct.set(q.kind, (correct.get(q.kind) ?? 0) + 1);
    else
      misses.push({
        id: q.item.id,
        question: q.item.question,
        status: result.status,
        answer: result.answer.slice(0, 200),
      });
  }
}

const kinds: Record<string, KindResult> = {};
for (const [kind, values] of answerMs) {
  kinds[kind] = {
    questions: questions.filter((q) => q.kind === kind).length,
    correct: correct.get(kind) ?? 0,
    retrieval: latency(retrievalMs.get(kind) ?? []),
    answer: latency(values),
  };
}
const allAnswers = [...answerMs.values()].flat();
const allRetrievals = [...retrievalMs.values()].flat();
console.log(
  JSON.stringify({
    openMs,
    warmMs,
    rssReadyMiB,
    rssAfterMiB: Math.round(process.memoryUsage().rss / 1024 / 1024),
    peakRssMiB: peakRssMiB(),
    reps,
    overall: {
      questions: questions.length,
      correct: [...correct.values()].reduce((a, b) => a + b, 0),
      retrieval: latency(allRetrievals),
      answer: latency(allAnswers),
    },
    kinds,
    misses: misses.slice(0, 20),
  }),
);
