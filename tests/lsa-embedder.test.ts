import fc from 'fast-check';
import hnswlib from 'hnswlib-node';
import { describe, expect, it } from 'vitest';
import {
  fitLsaEmbedder,
  LsaError,
  type LsaState,
  loadLsaEmbedder,
  type Tokenize,
} from '../ingest/embed/lsa-embedder.ts';
import { randomizedSvd } from '../ingest/embed/randomized-svd.ts';
import type { CsrMatrix } from '../ingest/embed/sparse-matrix.ts';

/** Whitespace-separated words plus the character bigrams of each word. */
const tokenize: Tokenize = (text) => {
  const tokens: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (!word) continue;
    tokens.push(word);
    const chars = [...word];
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
  }
  return tokens;
};

const FAMILY_DOCTORS = [
  '推进 家庭医生 签约服务 提高 重点人群 签约率',
  '家庭医生 团队 为 老年人 提供 上门 随访 服务',
  '到2025年 家庭医生 签约服务 覆盖率 达到 百分之四十',
  '完善 家庭医生 签约 激励 机制 落实 签约 服务费',
  '基层 医疗 机构 组建 家庭医生 团队 开展 慢病 签约 管理',
  '做实 家庭医生 签约 服务 重点人群 签约率 稳定 提升',
  '居民 可 自愿 选择 家庭医生 签约 获得 连续 健康 管理',
  '家庭医生 签约 居民 优先 预约 转诊 专家 号源',
];
const CHILDCARE = [
  '每千人口 拥有 3岁以下 婴幼儿 托位数 达到 4.5个',
  '新建 普惠性 托育机构 增加 托位 供给',
  '支持 用人单位 提供 婴幼儿 照护 服务 增加 普惠 托位',
  '社区 嵌入式 托育 服务 设施 覆盖 街道 增加 托位',
  '发展 普惠 托育 服务 降低 婴幼儿 家庭 托育 费用',
  '幼儿园 开设 托班 招收 2至3岁 婴幼儿 扩大 托位',
  '加强 托育机构 从业 人员 培训 提升 婴幼儿 照护 质量',
  '到2025年 每千人口 托位数 达到 4.5个 普惠 托位 占比 提高',
];
const ICU_BEDS = [
  '三级 医院 重症医学科 ICU 床位 占 床位 总数 比例 达到 百分之四',
  '改造 可转换 ICU 床位 提升 重症 救治 能力',
  '二级 以上 综合 医院 设置 重症医学科 配备 ICU 床位',
  '重症 救治 床位 按 平急结合 要求 储备 可转换 ICU 床位',
  '加强 重症医学科 医护 人员 配置 ICU 床护比 达到 要求',
  '新增 ICU 床位 配置 呼吸机 等 重症 救治 设备',
  '重症医学科 床位 使用率 监测 ICU 床位 动态 调配',
  '每十万人口 ICU 床位 数 达到 要求 重症 救治 床位 储备',
];
const CORPUS = [...FAMILY_DOCTORS, ...CHILDCARE, ...ICU_BEDS];
const TOPIC_OF = new Map<string, string>([
  ...FAMILY_DOCTORS.map((t) => [t, 'family-doctors'] as const),
  ...CHILDCARE.map((t) => [t, 'childcare'] as const),
  ...ICU_BEDS.map((t) => [t, 'icu'] as const),
]);

function dot(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function norm(v: Float32Array): number {
  return Math.sqrt(dot(v, v));
}

/** A deterministic stream of uniform numbers for building test matrices (LCG; independent of the code under test). */
function uniforms(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function denseToCsr(dense: number[][]): CsrMatrix {
  const rows = dense.length;
  const cols = dense[0]!.length;
  const rowStart = new Int32Array(rows + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  dense.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v !== 0) {
        colIndex.push(j);
        values.push(v);
      }
    });
    rowStart[i + 1] = colIndex.length;
  });
  return { rows, cols, rowStart, colIndex: Int32Array.from(colIndex), values: Float64Array.from(values) };
}

