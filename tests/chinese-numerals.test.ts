import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHINESE_FIGURE_SOURCE,
  findNumericExpressions,
  formatChineseNumeral,
  parseChineseNumeral,
  scaledValue,
} from '../ingest/text/chinese-numerals.ts';

/** The parts of an expression a reader checks: what is written, its value or range, unit and comparator. */
function summary(text: string) {
  return findNumericExpressions(text).map(({ text: written, value, valueMax, unit, comparator }) => ({
    written,
    value,
    valueMax,
    unit,
    comparator,
  }));
}

describe('parseChineseNumeral', () => {
  it.each([
    ['十', 10],
    ['十八', 18],
    ['二十', 20],
    ['五十五', 55],
    ['一百零五', 105],
    ['一百二十', 120],
    ['一千二百', 1200],
    ['一千零一', 1001],
    ['三万', 30000],
    ['两千', 2000],
    ['一万零五百', 10500],
    ['十二万五千', 125000],
    ['一亿二千万', 120000000],
    ['一点五', 1.5],
    ['零点五', 0.5],
    ['〇', 0],
    ['零', 0],
    ['二〇二三', 2023],
    ['廿五', 25],
    ['一千二', 1200],
    ['壹佰', 100],
  ])('reads %s as %d', (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value);
  });

  it('reads Arabic digits with a Chinese scale, as documents mix them', () => {
    expect(parseChineseNumeral('1.5万')).toBe(15000);
    expect(parseChineseNumeral('5万')).toBe(50000);
  });

  it('refuses names and words made of numeral characters', () => {
    for (const text of ['十四五', '万一', '', '点五', '一点五点'])
      expect(parseChineseNumeral(text), text).toBeNull();
  });
});

describe('formatChineseNumeral', () => {
  it('writes numbers as documents do', () => {
    expect(formatChineseNumeral(18)).toBe('十八');
    expect(formatChineseNumeral(105)).toBe('一百零五');
    expect(formatChineseNumeral(10010)).toBe('一万零一十');
    expect(formatChineseNumeral(30000)).toBe('三万');
    expect(formatChineseNumeral(0)).toBe('零');
  });

  it('round-trips every integer from 0 to 99,999,999 through parsing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        (n) => parseChineseNumeral(formatChineseNumeral(n)) === n,
      ),
      { numRuns: 5000 },
    );
  });
});

