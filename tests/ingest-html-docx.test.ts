import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { cleanPage } from '../ingest/clean/clean-page.ts';
import { docxLoader } from '../ingest/load/docx-loader.ts';
import { htmlLoader } from '../ingest/load/html-loader.ts';
import { UnreadableFileError } from '../ingest/load/loader.ts';
import { splitLines } from '../ingest/parse/lines.ts';
import { findTables } from '../ingest/parse/tables.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (path: string) => new Uint8Array(readFileSync(join(FIXTURES, path)));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf-8'));
const linesOf = (text: string) => text.split('\n');

/** The cleaned text and its tables, as prepare-document.ts reads them. */
function tablesOf(raw: string) {
  const { text } = cleanPage(raw);
  return { text, tables: findTables(splitLines(text), text) };
}

describe('real saved web pages', () => {
  it('takes the title from the notice heading, not the site banner in <title>', async () => {
    const page = await htmlLoader.load(fixture('html/nhc-clinical-pathways-notice-2016.html'), 'a.html');
    expect(page.format).toBe('html');
    expect(page.title).toBe('国家卫生计生委办公厅关于实施有关病种临床路径的通知');
    expect(page.text).not.toContain('维润赛润');
  });

  it('puts each <br>-separated clause of the notice on its own line and drops the site navigation', async () => {
    const { text } = await htmlLoader.load(fixture('html/nhc-clinical-pathways-notice-2016.html'), 'a.html');
    const lines = linesOf(text);
    for (const n of ['一', '二', '三', '四']) {
      expect(lines.some((l) => l.startsWith(`${n}、推进临床路径管理与`))).toBe(true);
    }
    expect(lines).toContain('国卫办医函〔2016〕1315号');
    expect(text).toContain('我委将适时组织对各地临床路径管理工作情况进行督导调研。');
    for (const chrome of ['招贤纳士', '请输入要搜索的内容', '产品清单', '友情链接'])
      expect(text).not.toContain(chrome);
    // CRLF source, &nbsp; and U+3000 indentation leave nothing behind at line edges.
    expect(text).not.toMatch(/\r|&nbsp;|&quot;|^[\s\u00a0\u3000]|[\s\u00a0\u3000]$/m);
  });

  it('reads a page saved without <html>/<body> (a template fragment) with entities decoded', async () => {
    const page = await htmlLoader.load(
      fixture('html/nhc-tertiary-hospital-capacity-guide-notice-2016.html'),
      'b.html',
    );
    expect(page.title).toBe('国家卫生计生委办公厅关于印发三级综合医院医疗服务能力指南（2016年版）的通知');
    expect(page.text).toContain('严格落实“十三五”卫生与健康规划');
    const lines = linesOf(page.text);
    expect(lines).toContain('国卫办医函〔2016〕936号');
    expect(lines.some((l) => l.startsWith('各省级卫生计生行政部门要定期总结工作经验'))).toBe(true);
    expect(lines).toContain('附件：三级综合医院服务能力指南（2016年版）');
  });
});

