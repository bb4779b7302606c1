import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PreparedDocument, prepareDocuments } from '../ingest/chunk/prepare-document.ts';
import { docIdFor } from '../ingest/doc-id.ts';
import { textLoader } from '../ingest/load/text-loader.ts';

/**
 * Structure and metadata of real documents of every common form, read from their own text with no
 * override: laws and regulations (第X章 › 第X条, items inside articles), notices and opinions extracted from
 * PDFs, files holding several documents. The files are copies of ../shared/real-docs (origin in
 * tests/fixtures/real-docs/SOURCES.md).
 */
const REAL = new URL('./fixtures/real-docs/', import.meta.url);

async function prepare(name: string): Promise<PreparedDocument[]> {
  const bytes = readFileSync(new URL(name, REAL));
  const loaded = await textLoader.load(bytes, name);
  return prepareDocuments({ source: name, text: loaded.text, docId: docIdFor(name), format: loaded.format });
}

async function one(name: string): Promise<PreparedDocument> {
  const docs = await prepare(name);
  expect(docs).toHaveLength(1);
  return docs[0] as PreparedDocument;
}

const articleOf = (doc: PreparedDocument, article: string) =>
  doc.chunks.filter((c) => c.clausePath?.split(' › ').includes(article));
const articles = (doc: PreparedDocument) =>
  new Set(doc.chunks.flatMap((c) => c.clausePath?.split(' › ').filter((n) => /^第.+条$/.test(n)) ?? []));

describe('laws and regulations', () => {
  it('reads a national law: chapters and articles, items inside articles, dated header lines, in-force date', async () => {
    const doc = await one('infectious-disease-prevention-law-2013.md');
    const { meta } = doc.record;
    expect(meta.title).toBe('中华人民共和国传染病防治法');
    expect(meta.issuer).toBe('全国人民代表大会常务委员会');
    expect(meta.docType).toBe('law');
    expect(meta.history.map((e) => [e.date, e.action])).toEqual([
      ['1989-02-21', 'adopted'],
      ['2004-08-28', 'revised'],
      ['2013-06-29', 'amended'],
    ]);
    expect(meta.issuedDate).toBe('2013-06-29');
    expect(meta.inForce?.date).toBe('2004-12-01');
    expect(articles(doc).size).toBe(80);
    const art18 = articleOf(doc, '第十八条');
    expect(art18[0]?.clausePath).toMatch(/^第二章 › 第十八条/);
    expect(art18[0]?.headingPath).toEqual(['第二章 传染病预防', '第十八条']);
    // The items (一)(二) of article 18 belong to it: no chunk is headed by them.
    expect(art18.map((c) => c.text).join('')).toContain('（一）实施传染病预防控制规划');
    expect(doc.chunks.some((c) => c.headingPath.some((h) => /^\(一\)/.test(h)))).toBe(false);
    // The title's ASCII angle brackets survive (no HTML stripping of Markdown text).
    expect(doc.record.text).toContain('《关于修改<中华人民共和国文物保护法>等十二部法律的决定》');
  });

  it('numbers past 一百 and letter-spaced chapter titles', async () => {
    const doc = await one('vaccine-administration-law-2019.md');
    expect(articles(doc).size).toBe(100);
    expect(articleOf(doc, '第一百条')[0]?.text).toContain('本法自2019年12月1日起施行');
    expect(doc.record.meta.inForce?.date).toBe('2019-12-01');
    expect(doc.chunks.some((c) => c.headingPath[0] === '第一章 总则')).toBe(true);
    expect(doc.chunks.some((c) => c.headingPath[0] === '第十一章 附则')).toBe(true);
  });

  it('a long article is split at its items, and each part names the items it holds', () => {
    const items = Array.from(
      { length: 12 },
      (_, i) =>
        `（${'一二三四五六七八九十'[i] ?? '十'}${i >= 10 ? '一二'[i - 10] : ''}）第${i + 1}项违法情形：未按照规定建立并执行相关管理制度，且在限期内未予改正的；`,
    );
    const law = [
      '# 某某管理条例',
      '第一章 总则',
      '第一条 为了规范管理，制定本条例。',
      '第二条 有下列情形之一的，由县级以上人民政府卫生健康主管部门责令改正：',
      ...items,
    ].join('\n');
    const [doc] = prepareDocuments({ source: 'law.md', text: law, docId: 'law' });
    const parts = doc?.chunks.filter((c) => c.clausePath?.startsWith('第一章 › 第二条')) ?? [];
    expect(parts.length).toBeGreaterThan(1);
    for (const c of parts) {
      expect(c.part?.of).toBe(parts.length);
      const label = c.clausePath?.split(' › ')[2] ?? '';
      expect(label).toMatch(/^\(.+\)(?:—\(.+\))?$/);
      expect(c.text.normalize('NFKC')).toContain(label.split('—')[0]);
    }
    // Every item lands in some part.
    for (const item of items) expect(parts.some((c) => c.text.includes(item))).toBe(true);
  });

  it('a regulation without chapters: articles at the top, a provincial congress as issuer', async () => {
    const doc = await one('zhejiang-mental-health-regulation-2019.md');
    const { meta } = doc.record;
    expect(meta.title).toBe('浙江省精神卫生条例');
    expect(meta.issuer).toBe('浙江省人民代表大会常务委员会');
    expect(meta.docType).toBe('regulation');
    expect(articles(doc).size).toBe(30);
    expect(articleOf(doc, '第五条')[0]?.clausePath).toBe('第五条');
    expect(meta.inForce?.date).toBe('2019-12-01');
  });

  it('State Council regulations: the order number, half-width items, in force on promulgation', async () => {
    const institutions = await one('medical-institutions-regulation-2016.md');
    expect(institutions.record.meta.issuer).toBe('国务院');
    expect(institutions.record.meta.docNumber).toBe('国务院令第149号');
    expect(institutions.record.meta.inForce?.date).toBe('1994-09-01');
    expect(articles(institutions).size).toBe(55);
    const emergencies = await one('public-health-emergencies-regulation-2011.md');
    expect(emergencies.record.meta.inForce).toMatchObject({ date: '2003-05-09', text: '自公布之日起施行' });
  });

  it('a departmental rule dated in full-width digits', async () => {
    const doc = await one('nmpa-prescription-and-otc-drug-classification-measures-1999.md');
    const { meta } = doc.record;
    expect(meta.title).toBe('处方药与非处方药分类管理办法（试行）');
    expect(meta.issuer).toBe('国家药品监督管理局');
    expect(meta.docType).toBe('rule');
    expect(meta.issuedDate).toBe('1999-06-18');
    expect(meta.inForce?.date).toBe('2000-01-01');
  });

  it('a decision with sections 一、 and unnumbered paragraphs', async () => {
    const doc = await one('beijing-npc-standing-committee-covid19-decision-2020.md');
    expect(doc.record.meta.docType).toBe('decision');
    expect(doc.record.meta.issuer).toBe('北京市人民代表大会常务委员会');
    expect(
      doc.chunks
        .filter((c) => c.kind === 'clause')
        .every((c) => /^[一二三四五六七八九十]+$/.test(c.clausePath ?? '')),
    ).toBe(true);
  });
});

