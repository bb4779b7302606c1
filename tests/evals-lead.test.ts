/**
 * Scoring against the lead line, citation precision, per-tag figures and the unknown-places set: real
 * scorer, metrics and report writers over hand-made AnswerResults, and the real set file.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compareToBaseline } from '../evals/baseline.ts';
import { computeMetrics } from '../evals/metrics.ts';
import { buildReport, type EvalReport } from '../evals/report-json.ts';
import { renderMarkdown } from '../evals/report-markdown.ts';
import { runSet } from '../evals/run-set.ts';
import { isFigureFact, scoreItem } from '../evals/score-item.ts';
import { type EvalItem, parseSet } from '../evals/set-format.ts';
import { answerResult, type CannedAnswer } from './evals-fixtures.ts';

const CLAUSE = '家庭医生签约服务覆盖率达到45%以上';
const QUOTE_LINE = `原文:“${CLAUSE}。”[1]`;
const OFF_TOPIC = '全面加强公共卫生体系建设，完善疾病预防控制网络。';

const coverage: EvalItem = {
  id: 'jx-coverage',
  question: '嘉兴2027年家庭医生签约覆盖率目标是多少?',
  facts: ['45%'],
  quotes: [CLAUSE],
};

/** An answer as the extractive answerer writes it: the lead line, then the quoted clause. */
function leadAnswer(lead: string, cited: string[] = [CLAUSE]): CannedAnswer {
  return { answer: `${lead}\n${QUOTE_LINE}`, lead, cited };
}

describe('scoring against the lead line', () => {
  it('fails a lead that states another number even when the quote holds the right one', () => {
    const canned = leadAnswer('嘉兴市2027年家庭医生签约服务覆盖率目标:40%以上 [1]');
    const score = scoreItem(coverage, answerResult(canned), 1);

    expect(score.missedFacts).toEqual([]);
    expect(score.missedLeadFacts).toEqual(['45%']);
    expect(score.leadCorrect).toBe(false);
    expect(score.answerCorrect).toBe(false);
    expect(score.passed).toBe(false);
    // The same text without a lead line is judged on the whole answer, as before.
    const noLead = scoreItem(coverage, answerResult({ ...canned, lead: null }), 1);
    expect(noLead.leadCorrect).toBeNull();
    expect(noLead.answerCorrect).toBe(true);
  });

  it('passes a lead that states the right number, after normalisation and without [n] markers', () => {
    const score = scoreItem(
      coverage,
      answerResult(leadAnswer('嘉兴市2027年家庭医生签约服务覆盖率目标:４[1]５％以上 [1]')),
      1,
    );
    expect(score.missedLeadFacts).toEqual([]);
    expect(score.leadCorrect).toBe(true);
    expect(score.answerCorrect).toBe(true);
    expect(score.passed).toBe(true);
  });

  it('lets facts without a figure sit in the quoted clause, but not figures', () => {
    const item: EvalItem = { ...coverage, facts: ['45%', '签约服务覆盖率达到'] };
    const lead = '嘉兴市2027年家庭医生签约服务覆盖率目标:45%以上 [1]';
    const score = scoreItem(item, answerResult(leadAnswer(lead)), 1);
    expect(score.leadCorrect).toBe(true);
    expect(score.answerCorrect).toBe(true);

    // A figure in Chinese numerals counts as a figure and must be in the lead.
    const legal: EvalItem = {
      id: 'age',
      question: '几周岁?',
      facts: ['十八周岁', '完全民事行为能力'],
      quotes: [],
    };
    const wrongLead = scoreItem(
      legal,
      answerResult({
        answer: '年龄:十六周岁 [1]\n原文:“十八周岁以上的成年人为完全民事行为能力人。”[1]',
        lead: '年龄:十六周岁 [1]',
      }),
      1,
    );
    expect(wrongLead.missedLeadFacts).toEqual(['十八周岁']);
    expect(wrongLead.answerCorrect).toBe(false);
  });

  it('still requires every fact in the answer and the status answered', () => {
    const missing = scoreItem(
      { ...coverage, facts: ['45%', '2027年'] },
      answerResult({ answer: '目标:45%以上 [1]', lead: '目标:45%以上 [1]', cited: [CLAUSE] }),
      1,
    );
    expect(missing.missedFacts).toEqual(['2027年']);
    expect(missing.missedLeadFacts).toEqual(['2027年']);
    expect(missing.answerCorrect).toBe(false);
  });

  it('has no lead verdict for unanswerable items, refusals and failed asks', () => {
    const unanswerable: EvalItem = { id: 'u', question: '东京?', facts: [], quotes: [], unanswerable: true };
    const answeredWrongly = answerResult(leadAnswer('嘉兴市2027年家庭医生签约服务覆盖率目标:45%以上 [1]'));
    expect(scoreItem(unanswerable, answeredWrongly, 1)).toMatchObject({
      leadCorrect: null,
      answerCorrect: false,
    });
    expect(scoreItem(coverage, answerResult({ status: 'not_found' }), 1).leadCorrect).toBeNull();
    expect(scoreItem(coverage, null, 1, 'boom').leadCorrect).toBeNull();
  });

  it('tells figure facts from other facts', () => {
    for (const fact of [
      '45%',
      '４５％',
      '3.6人',
      '2027年',
      '嘉政办发〔2024〕5号',
      '百分之八十',
      '五十五周岁',
    ])
      expect(isFigureFact(fact), fact).toBe(true);
    for (const fact of ['家庭医生签约', '二级以上公立医院', '两个责任', '国务院办公厅'])
      expect(isFigureFact(fact), fact).toBe(false);
  });
});

