import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_GLOSSARY_PATHS,
  GlossaryError,
  loadGlossary,
  POLICY_ENGLISH_PATH,
} from '../server/query/glossary.ts';

const glossary = loadGlossary();

// The metrics and institutions of the five seed documents, written as the documents write them.
const SEED_PHRASES = [
  '家庭医生签约服务覆盖率',
  '重点人群',
  '全人群',
  '托位',
  '每千人口托位数',
  '孕产妇死亡率',
  '婴儿死亡率',
  '5岁以下儿童死亡率',
  '重症监护床位',
  '重症床位',
  '全科医生',
  '中医',
  '中医药',
  '中藏医药',
  '中医馆',
  '中医阁',
  '旗舰中医馆',
  '医共体',
  '医联体',
  '执业(助理)医师',
  '注册护士',
  '每千人口',
  '每万人口',
  '健康素养',
  '老年人健康管理率',
  '安宁疗护',
  '医养结合',
  '康复护理床位',
  '疾控',
  '流调',
  '救护车',
  '负压救护车',
  '急救呼叫满足率',
  '发热门诊',
  '公共卫生科',
  '临床重点专科',
  '四级手术',
  '电子病历',
  '互联网医院',
  'DRG',
  '医保',
  '抗生素使用率',
  '院内感染发生率',
  '管理费用率',
  '普惠托育',
  '出生缺陷',
  '宫颈癌筛查',
  '健康体检',
  '慢性病',
  '高血压',
  '2型糖尿病',
  '规范管理服务率',
  '心理健康',
  '精神卫生',
  '职业健康',
  '县域就诊率',
  '基层就诊率',
  '住院率',
];

// Regions are resolved elsewhere; a place name here would turn every question about it into a metric.
const REGION_NAMES_EN = [
  'jiaxing',
  'xining',
  'changzhou',
  'nanchang',
  'xinjian',
  'fengxian',
  'shanghai',
  'qinghai',
];
const REGION_NAMES_ZH = [
  '嘉兴',
  '西宁',
  '常州',
  '南昌',
  '新建区',
  '奉贤',
  '上海',
  '青海',
  '浙江',
  '江西',
  '江苏',
];

