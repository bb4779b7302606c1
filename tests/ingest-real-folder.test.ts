import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildIndex } from '../ingest/build-index.ts';
import { loadIngestConfig } from '../ingest/config.ts';
import type { DocumentRecord } from '../ingest/model.ts';
import { openIndex } from '../ingest/store/open-index.ts';
import { sharedRealDoc, WEBSITE_PRINT_PDF } from './support/shared-real-docs.ts';

/**
 * Every real document the project has (the seeds, the copies of ../shared/real-docs and its large PDF, in every format:
 * Markdown laws, PDF-extracted text, .docx, a website-printed .pdf, an old .doc) in one folder with no
 * override file: all indexed, the .doc refused by name, nothing merged.
 */
let dir: string;
let result: BuildResult;
let documents: DocumentRecord[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-real-'));
  const corpus = join(dir, 'corpus');
  cpSync(new URL('../seeds/', import.meta.url).pathname, join(corpus, 'seeds'), {
    recursive: true,
    filter: (src) => !src.endsWith('.meta.json'),
  });
  cpSync(new URL('./fixtures/real-docs/', import.meta.url).pathname, join(corpus, 'real'), {
    recursive: true,
  });
  cpSync(sharedRealDoc(WEBSITE_PRINT_PDF), join(corpus, 'real', WEBSITE_PRINT_PDF));
  // Two Chinese names that used to get the same id, and the same content under a second name.
  writeFileSync(
    join(corpus, '西宁方案.txt'),
    '某某市卫生健康委员会关于印发某某方案的通知\n一、目标\n到2025年，每千人口床位数达到6张。',
  );
  writeFileSync(
    join(corpus, '新建区计划.txt'),
    '某某县卫生健康局关于印发某某计划的通知\n一、目标\n到2025年，每千人口托位数达到4.5个。',
  );
  cpSync(
    join(corpus, 'real', 'zhejiang-mental-health-regulation-2019.md'),
    join(corpus, 'copy-of-zhejiang.md'),
  );
  const config = loadIngestConfig({ CORPUS_DIR: corpus, INDEX_DIR: join(dir, 'index'), EMBEDDER: 'lsa' });
  result = await buildIndex(config);
  documents = (await openIndex(config.indexDir, config.embedder)).documents;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a folder of every real document, no overrides', () => {
  it('indexes every file but the old .doc, which is refused by name with what to do', () => {
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.path).toMatch(/\.doc$/);
    expect(result.failures[0]?.error).toMatch(/save it as \.docx/);
    const sources = new Set(documents.map((d) => d.meta.source));
    for (const name of [
      'real/jiangxi-health-in-all-policies-opinion-website-print.pdf',
      'real/jurong-health-in-all-policies-work-plan-notice.docx',
      'real/vaccine-administration-law-2019.md',
      'seeds/changzhou-2020-health-work-plan.txt',
    ]) {
      expect(sources).toContain(name);
    }
  });

  it('gives every document a unique id, a title, and an issuer, date and place or a warning saying which is missing', () => {
    expect(new Set(documents.map((d) => d.meta.docId)).size).toBe(documents.length);
    for (const { meta } of documents) {
      expect(meta.title.length).toBeGreaterThan(3);
      const said = result.warnings
        .filter((w) => w.docId === meta.docId)
        .map((w) => w.message)
        .join('\n');
      if (!meta.issuer) expect(said).toMatch(/no issuer/);
      if (!meta.issuedDate && !meta.inForce?.date) expect(said).toMatch(/no date/);
      if (!meta.region) expect(said).toMatch(/place/);
    }
  });

  it('keeps two Chinese file names apart and reports the same content under two names as a duplicate', () => {
    const xining = documents.find((d) => d.meta.source === '西宁方案.txt');
    const xinjian = documents.find((d) => d.meta.source === '新建区计划.txt');
    expect(xining?.meta.docId).not.toBe(xinjian?.meta.docId);
    expect(xining?.text).toContain('6张');
    expect(xinjian?.text).toContain('4.5个');
    const duplicate = result.warnings.find(
      (w) => w.path === 'real/zhejiang-mental-health-regulation-2019.md' || w.path === 'copy-of-zhejiang.md',
    );
    expect(duplicate?.message).toMatch(/duplicate of/);
    expect(documents.filter((d) => d.meta.title === '浙江省精神卫生条例')).toHaveLength(1);
  });

  it('reads the places: national laws, a provincial regulation, a county-level city', () => {
    const bySource = (s: string) => documents.find((d) => d.meta.source === s)?.meta;
    expect(bySource('real/vaccine-administration-law-2019.md')?.region?.level).toBe('national');
    expect(documents.find((d) => d.meta.title === '浙江省精神卫生条例')?.meta.region?.name).toBe('浙江省');
    expect(bySource('real/jurong-health-in-all-policies-work-plan-notice.docx')?.region?.name).toBe('句容市');
  });

  it('knows which of two texts of one regulation is current', () => {
    const versions = documents.filter((d) => d.meta.title === '中华人民共和国母婴保健法实施办法');
    expect(versions).toHaveLength(2);
    const old = versions.find((d) => d.meta.source.endsWith('2017.md'));
    const current = versions.find((d) => d.meta.source.endsWith('2023.md'));
    expect(old?.meta.supersededBy).toBe(current?.meta.docId);
    expect(current?.meta.supersededBy).toBeNull();
  });
});
