import { describe, expect, it } from 'vitest';
import { computeMetrics, computeTagMetrics, percentile } from '../evals/metrics.ts';
import { runSet } from '../evals/run-set.ts';
import type { EvalItem } from '../evals/set-format.ts';
import { answerResult, type CannedAnswer } from './evals-fixtures.ts';

const Q1 = '到2027年，全市每千人口执业（助理）医师数达到3.6人';
const Q2 = '二级以上公立医院门诊预约诊疗率达到60%';
const Q3 = '基层医疗卫生机构诊疗量占比达到65%';
const Q4 = '每千人口拥有3岁以下婴幼儿托位数达到4.5个';
const Q5 = '县域就诊率保持在90%以上';
const OTHER = '全面加强公共卫生体系建设，完善疾病预防控制网络。';

interface Case {
  item: EvalItem;
  canned: CannedAnswer;
  latencyMs: number;
}

// Seven items whose metrics are worked out by hand in the comments below.
const cases: Case[] = [
  {
    // Retrieval rank 2; 1 of 2 citations holds the quote; fact present: correct and passed.
    item: { id: 'a1', question: '每千人口医师数目标?', facts: ['3.6人'], quotes: [Q1], tags: ['jiaxing'] },
    canned: {
      answer: '到2027年，每千人口执业（助理）医师数达到３.６人。[1]',
      cited: [Q1, OTHER],
      retrieved: [OTHER, Q1],
    },
    latencyMs: 100,
  },
  {
    // Rank 1; its one citation holds a quote (1 of 2 quotes covered); fact missing: incorrect.
    item: { id: 'a2', question: '预约诊疗率?', facts: ['2027年'], quotes: [Q2, Q3], tags: ['jiaxing'] },
    canned: { answer: '二级以上公立医院门诊预约诊疗率达到60%。[1]', cited: [Q2], retrieved: [Q2, OTHER] },
    latencyMs: 200,
  },
  {
    // Rank 7 but refused: a false refusal, incorrect.
    item: { id: 'a3', question: '托位数?', facts: [], quotes: [Q4] },
    canned: { status: 'not_found', retrieved: [OTHER, OTHER, OTHER, OTHER, OTHER, OTHER, `（五）${Q4}。`] },
    latencyMs: 300,
  },
  {
    // Never retrieved; answered with no facts to check (correct) but its citation lacks the quote: fails.
    item: { id: 'a4', question: '县域就诊率?', facts: [], quotes: [Q5] },
    canned: { answer: '全面加强公共卫生体系建设。[1]', cited: [OTHER], retrieved: [OTHER] },
    latencyMs: 400,
  },
  {
    item: { id: 'u1', question: '杭州的目标?', facts: [], quotes: [], unanswerable: true, tags: ['refusal'] },
    canned: { status: 'not_found' },
    latencyMs: 50,
  },
  {
    item: {
      id: 'u2',
      question: '2030年的目标?',
      facts: [],
      quotes: [],
      unanswerable: true,
      tags: ['refusal'],
    },
    canned: { answer: '全面加强公共卫生体系建设。[1]', cited: [OTHER] },
    latencyMs: 60,
  },
  {
    // Facts only: counts for accuracy, not for retrieval or citation metrics.
    item: { id: 'a5', question: '文号?', facts: ['嘉政办发〔2024〕5号'], quotes: [] },
    canned: { answer: '文号为嘉政办发〔2024〕5号。[1]', cited: [OTHER] },
    latencyMs: 70,
  },
];

/** Runs the cases through runSet with a clock the fake ask advances by each case's latency. */
async function runCases(list: readonly Case[]) {
  let clock = 0;
  const byQuestion = new Map(list.map((entry) => [entry.item.question, entry]));
  return runSet(
    list.map((entry) => entry.item),
    async (req) => {
      const entry = byQuestion.get(req.question)!;
      clock += entry.latencyMs;
      return answerResult(entry.canned);
    },
    { now: () => clock },
  );
}

