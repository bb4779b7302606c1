import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksPdfExtracted, repairExtractedText } from '../ingest/clean/repair-extracted-text.ts';
import { decodeBytes } from '../ingest/load/decode.ts';
import { type LoadedText, UnreadableFileError } from '../ingest/load/loader.ts';
import { isCorpusFile, loaderFor } from '../ingest/load/loaders.ts';
import { sharedRealDoc, WEBSITE_PRINT_PDF } from './support/shared-real-docs.ts';

const TEXT = join(import.meta.dirname, 'fixtures/real-docs');
const CHROMIUM = '/usr/bin/chromium';

async function load(
  path: string,
  bytes: Uint8Array = new Uint8Array(readFileSync(path)),
): Promise<LoadedText> {
  const loader = loaderFor(path, bytes);
  if (!loader) throw new Error(`no loader for ${path}`);
  return loader.load(bytes, path);
}

async function loadError(path: string, bytes: Uint8Array): Promise<UnreadableFileError> {
  try {
    await load(path, bytes);
  } catch (err) {
    if (err instanceof UnreadableFileError) return err;
    throw err;
  }
  throw new Error(`${path} loaded without an error`);
}

const lines = (text: string) => text.split('\n');

describe('decodeBytes', () => {
  const chinese = '关于进一步加强基层医疗卫生服务能力建设的通知。各地要高度重视，认真组织实施。';

  it('keeps a UTF-8 file with one stray byte as UTF-8 and says where the byte was', () => {
    const good = Buffer.from(chinese.repeat(20));
    const bytes = Buffer.concat([good.subarray(0, 300), Buffer.from([0xff]), good.subarray(300)]);
    const decoded = decodeBytes(bytes);
    expect(decoded.encoding).toBe('UTF-8');
    expect(decoded.text).toContain('\ufffd');
    expect(decoded.text.replace('\ufffd', '')).toBe(chinese.repeat(20));
    expect(decoded.warnings).toEqual(['1 invalid UTF-8 byte replaced with U+FFFD at offset 300']);
  });

  it('reads GBK bytes as GB18030', () => {
    const decoded = decodeBytes(iconv.encode(chinese, 'gbk'));
    expect(decoded).toEqual({ text: chinese, encoding: 'GB18030', warnings: [] });
  });

  it('reads a short GBK text as Chinese, not as the Shift_JIS or KOI8-R a detector guesses', () => {
    for (const text of ['卫生健康委员会', '关于印发通知', '医疗保障局办公室', '各地要高度重视']) {
      expect(decodeBytes(iconv.encode(text, 'gbk')).text).toBe(text);
    }
  });

  it('keeps valid UTF-8 as UTF-8 when gbk is declared', () => {
    expect(decodeBytes(Buffer.from(chinese), 'gbk')).toEqual({
      text: chinese,
      encoding: 'UTF-8',
      warnings: [],
    });
  });

  it('honours a declared gb2312 for bytes that are not UTF-8', () => {
    expect(decodeBytes(iconv.encode(chinese, 'gbk'), 'gb2312').text).toBe(chinese);
  });

  it('reads an ASCII file with two GBK characters as GBK, not as UTF-8 with replacements', () => {
    const text = `Report ${'x'.repeat(400)} 医保`;
    expect(decodeBytes(iconv.encode(text, 'gbk')).text).toBe(text);
  });
});

