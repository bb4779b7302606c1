import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { prepareDocument } from '../ingest/chunk/prepare-document.ts';
import { cleanPage } from '../ingest/clean/clean-page.ts';
import { decodeBytes } from '../ingest/load/decode.ts';
import { matchHeading } from '../ingest/parse/headings.ts';

const seed = (name: string) => readFileSync(new URL(`../seeds/${name}`, import.meta.url), 'utf8');
const prepare = (name: string) => {
  const override = (() => {
    try {
      return JSON.parse(readFileSync(new URL(`../seeds/${name}.meta.json`, import.meta.url), 'utf8'));
    } catch {
      return {};
    }
  })();
  return prepareDocument({ source: name, text: seed(name) }, override);
};

const JIAXING = 'jiaxing-2024-health-modernisation-opinions.txt';
const XINING = 'xining-2024-health-service-system-plan.txt';
const XINJIAN = 'nanchang-xinjian-2023-health-capacity-plan.txt';
const FENGXIAN = 'shanghai-fengxian-2024-health-work-points.txt';
const CHANGZHOU = 'changzhou-2020-health-work-plan.txt';

describe('cleaning web-page chrome', () => {
  it('removes breadcrumbs, view counters, print and share links and related-article lists', () => {
    const all = [JIAXING, XINJIAN, FENGXIAN, CHANGZHOU].map((n) => cleanPage(seed(n)).text).join('\n');
    for (const chrome of [
      '首页',
      '浏览次数',
      '【打印本页】',
      '扫一扫在手机打开当前页',
      'Baidu',
      '关联稿件',
      '您当前的位置',
      '.doc',
    ]) {
      expect(all).not.toContain(chrome);
    }
    expect(all).toContain('家庭医生签约服务覆盖率达到45%以上');
  });

  it('moves header fact lines into metadata instead of dropping them', () => {
    const { facts } = cleanPage(seed(JIAXING));
    expect(facts).toContainEqual({ label: '发文文号', value: '嘉政办发〔2024〕5号' });
    expect(facts).toContainEqual({ label: '发布机关', value: '市政府办公室' });
    expect(facts).toContainEqual({ label: '成文日期', value: '2024-02-21' });
    expect(facts.find((f) => f.label === '发布日期')?.value).toBe('2024-02-28 09:41');
  });

  it('splits clauses run together on one line', () => {
    const { text } = cleanPage(seed(JIAXING));
    const lines = text.split('\n');
    expect(lines).toContain(
      '每千名老年人康复护理床位达到5.8张。'.length
        ? lines.find((l) => l.startsWith('28.推进老年医疗资源均衡布局'))
        : '',
    );
    expect(lines.some((l) => l.startsWith('29.推进医养结合服务。'))).toBe(true);
    expect(lines.some((l) => l.startsWith('11.完善慢性病早筛早诊早治制度。'))).toBe(true);
  });
});

