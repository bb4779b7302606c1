import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDocumentPaths } from '../ingest/added-documents.ts';
import { buildIndex } from '../ingest/build-index.ts';
import { loadIngestConfig } from '../ingest/config.ts';
import { describeEmbedderChoice } from '../ingest/embed/select-embedder.ts';
import { ensureIndex } from '../ingest/ensure-index.ts';
import { currentIndexDir } from '../ingest/store/index-location.ts';
import { openIndex } from '../ingest/store/open-index.ts';
import { createService } from '../server/service.ts';
import { buildTinyModel } from './support/tiny-model.ts';

/**
 * EMBEDDER=auto with a model in the local folder: the index is built with transformers.js (the real
 * library on a tiny model built here), the server opens it with the same model, and answers use both sides.
 */
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-tf-'));
  cpSync(new URL('../seeds/', import.meta.url).pathname, join(dir, 'corpus'), { recursive: true });
  const model = await buildTinyModel(join(dir, 'models'));
  env = {
    CORPUS_DIR: join(dir, 'corpus'),
    INDEX_DIR: join(dir, 'index'),
    EMBEDDER: 'auto',
    MODELS_DIR: model.localModelPath,
    TRANSFORMERS_MODEL: model.model,
    TRANSFORMERS_QUANTIZED: 'false',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('EMBEDDER=auto with a local transformers.js model', () => {
  it('builds the index with the model, and rebuilds without vectors when the model is gone', async () => {
    const config = loadIngestConfig(env);
    expect(describeEmbedderChoice(config.embedder)).toContain('transformers.js model test/tiny-bert');
    const built = await ensureIndex(config);
    expect(built.index.manifest.embedder.kind).toBe('transformers');
    expect(built.index.manifest.embedder.id).toContain('test/tiny-bert');
    const { vectors, embedder } = built.index;
    if (!vectors || !embedder) throw new Error('the transformers index has no vectors');
    const hits = await vectors.search(await embedder.embedQuery('家庭医生签约服务覆盖率'), 5);
    expect(hits).toHaveLength(5);

    const withoutModel = loadIngestConfig({ ...env, MODELS_DIR: join(dir, 'no-models') });
    const rebuilt = await ensureIndex(withoutModel);
    expect(rebuilt.rebuiltBecause).toBe('the embedder changed (transformers → lexical)');
    expect(rebuilt.index.manifest.embedder).toMatchObject({ kind: 'lexical', id: 'none', dimensions: 0 });
    expect(rebuilt.index.vectors).toBeNull();
    expect(existsSync(join(currentIndexDir(withoutModel.indexDir), 'vectors.hnsw'))).toBe(false);
  });

  it('embeds only what changed: an unchanged corpus reuses every vector, an added file embeds its own', async () => {
    const config = loadIngestConfig({ ...env, INDEX_DIR: join(dir, 'incremental') });
    const first = await buildIndex(config);
    expect(first.files.embeddedChunks).toBe(first.manifest.counts.chunks);
    const index = await openIndex(config.indexDir, config.embedder);
    const query = await index.embedder?.embedQuery('家庭医生签约服务覆盖率');
    if (!query || !index.vectors) throw new Error('no vectors');
    const before = await index.vectors.search(query, 5);

    const again = await buildIndex(config);
    expect(again.files).toEqual({ parsed: 0, reused: 5, embeddedChunks: 0 });
    const reopened = await openIndex(config.indexDir, config.embedder);
    expect(await reopened.vectors?.search(query, 5)).toEqual(before);

    addDocumentPaths(config, [
      join(
        import.meta.dirname,
        'fixtures',
        'real-docs',
        'beijing-npc-standing-committee-covid19-decision-2020.md',
      ),
    ]);
    const added = await buildIndex(config);
    expect(added.files.parsed).toBe(1);
    expect(added.files.embeddedChunks).toBe(added.manifest.counts.chunks - first.manifest.counts.chunks);
    expect(added.files.embeddedChunks).toBeGreaterThan(0);
  });

  it('answers through the service with the vector side on', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const service = await createService({ llm: null });
      expect(service.health().manifest.embedder.id).toContain('transformers:test/tiny-bert');
      const r = await service.ask({ question: '嘉兴2027年家庭医生签约服务覆盖率目标是多少?' });
      expect(r.answer).toContain('45%');
    } finally {
      process.env = saved;
    }
  });
});