/**
 * Reference singular values, computed another way: eigenvalues of AᵀA by power iteration with Rayleigh
 * quotients and deflation, in plain arrays.
 */
function referenceSingularValues(dense: number[][], count: number): number[] {
  const cols = dense[0]!.length;
  const c = Array.from({ length: cols }, (_, i) =>
    Array.from({ length: cols }, (_, j) => dense.reduce((s, row) => s + row[i]! * row[j]!, 0)),
  );
  const random = uniforms(99);
  const result: number[] = [];
  for (let k = 0; k < count; k++) {
    let v = Array.from({ length: cols }, () => random() - 0.5);
    let lambda = 0;
    for (let it = 0; it < 100_000; it++) {
      const w = c.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
      const n = Math.hypot(...w);
      const next = w.map((x) => x / n);
      const rayleigh = next.reduce((s, x, i) => s + x * c[i]!.reduce((t, y, j) => t + y * next[j]!, 0), 0);
      const converged = Math.abs(rayleigh - lambda) <= 1e-15 * Math.abs(rayleigh);
      v = next;
      lambda = rayleigh;
      if (converged && it > 50) break;
    }
    result.push(Math.sqrt(lambda));
    for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) c[i]![j]! -= lambda * v[i]! * v[j]!;
  }
  return result;
}

function randomDense(rows: number, cols: number, seed: number): number[][] {
  const random = uniforms(seed);
  // A third of the entries are zero, so the sparse code paths see empty and partly filled rows.
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => (random() < 0.33 ? 0 : random() * 2 - 1)),
  );
}

describe('randomizedSvd', () => {
  for (const [rows, cols] of [
    [9, 14],
    [14, 9],
  ] as const) {
    it(`finds the singular values of a ${rows}×${cols} matrix to 1e-6 of a power-iteration reference`, () => {
      const dense = randomDense(rows, cols, rows * 31 + cols);
      const small = Math.min(rows, cols);
      const svd = randomizedSvd(denseToCsr(dense), {
        rank: small,
        oversampling: 0,
        powerIterations: 1,
        seed: 5,
      });
      const reference = referenceSingularValues(dense, small);
      for (let i = 0; i < small; i++) {
        expect(Math.abs(svd.singularValues[i]! - reference[i]!) / reference[i]!).toBeLessThan(1e-6);
      }
    });

    it(`returns orthonormal right vectors with ‖A·vᵢ‖ = σᵢ for a ${rows}×${cols} matrix`, () => {
      const dense = randomDense(rows, cols, rows * 7 + cols);
      const rank = Math.min(rows, cols) - 2;
      const svd = randomizedSvd(denseToCsr(dense), { rank, oversampling: 2, powerIterations: 2, seed: 1 });
      const column = (i: number) => Array.from({ length: cols }, (_, j) => svd.rightVectors[j * rank + i]!);
      for (let a = 0; a < rank; a++) {
        for (let b = 0; b < rank; b++) {
          const d = column(a).reduce((s, x, j) => s + x * column(b)[j]!, 0);
          expect(d).toBeCloseTo(a === b ? 1 : 0, 9);
        }
        const av = dense.map((row) => row.reduce((s, x, j) => s + x * column(a)[j]!, 0));
        expect(Math.hypot(...av)).toBeCloseTo(svd.singularValues[a]!, 9);
      }
    });
  }

  it('truncates accurately when the spectrum decays, as TF-IDF spectra do', () => {
    // A = X·D·Yᵀ with Gaussian-ish X, Y and D halving at each step: rank 12, leading values well separated.
    const random = uniforms(11);
    const x = Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => random() - 0.5));
    const y = Array.from({ length: 60 }, () => Array.from({ length: 12 }, () => random() - 0.5));
    const dense = x.map((xr) => y.map((yr) => xr.reduce((s, v, k) => s + v * yr[k]! * 0.5 ** k, 0)));
    const reference = referenceSingularValues(dense, 4);
    const svd = randomizedSvd(denseToCsr(dense), { rank: 4, oversampling: 4, powerIterations: 2, seed: 3 });
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(svd.singularValues[i]! - reference[i]!) / reference[i]!).toBeLessThan(1e-6);
    }
  });

  it('reports zero singular values (and zero vectors) beyond the rank of the matrix', () => {
    const dense = [
      [1, 2, 0, 0],
      [2, 4, 0, 0],
      [0, 0, 3, 0],
      [0, 0, 6, 0],
      [1, 2, 3, 0],
    ];
    const svd = randomizedSvd(denseToCsr(dense), { rank: 4, oversampling: 0, powerIterations: 2, seed: 0 });
    expect(svd.singularValues[1]).toBeGreaterThan(0);
    expect([...svd.singularValues.slice(2)]).toEqual([0, 0]);
    for (let j = 0; j < 4; j++)
      expect([svd.rightVectors[j * 4 + 2], svd.rightVectors[j * 4 + 3]]).toEqual([0, 0]);
  });
});

