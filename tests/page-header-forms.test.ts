/**
 * Metadata of saved government pages and law texts in the forms sites publish them: fact tables kept as pipe
 * cells or as a bulleted list, a column name above the fact table, a law's history on one line, and a plan
 * that names its place only as the place whose health it builds.
 */
import { describe, expect, it } from 'vitest';
import { metaOf } from './support/document-meta.ts';

describe('page fact tables', () => {
  it('reads a fact table kept as pipe cells with spaced labels (文 号 | 眉府发〔2020〕23号)', () => {
    const m = metaOf(
      'city-opinion-page.txt',
      [
        '索 引 号 | 015425431/2020-00178 | 发布机构 | 某山市人民政府 | 公开日期 | 2020-11-27 |',
        '文 号 | 某府发〔2020〕23号 | 公文种类 | 通知 | ||',
        '成文日期 | 2020-11-25 | 有效性 | 有效 |',
        '某山市人民政府关于推进健康某山行动的实施意见',
        '各县(区)人民政府,市级各部门(单位):',
        '为加快推进健康某山建设,提出如下实施意见。',
      ].join('\n'),
    );
    expect(m.docNumber).toBe('某府发〔2020〕23号');
    expect(m.issuer).toBe('某山市人民政府');
    expect(m.title).toBe('某山市人民政府关于推进健康某山行动的实施意见');
  });

  it('reads one fact per bullet without colons (• 发文字号 青政办字〔2021〕67号)', () => {
    const m = metaOf(
      'city-plan-page.txt',
      [
        '某岛市人民政府办公厅关于印发某岛市“十四五”卫生健康发展规划的通知',
        '字体大小: 打印',
        '  • 索引号 00511755800020020210090',
        '  • 成文日期 2021-09-18',
        '  • 发文字号 青政办字〔2021〕67号',
        '  • 发文单位 某岛市人民政府办公厅',
        '  • 各区、市人民政府,市政府各部门:',
        '    《某岛市“十四五”卫生健康发展规划》已经市政府研究同意,现印发给你们,请认真贯彻执行。',
      ].join('\n'),
    );
    expect(m.docNumber).toBe('青政办字〔2021〕67号');
    expect(m.issuedDate).toBe('2021-09-18');
  });

  it("a portal column's name above the fact table is not part of the title or the issuer", () => {
    const m = metaOf(
      'province-work-points-page.txt',
      [
        '计划总结',
        '索 引 号: 002482365/2023-00095 公开日期: 2023-04-22',
        '发布机构: 省卫生健康委 文  号: 浙卫发〔2023〕10号',
        '',
        '浙江省卫生健康委关于印发2023年浙江省卫生健康工作要点的通知',
        '',
        '各市、县(市、区)卫生健康委(局):',
        '现将2023年浙江省卫生健康工作要点印发给你们,请认真组织实施。',
        '浙江省卫生健康委',
        '2023年4月22日',
      ].join('\n'),
    );
    expect(m.title).toBe('浙江省卫生健康委关于印发2023年浙江省卫生健康工作要点的通知');
    expect(m.issuer).toBe('浙江省卫生健康委');
  });
});

describe('portal banners', () => {
  it("the banner above a page's breadcrumb is not the title; the title's own issuer is", () => {
    const m = metaOf(
      'province-plan-page.txt',
      [
        '某南省卫生健康委员会',
        'Health Commission of Some Province',
        '当前位置:首页 > 政府信息公开 > 计划规划',
        '健康中原行动推进委员会关于印发健康某南行动实施方案 (2023—2025年)的通知',
        '作者:  时间:2023-05-28  来源:  字号:【',
        '豫健委〔2023〕1号',
        '各省辖市推进健康中原行动议事协调机构,省直有关部门:',
        '现将《健康某南行动实施方案(2023—2025年)》印发给你们,请认真贯彻执行。',
        '2023年5月8日',
      ].join('\n'),
    );
    expect(m.title).toBe('健康中原行动推进委员会关于印发健康某南行动实施方案 (2023—2025年)的通知');
    expect(m.issuer).toBe('健康中原行动推进委员会');
  });

  it('script and IPv6 switches are chrome; a signing date trailed by lost characters is still the date', () => {
    const m = metaOf(
      'region-plan-page.txt',
      [
        '简体版|繁体版',
        '支持IPv6',
        '无障碍',
        '广西壮族自治区人民政府关于印发广西卫生健康发展“十四五”规划的通知',
        '发布日期: 2022-06-17 17:12',
        '桂政发〔2022〕15号',
        '各市、县人民政府,自治区人民政府各组成部门:',
        '现将《广西卫生健康发展“十四五”规划》印发给你们,请认真组织实施。',
        '广西壮族自治区人民政府',
        '2022年6月13日???',
        '(此件公开发布)',
      ].join('\n'),
    );
    expect(m.title).toBe('广西壮族自治区人民政府关于印发广西卫生健康发展“十四五”规划的通知');
    expect(m.issuedDate).toBe('2022-06-13');
  });
});