describe('notices and opinions extracted from PDFs', () => {
  it('a joint notice: number with a stray space, letter-spaced signature, items numbered across sections', async () => {
    const doc = await one('nhc-six-departments-rational-drug-use-opinion-2020.txt');
    const { meta } = doc.record;
    expect(meta.docNumber).toBe('国卫医发〔2020〕2号');
    expect(meta.title).toContain('关于印发加强医疗机构药事管理促进合理用药的意见的通知');
    expect(meta.docType).toBe('notice');
    expect(meta.issuedDate).toBe('2020-02-21');
    for (const body of ['教育部', '财政部', '人力资源社会保障部']) expect(meta.issuer).toContain(body);
    expect(doc.chunks.find((c) => c.clausePath === '六(二十)')?.text).toContain('加强宣传引导');
  });

  it('splits a file holding several documents at each new cover notice', async () => {
    const docs = await prepare('nhsa-medical-security-standardization-opinion-2019.txt');
    expect(docs.length).toBeGreaterThanOrEqual(2);
    const main = docs.find((d) => d.record.meta.docNumber === '医保发〔2019〕39号');
    expect(main?.record.meta.title).toContain('医疗保障标准化工作指导意见');
    expect(main?.record.meta.issuer).toBe('国家医疗保障局');
    expect(main?.record.meta.issuedDate).toBe('2019-06-20');
    // The fragment before it is its own document, not the main one's preamble.
    expect(docs[0]?.record.meta.docNumber).not.toBe('医保发〔2019〕39号');
    expect(new Set(docs.map((d) => d.record.meta.docId)).size).toBe(docs.length);

    const measures = await prepare('nhc-nhsa-medical-test-result-mutual-recognition-measures-2022.txt');
    expect(measures).toHaveLength(2);
    expect(measures[0]?.record.meta.title).toBe('医疗机构检查检验结果互认管理办法');
    expect(measures[0]?.record.meta.docNumber).toBeNull();
    expect(measures[0]?.record.meta.inForce?.date).toBe('2022-03-01');
    expect(measures[1]?.record.meta.docNumber).toBe('国卫办医发〔2021〕17号');
    expect(measures[1]?.record.meta.issuedDate).toBe('2021-08-10');
  });

  it('keeps a signature block (issuer, date) with the document it ends, not with the next one', async () => {
    const name = 'nhsa-designated-medical-institutions-notice-2025.txt';
    const bytes = readFileSync(new URL(`../evals/corpora/holdout7/${name}`, import.meta.url));
    const loaded = await textLoader.load(bytes, name);
    const docs = prepareDocuments({
      source: name,
      text: loaded.text,
      docId: docIdFor(name),
      format: loaded.format,
    });
    expect(docs).toHaveLength(2);
    const [first, second] = docs.map((d) => d.record.meta);
    expect(first?.issuer).toBe('国家医疗保障局');
    expect(first?.issuedDate).toBe('2025-05-28');
    expect(second?.title).toMatch(/^国家医疗保障局办公室关于印发/);
    expect(second?.docNumber).toBe('医保办发〔2024〕34号');
    expect(second?.issuedDate).toBe('2024-12-18');
  });

  it('an article standing alone on its line keeps its items', async () => {
    const [measures] = await prepare('nhc-nhsa-medical-test-result-mutual-recognition-measures-2022.txt');
    const art28 = measures ? articleOf(measures, '第二十八条') : [];
    expect(art28[0]?.text).toMatch(/^第二十八条/);
    expect(art28.map((c) => c.text).join('')).toContain('（三）');
  });
});

