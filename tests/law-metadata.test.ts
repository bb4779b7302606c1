/**
 * Dates of laws, regulations and notices read from their own text, as sites publish them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metaOf } from './support/document-meta.ts';

describe('law history and in-force dates', () => {
  it('reads every event of a history a site joined on one line with double spaces', () => {
    const m = metaOf(
      'some-city-regulation.md',
      [
        '# 某市社会急救医疗管理条例',
        '',
        '1995年11月29日 某市第十届人民代表大会常务委员会第二十一次会议通过',
        '',
        '1996年6月1日 某省第八届人民代表大会常务委员会第二十二次会议批准  2010年10月29日某市第十三届人民代表大会常务委员会第三十五次会议第一次修订  2011年1月17日某省第十一届人民代表大会常务委员会第二十四次会议批准  根据',
        '',
        '2022年8月19日某市第十六届人民代表大会常务委员会第五次会议第二次修订  2022年11月30日某省第十三届人民代表大会常务委员会第四十七次会议批准',
        '',
        '## 第一章 总则',
        '',
        '第一条 为了规范社会急救医疗,制定本条例。',
        '',
        '第二条 本条例自2023年5月1日起施行。',
      ].join('\n'),
    );
    expect(m.history.map((e) => [e.date, e.action])).toEqual([
      ['1995-11-29', 'adopted'],
      ['1996-06-01', 'approved'],
      ['2010-10-29', 'revised'],
      ['2011-01-17', 'approved'],
      ['2022-08-19', 'revised'],
      ['2022-11-30', 'approved'],
    ]);
    // The version in force is the last one, not an earlier event the joined line hid.
    expect(m.issuedDate).toBe('2022-11-30');
    expect(m.inForce?.date).toBe('2023-05-01');
  });

  it("takes a notice's in-force clause from the notice, not from the rules attached to it", () => {
    const notice = [
      '关于进一步做好某项结算工作的通知',
      '',
      '各省、自治区、直辖市医疗保障局:',
      '',
      '一、现将有关事项通知如下。请按照《经办规程》(见附件)执行。',
      '',
      '某局',
      '2022年6月30日',
      '',
      '附件',
      '',
      '经办规程',
      '',
      '第一条 为规范经办,制定本规程。',
      '第六十六条 本规程自2023年1月1日起实施。',
    ].join('\n');
    expect(metaOf('notice.txt', notice).inForce).toBeNull();
    // A notice that issues a plan: the plan's clause is the notice's.
    const issuing = [
      '关于印发某市卫生健康工作方案的通知',
      '',
      '各区人民政府:',
      '',
      '现将《某市卫生健康工作方案》印发给你们,请认真贯彻执行。',
      '',
      '某市人民政府办公室',
      '2024年3月1日',
      '',
      '某市卫生健康工作方案',
      '',
      '一、本方案自2024年4月1日起施行。',
    ].join('\n');
    expect(metaOf('issuing.txt', issuing).inForce?.date).toBe('2024-04-01');
  });
});

describe("a ministry's rule published under its order line", () => {
  it('reads the order (issuer and number), the adopting meeting and the signing date of NHSA order No. 5', () => {
    const source = 'nhsa-fund-report-handling-measures-2022.txt';
    const text = readFileSync(new URL(`../evals/corpora/holdout5/${source}`, import.meta.url), 'utf8');
    const m = metaOf(source, text);
    expect(m.issuer).toBe('国家医疗保障局');
    expect(m.docNumber).toBe('国家医疗保障局令第5号');
    expect(m.history.map((e) => [e.date, e.action, e.text])).toEqual([
      ['2022-01-20', 'adopted', '2022年1月20日第4次局务会议审议通过'],
    ]);
    expect(m.issuedDate).toBe('2022-01-29');
    expect(m.inForce?.date).toBe('2022-03-01');
  });
});