describe('citation precision and lead accuracy', () => {
  const items: EvalItem[] = [
    { id: 'a', question: 'qa', facts: ['45%'], quotes: [CLAUSE], tags: ['target'] },
    { id: 'b', question: 'qb', facts: ['嘉政办发〔2024〕5号'], quotes: [], tags: ['metadata'] },
    { id: 'c', question: 'qc', facts: ['3.6人'], quotes: [], tags: ['target'] },
    { id: 'd', question: 'qd', facts: ['4.5个'], quotes: [], tags: ['target'] },
    { id: 'u', question: 'qu', facts: [], quotes: [], unanswerable: true, tags: ['unknown-place'] },
  ];
  const canned: Record<string, CannedAnswer> = {
    // Quote-holding, fact-only and off-topic citations: 2 of 3 hold part of the answer; lead right.
    qa: {
      ...leadAnswer('嘉兴市2027年家庭医生签约服务覆盖率目标:45%以上 [1]'),
      cited: [CLAUSE, '覆盖率45%', OFF_TOPIC],
    },
    // A fact in the citation counts although the item has no quotes: 1 of 1; no lead line.
    qb: { answer: '文号为嘉政办发〔2024〕5号。[1]', cited: ['嘉政办发〔2024〕5号'] },
    // Wrong lead; its one citation is off-topic: 0 of 1.
    qc: {
      answer: '医师数:3.5人 [1]\n原文:“医师数达到3.6人”[1]',
      lead: '医师数:3.5人 [1]',
      cited: [OFF_TOPIC],
    },
    // Refused: its related clauses are not citations of an answer.
    qd: { status: 'not_found' },
    // Unanswerable but answered: its citation does not count either.
    qu: { answer: '45% [1]', cited: [OFF_TOPIC] },
  };

  async function scores() {
    return runSet(items, async (req) => answerResult(canned[req.question]!));
  }

  it('counts citations holding a quote or a fact, micro-averaged over answered answerable items', async () => {
    const list = await scores();
    expect(list.map((score) => [score.citedWithAnswer, score.citedTotal])).toEqual([
      [2, 3],
      [1, 1],
      [0, 1],
      [0, 0],
      [0, 1],
    ]);
    const metrics = computeMetrics(list);
    // (2 + 1 + 0) / (3 + 1 + 1), not the mean of 2/3, 1 and 0.
    expect(metrics.citationPrecision).toBe(3 / 5);
    // Quote-only, over items with quotes (a): 1 / 3.
    expect(metrics.quotePrecision).toBe(1 / 3);
    // Answered with a lead: a (right) and c (wrong).
    expect(metrics.leadAccuracy).toBe(1 / 2);
    // a and b right, c wrong lead, d refused, u answered.
    expect(metrics.answerAccuracy).toBe(2 / 5);
  });

  it('breaks answer accuracy, lead accuracy and refusals down by tag in the Markdown report', async () => {
    const tagged = items.map((item) => (item.id === 'a' ? { ...item, tags: ['target', 'zh'] } : item));
    const list = await runSet(tagged, async (req) => answerResult(canned[req.question]!));
    const report: EvalReport = buildReport({
      setName: 'lead',
      setPath: 'evals/sets/lead.jsonl',
      problems: [],
      target: 'test',
      startedAt: new Date('2025-01-01T00:00:00Z'),
      finishedAt: new Date('2025-01-01T00:00:01Z'),
      scores: list,
    });
    expect(Object.keys(report.tags)).toEqual(['metadata', 'target', 'unknown-place', 'zh']);
    expect(report.tags.target).toMatchObject({
      items: 3,
      answerAccuracy: 1 / 3,
      leadAccuracy: 1 / 2,
      falseRefusalRate: 1 / 3,
      refusalAccuracy: null,
    });

    const md = renderMarkdown(report);
    expect(md).toContain(
      '| Tag | Items | Pass rate | Answer accuracy | Lead accuracy | Citation precision | hit@5 | MRR | Citation recall | Refusal accuracy | False-refusal rate |',
    );
    // target = a, c, d: pass rate, answer accuracy, lead accuracy, citation precision ((2 + 0) / (3 + 1)),
    // hit@5, MRR, citation recall (a's quote only), refusal accuracy, false-refusal rate (d).
    expect(md).toContain(
      '| target | 3 | 33.3% | 33.3% | 50.0% | 50.0% | 0.0% | 0.000 | 100.0% | — | 33.3% |',
    );
    expect(md).toContain('| unknown-place | 1 | 0.0% | 0.0% | — | — | — | — | — | 0.0% | — |');
    // An item with two tags counts in each.
    expect(md).toMatch(/\| zh \| 1 \| 100\.0% \| 100\.0% \| 100\.0% \| 66\.7% \|/);
    expect(md).toContain('| Lead accuracy | 50.0% |');
    expect(md).toContain('| Citation precision | 60.0% |');
    expect(md).toContain('| Quote precision | 33.3% |');
    // The wrong lead is named in the failure row.
    expect(md).toContain('| c | qc | answered | 3.6人 (not in lead) |');

    const json = JSON.parse(JSON.stringify(report));
    expect(json.items[2]).toMatchObject({
      id: 'c',
      lead: '医师数:3.5人 [1]',
      leadCorrect: false,
      missedFacts: [],
      missedLeadFacts: ['3.6人'],
      citations: [{ n: 1, holdsAnswer: false }],
    });
    expect(json.items[0].citations.map((c: { holdsAnswer: boolean }) => c.holdsAnswer)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('does not compare citation precision with a baseline written before its meaning changed', async () => {
    const list = await scores();
    const current = buildReport({
      setName: 'lead',
      setPath: 'x.jsonl',
      problems: [],
      target: 'test',
      startedAt: new Date(0),
      finishedAt: new Date(0),
      scores: list,
    });
    const old = {
      formatVersion: 1,
      metrics: { citationPrecision: 0.9, answerAccuracy: 0.5 },
      items: current.items.map(({ id, passed }) => ({ id, passed })),
    };
    const deltas = compareToBaseline(current, old, 'old.json').deltas;
    expect(deltas.find((delta) => delta.key === 'citationPrecision')).toMatchObject({
      baseline: null,
      delta: null,
    });
    expect(deltas.find((delta) => delta.key === 'answerAccuracy')?.baseline).toBe(0.5);
    const same = compareToBaseline(current, { ...old, formatVersion: 2 }, 'new.json').deltas;
    expect(same.find((delta) => delta.key === 'citationPrecision')?.baseline).toBe(0.9);
  });
});

describe('evals/sets/unknown-places.jsonl', () => {
  it('parses with no problems: 16 unanswerable unknown-place questions in Chinese and English', async () => {
    const text = await readFile(new URL('../evals/sets/unknown-places.jsonl', import.meta.url), 'utf8');
    const { items, problems } = parseSet(text);
    expect(problems).toEqual([]);
    expect(items).toHaveLength(16);
    for (const item of items) {
      expect(item, item.id).toMatchObject({ facts: [], quotes: [], unanswerable: true });
      expect(item.tags, item.id).toContain('unknown-place');
    }
    const english = items.filter((item) => !/\p{Script=Han}/u.test(item.question));
    expect(english.length).toBeGreaterThan(0);
    expect(english.length).toBeLessThan(items.length);
  });
});

describe('scoring the clause cited', () => {
  const answer = answerResult(leadAnswer('嘉兴市2027年家庭医生签约服务覆盖率目标:45%以上 [1]'));
  // The fixture cites clause 二(一)1.
  const asPrinted = (clause: string) => scoreItem({ ...coverage, clause }, answer, 1).clauseCited;

  it('reads a clause as printed, its enumeration commas and points dropped wherever they stand', () => {
    expect(asPrinted('二(一)1')).toBe(true);
    expect(asPrinted('二、(一)1.')).toBe(true);
    expect(asPrinted('二、')).toBe(true);
  });

  it('still fails another clause', () => {
    expect(asPrinted('三、(一)1')).toBe(false);
    expect(asPrinted('二(二)')).toBe(false);
  });

  it('matches a table row by the source it is written as (Citation.source), not only by its labelled cells', () => {
    const item: EvalItem = {
      id: 'row',
      question: 'q',
      facts: ['5.23'],
      quotes: ['每千人口床位数\n\n4.81\n\n5.23'],
    };
    const row = answerResult({
      answer: '5.23 [1]',
      cited: ['每千人口床位数\n2020年: 4.81\n2025年目标: 5.23'],
    });
    expect(scoreItem(item, row, 1).missedQuotes).toHaveLength(1);
    const withSource = {
      ...row,
      citations: row.citations.map((c) => ({ ...c, source: '每千人口床位数\n4.81\n5.23' })),
    };
    expect(scoreItem(item, withSource, 1).missedQuotes).toEqual([]);
  });
});