describe('headings', () => {
  it('recognises the four levels in full- and half-width forms', () => {
    expect(matchHeading('一、总体要求')).toMatchObject({
      kind: 'outline1',
      number: '一',
      label: '一、总体要求',
    });
    expect(matchHeading('(三)实施全民健康促进行动。')).toMatchObject({
      kind: 'outline2',
      number: '(三)',
      hasBody: false,
    });
    expect(matchHeading('（三）实施全民健康促进行动。')).toMatchObject({ kind: 'outline2', number: '(三)' });
    expect(matchHeading('14.改革完善家庭医生制度。完善签约服务')).toMatchObject({
      kind: 'outline3',
      number: '14',
      label: '14.改革完善家庭医生制度',
      hasBody: true,
    });
    expect(matchHeading('１４．改革完善家庭医生制度。完善')).toMatchObject({ kind: 'outline3' });
    expect(matchHeading('(1)完成社会风险稳定评估报审')).toMatchObject({ kind: 'outline4', number: '(1)' });
    expect(matchHeading('2023年6月8日')).toBeNull();
    expect(matchHeading('5.8张床位')).toBeNull();
  });

  it('recognises the law family and ① items, and not references that start a line', () => {
    expect(matchHeading('第二十二条 疾病预防控制机构')).toMatchObject({
      kind: 'article',
      number: '第二十二条',
      hasBody: true,
    });
    expect(matchHeading('第二十八条')).toMatchObject({ kind: 'article', hasBody: false });
    expect(matchHeading('第一百零五条 本法自公布之日起施行。')).toMatchObject({ number: '第一百零五条' });
    expect(matchHeading('第十一章 附 则')).toMatchObject({ kind: 'chapter', label: '第十一章 附则' });
    expect(matchHeading('第二编 分则')).toMatchObject({ kind: 'part' });
    expect(matchHeading('第三节 预防接种')).toMatchObject({ kind: 'section' });
    expect(matchHeading('①核定编制。按规定核定')).toMatchObject({ kind: 'outline5', number: '①' });
    expect(matchHeading('第三条规定的事项，按照')).toBeNull();
    expect(matchHeading('第一章所称医疗机构，是指依照本条例取得许可的单位。')).toBeNull();
  });
});

describe('metadata of the five seeds', () => {
  it('reads title, issuer, number, dates, region and horizon', () => {
    const jx = prepare(JIAXING).record.meta;
    expect(jx).toMatchObject({
      title: '嘉兴市人民政府办公室关于推进嘉兴市卫生健康现代化建设的实施意见',
      issuer: '嘉兴市人民政府办公室',
      docNumber: '嘉政办发〔2024〕5号',
      issuedDate: '2024-02-21',
      publishedDate: '2024-02-28',
      horizonYears: [2027],
    });
    expect(jx.region).toMatchObject({
      name: '嘉兴市',
      level: 'city',
      parents: ['浙江省'],
      english: 'Jiaxing',
    });

    const xj = prepare(XINJIAN).record.meta;
    expect(xj.docNumber).toBe('新府发〔2023〕3号');
    expect(xj.issuer).toBe('南昌市新建区人民政府');
    expect(xj.issuedDate).toBe('2023-06-08');
    expect(xj.period).toEqual({ start: 2023, end: 2025 });
    expect(xj.region).toMatchObject({ name: '新建区', parents: ['南昌市', '江西省'], english: 'Xinjian' });

    const fx = prepare(FENGXIAN).record.meta;
    expect(fx).toMatchObject({
      docNumber: null,
      issuedDate: '2024-04-11',
      period: { start: 2024, end: 2024 },
    });
    expect(fx.issuer).toBe('上海市奉贤区卫生健康委员会');
    expect(fx.region).toMatchObject({ name: '奉贤区', parents: ['上海市'], english: 'Fengxian' });

    const cz = prepare(CHANGZHOU).record.meta;
    expect(cz).toMatchObject({
      title: '2020年全市卫生健康工作计划安排',
      issuer: '常州市卫生健康委员会',
      horizonYears: [2020],
    });
    expect(cz.region).toMatchObject({ name: '常州市', parents: ['江苏省'], english: 'Changzhou' });

    const xn = prepare(XINING).record.meta;
    expect(xn.title).toBe('西宁市人民政府办公室关于印发进一步改革完善医疗卫生服务体系工作方案的通知');
    expect(xn.horizonYears).toEqual([2025, 2035]);
    expect(xn.region).toMatchObject({ name: '西宁市', parents: ['青海省'], english: 'Xining' });
  });
});

