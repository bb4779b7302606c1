import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BGE_ZH_QUERY_PREFIX,
  createTransformersEmbedder,
  isTransformersModelAvailable,
  modelFamilyDefaults,
  type TransformersEmbedder,
} from '../ingest/embed/transformers-embedder.ts';
import { buildTinyModel, type TinyModel } from './support/tiny-model.ts';

function dot(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function expectSameVector(a: Float32Array | undefined, b: Float32Array | undefined): void {
  expect(a).toBeDefined();
  expect(b).toBeDefined();
  expect(dot(a!, b!)).toBeCloseTo(1, 5);
}

const CAPACITY_PASSAGE = '嘉兴市到2027年，家庭医生签约服务覆盖率达到';
const CHILDCARE_PASSAGE = '嘉兴市到2027年，托位达到';

let root: string;
let tiny: TinyModel;
let embedder: TransformersEmbedder;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'zhengce-transformers-'));
  tiny = await buildTinyModel(root);
  embedder = await createTransformersEmbedder({
    model: tiny.model,
    localModelPath: tiny.localModelPath,
    quantized: false,
    allowRemoteModels: false,
  });
});

afterAll(async () => {
  await embedder?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('transformers embedder on a local model', () => {
  it('reports the width of the model output and identifies model and pooling', () => {
    expect(embedder.dimensions).toBe(tiny.dimensions);
    expect(embedder.id).toContain(tiny.model);
    expect(embedder.id).toContain(':mean');
  });

  it('returns unit-length vectors of the reported width for passages and queries', async () => {
    const vectors = [
      ...(await embedder.embedDocuments(['家庭医生', CAPACITY_PASSAGE, 'child care'])),
      await embedder.embedQuery('西宁托位'),
    ];
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector.length).toBe(embedder.dimensions);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    }
  });

  it('gives the same vector for the same text, whatever it is batched or padded with', async () => {
    const [alone] = await embedder.embedDocuments([CHILDCARE_PASSAGE]);
    const [again] = await embedder.embedDocuments([CHILDCARE_PASSAGE]);
    const [, padded] = await embedder.embedDocuments([
      CAPACITY_PASSAGE + CAPACITY_PASSAGE,
      CHILDCARE_PASSAGE,
    ]);
    expectSameVector(alone, again);
    expectSameVector(alone, padded);
    expect(Array.from(alone!)).toEqual(Array.from(again!));
  });

  it('gives different vectors to texts made of different tokens', async () => {
    const [doctor, childcare, english] = await embedder.embedDocuments(['家庭医生', '托位', 'family doctor']);
    expect(dot(doctor!, childcare!)).toBeLessThan(0.99);
    expect(dot(doctor!, english!)).toBeLessThan(0.99);
    expect(dot(childcare!, english!)).toBeLessThan(0.99);
  });

  it('ranks the passage sharing the query words above one that does not', async () => {
    const query = await embedder.embedQuery('家庭医生');
    const [capacity, childcare] = await embedder.embedDocuments([CAPACITY_PASSAGE, CHILDCARE_PASSAGE]);
    expect(dot(query, capacity!)).toBeGreaterThan(dot(query, childcare!) + 0.1);

    // English goes through lower-casing and WordPiece ("doctors" → "doctor", "##s").
    const englishQuery = await embedder.embedQuery('Family Doctors');
    const [service, care] = await embedder.embedDocuments(['family doctor service coverage', 'child care']);
    expect(dot(englishQuery, service!)).toBeGreaterThan(dot(englishQuery, care!) + 0.1);
  });

  it('returns one vector per text, in order, across several batches', async () => {
    const texts = ['家庭医生', '托位', '嘉兴', '西宁', 'family doctor'];
    const small = await createTransformersEmbedder({ ...tiny, quantized: false, batchSize: 2 });
    try {
      const batched = await small.embedDocuments(texts);
      const single = await Promise.all(texts.map((text) => embedder.embedQuery(text)));
      expect(batched).toHaveLength(texts.length);
      for (const [index, vector] of batched.entries()) expectSameVector(vector, single[index]);
      expect(await small.embedDocuments([])).toEqual([]);
    } finally {
      await small.dispose();
    }
  });

  it('prepends the query prefix to queries only, and records it in the id', async () => {
    const prefixed = await createTransformersEmbedder({ ...tiny, quantized: false, queryPrefix: 'query: ' });
    try {
      expect(prefixed.id).toContain('query: ');
      expect(prefixed.id).not.toBe(embedder.id);
      const query = await prefixed.embedQuery('家庭医生');
      const [asPassage] = await prefixed.embedDocuments(['家庭医生']);
      const [withPrefixText] = await embedder.embedDocuments(['query: 家庭医生']);
      expectSameVector(query, withPrefixText);
      expectSameVector(asPassage, (await embedder.embedDocuments(['家庭医生']))[0]);
      expect(dot(query, asPassage!)).toBeLessThan(0.99);
    } finally {
      await prefixed.dispose();
    }
  });

  it('applies the model family defaults: a bge zh model pools the [CLS] token and prefixes queries', async () => {
    const bge = await buildTinyModel(root, 'test/bge-tiny-zh');
    const cls = await createTransformersEmbedder({ ...bge, quantized: false });
    try {
      expect(cls.pooling).toBe('cls');
      expect(cls.id).toContain(':cls');
      expect(cls.id).toContain(BGE_ZH_QUERY_PREFIX);
      // This model has no attention, so the [CLS] position is the same for every text: CLS pooling
      // makes all texts identical, which mean pooling (above) does not.
      const [doctor, childcare] = await cls.embedDocuments(['家庭医生', '托位']);
      expectSameVector(doctor, childcare);
    } finally {
      await cls.dispose();
    }
  });

  it('loads two models from different folders at the same time', async () => {
    const otherRoot = await mkdtemp(path.join(os.tmpdir(), 'zhengce-transformers-other-'));
    try {
      const first = await buildTinyModel(root, 'test/concurrent-a');
      const second = await buildTinyModel(otherRoot, 'test/concurrent-b');
      const loaded = await Promise.all([
        createTransformersEmbedder({ ...first, quantized: false }),
        createTransformersEmbedder({ ...second, quantized: false }),
      ]);
      for (const loadedEmbedder of loaded) {
        expect(loadedEmbedder.dimensions).toBe(tiny.dimensions);
        await loadedEmbedder.dispose();
      }
    } finally {
      await rm(otherRoot, { recursive: true, force: true });
    }
  });
});