/** A page as gov CMSs write it: site chrome, a fact table above the article, clauses, a target table. */
function govPage(charset: string): string {
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}">
<title>关于印发示例县基层卫生服务能力提升方案的通知_通知公告_示例县人民政府门户网站</title></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 通知公告</div>
<table class="xxgk"><tr><td>索 引 号：</td><td>11330000/2024-00017</td><td>主题分类：</td><td>卫生</td></tr>
<tr><td>发文机关：</td><td>示例县卫生健康局</td><td>发文字号：</td><td>示卫发〔2024〕3号</td></tr>
<tr><td>成文日期：</td><td>2024年03月05日</td><td>发布日期：</td><td>2024年03月08日</td></tr></table>
<div class="article"><h1>关于印发示例县基层卫生服务能力提升方案的通知</h1>
<p>各乡镇卫生院：<br>现将方案印发给你们，请认真贯彻执行。</p>
<p>&nbsp;&nbsp;一、总体目标<br>　　到2025年，基层医疗卫生机构诊疗量占比达到65%以上。<br>（一）加强人才队伍建设。每万人口全科医生数达到4人。<br>（二）改善基础设施。</p>
<p>第一条 本方案由县卫生健康局负责解释。</p>
<table><tr><td>指标</td><td>单位</td><td>2023年</td><td>2025年</td></tr>
<tr><td rowspan="2">每千人口医疗机构床位数</td><td>张</td><td>5.1</td><td>6.0</td></tr>
<tr><td>床</td><td>5.2</td><td>6.1</td></tr>
<tr><td>家庭医生签约服务覆盖率</td><td>%</td><td>45</td><td>55</td></tr></table>
<p>示例县卫生健康局</p><p>2024年3月5日</p></div>
<div class="footer">版权所有：示例县人民政府 网站标识码：3300000000 浙ICP备12345678号</div>
</body></html>`;
}

describe('generated pages: encodings, facts, clauses and tables', () => {
  it('decodes a GBK page and lifts its fact table into "label: value" lines the cleaner reads', async () => {
    const page = await htmlLoader.load(new Uint8Array(iconv.encode(govPage('gbk'), 'gbk')), 'gbk.html');
    expect(page.encoding).toMatch(/^GB/);
    expect(page.title).toBe('关于印发示例县基层卫生服务能力提升方案的通知');
    expect(page.text).toContain('基层医疗卫生机构诊疗量占比达到65%以上');
    const lines = linesOf(page.text);
    expect(lines.slice(0, 6)).toEqual(
      expect.arrayContaining([
        '索引号: 11330000/2024-00017',
        '发文字号: 示卫发〔2024〕3号',
        '发布日期: 2024年03月08日',
      ]),
    );
    const { facts } = cleanPage(page.text);
    expect(facts).toEqual(
      expect.arrayContaining([
        { label: '发文文号', value: '示卫发〔2024〕3号' },
        { label: '发布机关', value: '示例县卫生健康局' },
        { label: '成文日期', value: '2024年03月05日' },
      ]),
    );
    // The fact table is read once, as facts, not again as a table in the body.
    expect(page.text.match(/示卫发〔2024〕3号/g)).toHaveLength(1);
  });

  it('decodes a GBK page that declares no charset', async () => {
    const html = govPage('x').replace(/<meta[^>]*>/, '');
    const page = await htmlLoader.load(new Uint8Array(iconv.encode(html, 'gbk')), 'nodecl.html');
    expect(page.encoding).toMatch(/^GB/);
    expect(page.text).toContain('每万人口全科医生数达到4人');
  });

  it('keeps a UTF-8 page UTF-8 although it declares charset=gbk, and says so', async () => {
    const page = await htmlLoader.load(utf8(govPage('gbk')), 'utf8.html');
    expect(page.encoding).toBe('UTF-8');
    expect(page.title).toBe('关于印发示例县基层卫生服务能力提升方案的通知');
    expect(page.text).toContain('家庭医生签约服务覆盖率');
    expect(page.warnings.join(' ')).toMatch(/gbk.*UTF-8/);
  });

  it('starts clause numbers on their own lines when only <br> separates them', async () => {
    const { text } = cleanPage((await htmlLoader.load(utf8(govPage('utf-8')), 'c.html')).text);
    const lines = linesOf(text);
    for (const start of [
      '一、总体目标',
      '到2025年',
      '（一）加强人才队伍建设',
      '（二）改善基础设施',
      '第一条 本方案',
    ]) {
      expect(lines.some((l) => l.startsWith(start))).toBe(true);
    }
    for (const chrome of ['版权所有', '政务公开']) expect(text).not.toContain(chrome);
  });

  it('writes a table as a Markdown pipe table whose rows repeat rowspan values and read labelled by header', async () => {
    const { text, tables } = tablesOf((await htmlLoader.load(utf8(govPage('utf-8')), 'c.html')).text);
    expect(linesOf(text)).toContain('| 每千人口医疗机构床位数 | 床 | 5.2 | 6.1 |');
    const table = tables[0];
    expect(table?.headers).toEqual(['指标', '单位', '2023年', '2025年']);
    const second = table?.rows[1];
    expect(second?.labels).toEqual(['每千人口医疗机构床位数', '床']);
    expect(second?.cells.map((c) => [c.header, c.value])).toEqual([
      ['2023年', '5.2'],
      ['2025年', '6.1'],
    ]);
  });
});

describe('real .docx files', () => {
  it('reads the Word title style as the title and the table as rows labelled by header', async () => {
    const doc = await docxLoader.load(
      fixture('real-docs/jurong-health-in-all-policies-work-plan-notice.docx'),
      'j.docx',
    );
    expect(doc.format).toBe('docx');
    expect(doc.title).toBe('关于印发句容市“将健康融入所有政策”工作实施方案的通知');
    const { text, tables } = tablesOf(doc.text);
    expect(text).not.toContain('访问量');
    const lines = linesOf(text);
    for (const start of [
      '一、指导思想',
      '二、主要目标',
      '（一）开展“将健康融入所有政策”体系建设',
      '1. 建立工作机制。',
    ]) {
      expect(lines.some((l) => l.startsWith(start))).toBe(true);
    }
    const table = tables.find((t) => t.headers.includes('政策开发重点领域'));
    expect(table?.headers[0]).toBe('部门');
    const education = table?.rows.find((r) => r.labels.includes('市教育局'));
    expect(education?.cells.find((c) => c.header === '对应的健康因素')?.value).toBe(
      '健康素养、健康环境、疾病防控',
    );
    expect(table?.rows.length).toBeGreaterThan(15);
  });

  it('reads the other real files with their clauses and targets, and no title where Word marks none', async () => {
    const plan = await docxLoader.load(
      fixture('real-docs/hainan-child-health-promotion-action-plan.docx'),
      'h.docx',
    );
    expect(plan.title).toBeNull();
    expect(plan.text).toContain('到2030年，新生儿疾病筛查率达98.5%以上');
    expect(linesOf(plan.text).some((l) => l.startsWith('（三）强化儿童医疗服务能力建设。'))).toBe(true);
    const opinion = await docxLoader.load(
      fixture('real-docs/jiangxi-health-in-all-policies-opinion.docx'),
      'x.docx',
    );
    expect(linesOf(opinion.text)).toContain('赣府厅发〔2025〕6号');
    expect(linesOf(opinion.text)).toContain('一、将健康融入政治建设，完善健康治理体系');
  });

  it('refuses an old binary .doc with a message that says what to do', async () => {
    const bytes = fixture('real-docs/hainan-health-in-all-policies-plan-interpretation.doc');
    await expect(docxLoader.load(bytes, 'old.doc')).rejects.toThrow(UnreadableFileError);
    await expect(docxLoader.load(bytes, 'old.doc')).rejects.toThrow(/save it as \.docx/);
  });
});

describe('generated .docx with merged cells', () => {
  const cell = (text: string, span: { rowSpan?: number; columnSpan?: number } = {}) =>
    new TableCell({ children: [new Paragraph(text)], ...span });

  it('repeats merged cells and merges the two header rows into "2024年 / 目标值"', async () => {
    const document = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: '示例市卫生健康事业发展主要指标', heading: HeadingLevel.TITLE }),
            new Table({
              rows: [
                new TableRow({
                  tableHeader: true,
                  children: [cell('指标', { rowSpan: 2 }), cell('2024年', { columnSpan: 2 })],
                }),
                new TableRow({ tableHeader: true, children: [cell('目标值'), cell('完成值')] }),
                new TableRow({ children: [cell('孕产妇死亡率'), cell('8/10万'), cell('7.5/10万')] }),
                new TableRow({ children: [cell('婴儿死亡率'), cell('4‰'), cell('3.6‰')] }),
              ],
            }),
          ],
        },
      ],
    });
    const bytes = new Uint8Array(await Packer.toBuffer(document));
    const doc = await docxLoader.load(bytes, 'gen.docx');
    expect(doc.title).toBe('示例市卫生健康事业发展主要指标');
    const { tables } = tablesOf(doc.text);
    const table = tables[0];
    expect(table?.headers).toEqual(['指标', '2024年 / 目标值', '2024年 / 完成值']);
    const infant = table?.rows.find((r) => r.labels[0] === '婴儿死亡率');
    expect(infant?.cells.map((c) => `${c.header}=${c.value}`)).toEqual([
      '2024年 / 目标值=4‰',
      '2024年 / 完成值=3.6‰',
    ]);
  });
});

describe('Markdown pipe tables', () => {
  // As a user's Markdown file holds a two-row header: the colspan repeated, the rowspan repeated below.
  const source = [
    '三、主要指标',
    '表1 卫生资源配置指标',
    '| 序号 | 指标 | 2024年度 | 2024年度 | 2025年度 |',
    '| :--- | --- | ---: | ---: | --- |',
    '| 序号 | 指标 | 目标值 | 完成值 | 目标值 |',
    '| 1 | 每千人口执业（助理）医师数 | 3.2人 | 3.3人 | 3.5人 |',
    '|  | 其中：全科医生 | 0.4人 |  | 0.5人 |',
    '| 2 | 危重孕产妇救治 \\| 转诊 | 100% | 100% | 100% |',
    '四、保障措施',
  ].join('\n');
  const [table] = findTables(splitLines(source), source);

  it('merges the header rows and labels rows by their leading columns', () => {
    expect(table?.headers).toEqual([
      '序号',
      '指标',
      '2024年度 / 目标值',
      '2024年度 / 完成值',
      '2025年度 / 目标值',
    ]);
    expect(table?.caption).toBe('表1 卫生资源配置指标');
    expect(table?.rows.map((r) => r.labels)).toEqual([
      ['1 每千人口执业（助理）医师数'],
      ['1 其中：全科医生'],
      ['2 危重孕产妇救治 | 转诊'],
    ]);
    expect(table?.rows[1]?.cells.map((c) => c.header)).toEqual(['2024年度 / 目标值', '2025年度 / 目标值']);
  });

  it('gives offsets that slice each cell from the text', () => {
    const cells = table?.rows.flatMap((r) => r.cells) ?? [];
    expect(cells.length).toBe(8); // 3 + 2 (one cell left empty) + 3
    for (const c of cells) expect(source.slice(c.start, c.end)).toBe(c.value);
    for (const r of table?.rows ?? []) expect(source.slice(r.start, r.end)).toMatch(/^\|.*\|$/);
  });

  it('leaves the clause heading above the caption to the clause structure', () => {
    const lines = splitLines(source);
    expect(lines[table?.firstLine ?? 0]?.text).toBe('表1 卫生资源配置指标');
    expect(lines[(table?.lastLine ?? 0) + 1]?.text).toBe('四、保障措施');
  });

  it('unescapes \\| in values, the one case where a value differs from its slice', () => {
    const source2 = '| 项目 | 说明 |\n| --- | --- |\n| 转诊 | 上转 \\| 下转 |';
    const cell = findTables(splitLines(source2), source2)[0]?.rows[0]?.cells[0];
    expect(cell?.value).toBe('上转 | 下转');
    expect(source2.slice(cell?.start, cell?.end)).toBe('上转 \\| 下转');
  });
});