describe('loaderFor', () => {
  it('refuses the real old binary .doc with what to do', async () => {
    const path = join(TEXT, 'hainan-health-in-all-policies-plan-interpretation.doc');
    expect(() => loaderFor(path, new Uint8Array(readFileSync(path)))).toThrow(
      'hainan-health-in-all-policies-plan-interpretation.doc is in the old binary Word .doc format: open it in Word or WPS and save it as .docx',
    );
  });

  it('refuses a .doc by name even before its bytes are read', () => {
    expect(() => loaderFor('notice.wps')).toThrow(UnreadableFileError);
  });

  it('counts .docx, .pdf and .doc as corpus files so a .doc is reported, not skipped', () => {
    expect(['a.docx', 'b.pdf', 'c.doc', 'd.txt', 'e.md', 'f.html'].every(isCorpusFile)).toBe(true);
    expect(isCorpusFile('picture.png')).toBe(false);
    expect(isCorpusFile('README.md')).toBe(false);
  });

  it('says a ZIP that is not a Word document is not a .docx', () => {
    // A stored ZIP entry: local file header, name, no data.
    const name = Buffer.from('xl/workbook.xml');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(name.length, 26);
    expect(() => loaderFor('table.docx', Buffer.concat([header, name]))).toThrow(
      'table.docx is an Excel .xlsx workbook, not a Word .docx document',
    );
  });

  it('reads a UTF-8 page that declares gbk without mojibake', async () => {
    const html =
      '<!doctype html><html><head><meta charset="gbk"><title>通知</title></head><body><p>各省、自治区卫生健康委：现将有关事项通知如下。</p></body></html>';
    const loaded = await load('page.html', new Uint8Array(Buffer.from(html)));
    expect(loaded.encoding).toBe('UTF-8');
    expect(loaded.text).toContain('各省、自治区卫生健康委：现将有关事项通知如下。');
  });

  it('reads HTML saved as .txt with the HTML loader', async () => {
    const html =
      '\n<!DOCTYPE html>\n<html><body><script>var x = 1;</script><p>第一段。</p><p>第二段。</p></body></html>';
    const loaded = await load('saved.txt', new Uint8Array(Buffer.from(html)));
    expect(loaded.text).not.toContain('var x');
    expect(loaded.text).toContain('第一段。');
  });

  it('gives Markdown the markdown format', async () => {
    const loaded = await load(
      'law.md',
      new Uint8Array(Buffer.from('# 条例\n\n第一条 为了规范管理，制定本条例。\n')),
    );
    expect(loaded.format).toBe('markdown');
    expect(loaded.text).toBe('# 条例\n\n第一条 为了规范管理，制定本条例。\n');
  });
});

describe('PDF-extracted text files', () => {
  const read = async (file: string) => load(join(TEXT, file));

  it('joins words split by a wrap space and keeps the document number and signatures on their own lines', async () => {
    const loaded = await read('nhc-six-departments-rational-drug-use-opinion-2020.txt');
    const out = lines(loaded.text);
    expect(loaded.format).toBe('text');
    expect(loaded.warnings.some((w) => w.startsWith('text looks extracted from a PDF'))).toBe(true);
    expect(loaded.text).toContain('是建立健全现代医院管理制度的重要内容，');
    expect(loaded.text).toContain('医疗机构药事管理与药物治疗学委员会');
    expect(loaded.text).not.toMatch(/\p{Script=Han} \p{Script=Han}.{20}/u);
    expect(out).toContain('（国卫医发〔2020〕2号）');
    expect(out).toContain('2020年2月21日');
    // Title lines stay separate for the metadata reader.
    expect(out.slice(0, 3)).toEqual([
      '卫生健康委 教育部 财政部 人力资源社会保障部',
      '医保局 药监局关于印发加强医疗机构药事管理',
      '促进合理用药的意见的通知',
    ]);
    // Letter-spaced signature lines are closed up.
    expect(out).toContain('财政部 人力资源社会保障部');
  });

  it('joins sentences broken at a page end and starts every clause on its own line', async () => {
    const loaded = await read('nhc-six-departments-rational-drug-use-opinion-2020.txt');
    const out = lines(loaded.text);
    expect(loaded.text).toContain(
      '“X”为非基本药物，应当经过医疗机构药事管理与药物治疗学委员会充分评估论证，',
    );
    expect(loaded.text).toContain('要向省级人民政府通报并采取对地方相关部门约谈等方式');
    for (const n of ['（一）', '（二）', '（十）', '（二十）'])
      expect(out.some((l) => l.startsWith(n))).toBe(true);
    expect(out.filter((l) => /^[一二三四五六]、/.test(l))).toHaveLength(6);
  });

  it('keeps numeric targets whole and the signature and date apart', async () => {
    const loaded = await read('nhsa-instant-settlement-reform-notice-2025.txt');
    const out = lines(loaded.text);
    expect(out[0]).toBe('关于全面推进医保基金即时结算改革扩面提质的通知');
    expect(out[1]).toBe('（医保办函〔2025〕82号）');
    expect(loaded.text).toContain('鼓励一级及未定级定点医疗机构纳入即时结算范围。');
    expect(loaded.text).toContain('是贯彻落实党的二十届三中全会精神的具体举措');
    expect(out.slice(-3)).toEqual(['国家医疗保障局办公室', '2025年10月14日', '国家医疗保障局']);
  });

  it('keeps article numbers apart from their text and an article without lead-in on its own line', async () => {
    const loaded = await read('nhc-nhsa-medical-test-result-mutual-recognition-measures-2022.txt');
    const out = lines(loaded.text);
    expect(out).toContain('第一章 总则');
    expect(out).toContain('第二十八条');
    expect(out.filter((l) => /^第[一二三四五六七八九十]+条 /.test(l))).toHaveLength(38);
    expect(loaded.text).toContain('以质量控制合格为前提');
    expect(loaded.text).toContain('根据《中华人民共和国基本医疗卫生与健康促进法》');
    expect(out).toContain('（国卫办医发〔2021〕17号）');
  });

  it('removes wrap spaces next to digits and keeps figure captions and numbered items apart', async () => {
    const loaded = await read('nhsa-medical-security-standardization-opinion-2019.txt');
    const out = lines(loaded.text);
    expect(loaded.text).toContain('在12月15日前将联络员名单');
    expect(out).toContain('一、提高政治站位，充分认识贯彻执行医疗保障信息业务编码标准的重要性');
    expect(out).toContain('图 1 疾病诊断编码主要结构');
    expect(out).toContain('（一）指导思想');
    expect(out.some((l) => l.startsWith('第1部分：西药药品识别码'))).toBe(true);
  });

  it('leaves typed text alone', () => {
    const law = '# 条例\n第一章 总 则\n第一条 为了规范管理，制定本条例。\n第二条 本条例适用于全省。';
    expect(looksPdfExtracted(law).pdfLike).toBe(false);
  });

  it('drops page numbers and joins the sentence around them', () => {
    const text = [
      '一、总体要求',
      '各地要加强组织领导，',
      '- 3 -',
      '确保各项任务落实到位。',
      '第 4 页 共 9 页',
    ].join('\n');
    expect(repairExtractedText(text)).toBe('一、总体要求\n各地要加强组织领导，确保各项任务落实到位。');
  });
});