describe('computeMetrics', () => {
  it('computes every metric exactly on hand-made answers', async () => {
    const metrics = computeMetrics(await runCases(cases));

    expect(metrics).toMatchObject({
      items: 7,
      answerable: 5,
      unanswerable: 2,
      retrievalItems: 4,
      errors: 0,
      passed: 3,
    });
    // Ranks over a1..a4: 2, 1, 7, none.
    expect(metrics.hitAt1).toBe(1 / 4);
    expect(metrics.hitAt5).toBe(2 / 4);
    expect(metrics.hitAt10).toBe(3 / 4);
    expect(metrics.mrr).toBeCloseTo((1 / 2 + 1 + 1 / 7 + 0) / 4, 12);
    // Correct: a1, a4, u1, a5.
    expect(metrics.answerAccuracy).toBe(4 / 7);
    expect(metrics.passRate).toBe(3 / 7);
    // Citations holding a quote or a fact / citations, over answered answerable items a1, a2, a4, a5:
    // (1 + 1 + 0 + 0) / (2 + 1 + 1 + 1); a3 was refused and u2 is unanswerable.
    expect(metrics.citationPrecision).toBe(2 / 5);
    // Cited with a quote / cited over a1..a4: (1 + 1 + 0 + 0) / (2 + 1 + 0 + 1).
    expect(metrics.quotePrecision).toBe(2 / 4);
    // No result has a lead line.
    expect(metrics.leadAccuracy).toBeNull();
    // Quotes covered / quotes over a1..a4: (1 + 1 + 0 + 0) / (1 + 2 + 1 + 1).
    expect(metrics.citationRecall).toBe(2 / 5);
    expect(metrics.refusalAccuracy).toBe(1 / 2);
    expect(metrics.falseRefusalRate).toBe(1 / 5);
    // Latencies sorted: 50 60 70 100 200 300 400; nearest rank 4 and 7.
    expect(metrics.latencyP50Ms).toBe(100);
    expect(metrics.latencyP95Ms).toBe(400);
  });

  it('computes the same metrics per tag, leaving undefined ones null', async () => {
    const tags = computeTagMetrics(await runCases(cases));

    expect(Object.keys(tags)).toEqual(['jiaxing', 'refusal']);
    expect(tags.jiaxing).toMatchObject({
      items: 2,
      hitAt1: 1 / 2,
      hitAt5: 1,
      answerAccuracy: 1 / 2,
      citationRecall: 2 / 3,
    });
    expect(tags.jiaxing?.mrr).toBe((1 / 2 + 1) / 2);
    expect(tags.refusal).toMatchObject({
      items: 2,
      refusalAccuracy: 1 / 2,
      hitAt5: null,
      falseRefusalRate: null,
    });
  });

  it('reports null rather than a perfect score when nothing is measured', () => {
    const metrics = computeMetrics([]);
    expect(metrics.answerAccuracy).toBeNull();
    expect(metrics.refusalAccuracy).toBeNull();
    expect(metrics.latencyP95Ms).toBeNull();
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('runSet', () => {
  it('records a failed ask as a failed item with its message and keeps going', async () => {
    const items: EvalItem[] = [
      { id: 'boom', question: '崩溃', facts: ['x'], quotes: [] },
      { id: 'ok', question: '正常', facts: ['x'], quotes: [] },
    ];
    const scores = await runSet(items, async (req) => {
      if (req.question === '崩溃') throw new Error('index not loaded');
      return answerResult({ answer: 'x' });
    });
    expect(scores.map((score) => [score.item.id, score.passed, score.error])).toEqual([
      ['boom', false, 'index not loaded'],
      ['ok', true, null],
    ]);
    expect(computeMetrics(scores).errors).toBe(1);
  });

  it('keeps at most `concurrency` questions in flight and returns scores in set order', async () => {
    const items: EvalItem[] = Array.from({ length: 9 }, (_, index) => ({
      id: `i${index}`,
      question: `q${index}`,
      facts: ['x'],
      quotes: [],
    }));
    let inFlight = 0;
    let maxInFlight = 0;
    const progress: number[] = [];
    const scores = await runSet(
      items,
      async (req) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // Later items finish first, so completion order differs from set order.
        await new Promise((resolve) => setTimeout(resolve, 30 - Number(req.question.slice(1)) * 3));
        inFlight -= 1;
        return answerResult({ answer: 'x' });
      },
      { concurrency: 3, onProgress: (done) => progress.push(done) },
    );
    expect(maxInFlight).toBe(3);
    expect(scores.map((score) => score.item.id)).toEqual(items.map((item) => item.id));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('passes the history of a follow-up question to ask', async () => {
    const history = [{ role: 'user' as const, content: '嘉兴的目标?' }];
    const seen: unknown[] = [];
    await runSet([{ id: 'f', question: '那西宁呢?', facts: ['x'], quotes: [], history }], async (req) => {
      seen.push(req);
      return answerResult({ answer: 'x' });
    });
    expect(seen).toEqual([{ question: '那西宁呢?', history }]);
  });
});