describe('findNumericExpressions', () => {
  it('reads percent, per-mille and fraction forms with their implied units', () => {
    expect(summary('百分之八十')).toEqual([
      { written: '百分之八十', value: 80, valueMax: null, unit: '%', comparator: '=' },
    ]);
    expect(summary('千分之五')[0]).toMatchObject({ value: 5, unit: '‰' });
    expect(summary('十分之一')[0]).toMatchObject({ value: 1, unit: '/10' });
    expect(summary('十万分之五')[0]).toMatchObject({ value: 5, unit: '/10万' });
    expect(summary('80%')[0]).toMatchObject({ value: 80, unit: '%' });
  });

  it('keeps a trailing 万 with the unit, as in Arabic writing, and scales on request', () => {
    expect(summary('一百二十平方米')[0]).toMatchObject({ value: 120, unit: '平方米' });
    expect(summary('三万元')[0]).toMatchObject({ value: 3, unit: '万元' });
    expect(summary('5万元')[0]).toMatchObject({ value: 5, unit: '万元' });
    expect(scaledValue(50, '万元')).toBe(500000);
    expect(scaledValue(3, '千米')).toBe(3);
  });

  // vaccine-administration-law-2019.md, 第八十二条
  it('reads 以上…以下 as a range: 处二十万元以上五十万元以下的罚款', () => {
    expect(
      summary('拒不改正的，处二十万元以上五十万元以下的罚款；情节严重的，处五十万元以上三百万元以下的罚款'),
    ).toEqual([
      { written: '二十万元以上五十万元以下', value: 20, valueMax: 50, unit: '万元', comparator: 'range' },
      { written: '五十万元以上三百万元以下', value: 50, valueMax: 300, unit: '万元', comparator: 'range' },
    ]);
  });

  // vaccine-administration-law-2019.md, 第八十条
  it('reads multiples, detention days and a ban period', () => {
    expect(summary('并处违法生产、销售疫苗货值金额十五倍以上五十倍以下的罚款')[0]).toMatchObject({
      value: 15,
      valueMax: 50,
      unit: '倍',
      comparator: 'range',
    });
    expect(summary('由公安机关处五日以上十五日以下拘留')[0]).toMatchObject({
      value: 5,
      valueMax: 15,
      unit: '日',
    });
  });

  // vaccine-administration-law-2019.md, 第八十一条 and 第八十七条: the two ends have different units.
  it('returns the two ends of a range with different units separately', () => {
    expect(summary('并处所获收入百分之五十以上十倍以下的罚款')).toEqual([
      { written: '百分之五十以上', value: 50, valueMax: null, unit: '%', comparator: '≥' },
      { written: '十倍以下', value: 10, valueMax: null, unit: '倍', comparator: '≤' },
    ]);
    expect(summary('责令负有责任的医疗卫生人员暂停一年以上十八个月以下执业活动').map((e) => e.unit)).toEqual([
      '年',
      '个月',
    ]);
  });

  // infectious-disease-prevention-law-2013.md, 第七十六条
  it('reads a range whose ends differ only in scale in the unscaled unit', () => {
    expect(summary('给予警告，处五千元以上三万元以下的罚款')[0]).toMatchObject({
      written: '五千元以上三万元以下',
      value: 5000,
      valueMax: 30000,
      unit: '元',
      comparator: 'range',
    });
  });

  it('reads comparator words before and after the number, and time limits with 内', () => {
    // vaccine-administration-law-2019.md, 第三十七条
    expect(summary('接种记录应当保存至疫苗有效期满后不少于五年备查。')[0]).toMatchObject({
      written: '不少于五年',
      comparator: '≥',
    });
    // vaccine-administration-law-2019.md, 第四十七条
    expect(summary('在儿童出生后一个月内，其监护人应当')[0]).toMatchObject({
      value: 1,
      unit: '个月',
      comparator: '≤',
    });
    expect(summary('二十四小时内')[0]).toMatchObject({ value: 24, unit: '小时', comparator: '≤' });
    expect(summary('年满十八周岁')[0]).toMatchObject({ value: 18, unit: '周岁', comparator: '≥' });
    expect(summary('货值金额不足五十万元的')[0]).toMatchObject({ value: 50, comparator: '<' });
    expect(summary('半年')[0]).toMatchObject({ value: 0.5, unit: '年' });
  });

  // shantou-sez-primary-health-care-regulation-2022.md, 第八条
  it('reads 三至十万 as a range of 万', () => {
    expect(summary('按照每个街道办事处或者三至十万人口的标准设置一所社区卫生服务中心')[0]).toMatchObject({
      value: 3,
      valueMax: 10,
      unit: '万人',
      comparator: 'range',
    });
  });

  it('leaves out clause numbers, list markers, dates and words made of numerals', () => {
    const written = summary('第二十二条 （一）2024年2月21日 二〇二三年 千家万户 百姓 十四五 三四个').map(
      (e) => e.written,
    );
    expect(written).toEqual([]);
  });
});

describe('CHINESE_FIGURE_SOURCE', () => {
  const figure = new RegExp(CHINESE_FIGURE_SOURCE);
  it('finds figures written in Chinese numerals', () => {
    for (const text of ['年满五十五周岁', '达到百分之八十', '处三万元罚款', '每年不少于两次', '五日以上'])
      expect(figure.test(text), text).toBe(true);
  });
  it('leaves names made of numerals alone', () => {
    for (const text of ['落实“两个责任”', '用好“三项机制”', '三年行动计划', '二级以上医院', '第二十二条'])
      expect(figure.test(text), text).toBe(false);
  });
});