const tempDir = mkdtempSync(join(tmpdir(), 'zhengce-glossary-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

function writeGlossary(name: string, lines: string[]): string {
  const path = join(tempDir, name);
  writeFileSync(path, `${lines.join('\n')}\n`, 'utf8');
  return path;
}

function loadError(path: string): GlossaryError {
  try {
    loadGlossary(path);
  } catch (error) {
    if (error instanceof GlossaryError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be rejected`);
}

describe('the glossary data file', () => {
  it('holds at least 400 entries', () => {
    expect(glossary.size).toBeGreaterThanOrEqual(400);
    expect(glossary.entries).toHaveLength(glossary.size);
  });

  it('lists every English term only once', () => {
    const terms = glossary.entries.flatMap((entry) => entry.en);
    expect(terms.filter((term, i) => terms.indexOf(term) !== i)).toEqual([]);
  });

  it('writes every English term in lowercase', () => {
    const terms = glossary.entries.flatMap((entry) => entry.en);
    expect(terms.filter((term) => term !== term.toLowerCase())).toEqual([]);
  });

  it.each(SEED_PHRASES)('has an entry whose Chinese alternatives include %s', (phrase) => {
    expect(glossary.entries.some((entry) => entry.zh.includes(phrase))).toBe(true);
  });

  it('names no city or province', () => {
    const english = glossary.entries.flatMap((entry) => entry.en).join(' ');
    const chinese = glossary.entries.flatMap((entry) => entry.zh).join(' ');
    expect(REGION_NAMES_EN.filter((name) => english.includes(name))).toEqual([]);
    expect(REGION_NAMES_ZH.filter((name) => chinese.includes(name))).toEqual([]);
  });

  it('is parsed once and shared by later loads', () => {
    expect(loadGlossary(DEFAULT_GLOSSARY_PATHS)).toBe(glossary);
  });
});

describe('expand', () => {
  it("finds the family doctor in “What is Jiaxing's 2027 family-doctor target?”", () => {
    const question = "What is Jiaxing's 2027 family-doctor target?";
    const { matches, zhTerms } = glossary.expand(question);
    expect(zhTerms).toContain('家庭医生');
    expect(matches.map((m) => question.slice(m.start, m.end))).toEqual(['family-doctor']);
  });

  it('turns “ICU beds” into the intensive-care bed terms', () => {
    const { zhTerms } = glossary.expand('ICU beds');
    expect(zhTerms).toEqual(expect.arrayContaining(['重症监护床位', '重症床位']));
  });

  it('turns “nursery places per 1,000 people” into 托位 and 每千人口 as well as the composite metric', () => {
    const { matches, zhTerms } = glossary.expand('nursery places per 1,000 people');
    expect(zhTerms).toEqual(expect.arrayContaining(['每千人口托位数', '托位', '每千人口']));
    expect(zhTerms.indexOf('每千人口托位数')).toBeLessThan(zhTerms.indexOf('托位'));
    expect(matches).toHaveLength(1);
  });

  it('turns “maternal mortality rate” into 孕产妇死亡率, canonical term first', () => {
    expect(glossary.expand('What is the maternal mortality rate target?').zhTerms[0]).toBe('孕产妇死亡率');
  });

  it('prefers the longest term over the shorter ones inside it', () => {
    const { matches } = glossary.expand('family doctor contract service coverage in Xining');
    expect(matches).toHaveLength(1);
    expect(matches[0]?.zh[0]).toBe('家庭医生签约服务覆盖率');
  });

  it('reports each match with the canonical English term and its Chinese alternatives', () => {
    const { matches } = glossary.expand('How many GPs per 10,000 residents?');
    const entry = glossary.entries.find((e) => e.zh.includes('每万人口全科医生数'));
    expect(matches).toEqual([{ en: entry?.en[0], zh: entry?.zh, start: 9, end: 33, word: false }]);
  });

  it('marks words of ordinary statute language (kind "word"), which an answer need not contain', () => {
    const { matches } = glossary.expand('How big is the fine for a clinic without a license?');
    const fine = matches.find((m) => m.zh.includes('罚款'));
    expect(fine?.word).toBe(true);
    const path = writeGlossary('kind.tsv', ['en\tzh\tnotes\tkind', 'icu beds\t重症床位\t\tterm']);
    expect(loadError(path).message).toBe(
      `${path} line 2: unknown kind "term" (the only kind is "word"): "icu beds\t重症床位\t\tterm"`,
    );
  });

  it('ignores plurals, possessives, hyphens and British spellings', () => {
    const canonical = (text: string) => glossary.expand(text).zhTerms[0];
    expect(canonical('ICU bed')).toBe(canonical('icu beds'));
    expect(canonical("Xining's general practitioners")).toBe(canonical('general practitioner'));
    expect(canonical('under five mortality rate')).toBe(canonical('under-five mortality rate'));
    expect(canonical('paediatricians')).toBe(canonical('pediatrician'));
    expect(canonical('TCM centres')).toBe(canonical('tcm center'));
  });

  it('lists each Chinese term once even when its entry matches twice', () => {
    const { matches, zhTerms } = glossary.expand('ICU beds and more ICU beds');
    expect(matches).toHaveLength(2);
    expect(new Set(zhTerms).size).toBe(zhTerms.length);
  });

  it('finds nothing in a question outside the glossary', () => {
    expect(glossary.expand('Will it rain in the capital tomorrow?')).toEqual({ matches: [], zhTerms: [] });
  });

  it('returns ordered, non-overlapping matches for any mix of glossary terms', () => {
    const terms = glossary.entries.flatMap((entry) => entry.en);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...terms), { minLength: 1, maxLength: 6 }), (picked) => {
        const text = `What about ${picked.join(', ')}?`;
        const { matches } = glossary.expand(text);
        expect(matches.length).toBeGreaterThan(0);
        matches.forEach((m, i) => {
          expect(m.start).toBeLessThan(m.end);
          expect(m.end).toBeLessThanOrEqual(text.length);
          if (i > 0) expect(m.start).toBeGreaterThanOrEqual(matches[i - 1]!.end);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('englishLabel', () => {
  it('labels 家庭医生签约服务覆盖率 in English with “family doctor”', () => {
    const label = glossary.englishLabel('家庭医生签约服务覆盖率');
    expect(label).toMatch(/family doctor/);
    expect(label).toMatch(/^[a-z0-9 ,()'-]+$/);
  });

  it('gives every alternative of an entry the same label', () => {
    expect(glossary.englishLabel('签约覆盖率')).toBe(glossary.englishLabel('家庭医生签约服务覆盖率'));
  });

  it('reads full-width punctuation and spaces the same as the documents’ half-width text', () => {
    expect(glossary.englishLabel('每千人口执业（助理）医师数')).toBe(
      glossary.englishLabel('每千人口执业(助理)医师数'),
    );
    expect(glossary.englishLabel(' 管理 费用率 ')).toBe(glossary.englishLabel('管理费用率'));
  });

  it('labels a clause fragment by the longest entry it contains', () => {
    expect(glossary.englishLabel('全人群家庭医生签约服务覆盖率达到65%以上')).toBe(
      glossary.englishLabel('全人群家庭医生签约服务覆盖率'),
    );
  });

  it('composes a label from contained entries in the order they appear', () => {
    const parts = [glossary.englishLabel('综合医院'), glossary.englishLabel('四级手术占比')];
    expect(glossary.englishLabel('市级综合医院四级手术占比')).toBe(parts.join(' '));
  });

  it('composes from at most three entries, keeping the longest', () => {
    const label = glossary.englishLabel('婴儿死亡率孕产妇死亡率新生儿死亡率出生缺陷发生率');
    const expected = ['孕产妇死亡率', '新生儿死亡率', '出生缺陷发生率'].map((zh) =>
      glossary.englishLabel(zh),
    );
    expect(label).toBe(expected.join(' '));
  });

  it('does not let a lone ‰ sign join the label of a rate', () => {
    expect(glossary.englishLabel('婴儿死亡率控制在5‰以下')).toBe(glossary.englishLabel('婴儿死亡率'));
  });

  it('returns null when no entry is contained', () => {
    expect(glossary.englishLabel('天气晴朗')).toBeNull();
    expect(glossary.englishLabel('')).toBeNull();
  });
});

describe('the policy-English words', () => {
  // CC-CEDICT's first senses are not the administrative ones; these words must reach the statutes' wording.
  it.each([
    ['Who has to pick up the medical waste?', '收集'],
    ['Which insurer pays the claim?', '保险机构'],
    ['What if the patient refuses to be admitted?', '拒绝'],
    ['Is a counsellor allowed to diagnose mental disorders?', '心理咨询人员'],
    ['What happens to visitors who ignore staff?', '不听劝阻'],
  ])('%s searches %s', (question, zh) => {
    expect(glossary.expand(question).zhTerms).toContain(zh);
  });

  it('marks every entry of the file as an ordinary word, never a term an answer must name', () => {
    const words = loadGlossary(POLICY_ENGLISH_PATH);
    expect(words.size).toBeGreaterThanOrEqual(200);
    expect(words.entries.filter((e) => !e.word)).toEqual([]);
  });
});

describe('loadGlossary on a broken file', () => {
  it('names the line of a row without tabs', () => {
    const path = writeGlossary('no-tabs.tsv', ['en\tzh\tnotes', 'icu beds\t重症床位\t', 'broken line']);
    const error = loadError(path);
    expect(error.code).toBe('GLOSSARY_MALFORMED_LINE');
    expect(error.message).toBe(
      `${path} line 3: expected 2 to 4 tab-separated fields (en, zh, notes, kind), found 1: "broken line"`,
    );
  });

  it('names the line of an empty Chinese alternative', () => {
    const path = writeGlossary('empty-zh.tsv', ['en\tzh\tnotes', 'icu beds\t重症床位|\t']);
    expect(loadError(path).message).toBe(`${path} line 2: empty Chinese term: "icu beds\t重症床位|\t"`);
  });

  it('names the line of an English term that is not lowercase', () => {
    const path = writeGlossary('uppercase.tsv', ['en\tzh\tnotes', 'ICU beds\t重症床位']);
    expect(loadError(path).message).toBe(
      `${path} line 2: English term "ICU beds" is not lowercase: "ICU beds\t重症床位"`,
    );
  });

  it('names both lines of a term repeated in another spelling', () => {
    const path = writeGlossary('duplicate.tsv', [
      'en\tzh\tnotes',
      'icu beds\t重症床位',
      'nurse\t护士',
      'icu bed\tICU床位',
    ]);
    const error = loadError(path);
    expect(error.code).toBe('GLOSSARY_DUPLICATE_TERM');
    expect(error.message).toBe(`${path} line 4: English term "icu bed" duplicates "icu beds" on line 2`);
  });

  it('names the other file of a term both files list', () => {
    const first = writeGlossary('first.tsv', ['en\tzh\tnotes\tkind', 'icu beds\t重症床位\t']);
    const second = writeGlossary('second.tsv', [
      'en\tzh\tnotes\tkind',
      '# a comment line',
      'icu bed\tICU床位\t\tword',
    ]);
    let error: unknown;
    try {
      loadGlossary([first, second]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GlossaryError);
    expect((error as GlossaryError).message).toBe(
      `${second} line 3: English term "icu bed" duplicates "icu beds" on line 2 of ${first}`,
    );
  });

  it('rejects a file without the en/zh/notes header', () => {
    const path = writeGlossary('no-header.tsv', ['icu beds\t重症床位']);
    const error = loadError(path);
    expect(error.code).toBe('GLOSSARY_BAD_HEADER');
    expect(error.message).toMatch(/ line 1: expected the header/);
  });

  it('says which file it could not read', () => {
    const missing = join(tempDir, 'missing.tsv');
    const error = loadError(missing);
    expect(error.code).toBe('GLOSSARY_UNREADABLE');
    expect(error.message).toContain(missing);
  });
});
