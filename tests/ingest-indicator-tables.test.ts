import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord, TargetRecord } from '../ingest/model.ts';
import { findYears } from '../server/query/find-years.ts';
import { createService, type LoadedService } from '../server/service.ts';

/**
 * Forms of local plans and national notices found in evals/corpora/holdout9 (real texts a helper gathered
 * blind): an indicator table copied from a page one cell per line, a Markdown indicator table, a "十四五" plan
 * with no year in its title, a page's fact table with empty cells, an autonomous prefecture called 海南州, a
 * joint signature line whose date is glued on, and a notice in force "自印发之日起".
 */
const HOLDOUT9 = new URL('../evals/corpora/holdout9/', import.meta.url).pathname;
let dir: string;
let service: LoadedService;
let documents: DocumentRecord[];
let targets: TargetRecord[];

const doc = (prefix: string) => {
  const found = documents.find((d) => d.meta.docId.startsWith(prefix));
  if (!found) throw new Error(`no document ${prefix}`);
  return found;
};
const targetsOf = (prefix: string) => targets.filter((t) => t.docId === doc(prefix).meta.docId);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-indicators-'));
  const corpus = join(dir, 'corpus');
  cpSync(HOLDOUT9, corpus, { recursive: true });
  const extra = join(corpus, 'extra');
  mkdirSync(extra);
  writeFileSync(
    join(extra, 'mou-city-plan.md'),
    [
      '# 某某市“十四五”卫生健康发展规划',
      '',
      '某某市卫生健康委员会',
      '',
      '## 主要发展指标',
      '',
      '| 领域 | 序号 | 主要指标 | 单位 | 2020年 | 2025年 | 指标性质 |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| 健康水平 | 1 | 人均预期寿命 | 岁 | 78.5 | 79.5 | 预期性 |',
      '| 健康水平 | 2 | 孕产妇死亡率 | /10万 | 9.7 | <9 | 预期性 |',
      '| 健康服务 | 3 | 每千人口医疗卫生机构床位数 | 张 | 4.81 | 6.1 | 预期性 |',
      '',
    ].join('\n'),
  );
  // A page's indicator table kept as one cell a line, each ending in " |", with a figure 0 in a row.
  writeFileSync(
    join(extra, 'lake-city-targets.txt'),
    [
      '湖城市人民政府办公室关于印发湖城市人均预期寿命提升行动计划主要目标的通知',
      '湖城市人均预期寿命提升行动计划主要目标',
      ...['序号', '指标名称', '单位', '2023年', '2025年', '2027年', '牵头单位'],
      ...['1', '人均预期寿命', '岁', '78.09', '≥79.2', '≥80', '市卫健局'],
      ...['2', '省级慢性病综合防控示范区', '个', '0', '建成', '建成', '市卫健局'],
      ...['3', '结核病报告发病率', '/10万', '76.75', '60', '50', '市卫健局'],
    ]
      .map((cell, i) => (i < 2 ? cell : `${cell} |`))
      .join('\n'),
  );
  // A notice whose signature stands right above the table it issues; a regulation whose sanctions cite the
  // articles that set the duties.
  writeFileSync(
    join(extra, 'river-city-notice.txt'),
    [
      '江城市人民政府办公室关于印发江城市健康指标的通知',
      '江政办函〔2025〕9号',
      '各镇人民政府：',
      '《江城市健康指标》已经市人民政府第十八届71次常务会议审议通过。现印发给你们，请认真组织实施。',
      '江城市人民政府办公室',
      '2025年4月30日',
      '附件1',
      '江城市健康指标',
      ...['序号 |', '指标名称 |', '单位 |', '2023年 |', '2025年 |'],
      ...['1 |', '人均预期寿命 |', '岁 |', '78.09 |', '≥79.2 |'],
    ].join('\n'),
  );
  writeFileSync(
    join(extra, 'ambulance-regulation.md'),
    [
      '# 某某市院前急救条例',
      '',
      '第一条 为了规范院前急救，制定本条例。',
      '',
      '第二条 院前救护车不得用于院前医疗急救服务以外的其他活动。',
      '',
      '第三条 医疗机构不得拒绝接收院前医疗急救机构转运的急、危、重患者。',
      '',
      '第四条 违反本条例第二条规定的，由市卫生健康行政部门责令改正，并可处5000元以上3万元以下罚款。',
      '',
      '第五条 违反本条例第三条规定的，由市卫生健康行政部门处1万元以上5万元以下罚款。',
    ].join('\n'),
  );
  // A portal page: accessibility switches, facts without colons, bullets, a (有效) mark after the title; and a
  // responsibility list whose 责任单位 cells are long.
  writeFileSync(
    join(extra, 'portal-page.txt'),
    [
      '无障碍 长者助手 我的收藏 收藏',
      '索引号: 781309229/2022-00424 时效: 现行有效',
      '主题分类 扶贫 发文日期 2022-07-21',
      '公开方式 主动公开 文号 尚政办规〔2022〕4号',
      '尚志市人民政府办公室关于印发尚志市养老托育领域实施方案的通知(有效)',
      '• 发布日期:2022-08-04',
      '各乡镇政府：',
      '现将《尚志市养老托育领域实施方案》印发给你们，请认真贯彻执行。',
    ].join('\n'),
  );
  writeFileSync(
    join(extra, 'responsibility-list.txt'),
    [
      '某县人均预期寿命提升行动计划主要目标责任清单',
      ...['序号 |', '指标名称 |', '单位 |', '2022年 |', '2025年 |', '2027年 |', '牵头单位 |', '责任单位 |'],
      ...['1 |', '总体癌症5年生存率 |', '% |', '35 |', '≥38 |', '≥40 |', '县卫健局 |'],
      '县疾控中心、县人民医院、县妇幼保健院、县中医医院，各乡镇人民政府 |',
    ].join('\n'),
  );
  writeFileSync(
    join(extra, 'old-and-young-plan.txt'),
    '某某县一老一小整体解决方案\n到2025年，积极开展普惠性托育机构创建工作，每千人口拥有托位数4.1个。',
  );
  // A portal page greeting its visitor, its title cut short in the fact table, and a publication mark.
  writeFileSync(
    join(extra, 'cut-title-page.txt'),
    [
      '您好!欢迎您进入鹤岗市政府网站!',
      '名称:鹤岗市人民政府关于印发健康龙江行动(2019...',
      '发文号:鹤政规〔2020〕4号',
      '鹤岗市人民政府关于印发健康龙江行动(2019-2030)鹤岗市实施方案的通知',
      '(此件公开发布)',
      '各县区人民政府，市有关单位：',
      '现将《健康龙江行动(2019-2030)鹤岗市实施方案》印发给你们，请认真贯彻执行。',
    ].join('\n'),
  );
  writeFileSync(
    join(extra, 'province-opinion.txt'),
    [
      '某某省人民政府办公厅关于将健康融入所有政策的意见',
      '一、将健康融入社会建设',
      '（十二）推进人口高质量发展。实施普惠托育专项行动，按照国家统一部署建立育儿补贴制度。（省卫生健康委、省民政厅、省总工会等按职责分工负责）',
      '（十三）加强体育健身。建设全民健身设施。（省体育局负责）',
    ].join('\n'),
  );
  writeFileSync(
    join(extra, 'rescue-staff-rules.md'),
    [
      '# 某某市急救人员管理办法',
      '',
      '第一条 急救人员出现下列情形之一的，由所在机构取消其出车资格：',
      '（一）酒后出车的；',
      '（二）擅自离岗的。',
      '',
      '第二条 卫生健康行政部门在监督检查中发现急救人员出现本办法第一条规定情形的，应当责令所在机构取消急救人员出车资格。',
    ].join('\n'),
  );
  // A notice saved without its title line, its contact line and a two-line signature above the date; a
  // county plan that names its own place only where it says whose circumstances it fits.
  writeFileSync(
    join(extra, 'notice-without-title.txt'),
    [
      '穗卫函〔2023〕1930号',
      '各区卫生健康局：',
      '为推进家庭医生签约服务高质量发展，市卫生健康委、市财政局联合制定《关于推进某某市家庭医生签约服务高质量发展实施方案》，现印发给你们，请贯彻执行。',
      '市卫生健康委联系人：张三，联系电话：81085234',
      '广州市卫生健康委员会 广州市财政局',
      '2023年10月19日',
    ].join('\n'),
  );
  writeFileSync(
    join(extra, 'county-plan-excerpt.txt'),
    '为推动健康建设，根据《湖南省人均预期寿命提升行动计划》等文件精神，结合宁远实际，特制定本实施方案。\n一、总体目标\n2025年，全县人均预期寿命达到79.2岁；65周岁及以上老年人健康管理率达到75%。',
  );
  // An interpretation page that starts with its first heading (no header) and states its term of validity.
  writeFileSync(
    join(extra, 'district-plan-interpretation.txt'),
    '一、实施方案出台的背景\n结合资阳区实际情况制定本方案。\n二、总体目标\n2025年，全区人均预期寿命达到79.2岁。自文件发布之日起有效，有效期为4年。',
  );
  service = await createService({
    corpusDir: corpus,
    indexDir: join(dir, 'index'),
    llm: null,
  });
  documents = service.index.documents;
  targets = service.index.allTargets();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('indicator tables', () => {
  it('a table copied one cell per line is read back into rows, each 2025 target with its metric', () => {
    const rows = targetsOf('lianjiang-14th-fyp');
    const of = (metric: string) => rows.find((t) => t.metric === metric);
    expect(of('每千人口拥有医疗卫生机构床位数')?.valueText).toBe('5.23');
    expect(of('婴儿死亡率')).toMatchObject({ valueText: '<3', comparator: '≤', year: 2025 });
    // A row without a unit cell keeps its years in place; a % row shows its unit; a 其中 row is a row.
    expect(of('人均预期寿命')?.valueText).toBe('>79');
    expect(of('15岁以上人群吸烟率')?.valueText).toBe('<20%');
    expect(of('每千人口拥有中医类别执业(助理)医师数')?.valueText).toBe('0.42');
    // The 2020 column is the baseline, not a target; "持续提升" is no figure; a unit cell is no target.
    expect(rows.some((t) => t.valueText === '4.81')).toBe(false);
    expect(rows.some((t) => t.metric === '千人口献血率')).toBe(false);
    expect(rows.some((t) => !/\p{Script=Han}{2}/u.test(t.metric))).toBe(false);
  });

  it('a Markdown indicator table gives its target-year column with the unit of its 单位 column', () => {
    const rows = targetsOf('mou-city-plan');
    expect(rows.map((t) => [t.metric, t.valueText, t.year])).toEqual([
      ['人均预期寿命', '79.5岁', 2025],
      ['孕产妇死亡率', '<9/10万', 2025],
      ['每千人口医疗卫生机构床位数', '6.1张', 2025],
    ]);
  });

  it('answers a colloquial question from the row, quoting its metric and both columns', async () => {
    const r = await service.ask({ question: '廉江十四五千人床位要到多少', history: [] });
    expect(r.lead).toContain('5.23');
    expect(r.answer).toContain('2020年: 4.81');
    const now = await service.ask({ question: '廉江25年千人口执业医师目标多少 现在是多少', history: [] });
    expect(now.answer).toContain('1.67');
    expect(now.answer).toContain('1.49');
  });
});