describe('page headlines and regional names', () => {
  it("a page's headline and its 发布时间 line above the notice are not the title", () => {
    const m = metaOf(
      'province-action-plan-page.txt',
      [
        '《健康河北建设行动方案(2023—2027年)》印发',
        '',
        '发布时间: 2023-04-13来源:河北省卫生健康委',
        '',
        '河北省卫生健康委员会关于印发《健康河北建设行动方案(2023—2027年)》的通知',
        '',
        '冀卫发〔2023〕5号',
        '',
        '各市人民政府,省直相关部门:',
        '《健康河北建设行动方案(2023—2027年)》已经省政府同意,现印发给你们,请认真贯彻执行。',
        '河北省卫生健康委员会',
        '2023年4月7日',
      ].join('\n'),
    );
    expect(m.title).toBe('河北省卫生健康委员会关于印发《健康河北建设行动方案(2023—2027年)》的通知');
    expect(m.issuer).toBe('河北省卫生健康委员会');
  });

  it('健康中原 is the Central Plains campaign of 河南, not 郑州 中原区', () => {
    const m = metaOf(
      'henan-plan-page.txt',
      [
        '健康中原行动推进委员会关于印发健康河南行动实施方案 (2023—2025年)的通知',
        '豫健委〔2023〕1号',
        '各省辖市推进健康中原行动议事协调机构:',
        '现将《健康河南行动实施方案(2023—2025年)》印发给你们,请认真贯彻执行。',
        '2023年5月8日',
      ].join('\n'),
    );
    expect(m.region?.name).toBe('河南省');
  });
});

describe('law headers and places named in the body', () => {
  it("reads a law's adoption and amendment joined by a comma, and 全国人大常委会 as the adopting body", () => {
    const m = metaOf(
      'some-national-law.txt',
      [
        '中华人民共和国某某防治法',
        '',
        '（2001年10月27日第九届全国人大常委会第二十四次会议通过，2018年12月29日第四次修正）',
        '',
        '第一章　总则',
        '',
        '第一条　为预防、控制和消除危害，根据宪法制定本法。',
      ].join('\n'),
    );
    expect(m.history.map((e) => [e.date, e.action])).toEqual([
      ['2001-10-27', 'adopted'],
      ['2018-12-29', 'amended'],
    ]);
    expect(m.issuer).toBe('全国人民代表大会常务委员会');
  });

  it('a joint order written number first (…海关总署第4号令公布) is the document number', () => {
    const m = metaOf(
      'joint-measures.md',
      [
        '# 某某进口管理办法',
        '',
        '2003年8月18日 食品药品监管局、海关总署第4号令公布',
        '',
        '## 第一章 总则',
        '',
        '第一条 为规范进口,制定本办法。',
      ].join('\n'),
    );
    expect(m.docNumber).toBe('食品药品监管局、海关总署第4号令');
    expect(m.history[0]?.action).toBe('promulgated');
  });

  it('an untitled excerpt is placed by the most local place whose health it builds (健康济宁, not 健康山东)', () => {
    const m = metaOf(
      'city-opinion-excerpt.txt',
      [
        '各县(市、区)人民政府,市政府各部门:',
        '为贯彻落实省政府《关于贯彻健康中国行动推进健康山东建设的实施意见》等有关文件精神,推进健康山东建设和健康济宁建设,结合我市实际,提出如下实施意见。',
        '一、总体目标',
        '到2030年,人均预期寿命达到81岁左右。',
      ].join('\n'),
    );
    expect(m.region?.name).toBe('济宁市');
  });
});
