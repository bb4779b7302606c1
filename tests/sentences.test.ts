/**
 * The one sentence splitter (chunking, targets and answers all cut text with it).
 */
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../ingest/text/sentences.ts';

const cut = (text: string, options?: Parameters<typeof splitSentences>[2]) =>
  splitSentences(text, 0, options).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('ends sentences at 。 ! ? ; and line breaks, a run of marks once', () => {
    expect(cut('到2025年,A达到50%;B达到60%。C完成?!\nD')).toEqual([
      '到2025年,A达到50%;',
      'B达到60%。',
      'C完成?!',
      'D',
    ]);
    expect(cut('A达到50%;B达到60%。', { semicolons: false })).toEqual(['A达到50%;B达到60%。']);
  });

  it('keeps a parenthesis whole: its ; parts one note, not two sentences', () => {
    const text = '提高家庭医生签约服务质量。(牵头单位:各县区政府;责任单位:市卫生健康委、市医保局)\n下一条。';
    expect(cut(text)).toEqual([
      '提高家庭医生签约服务质量。',
      '(牵头单位:各县区政府;责任单位:市卫生健康委、市医保局)',
      '下一条。',
    ]);
    // An unclosed bracket does not swallow the rest of a long clause.
    const unclosed = `(注${'很长的说明'.repeat(80)};第二句;第三句`;
    expect(cut(unclosed).length).toBeGreaterThan(1);
  });

  it('gives offsets into the text, shifted by the offset given', () => {
    const s = splitSentences('  甲。乙;', 10);
    expect(s).toEqual([
      { start: 12, end: 14 },
      { start: 14, end: 16 },
    ]);
  });
});
