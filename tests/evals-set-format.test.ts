import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { includesNormalized, normalizeForMatch } from '../evals/normalize.ts';
import { scoreItem } from '../evals/score-item.ts';
import { parseSet } from '../evals/set-format.ts';
import { answerResult } from './evals-fixtures.ts';

const good = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, question: `问题 ${id}`, facts: ['45%'], quotes: ['到2027年'], ...extra });

describe('parseSet', () => {
  it('reports bad lines with their line numbers and keeps the good ones', () => {
    const text = [
      good('a'),
      '{"id": "b", "question": "缺少右括号"',
      JSON.stringify({ id: 'c', question: '没有 facts', quotes: [] }),
      '',
      good('d'),
      good('a'),
      JSON.stringify({ id: 'e', question: '可回答但没有检查项', facts: [], quotes: [] }),
      JSON.stringify({ id: 'f', question: '  ', facts: ['x'], quotes: [] }),
      JSON.stringify({
        id: 'g',
        question: '历史',
        facts: ['x'],
        quotes: [],
        history: [{ role: 'system', content: 'x' }],
      }),
    ].join('\n');

    const { items, problems } = parseSet(text);

    expect(items.map((item) => item.id)).toEqual(['a', 'd']);
    expect(problems.map((problem) => problem.line)).toEqual([2, 3, 6, 7, 8, 9]);
    expect(problems[0]?.message).toMatch(/^not valid JSON/);
    expect(problems[1]?.message).toMatch(/^facts: /);
    expect(problems[2]?.message).toBe('duplicate id "a" (first on line 1)');
    expect(problems[3]?.message).toBe('an answerable item needs at least one fact or quote');
    expect(problems[4]?.message).toBe('question: must not be blank');
    expect(problems[5]?.message).toMatch(/^history\.0\.role: /);
  });

  it('ignores unknown fields', () => {
    const { items, problems } = parseSet(good('a', { note: '来自2024年文件', reviewer: 'li' }));
    expect(problems).toEqual([]);
    expect(items).toEqual([{ id: 'a', question: '问题 a', facts: ['45%'], quotes: ['到2027年'] }]);
  });

  it('accepts an unanswerable item without facts or quotes, and reads tags and history', () => {
    const line = JSON.stringify({
      id: 'u',
      question: '那杭州呢?',
      facts: [],
      quotes: [],
      unanswerable: true,
      tags: ['follow-up', 'unknown-region'],
      history: [
        { role: 'user', content: '嘉兴到2027年的目标是什么?' },
        { role: 'assistant', content: '……' },
      ],
    });
    const { items, problems } = parseSet(line);
    expect(problems).toEqual([]);
    expect(items[0]?.unanswerable).toBe(true);
    expect(items[0]?.tags).toEqual(['follow-up', 'unknown-region']);
    expect(items[0]?.history).toHaveLength(2);
  });

  it('reads files with a byte-order mark and Windows line endings', () => {
    const { items, problems } = parseSet(`\uFEFF${good('a')}\r\n${good('b')}\r\n`);
    expect(problems).toEqual([]);
    expect(items.map((item) => item.id)).toEqual(['a', 'b']);
  });
});

describe('matching facts and quotes', () => {
  it('treats full-width "４５％" in an answer as the fact "45%"', () => {
    const [item] = parseSet(good('a')).items;
    const score = scoreItem(
      item!,
      answerResult({ answer: '到2027年，达到４５％以上。[1]', cited: ['到2027年，达到４５％以上'] }),
      10,
    );
    expect(score.missedFacts).toEqual([]);
    expect(score.answerCorrect).toBe(true);
    expect(score.passed).toBe(true);
  });

  it('reports the fact as missed when the number differs', () => {
    const [item] = parseSet(good('a')).items;
    const score = scoreItem(
      item!,
      answerResult({ answer: '到2027年，达到４０％以上。[1]', cited: ['到2027年'] }),
      10,
    );
    expect(score.missedFacts).toEqual(['45%']);
    expect(score.answerCorrect).toBe(false);
  });

  it('finds a quote in a clause that the page broke over lines and spaces', () => {
    expect(includesNormalized('（三）到 2027\n年，全市', '到2027年')).toBe(true);
    expect(normalizeForMatch('４５ ％\u3000以上')).toBe('45%以上');
  });

  it('ignores [n] citation markers that fall inside a fact', () => {
    const item = parseSet(JSON.stringify({ id: 'x', question: 'q', facts: ['床位数达到6.5张'], quotes: [] }))
      .items[0]!;
    expect(scoreItem(item, answerResult({ answer: '床位数达到[2]6.5张' }), 1).answerCorrect).toBe(true);
  });

  it('never matches an empty needle', () => {
    expect(includesNormalized('任何文本', ' \n')).toBe(false);
  });

  it('normalising twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const once = normalizeForMatch(text);
        expect(normalizeForMatch(once)).toBe(once);
      }),
    );
  });
});