describe('outline numbering of notices and plans', () => {
  const notice = [
    '某某县卫生健康局关于印发某某县健康服务行动方案的通知',
    '某卫发〔2024〕3号',
    '各乡镇卫生院：',
    '现将《某某县健康服务行动方案》印发给你们，请认真贯彻执行。',
    '某某县卫生健康局',
    '2024年3月1日',
    '一、总体目标',
    '（一）服务能力。到2025年，基层服务能力明显提升，县域内就诊率达到90%以上，群众满意度持续提升，服务体系更加完善。',
    '１．加强人员配备。每个乡镇卫生院至少配备全科医生2名，并落实相关待遇保障政策，确保人员稳定。',
    '（１）落实编制。①核定编制。按规定核定乡镇卫生院编制，做到应核尽核。',
    '附件1',
    '重点任务分工',
    '一、任务分工',
    '（一）县卫生健康局牵头负责全县健康服务行动的统筹协调和督促落实，按季度通报进展情况。',
  ].join('\n');

  it('follows 一、/(一)/1./(1) in full- and half-width forms, keeps the signature out of clauses and nests attachments', () => {
    const [doc] = prepareDocuments({ source: 'notice.txt', text: notice, docId: 'notice' });
    expect(doc?.record.meta).toMatchObject({
      docNumber: '某卫发〔2024〕3号',
      issuedDate: '2024-03-01',
      issuer: '某某县卫生健康局',
      docType: 'notice',
    });
    const paths = doc?.chunks.map((c) => c.clausePath) ?? [];
    expect(paths).toContain('一(一)');
    expect(paths).toContain('一(一)1');
    expect(paths).toContain('一(一)1(1)');
    expect(paths).toContain('附件1 › 一(一)');
    expect(doc?.chunks.some((c) => c.kind === 'clause' && c.text.includes('2024年3月1日'))).toBe(false);
  });
});

describe('document ids', () => {
  it('are unique for Chinese names, the same name in two folders and x.txt beside x.md, and stable', () => {
    const ids = ['西宁方案.txt', '新建区计划.txt', 'a/plan.txt', 'b/plan.txt', 'x.txt', 'x.md'].map(docIdFor);
    expect(new Set(ids).size).toBe(ids.length);
    expect(docIdFor('西宁方案.txt')).toMatch(/^xi-ning-fang-an-[0-9a-f]{8}$/);
    expect(docIdFor('西宁方案.txt')).toBe(docIdFor('西宁方案.txt'));
  });
});
