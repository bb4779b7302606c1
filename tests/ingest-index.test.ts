import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.ts';
import { type IngestConfig, loadIngestConfig } from '../ingest/config.ts';
import { ensureIndex } from '../ingest/ensure-index.ts';
import { FORMAT_VERSION } from '../ingest/store/format.ts';
import { currentIndexDir } from '../ingest/store/index-location.ts';
import { allChunks, openIndex } from '../ingest/store/open-index.ts';

const SEEDS = new URL('../seeds/', import.meta.url).pathname;
let dir: string;
let config: IngestConfig;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-index-'));
  cpSync(SEEDS, join(dir, 'corpus'), { recursive: true });
  config = loadIngestConfig({
    CORPUS_DIR: join(dir, 'corpus'),
    INDEX_DIR: join(dir, 'index'),
    EMBEDDER: 'lsa',
  });
  await buildIndex(config);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the index on disk', () => {
  it('has a manifest with format, embedder, corpus hash and counts, and a real hnswlib file', () => {
    const manifest = JSON.parse(
      readFileSync(join(currentIndexDir(config.indexDir), 'manifest.json'), 'utf8'),
    );
    expect(manifest.formatVersion).toBe(FORMAT_VERSION);
    expect(manifest.embedder.kind).toBe('lsa');
    expect(manifest.embedder.dimensions).toBeGreaterThan(8);
    expect(manifest.corpusHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.counts).toMatchObject({ documents: 5, tableRows: 55 });
    expect(readFileSync(join(currentIndexDir(config.indexDir), 'vectors.hnsw')).length).toBeGreaterThan(1000);
  });

  it('finds Jiaxing clause 14 for 家庭医生签约服务覆盖率 and the Xining table row for its 2024 target', async () => {
    const index = await openIndex(config.indexDir, config.embedder);
    const top = await index.lexical.search('嘉兴 家庭医生签约服务覆盖率', 5);
    expect(top.map((h) => index.chunkById.get(h.id)?.clausePath)).toContain('二(三)14');
    const xining = await index.lexical.search('西宁 2024年度 家庭医生签约', 5);
    const row = xining.map((h) => index.chunkById.get(h.id)).find((c) => c?.kind === 'table-row');
    expect(row?.text).toContain('2024年度: 全人群家庭医生签约服务覆盖率达到60%以上');
    if (!index.vectors || !index.embedder) throw new Error('EMBEDDER=lsa built no vectors');
    const vector = await index.vectors.search(await index.embedder.embedQuery('家庭医生签约服务覆盖率'), 10);
    expect(
      vector.map((h) => index.chunkById.get(h.id)?.text ?? '').some((t) => t.includes('签约服务覆盖率')),
    ).toBe(true);
  });

  it('is reused when the corpus is unchanged and rebuilt when a seed changes', async () => {
    const reused = await ensureIndex(config);
    expect(reused.rebuiltBecause).toBeNull();
    const file = join(config.corpusDir, 'changzhou-2020-health-work-plan.txt');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n7.新增条款。全市新建托位1000个。\n`);
    const rebuilt = await ensureIndex(config);
    expect(rebuilt.rebuiltBecause).toBe('the corpus or the chunking settings changed');
    expect(allChunks(rebuilt.index).some((c) => c.text.includes('全市新建托位1000个'))).toBe(true);
  });

  it('indexes the other files and names the bad one', async () => {
    writeFileSync(join(config.corpusDir, 'empty.txt'), '   \n');
    const result = await buildIndex(config);
    expect(result.failures).toEqual([
      { path: 'empty.txt', error: '"empty.txt" has no text after cleaning.' },
    ]);
    expect(result.manifest.counts.documents).toBe(5);
    rmSync(join(config.corpusDir, 'empty.txt'));
  });

  it('refuses an index built with another embedder', async () => {
    await expect(openIndex(config.indexDir, { ...config.embedder, kind: 'transformers' })).rejects.toThrow(
      /built with the lsa embedder/,
    );
  });
});
