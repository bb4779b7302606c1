import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareDocument } from '../ingest/chunk/prepare-document.ts';
import type { TargetRecord } from '../ingest/model.ts';
import {
  extractFromSentence,
  extractTargets,
  type SentenceContext,
  type TargetCandidate,
} from '../ingest/targets/extract-targets.ts';

interface Label {
  metric: string;
  qualifier: string | null;
  value: number;
  valueMax: number | null;
  unit: string;
  comparator: string;
  year: number | null;
  quote: string;
}

const SEEDS = {
  changzhou: 'changzhou-2020-health-work-plan.txt',
  fengxian: 'shanghai-fengxian-2024-health-work-points.txt',
  jiaxing: 'jiaxing-2024-health-modernisation-opinions.txt',
  nanchang: 'nanchang-xinjian-2023-health-capacity-plan.txt',
  xining: 'xining-2024-health-service-system-plan.txt',
} as const;

/**
 * Measured on the hand labels: Jiaxing P 1.000 / R 1.000, Xining P 1.000 / R 1.000 (45 and 119 labels).
 * The thresholds sit a little below so that a small regression in a shared rule still fails loudly.
 */
const THRESHOLDS: Record<'jiaxing' | 'xining', { precision: number; recall: number }> = {
  jiaxing: { precision: 0.97, recall: 0.97 },
  xining: { precision: 0.97, recall: 0.97 },
};
/** Of the matched records, the share whose comparator (≥, ≤, ≈, =, range) agrees with the label. */
const MIN_COMPARATOR_AGREEMENT = 0.95;

function prepareSeed(name: keyof typeof SEEDS) {
  const file = SEEDS[name];
  const text = readFileSync(new URL(`../seeds/${file}`, import.meta.url), 'utf8');
  return prepareDocument({ source: file, text });
}

function seedTargets(name: keyof typeof SEEDS): { text: string; targets: TargetRecord[] } {
  const { record, chunks } = prepareSeed(name);
  return { text: record.text, targets: extractTargets(record, chunks) };
}

