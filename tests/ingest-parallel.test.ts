import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticCorpus } from '../bench/synthetic-corpus.ts';
import { buildIndex } from '../ingest/build-index.ts';
import { loadIngestConfig } from '../ingest/config.ts';
import { currentIndexDir } from '../ingest/store/index-location.ts';
import { openIndex } from '../ingest/store/open-index.ts';
import { createService } from '../server/service.ts';

const SEEDS = new URL('../seeds/', import.meta.url).pathname;
let dir: string;
let corpus: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-parallel-'));
  const seedsIndex = join(dir, 'seeds-index');
  await buildIndex(loadIngestConfig({ CORPUS_DIR: SEEDS, INDEX_DIR: seedsIndex }));
  const base = await openIndex(seedsIndex, loadIngestConfig({}).embedder);
  corpus = join(dir, 'corpus');
  // 4 copies of the five seeds with other places: 20 files, enough for two workers.
  writeSyntheticCorpus(SEEDS, base.documents, 4, corpus, '');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest in worker threads', () => {
  it('writes the same index files as one thread, and the index answers about a synthetic place', async () => {
    const serial = join(dir, 'serial');
    const parallel = join(dir, 'parallel');
    await buildIndex(loadIngestConfig({ CORPUS_DIR: corpus, INDEX_DIR: serial, INGEST_WORKERS: '0' }));
    const built = await buildIndex(
      loadIngestConfig({ CORPUS_DIR: corpus, INDEX_DIR: parallel, INGEST_WORKERS: '2' }),
    );
    expect(built.manifest.counts.documents).toBe(20);
    const [serialBuild, parallelBuild] = [currentIndexDir(serial), currentIndexDir(parallel)];
    for (const file of readdirSync(serialBuild).filter((f) => f !== 'manifest.json'))
      expect(
        readFileSync(join(parallelBuild, file)).equals(readFileSync(join(serialBuild, file))),
        file,
      ).toBe(true);

    const service = await createService({ indexDir: parallel, ensure: false, llm: null });
    const copy = (await openIndex(parallel, loadIngestConfig({}).embedder)).documents.find(
      (d) => d.meta.source.includes('jiaxing') && d.meta.source.includes('-syn2'),
    );
    const place = copy?.meta.region?.name ?? '';
    expect(place).not.toBe('');
    expect(place).not.toContain('嘉兴');
    const answer = await service.ask({ question: `${place}2027年家庭医生签约服务覆盖率目标是多少?` });
    expect(answer.status).toBe('answered');
    expect(answer.citations[0]?.docId).toBe(copy?.meta.docId);
  }, 180_000);
});