describe('fitLsaEmbedder', () => {
  it('gives unit vectors with the requested dimensions', async () => {
    const embedder = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 8 });
    expect(embedder.dimensions).toBe(8);
    expect(embedder.id).toMatch(/^lsa:v1:d8:[0-9a-f]{12}$/);
    const vectors = await embedder.embedDocuments(CORPUS);
    expect(vectors).toHaveLength(CORPUS.length);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(8);
      expect(norm(v)).toBeCloseTo(1, 6);
    }
  });

  it('caps dimensions at the number of documents minus one', () => {
    const embedder = fitLsaEmbedder(CORPUS, tokenize);
    expect(embedder.dimensions).toBe(CORPUS.length - 1);
    expect(embedder.id).toContain(`:d${CORPUS.length - 1}:`);
  });

  it('caps dimensions at the vocabulary size (and fits when documents outnumber terms)', async () => {
    const texts = Array.from({ length: 12 }, (_, i) => ['甲', '乙', '丙', '甲 乙', '乙 丙'][i % 5]!);
    const embedder = fitLsaEmbedder(texts, tokenize);
    expect(embedder.dimensions).toBe(3);
    for (const v of await embedder.embedDocuments(texts)) expect(norm(v)).toBeCloseTo(1, 6);
  });

  it('is deterministic: fitting twice gives the same id and the same vectors', async () => {
    const first = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 6 });
    const second = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 6 });
    expect(second.id).toBe(first.id);
    expect(await second.embedDocuments(CORPUS)).toEqual(await first.embedDocuments(CORPUS));
    expect(await second.embedQuery('家庭医生 签约')).toEqual(await first.embedQuery('家庭医生 签约'));
  });

  it('gives the same similarities whatever the seed when the range finder sees the whole space', async () => {
    // dimensions + oversampling ≥ documents: the range finder spans the whole column space.
    const a = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 6, seed: 1, oversampling: CORPUS.length });
    const b = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 6, seed: 2024, oversampling: CORPUS.length });
    const [va, vb] = [await a.embedDocuments(CORPUS), await b.embedDocuments(CORPUS)];
    for (let i = 0; i < CORPUS.length; i += 3) {
      for (let j = i + 1; j < CORPUS.length; j += 2)
        expect(dot(va[i]!, va[j]!)).toBeCloseTo(dot(vb[i]!, vb[j]!), 4);
    }
  });

  it('changes its id when fitted on another corpus', () => {
    const all = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 6 });
    const fewer = fitLsaEmbedder(CORPUS.slice(1), tokenize, { dimensions: 6 });
    expect(fewer.id).not.toBe(all.id);
  });

  for (const [topic, query] of [
    ['family-doctors', '家庭医生签约服务覆盖率是多少'],
    ['childcare', '普惠托位 和 托育机构 有 多少'],
    ['icu', '重症医学科 ICU床位 配置 要求'],
  ] as const) {
    it(`ranks ${topic} sentences first for the query “${query}”`, async () => {
      const embedder = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 4 });
      const q = await embedder.embedQuery(query);
      const docs = await embedder.embedDocuments(CORPUS);
      const ranked = CORPUS.map((text, i) => ({ text, score: dot(q, docs[i]!) })).sort(
        (x, y) => y.score - x.score,
      );
      expect(ranked.slice(0, 5).map((r) => TOPIC_OF.get(r.text))).toEqual(Array(5).fill(topic));
    });
  }

  it('relates two documents that share no term through a third that uses both (synonymy)', async () => {
    const texts = [
      '托位 供给',
      '婴幼儿 照护',
      '托位 婴幼儿',
      '托位 婴幼儿 照护 供给',
      '重症 床位',
      '重症 救治',
      '床位 救治 重症',
    ];
    const a = new Set(tokenize(texts[0]!));
    expect(tokenize(texts[1]!).filter((t) => a.has(t))).toEqual([]);
    const embedder = fitLsaEmbedder(texts, tokenize, { dimensions: 2 });
    const [d0, d1, , , icu] = await embedder.embedDocuments(texts);
    expect(dot(d0!, d1!)).toBeGreaterThan(0.5);
    expect(dot(d0!, d1!)).toBeGreaterThan(dot(d0!, icu!) + 0.5);
  });

  it('embeds a text with no known term as the zero vector, which hnswlib cosine scores 0 against every chunk', async () => {
    const embedder = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 5 });
    const zero = await embedder.embedQuery('完全 无关 的 句子');
    expect([...zero]).toEqual([0, 0, 0, 0, 0]);
    expect(await embedder.embedQuery('')).toEqual(zero);

    const index = new hnswlib.HierarchicalNSW('cosine', embedder.dimensions);
    index.initIndex(CORPUS.length + 1);
    (await embedder.embedDocuments(CORPUS)).forEach((v, i) => {
      index.addPoint(Array.from(v), i);
    });
    index.addPoint(Array.from(zero), CORPUS.length);
    const fromZero = index.searchKnn(Array.from(zero), 5);
    expect(fromZero.distances).toEqual([1, 1, 1, 1, 1]);
    const fromDoc = index.searchKnn(Array.from(await embedder.embedQuery(CORPUS[0]!)), CORPUS.length + 1);
    expect(fromDoc.neighbors[0]).toBe(0);
    expect(fromDoc.distances[0]).toBeCloseTo(0, 5);
    expect(fromDoc.distances[fromDoc.neighbors.indexOf(CORPUS.length)]).toBe(1);
  });

  it('gives a unit or zero vector for any string, the same as a query and as a document', async () => {
    const embedder = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 7 });
    const words = [...new Set(CORPUS.flatMap((t) => t.split(' ')))];
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc
        .array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 3 })), { maxLength: 12 })
        .map((ws) => ws.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const q = await embedder.embedQuery(t);
        const [d] = await embedder.embedDocuments([t]);
        expect(d).toEqual(q);
        expect(q).toHaveLength(7);
        const known = tokenize(t).some((token) => (embedder.state() as LsaState).vocabulary.includes(token));
        if (known) expect(norm(q)).toBeCloseTo(1, 5);
        else expect(norm(q)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the most frequent terms when the vocabulary is capped', () => {
    const embedder = fitLsaEmbedder(CORPUS, tokenize, { maxVocabulary: 6 });
    const counts = new Map<string, number>();
    for (const t of CORPUS.flatMap(tokenize)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const sixth = [...counts.values()].sort((a, b) => b - a)[5]!;
    const vocabulary = (embedder.state() as LsaState).vocabulary;
    expect(vocabulary).toHaveLength(6);
    for (const term of vocabulary) expect(counts.get(term)).toBeGreaterThanOrEqual(sixth);
    for (const [term, count] of counts) if (count > sixth) expect(vocabulary).toContain(term);
  });

  it('drops terms found in fewer than minDocFrequency documents', () => {
    const embedder = fitLsaEmbedder(CORPUS, tokenize, { minDocFrequency: 3 });
    for (const term of (embedder.state() as LsaState).vocabulary) {
      expect(CORPUS.filter((t) => tokenize(t).includes(term)).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('refuses bad options and corpora with clear errors', () => {
    expect(() => fitLsaEmbedder(CORPUS, tokenize, { dimensions: 0 })).toThrow(
      new LsaError('LSA_BAD_OPTIONS', 'LSA option dimensions must be an integer ≥ 1, got 0'),
    );
    expect(() => fitLsaEmbedder([], tokenize)).toThrow('Cannot fit LSA: no texts were given');
    expect(() => fitLsaEmbedder(['', '  '], tokenize)).toThrow(
      'Cannot fit LSA: no term occurs in at least 1 of the 2 texts',
    );
  });
});

describe('LSA state', () => {
  for (const [name, texts] of [
    ['more terms than documents', CORPUS],
    [
      'more documents than terms',
      Array.from({ length: 30 }, (_, i) => ['托位 供给', '重症 床位', '托位 床位'][i % 3]!),
    ],
  ] as const) {
    it(`round-trips through JSON to an embedder giving identical vectors (${name})`, async () => {
      const fitted = fitLsaEmbedder(texts, tokenize);
      const loaded = loadLsaEmbedder(JSON.parse(JSON.stringify(fitted.state())), tokenize);
      expect(loaded.id).toBe(fitted.id);
      expect(loaded.dimensions).toBe(fitted.dimensions);
      expect(await loaded.embedDocuments(texts)).toEqual(await fitted.embedDocuments(texts));
      expect(await loaded.embedQuery('托位 家庭医生 ICU')).toEqual(
        await fitted.embedQuery('托位 家庭医生 ICU'),
      );
      expect(JSON.stringify(loaded.state())).toBe(JSON.stringify(fitted.state()));
    });
  }

  it('is rejected with a clear message when it is not an LSA state', () => {
    const good = fitLsaEmbedder(CORPUS, tokenize, { dimensions: 3 }).state() as LsaState;
    const load = (state: unknown) => () => loadLsaEmbedder(state, tokenize);
    expect(load(null)).toThrow('Invalid LSA embedder state: expected an object, got null');
    expect(load([good])).toThrow('Invalid LSA embedder state: expected an object, got an array');
    expect(load({ ...good, kind: 'bm25' })).toThrow(
      'Invalid LSA embedder state: kind must be "lsa", got "bm25"',
    );
    expect(load({ ...good, version: 2 })).toThrow(
      'Invalid LSA embedder state: version 2 is not supported (this build reads 1)',
    );
    expect(load({ ...good, dimensions: 2.5 })).toThrow(
      'Invalid LSA embedder state: dimensions must be a positive integer, got 2.5',
    );
    expect(load({ ...good, vocabulary: ['托位', '托位'], idf: [1, 1] })).toThrow(
      'Invalid LSA embedder state: vocabulary has duplicate terms',
    );
    expect(load({ ...good, idf: good.idf.slice(1) })).toThrow(
      `Invalid LSA embedder state: idf must be an array of ${good.vocabulary.length} numbers (one per vocabulary term)`,
    );
    expect(load({ ...good, projection: 'not base64!' })).toThrow(
      'Invalid LSA embedder state: projection must be a base64 string',
    );
    expect(load({ ...good, projection: good.projection.slice(0, 16) })).toThrow(
      `Invalid LSA embedder state: projection holds 3 numbers, expected vocabulary × dimensions = ${good.vocabulary.length * 3}`,
    );
    expect(load({ ...good, idf: good.idf.map((x) => x * 2) })).toThrow(
      /^Invalid LSA embedder state: id lsa:v1:d3:[0-9a-f]{12} does not match its contents \(lsa:v1:d3:[0-9a-f]{12}\); the state was edited or corrupted$/,
    );
    try {
      load(undefined)();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LsaError);
      expect((error as LsaError).code).toBe('LSA_BAD_STATE');
    }
  });
});