function readLabels(name: 'jiaxing' | 'xining'): Label[] {
  const url = new URL(`./fixtures/targets/${name}.labels.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Label[];
}

/** 名 and 人 count the same people; everything else must be written alike. */
function unitsCompatible(a: string, b: string): boolean {
  const canonical = (unit: string) => (unit === '名' ? '人' : unit);
  return canonical(a) === canonical(b);
}

function occurrences(text: string, quote: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    spans.push({ start: at, end: at + quote.length });
  }
  return spans;
}

function matches(record: TargetRecord, label: Label, labelSpans: { start: number; end: number }[]): boolean {
  return (
    Math.abs(record.value - label.value) < 1e-9 &&
    unitsCompatible(record.unit, label.unit) &&
    record.year === label.year &&
    labelSpans.some((span) => span.start < record.end && record.start < span.end)
  );
}

function score(text: string, records: readonly TargetRecord[], labels: readonly Label[]) {
  const used = new Set<number>();
  const pairs: { record: TargetRecord; label: Label }[] = [];
  const unmatchedLabels: Label[] = [];
  for (const label of labels) {
    const spans = occurrences(text, label.quote);
    const index = records.findIndex((record, i) => !used.has(i) && matches(record, label, spans));
    if (index === -1) {
      unmatchedLabels.push(label);
      continue;
    }
    used.add(index);
    pairs.push({ record: records[index]!, label });
  }
  const unmatchedRecords = records.filter((_, i) => !used.has(i));
  const comparatorAgreement =
    pairs.filter(({ record, label }) => record.comparator === label.comparator).length / (pairs.length || 1);
  return {
    precision: pairs.length / (records.length || 1),
    recall: pairs.length / (labels.length || 1),
    comparatorAgreement,
    unmatchedLabels,
    unmatchedRecords,
  };
}

function describeRecord(record: TargetRecord): string {
  return `${record.valueText} ${record.year} ${record.metric} ← ${record.quote.slice(0, 40)}`;
}

describe('extraction against the hand-labelled seeds', () => {
  for (const name of ['jiaxing', 'xining'] as const) {
    it(`finds every labelled target of ${name} and little else`, () => {
      const { text, targets } = seedTargets(name);
      const labels = readLabels(name);
      for (const label of labels)
        expect(occurrences(text, label.quote).length, label.quote).toBeGreaterThan(0);
      const result = score(text, targets, labels);
      console.log(
        `${name}: precision ${result.precision.toFixed(3)} recall ${result.recall.toFixed(3)} ` +
          `comparators ${result.comparatorAgreement.toFixed(3)} (${targets.length} records, ${labels.length} labels)`,
      );
      for (const label of result.unmatchedLabels)
        console.log(`  missed ${label.value}${label.unit} ${label.quote}`);
      for (const record of result.unmatchedRecords) console.log(`  extra ${describeRecord(record)}`);
      expect(result.precision).toBeGreaterThanOrEqual(THRESHOLDS[name].precision);
      expect(result.recall).toBeGreaterThanOrEqual(THRESHOLDS[name].recall);
      expect(result.comparatorAgreement).toBeGreaterThanOrEqual(MIN_COMPARATOR_AGREEMENT);
    });
  }

  it('cuts every quote verbatim from the document text at its offsets, in all five seeds', () => {
    for (const name of Object.keys(SEEDS) as (keyof typeof SEEDS)[]) {
      const { record, chunks } = prepareSeed(name);
      const targets = extractTargets(record, chunks);
      expect(targets.length, name).toBeGreaterThan(0);
      for (const target of targets) {
        expect(record.text.slice(target.start, target.end)).toBe(target.quote);
        expect(target.quote).toContain(target.valueText);
        expect(target.region).toBe(record.meta.region?.name ?? '');
        expect(target.id.startsWith(`${target.chunkId}:t`)).toBe(true);
      }
      expect(new Set(targets.map((t) => t.id)).size).toBe(targets.length);
    }
  });
});

const HORIZON_2025: SentenceContext = { yearHint: 2025, yearHintSource: 'horizon' };
const NO_HINT: SentenceContext = { yearHint: null, yearHintSource: null };

function brief(candidates: readonly TargetCandidate[]) {
  return candidates.map((c) => ({
    metric: c.metric,
    value: c.value,
    valueMax: c.valueMax,
    unit: c.unit,
    comparator: c.comparator,
    year: c.year,
  }));
}

describe('parallel items of one subject', () => {
  it('a later item takes the subject of the first (机构护理75%、居家护理90%), a whole metric keeps its own name', () => {
    const rates = extractFromSentence(
      '1. 职工参保人员由长护险基金按机构护理75%、居家护理90%的比例支付；',
      NO_HINT,
    );
    expect(rates.map((t) => [t.metric, t.valueText])).toEqual([
      ['职工参保人员由长护险基金按机构护理', '75%'],
      ['职工参保人员由长护险基金按居家护理', '90%'],
    ]);
    const deaths = extractFromSentence(
      '到2025年底,5岁以下儿童死亡率控制在6‰以下、婴儿死亡率控制在5‰以下。',
      HORIZON_2025,
    );
    expect(deaths.map((t) => t.metric)).toContain('婴儿死亡率');
  });

  it('"A、B、C分别下降到x、y、z" gives each value its own metric', () => {
    const deaths = extractFromSentence(
      '到2030年,人均预期寿命达到78.5岁,婴儿死亡率、5岁以下儿童死亡率、孕产妇死亡率分别下降到4.0‰、4.5‰、10/10万。',
      HORIZON_2025,
    );
    expect(deaths.filter((t) => t.metric.endsWith('死亡率')).map((t) => [t.metric, t.valueText])).toEqual([
      ['婴儿死亡率', '4.0‰'],
      ['5岁以下儿童死亡率', '4.5‰'],
      ['孕产妇死亡率', '10/10万'],
    ]);
  });

  it('个月, 个工作日 and 个百分点 are units of their own, not 个', () => {
    const spans = extractFromSentence(
      '对新纳入医保定点的医疗机构设立6个月政策辅导期，降幅在10个百分点左右。',
      NO_HINT,
    );
    expect(spans.map((t) => t.valueText)).toEqual(expect.arrayContaining(['6个月']));
    expect(spans.map((t) => t.valueText).join()).not.toMatch(/(?:^|,)6个(?:,|$)/);
  });
});

describe('regressions on sentences from the seeds', () => {
  it('reads ranges written with -, —, 至 as value and valueMax', () => {
    const xining = extractFromSentence(
      '到2025年,100%的乡镇卫生院、社区卫生服务中心服务能力达到基本标准,20%以上达到推荐标准,建成10至13所社区医院。',
      HORIZON_2025,
    );
    expect(xining.at(-1)).toMatchObject({ value: 10, valueMax: 13, unit: '所', comparator: 'range' });
    expect(xining.at(-1)?.valueText).toBe('10至13所');
    const nanchang = extractFromSentence(
      '到2025年底,力争实现1—2家乡(镇)卫生院达到二级医院服务能力。',
      HORIZON_2025,
    );
    expect(brief(nanchang)).toEqual([
      expect.objectContaining({ value: 1, valueMax: 2, unit: '家', comparator: 'range', year: 2025 }),
    ]);
    const changzhou = extractFromSentence('支持民营机构建设重点专科,新增市以上临床重点专科3-5个。', NO_HINT);
    expect(changzhou[0]).toMatchObject({ value: 3, valueMax: 5, unit: '个', valueText: '3-5个' });
  });

  it('gives coordinated shares the predicate written once after the last object', () => {
    // From the Xinjian plan: both shares are of providing TCM services.
    const tcm = extractFromSentence(
      '到2025年底,实现100%的乡(镇)卫生院和80%的村卫生室提供中医药服务;',
      NO_HINT,
    );
    expect(tcm.map((c) => [c.metric, c.valueText])).toEqual([
      ['实现乡(镇)卫生院提供中医药服务', '100%'],
      ['村卫生室提供中医药服务', '80%'],
    ]);
    // Shares of things that are not coordinated keep their own names.
    const own = extractFromSentence('全人群家庭医生签约服务覆盖率达到65%以上,重点人群达到75%以上。', NO_HINT);
    expect(own.every((c) => !c.metric.includes('提供'))).toBe(true);
  });

  it('reads a breakdown (其中A8家、B2家) as parts of the figure before it, each labelled by its own words', () => {
    // From a national insurance notice: the general rules read "、定点零售药店" as the metric of 8家.
    const pilot = extractFromSentence(
      '统一向国家医保局报送改革试点地区3个、试点单位10家（其中定点医疗机构8家、定点零售药店2家）。',
      NO_HINT,
    );
    expect(pilot.map((c) => [c.qualifier, c.metric, c.valueText])).toEqual([
      [null, '统一向国家医保局报送改革试点地区', '3个'],
      [null, '试点单位', '10家'],
      ['定点医疗机构', '试点单位', '8家'],
      ['定点零售药店', '试点单位', '2家'],
    ]);
    const centres = extractFromSentence('全市建成5家区域医疗中心(其中省级2家、市级3家)。', NO_HINT);
    expect(centres.map((c) => [c.qualifier, c.metric, c.valueText])).toEqual([
      [null, '区域医疗中心', '5家'],
      ['省级', '区域医疗中心', '2家'],
      ['市级', '区域医疗中心', '3家'],
    ]);
  });

  it('keeps per-capita bases in the metric and carries them along a list', () => {
    const found = extractFromSentence(
      '到2025年,每千人口执业(助理)医师数达到4.6人、注册护士数达到5.5人、公共卫生人员数达到1人,每万人口全科医生数达到3.7人。',
      NO_HINT,
    );
    expect(brief(found)).toEqual([
      {
        metric: '每千人口执业(助理)医师数',
        value: 4.6,
        valueMax: null,
        unit: '人',
        comparator: '=',
        year: 2025,
      },
      { metric: '每千人口注册护士数', value: 5.5, valueMax: null, unit: '人', comparator: '=', year: 2025 },
      { metric: '每千人口公共卫生人员数', value: 1, valueMax: null, unit: '人', comparator: '=', year: 2025 },
      { metric: '每万人口全科医生数', value: 3.7, valueMax: null, unit: '人', comparator: '=', year: 2025 },
    ]);
    const beds = extractFromSentence('每千名老年人康复护理床位达到5.8张。', NO_HINT);
    expect(beds[0]).toMatchObject({ metric: '每千名老年人康复护理床位', value: 5.8, unit: '张' });
  });

  it('gives each of several values in one sentence its own year', () => {
    const nursery = extractFromSentence(
      '2023年新增社区托育中心8个,每千人口托位数3.5个;2024年新增社区托育中心8个,每千人口托位数4.0个;2025年新增社区托育中心3个,每千人口托位数4.5个;社区托育中心覆盖率50%以上,普惠率60%以上。',
      HORIZON_2025,
    );
    expect(nursery.map((c) => [c.metric, c.valueText, c.year])).toEqual([
      ['新增社区托育中心', '8个', 2023],
      ['每千人口托位数', '3.5个', 2023],
      ['新增社区托育中心', '8个', 2024],
      ['每千人口托位数', '4.0个', 2024],
      ['新增社区托育中心', '3个', 2025],
      ['每千人口托位数', '4.5个', 2025],
      ['社区托育中心覆盖率', '50%以上', 2025],
      ['普惠率', '60%以上', 2025],
    ]);
    const respectively = extractFromSentence(
      '2023年、2024年、2025年开展新项目、新技术分别达到3个以上、5个以上、7个以上,重点向重症医学、呼吸、麻醉、感染、康复等疫情救治相关学科倾斜。',
      NO_HINT,
    );
    expect(respectively.map((c) => [c.value, c.comparator, c.year, c.yearSource])).toEqual([
      [3, '≥', 2023, 'sentence'],
      [5, '≥', 2024, 'sentence'],
      [7, '≥', 2025, 'sentence'],
    ]);
  });

  it('reads ‰ and /10万 rates with 控制在…以下 as upper bounds', () => {
    const found = extractFromSentence(
      '到2025年底,孕产妇死亡率控制在10/10万以下,5岁以下儿童死亡率控制在6‰以下、婴儿死亡率控制在5‰以下,适龄妇女宫颈癌人群筛查率达到80%以上,妇女宫颈癌和乳腺癌防治意识明显提高。',
      NO_HINT,
    );
    expect(found.map((c) => [c.metric, c.value, c.unit, c.comparator])).toEqual([
      ['孕产妇死亡率', 10, '/10万', '≤'],
      ['5岁以下儿童死亡率', 6, '‰', '≤'],
      ['婴儿死亡率', 5, '‰', '≤'],
      ['适龄妇女宫颈癌人群筛查率', 80, '%', '≥'],
    ]);
    const within = extractFromSentence('严重致残出生缺陷发生率控制在1‰以内。', NO_HINT);
    expect(within[0]).toMatchObject({ value: 1, unit: '‰', comparator: '≤', valueText: '1‰以内' });
  });

  it('marks 左右 as approximate and 不低于 / 不少于 / 至少 as lower bounds', () => {
    const about = extractFromSentence(
      '到2025年家庭医生签约服务覆盖率达55%,重点人群覆盖率达78%,满意度达到85%左右。',
      NO_HINT,
    );
    expect(about.map((c) => [c.metric, c.qualifier, c.value, c.comparator])).toEqual([
      ['家庭医生签约服务覆盖率', null, 55, '='],
      ['家庭医生签约服务覆盖率', '重点人群', 78, '='],
      ['满意度', null, 85, '≈'],
    ]);
    const atLeast = extractFromSentence(
      '嘉兴市第一医院和各县(市)第一(人民)医院重症监护病区床位(含可转换)占医院编制床位总数比例不低于10%,其他三级综合(中医)医院重症床位比例达到8%以上,二甲综合(中医)医院重症床位比例达到4%以上。',
      { yearHint: 2027, yearHintSource: 'horizon' },
    );
    expect(atLeast.map((c) => [c.valueText, c.comparator, c.qualifier, c.year, c.yearSource])).toEqual([
      ['不低于10%', '≥', null, 2027, 'horizon'],
      ['8%以上', '≥', '其他三级综合(中医)医院', 2027, 'horizon'],
      ['4%以上', '≥', '二甲综合(中医)医院', 2027, 'horizon'],
    ]);
    const doctor = extractFromSentence('每个村级医疗卫生机构拥有执业(助理)医师至少1人。', NO_HINT);
    expect(doctor[0]).toMatchObject({ value: 1, comparator: '≥', qualifier: '每个村级医疗卫生机构' });
  });

  it('takes a table cell year from its 2024年度 / 2025年度 column', () => {
    const { targets } = seedTargets('xining');
    const coverage = targets.filter((t) => t.metric === '家庭医生签约服务覆盖率' && t.qualifier === '全人群');
    expect(coverage.map((t) => [t.valueText, t.year, t.yearSource])).toEqual([
      ['65%以上', 2025, 'sentence'],
      ['60%以上', 2024, 'table-column'],
      ['65%以上', 2025, 'table-column'],
    ]);
    // 每年 in a 2025年度 cell still belongs to that column's year.
    const yearly = targets.find((t) => t.quote.startsWith('每年培训公共卫生专业骨干人才'));
    expect(yearly).toMatchObject({ value: 5, comparator: '≥', year: 2025, yearSource: 'table-column' });
  });

  it("falls back to the document's horizon, choosing the one the clause implies", () => {
    const jiaxing = seedTargets('jiaxing').targets;
    expect(jiaxing.find((t) => t.metricGroup === '家庭医生签约服务覆盖率')).toMatchObject({
      valueText: '45%以上',
      year: 2027,
      yearSource: 'horizon',
    });
    // Xining's horizons are 2025 and 2035; the body's targets without a year belong to 2025.
    const xining = seedTargets('xining').targets;
    const specialty = xining.find((t) => t.quote.startsWith('市中医院加快中医特色医院建设'));
    expect(specialty).toMatchObject({ value: 2, unit: '个', year: 2025, yearSource: 'horizon' });
    expect(xining.some((t) => t.year === 2035)).toBe(false);
  });

  it('gives targets restated every year (每年) no single year outside a table column', () => {
    const found = extractFromSentence(
      '加大中医全科医生培养力度,每年培训10名以上基层中医全科医生、骨干人才和100名以上中医药技能人才。',
      { yearHint: 2027, yearHintSource: 'horizon' },
    );
    expect(found.map((c) => [c.value, c.comparator, c.year])).toEqual([
      [10, '≥', null],
      [100, '≥', null],
    ]);
  });

  it('ignores document numbers, dates, clause numbers, list markers, durations and counts of things', () => {
    const sentences = [
      '发文文号: 嘉政办发〔2024〕5号 发布机关: 市政府办公室',
      '成文日期: 2024-02-21',
      '嘉兴市人民政府办公室 2024年2月21日',
      '14.改革完善家庭医生制度。',
      '2023年计划完成:(1)完成社会风险稳定评估报审;(2)完成可行性研究报告报审;',
      '深化医教协同,建立以5年临床医学本科教育+3年住院医师规范化培训或3年临床医学硕士专业学位研究生教育为主体、3年临床医学专科教育+2年助理全科医生培训为补充的临床医学人才培养体系。',
      '按照“15分钟医疗卫生服务圈”规划设置村卫生室(社区卫生服务站)。',
      '新建区卫生健康服务能力全面提升三年行动计划(2023-2025年)',
      '《新建区卫生健康服务能力全面提升三年行动计划(2023—2025年)》已经2023年区政府第6次常务会研究同意,现印发给你们,请认真遵照执行。',
      '推进医疗卫生机构信息安全等级保护达标规范化建设,组织开展“5.15”国际家庭日主题宣传服务活动。',
      '为全区孕妇提供葡萄糖-6-磷酸脱氢酶缺乏症(G6PD)筛查。',
    ];
    for (const sentence of sentences)
      expect(extractFromSentence(sentence, HORIZON_2025), sentence).toEqual([]);
    // Ages qualify a metric (5岁以下, 0—3岁) and 2型 names a disease; only the rates are targets.
    const ages = extractFromSentence(
      '养育小组活动参与率达到80%以上,0—3岁儿童发育筛查率达到95%以上,高血压和2型糖尿病患者规范管理服务率均达到70%以上。',
      NO_HINT,
    );
    expect(ages.map((c) => c.valueText)).toEqual(['80%以上', '95%以上', '70%以上']);
    // 5家 and 4所 name who acts, not what is to be reached.
    const subjects = [
      '5家中医药适宜技术推广中心每年向基层医疗卫生机构推广10类40项以上中医药适宜技术。',
      '实施4所公立医院4项省级重点专科高海拔项目。',
    ].flatMap((sentence) => extractFromSentence(sentence, NO_HINT));
    expect(subjects.map((c) => c.valueText)).toEqual(['10类', '40项以上', '4项']);
    expect(subjects[0]?.comparator).toBe('≥');
  });
});

describe('figures written the way laws write them (Chinese numerals)', () => {
  // vaccine-administration-law-2019.md, 第八十二条
  const article82 =
    '第八十二条 除本法另有规定的情形外，疫苗上市许可持有人或者其他单位违反药品相关质量管理规范的，由县级以上人民政府药品监督管理部门责令改正，给予警告；拒不改正的，处二十万元以上五十万元以下的罚款；情节严重的，处五十万元以上三百万元以下的罚款，责令停产停业整顿，直至吊销药品相关批准证明文件、药品生产许可证等，对法定代表人、主要负责人、直接负责的主管人员和关键岗位人员以及其他责任人员，没收违法行为发生期间自本单位所获收入，并处所获收入百分之五十以上五倍以下的罚款，十年内直至终身禁止从事药品生产经营活动，由公安机关处五日以上十五日以下拘留。';

  it('reads fines as penalties with their unit and range, and no clause number as a figure', () => {
    const figures = extractFromSentence(article82, NO_HINT);
    expect(figures.map((c) => [c.valueText, c.value, c.valueMax, c.unit, c.comparator, c.kind])).toEqual([
      ['二十万元以上五十万元以下', 20, 50, '万元', 'range', 'penalty'],
      ['五十万元以上三百万元以下', 50, 300, '万元', 'range', 'penalty'],
      ['百分之五十以上', 50, null, '%', '≥', 'penalty'],
      ['五倍以下', 5, null, '倍', '≤', 'penalty'],
      ['十年内', 10, null, '年', '≤', 'penalty'],
      ['五日以上十五日以下', 5, 15, '日', 'range', 'penalty'],
    ]);
    expect(figures[0]?.metric).toBe('罚款');
    expect(figures[2]?.qualifier).toBe('所获收入');
    expect(figures[3]?.qualifier).toBe('所获收入');
    expect(figures[5]?.metric).toBe('拘留');
    expect(figures.every((c) => c.year === null)).toBe(true);
    for (const c of figures) expect(article82.slice(c.start, c.end)).toBe(c.valueText);
  });

  // vaccine-administration-law-2019.md, 第八十条: 不足五十万元的，按五十万元计算 is how to compute, not a figure.
  it('leaves out the conditions of a penalty rule', () => {
    const figures = extractFromSentence(
      '并处违法生产、销售疫苗货值金额十五倍以上五十倍以下的罚款，货值金额不足五十万元的，按五十万元计算。',
      NO_HINT,
    );
    expect(figures.map((c) => [c.valueText, c.qualifier])).toEqual([
      ['十五倍以上五十倍以下', '违法生产、销售疫苗货值金额'],
    ]);
  });

  it('reads time limits as deadlines and duties as standards', () => {
    // shantou-sez-primary-health-care-regulation-2022.md, 第十八条 and 第三十条
    const deadline = extractFromSentence(
      '分级诊疗制度的具体规定，由市卫生健康主管部门会同区（县）政府和有关部门在本条例实施之日起六个月内制定，报市人民政府批准后实施。',
      HORIZON_2025,
    );
    expect(deadline.map((c) => [c.valueText, c.unit, c.comparator, c.kind, c.year])).toEqual([
      ['六个月内', '个月', '≤', 'deadline', null],
    ]);
    const share = extractFromSentence(
      '社区卫生服务中心、镇卫生院承担疾病预防控制工作的人员编制不得低于编制总数的百分之三十。',
      NO_HINT,
    );
    expect(share.map((c) => [c.valueText, c.value, c.unit, c.comparator, c.kind])).toEqual([
      ['百分之三十', 30, '%', '≥', 'standard'],
    ]);
    // infectious-disease-prevention-law-2013.md, 第五十六条
    const people = extractFromSentence(
      '卫生行政部门工作人员依法执行职务时，应当不少于两人，并出示执法证件。',
      NO_HINT,
    );
    expect(people.map((c) => [c.valueText, c.value, c.unit, c.comparator])).toEqual([
      ['不少于两人', 2, '人', '≥'],
    ]);
  });

  it('leaves Chinese numerals in names, clause numbers and list markers alone', () => {
    const sentences = [
      '第二十二条 （一）每个镇设置一所卫生院；',
      '细化分解全面从严治党“两个责任”任务，用准用好用足“三项机制”。',
      '深入实施清廉医院建设五年行动计划。',
      '在二级及以上综合医院设置儿童诊疗科目。',
    ];
    for (const sentence of sentences)
      expect(extractFromSentence(sentence, HORIZON_2025), sentence).toEqual([]);
  });

  it('gives Arabic targets the kind target', () => {
    const [target] = extractFromSentence('到2025年，家庭医生签约服务覆盖率达到45%以上。', NO_HINT);
    expect(target?.kind).toBe('target');
  });
});