describe('five-year plans, places and page facts', () => {
  it('a "十四五" plan runs 2021-2025 and sets its targets for 2025; a question saying 十四五 asks for 2025', () => {
    expect(doc('baoying-14th-fyp').meta.period).toEqual({ start: 2021, end: 2025 });
    expect(doc('baoying-14th-fyp').meta.horizonYears).toEqual([2025]);
    expect(findYears('廉江十四五千人床位要到多少')).toMatchObject([{ year: 2025, relative: true }]);
    expect(findYears("Baoying's 14th five-year health plan").map((y) => y.year)).toEqual([2025]);
    // A year written beside it is the one asked.
    expect(findYears('十四五期间2023年床位多少').map((y) => y.year)).toEqual([2023]);
    // A revision year dates a version, not a period.
    expect(doc('state-council-radiopharmaceuticals').meta.period).toBeNull();
  });

  it('海南州 is the autonomous prefecture in Qinghai, not Hainan province', () => {
    expect(doc('hainanzhou-county').meta.region?.name).toBe('海南藏族自治州');
  });

  it("a page's fact cells left empty ('发布机构: | |') give no issuer and no number; 名称 gives the title", () => {
    expect(doc('hainanzhou-county').meta.issuer).toBeNull();
    expect(doc('hainanzhou-county').meta.docNumber).toBeNull();
    expect(doc('lianjiang-14th-fyp').meta.title).toBe(
      '关于征求廉江市“十四五”时期卫生健康事业主要发展指标意见的公告',
    );
  });

  it('a joint signature of 司 and 厅 with its date glued on gives the issuers and the date', () => {
    const m = doc('nhc-first-visit').meta;
    expect(m.issuer).toBe('国家卫生健康委办公厅、国家中医药局综合司、国家疾控局综合司');
    expect(m.issuedDate).toBe('2024-10-28');
  });

  it('"自印发之日起施行" is answered with the day it was issued', async () => {
    const r = await service.ask({ question: '长期处方管理规范啥时候开始施行', history: [] });
    expect(r.answer).toContain('自印发之日起施行');
    expect(r.answer).toContain('2021年8月10日');
  });

  it("a page's 生效日期 answers when it takes effect, cited in the header", async () => {
    const r = await service.ask({ question: '海南州医共体方案啥时候生效', history: [] });
    expect(r.answer).toContain('2024-10-31');
  });

  it('its document number, asked after a question about its 2022 goals, is not refused for that year', async () => {
    const r = await service.ask({
      question: '它的文号呢',
      history: [
        { role: 'user', content: '禹王台健康行动到2022年要实现啥' },
        { role: 'assistant', content: '到2022年形成完备的“大健康”工作统一领导机制。' },
      ],
    });
    expect(r.answer).toContain('汴禹政〔2020〕13号');
  });

  it('an excerpt opening with a sentence of figures keeps its targets (no header hides them)', () => {
    const rows = targetsOf('baoying-14th-fyp');
    expect(rows.find((t) => t.valueText === '3.9人')?.metric).toBe('每千常住人口执业(助理)医师');
  });

  it('"and for registered nurses?" after licensed doctors per 1,000 asks the nurses of the same table', async () => {
    const first = "What is Lianjiang's 2025 target for licensed doctors per 1,000 people?";
    const direct = await service.ask({ question: first, history: [] });
    expect(direct.answer).toContain('1.67');
    const r = await service.ask({
      question: 'and for registered nurses?',
      history: [
        { role: 'user', content: first },
        { role: 'assistant', content: direct.answer },
      ],
    });
    expect(r.answer).toContain('2.75');
  });

  it('a one-cell-a-line pipe table keeps its rows whatever figures they hold; later year columns are targets', () => {
    const rows = targetsOf('lake-city-targets');
    expect(rows.map((t) => [t.metric, t.valueText, t.year])).toEqual([
      ['人均预期寿命', '≥79.2岁', 2025],
      ['人均预期寿命', '≥80岁', 2027],
      ['结核病报告发病率', '60/10万', 2025],
      ['结核病报告发病率', '50/10万', 2027],
    ]);
  });

  it('a life-expectancy target in years is a target; an age naming a group is not', () => {
    const rows = targetsOf('county-plan-excerpt');
    expect(rows.map((t) => t.valueText)).toEqual(['79.2岁', '75%']);
    expect(doc('county-plan-excerpt').meta.region?.name).toBe('宁远县');
  });

  it('a notice without its title line is titled by what it issues, not by its contact or signature lines', () => {
    expect(doc('notice-without-title').meta.title).toBe('关于推进某某市家庭医生签约服务高质量发展实施方案');
  });

  it('the date of a signature above a table stays in the notice, and a meeting number is no target', async () => {
    expect(targetsOf('river-city-notice').map((t) => t.valueText)).toEqual(['≥79.2岁']);
    // Its row is cited by the attachment its caption opens.
    const row = service.index.chunksByDoc
      .get(doc('river-city-notice').meta.docId)
      ?.find((c) => c.kind === 'table-row');
    expect(row?.clausePath).toBe('附件1');
    const r = await service.ask({ question: '江城这个健康指标是哪个文印发的 啥时候', history: [] });
    expect(r.answer).toContain('江政办函〔2025〕9号');
    expect(r.answer).toContain('2025年4月30日');
  });

  it("a penalty asked in the duty's words is answered by the sanction that cites the duty's article", async () => {
    const r = await service.ask({ question: '院前急救条例里医院拒收送来的危重病人怎么罚', history: [] });
    expect(r.answer).toContain('1万元以上5万元以下');
    expect(r.answer).not.toContain('5000元以上3万元以下');
  });

  it('a text with no header still answers how long it stays in force, from its own clause', async () => {
    const r = await service.ask({
      question: "How long does Ziyang district's life expectancy plan stay in force?",
      history: [],
    });
    expect(r.answer).toContain('有效期为4年');
  });

  it("a portal page's switches, colon-less facts and validity mark are not its title", () => {
    const m = doc('portal-page').meta;
    expect(m.title).toBe('尚志市人民政府办公室关于印发尚志市养老托育领域实施方案的通知');
    expect(m.docNumber).toBe('尚政办规〔2022〕4号');
    expect(m.issuedDate).toBe('2022-07-21');
    expect(m.publishedDate).toBe('2022-08-04');
  });

  it('a responsibility list with long 责任单位 cells is still an indicator table', () => {
    expect(targetsOf('responsibility-list').map((t) => [t.valueText, t.year])).toEqual([
      ['≥38%', 2025],
      ['≥40%', 2027],
    ]);
  });

  it('a share asked (普惠托位占比) is not answered by a count of places', async () => {
    const share = await service.ask({ question: '一老一小方案里普惠托位占比要求多少', history: [] });
    expect(share.status).toBe('not_found');
    const count = await service.ask({ question: '一老一小方案里每千人口托位数要求多少', history: [] });
    expect(count.answer).toContain('4.1个');
  });

  it("a title the portal's fact table cuts short is read whole from the text; the number under 发文号", () => {
    const m = doc('cut-title-page').meta;
    expect(m.title).toBe('鹤岗市人民政府关于印发健康龙江行动(2019-2030)鹤岗市实施方案的通知');
    expect(m.docNumber).toBe('鹤政规〔2020〕4号');
    const chunks = service.index.chunksByDoc.get(m.docId) ?? [];
    expect(chunks.some((c) => /您好|此件公开发布/.test(c.text))).toBe(false);
  });

  it('two places named for a document field get one document each', async () => {
    const r = await service.ask({ question: '尚志和鹤岗的实施方案 文号分别是啥', history: [] });
    expect(r.answer).toContain('尚政办规〔2022〕4号');
    expect(r.answer).toContain('鹤政规〔2020〕4号');
  });

  it("the note of bodies closing a plan's clause answers who is responsible for that clause", async () => {
    const r = await service.ask({ question: '健康融入所有政策意见里育儿补贴那条归哪些部门', history: [] });
    expect(r.answer).toContain('省卫生健康委、省民政厅、省总工会');
    expect(r.answer).not.toContain('省体育局');
  });

  it('a list asked of cases another article points at is answered by the article that lists them', async () => {
    const r = await service.ask({
      question: '卫生健康行政部门监督检查中发现急救人员有哪些情形要责令取消出车资格',
      history: [],
    });
    expect(r.answer).toContain('酒后出车');
    expect(r.answer).toContain('擅自离岗');
  });

  it("a question's opening clause naming the document (Under the NHC referral notice, …) is not what it asks about", async () => {
    const r = await service.ask({
      question: 'Under the NHC referral notice, what should be in place by the end of 2027?',
      history: [],
    });
    expect(r.answer).toContain('到2027年，在省域内建立医疗机构间顺畅的转诊制度');
  });
});
