import { describe, expect, it } from 'vitest';
import { numbersIn, untraceableNumbers } from '../server/answer/number-check.ts';

describe('untraceableNumbers', () => {
  it('treats 百分之八十 and 80% as the same number, both ways', () => {
    expect(untraceableNumbers('覆盖率达到百分之八十 [1]', ['覆盖率达到80%以上'])).toEqual([]);
    expect(untraceableNumbers('覆盖率达到80% [1]', ['覆盖率达到百分之八十'])).toEqual([]);
  });

  it('treats 五万元, 5万元 and 50000元 as the same amount', () => {
    for (const answer of ['处五万元罚款', '处5万元罚款', '处50000元罚款', '处50,000元罚款'])
      for (const source of ['处五万元以上十万元以下的罚款', '处5万元以上10万元以下的罚款', '处50000元以上'])
        expect(untraceableNumbers(answer, [source]), `${answer} / ${source}`).toEqual([]);
  });

  it('finds a Chinese-numeral number only when a citation holds it', () => {
    expect(untraceableNumbers('年满五十五周岁 [1]', ['年满五十五周岁的'])).toEqual([]);
    expect(untraceableNumbers('九十', ['八十'])).toEqual(['九十']);
    expect(
      untraceableNumbers('处二十万元以上五十万元以下的罚款', ['处二十万元以上三十万元以下的罚款']),
    ).toEqual(['五十万']);
  });

  it('needs no support for clause numbers and list markers', () => {
    expect(untraceableNumbers('依照第二十二条第三款 [1]', ['应当报告'])).toEqual([]);
    expect(untraceableNumbers('（一）未按照规定报告', ['未按照规定报告'])).toEqual([]);
    expect(untraceableNumbers('一、总体要求', ['总体要求'])).toEqual([]);
  });

  it('needs no support for words made of numeral characters', () => {
    expect(untraceableNumbers('统一部署，进一步落实三甲医院建设，千家万户受益，一个目标', ['部署'])).toEqual(
      [],
    );
    // A count with a unit (两个) is a number even in a name: it must come from the clause.
    expect(untraceableNumbers('落实两个责任', ['落实“两个责任”'])).toEqual([]);
    expect(untraceableNumbers('落实两个责任', ['落实责任'])).toEqual(['两']);
  });

  it('still checks Arabic digits as before, including 7 quoted from 7.7', () => {
    expect(untraceableNumbers('7岁以下儿童 [1]', ['7.7岁以下儿童'])).toEqual([]);
    expect(untraceableNumbers('达到45% [1]', ['达到40%'])).toEqual(['45']);
    expect(numbersIn('达到45% [2]')).toEqual(['45']);
  });
});