describe('PDF loader on the website print', () => {
  let loaded: LoadedText;
  beforeAll(async () => {
    loaded = await load(sharedRealDoc(WEBSITE_PRINT_PDF));
  });

  it('writes the header table as label: value lines with letter-spaced labels closed up', () => {
    const out = lines(loaded.text);
    expect(out).toContain('索引号: 014500810/2025-00821');
    expect(out).toContain('文号: 赣府厅发〔2025〕6号');
    expect(out).toContain('成文日期: 2025-04-03');
  });

  it('finds the title by its size and drops the site menus before it', () => {
    expect(loaded.title).toBe('江西省人民政府办公厅关于将健康融入所有政策的意见');
    expect(loaded.format).toBe('pdf');
    expect(loaded.text).not.toContain('关怀版');
    expect(loaded.text).not.toContain('请输入');
    expect(loaded.text).not.toMatch(/^首页 省政府/m);
  });

  it('rebuilds each clause as one line, across ragged wraps and page breaks', () => {
    const out = lines(loaded.text);
    const clause = out.find((l) => l.startsWith('（一）健全健康优先发展机制。'));
    expect(clause).toContain('在省委党校（省行政学院）、各类干部学院增加健康中国战略相关培训课程');
    expect(clause).toMatch(/不再列出）$/);
    // Clause (十六) runs from one page onto the next.
    const sixteen = out.find((l) => l.startsWith('（十六）'));
    expect(sixteen).toContain('推进老旧小区改造，加快完整社区建设试点工作，完善“15分钟生活服务圈”。');
    expect(out.filter((l) => /^（[一二三四五六七八九十]+）/.test(l))).toHaveLength(16);
    expect(out).toContain('2025年4月3日');
  });
});