describe('model availability', () => {
  it('reports a built model as available and a missing one as not', () => {
    expect(isTransformersModelAvailable({ ...tiny, quantized: false })).toBe(true);
    expect(isTransformersModelAvailable({ localModelPath: root, model: 'nobody/missing-model' })).toBe(false);
    // Only the fp32 ONNX file was written.
    expect(isTransformersModelAvailable({ ...tiny, quantized: true })).toBe(false);
  });

  it('refuses to load a missing model offline, saying where to put it or how to allow a download', async () => {
    const attempt = createTransformersEmbedder({
      model: 'nobody/missing-model',
      localModelPath: root,
      allowRemoteModels: false,
    });
    await expect(attempt).rejects.toThrow(path.join(root, 'nobody/missing-model'));
    await expect(attempt).rejects.toThrow(/ALLOW_REMOTE_MODELS=true/);
    await expect(attempt).rejects.toThrow(/onnx\/model_quantized\.onnx/);
  });

  it('names the missing quantized weights when only the fp32 ones are present', async () => {
    await expect(createTransformersEmbedder({ ...tiny, quantized: true })).rejects.toThrow(
      /missing onnx\/model_quantized\.onnx in/,
    );
  });
});

describe('model family defaults', () => {
  it('chooses pooling and prefixes from the model id', () => {
    expect(modelFamilyDefaults('Xenova/multilingual-e5-small')).toEqual({
      pooling: 'mean',
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
    });
    expect(modelFamilyDefaults('intfloat/e5-base-v2').passagePrefix).toBe('passage: ');
    expect(modelFamilyDefaults('Xenova/bge-small-zh-v1.5')).toEqual({
      pooling: 'cls',
      queryPrefix: BGE_ZH_QUERY_PREFIX,
      passagePrefix: '',
    });
    expect(modelFamilyDefaults('Xenova/bge-base-en-v1.5')).toEqual({
      pooling: 'cls',
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
      passagePrefix: '',
    });
    expect(modelFamilyDefaults('Xenova/all-MiniLM-L6-v2')).toEqual({
      pooling: 'mean',
      queryPrefix: '',
      passagePrefix: '',
    });
  });
});