describe('clause chunks', () => {
  it('carry the heading path, clause number and offsets into the cleaned text', () => {
    const { record, chunks } = prepare(JIAXING);
    const c14 = chunks.find((c) => c.clausePath === '二(三)14');
    expect(c14?.headingPath).toEqual(['二、重点任务', '(三)实施全民健康促进行动', '14.改革完善家庭医生制度']);
    expect(c14?.text).toContain('家庭医生签约服务覆盖率达到45%以上');
    for (const c of chunks.filter((ch) => ch.kind !== 'table-row')) {
      expect(record.text.slice(c.start, c.end)).toBe(c.text);
    }
    expect(chunks.find((c) => c.clausePath === '二(七)29')?.text.startsWith('29.推进医养结合服务')).toBe(
      true,
    );
  });

  it('split long clauses at sentence ends with overlap and cover every sentence', () => {
    const { record, chunks } = prepare(CHANGZHOU);
    const parts = chunks.filter((c) => c.clausePath === '(二)1');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.end - p.start <= 500)).toBe(true);
    expect(parts[1]!.start).toBeLessThan(parts[0]!.end);
    const whole = record.text.slice(parts[0]!.start, parts.at(-1)!.end);
    expect(whole.startsWith('1.实施医疗服务能力提优工程')).toBe(true);
    expect(whole).toContain('全面实施国家基本药物制度新政策');
  });

  it('keeps the header lines as a citable header chunk', () => {
    const header = prepare(JIAXING).chunks.find((c) => c.kind === 'header');
    expect(header?.text).toContain('发文文号: 嘉政办发〔2024〕5号');
    expect(header?.text).toContain('成文日期: 2024-02-21');
  });
});

describe('tables', () => {
  it('rebuild Xining rows labelled by column header, with the task in the heading path', () => {
    const rows = prepare(XINING).chunks.filter((c) => c.kind === 'table-row');
    expect(rows).toHaveLength(26);
    const fd = rows.find((r) => r.headingPath.at(-1) === '9.拓展家庭医生签约服务');
    expect(fd?.headingPath).toContain('(三)健全分级诊疗体系');
    expect(fd?.text).toContain('2024年度: 全人群家庭医生签约服务覆盖率达到60%以上');
    expect(fd?.text).toContain('2025年度: 全人群家庭医生签约服务覆盖率达到65%以上');
    expect(fd?.cells?.map((c) => c.header)).toEqual([
      '具体措施',
      '2024年度',
      '2025年度',
      '牵头部门',
      '责任部门',
    ]);
    expect(fd?.years).toEqual([2024, 2025]);
  });

  it('handle rows whose first cells are inherited, lone "|" lines and cells continued over lines', () => {
    const rows = prepare(XINING).chunks.filter((c) => c.kind === 'table-row');
    const continuation = rows.find((r) => r.text.includes('每年培训公共卫生专业骨干人才5人以上'));
    expect(continuation?.headingPath.at(-1)).toBe('2.拓宽人才引进和培养通道');
    const multiline = rows.find((r) => r.headingPath.at(-1) === '21.推进人事制度改革');
    expect(multiline?.cells?.find((c) => c.header === '牵头部门')?.value).toBe('市人力资源社会保障局');
    const r13 = rows.find((r) => r.headingPath.at(-1) === '13.创新医养结合服务模式');
    expect(r13?.cells?.find((c) => c.header === '2024年度')?.value).toContain(
      '实施4所公立医院4项省级重点专科高海拔项目。',
    );
  });

  it('rebuild the Xinjian work list with its three columns', () => {
    const rows = prepare(XINJIAN).chunks.filter((c) => c.kind === 'table-row');
    expect(rows).toHaveLength(29);
    const r19 = rows.find((r) => r.headingPath.at(-1) === '19 提升家庭医生签约覆盖面');
    expect(r19?.text).toBe('建设目标: 到2025年签约服务覆盖率达55%,重点人群覆盖率达78%,满意度达到85%左右。');
    expect(rows[0]?.headingPath[0]).toContain('重点工作清单');
  });
});

describe('encodings', () => {
  it('reads GB18030 and UTF-8 with a BOM', () => {
    const text = '家庭医生签约服务覆盖率达到45%以上。';
    expect(decodeBytes(iconv.encode(text, 'gb18030')).text).toBe(text);
    expect(decodeBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).text).toBe(text);
  });
});