describe.skipIf(!existsSync(CHROMIUM))('PDF loader on PDFs printed by Chromium', () => {
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zhengce-pdf-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function print(
    html: string,
    options: Parameters<import('playwright-core').Page['pdf']>[0] = {},
  ): Promise<Uint8Array> {
    const page = await browser.newPage();
    await page.setContent(html);
    const pdf = await page.pdf({ format: 'A4', ...options });
    await page.close();
    return new Uint8Array(pdf);
  }

  const PHRASES = [
    '各地要坚持以人民健康为中心',
    '加快推进基层医疗卫生机构标准化建设',
    '完善分级诊疗制度和家庭医生签约服务',
    '强化公共卫生应急处置能力',
    '健全医疗保障待遇清单制度',
    '推动优质医疗资源扩容和区域均衡布局',
    '加强中医药服务能力建设',
    '落实财政投入保障责任',
  ];
  const paragraph = (n: number) =>
    `${Array.from({ length: 7 }, (_, i) => PHRASES[(n + i) % PHRASES.length]).join('，')}，第${n + 1}段到2025年底完成80%以上。`;
  const paragraphs = Array.from({ length: 40 }, (_, i) => paragraph(i));
  const body = `<!doctype html><html><head><meta charset="utf-8"><style>
    body { font-family: 'Noto Serif CJK SC', serif; font-size: 16px; line-height: 1.8; }
    h1 { font-size: 26px; text-align: center; } p { text-indent: 2em; margin: 0 0 10px; }
  </style></head><body><h1>关于加强基层卫生服务的通知</h1><p>一、总体要求</p>${paragraphs
    .map((p, i) => (i === 10 ? `<p>（一）重点任务</p><p>${p}</p>` : `<p>${p}</p>`))
    .join('')}<p style="text-align:right">2025年3月1日</p></body></html>`;

  it('reads Chinese text with paragraphs whole, page numbers and running headers gone', async () => {
    const bytes = await print(body, {
      displayHeaderFooter: true,
      headerTemplate: '<div style="font-size:10px;width:100%;text-align:center">卫生健康委员会文件</div>',
      footerTemplate:
        '<div style="font-size:10px;width:100%;text-align:center">- <span class="pageNumber"></span> -</div>',
      margin: { top: '60px', bottom: '60px', left: '60px', right: '60px' },
    });
    const loaded = await load('notice.pdf', bytes);
    const out = lines(loaded.text);
    expect(loaded.title).toBe('关于加强基层卫生服务的通知');
    expect(out).toContain('一、总体要求');
    expect(out).toContain('（一）重点任务');
    for (const p of paragraphs) expect(out).toContain(p);
    expect(out).toContain('2025年3月1日');
    expect(loaded.text).not.toContain('卫生健康委员会文件');
    expect(out.some((l) => /^-\s*\d+\s*-$/.test(l))).toBe(false);
  });

  it('reads a PDF renamed .txt as a PDF', async () => {
    const bytes = await print(
      '<html><body><p>各省、自治区、直辖市卫生健康委：现将有关事项通知如下。</p></body></html>',
    );
    const loaded = await load('download.txt', bytes);
    expect(loaded.format).toBe('pdf');
    expect(loaded.text).toBe('各省、自治区、直辖市卫生健康委：现将有关事项通知如下。');
  });

  it('refuses a PDF without a text layer and says it needs OCR', async () => {
    const bytes = await print(
      '<html><body><svg width="400" height="300"><rect x="10" y="10" width="300" height="200" fill="#333"/><circle cx="200" cy="150" r="60" fill="#c00"/></svg></body></html>',
      { printBackground: true },
    );
    const err = await loadError('scan.pdf', bytes);
    expect(err.message).toBe(
      'scan.pdf has no text layer (a scanned PDF?); it needs OCR before it can be indexed',
    );
  });

  it('says a damaged PDF is damaged', async () => {
    const bytes = await print('<html><body><p>正文内容。</p></body></html>');
    const err = await loadError('cut.pdf', bytes.subarray(0, 400));
    expect(err.message).toMatch(/^cut\.pdf is not a readable PDF .*damaged or truncated/);
  });

  it('says a PNG renamed .txt is a binary file, not a document', async () => {
    const page = await browser.newPage();
    await page.setContent('<html><body style="background:#fff"><p>图片</p></body></html>');
    const png = new Uint8Array(await page.screenshot({ type: 'png' }));
    await page.close();
    expect(() => loaderFor('notice.txt', png)).toThrow(
      'notice.txt is a binary file (a PNG image), not a document; only .txt, .md, .html, .docx and .pdf files can be indexed',
    );
  });
});
