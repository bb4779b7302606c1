import { describe, expect, it } from 'vitest';
import { cedictLoads, loadCedict, parseCedict } from '../ingest/text/cedict.ts';
import { tokenize } from '../ingest/text/tokenize.ts';
import { vocabularyWords } from '../ingest/text/vocabulary.ts';
import {
  CorpusVocabulary,
  englishDictionary,
  vocabularyOf,
} from '../server/query/dictionary/english-dictionary.ts';

// A small corpus vocabulary: real CEDICT headwords, one word CEDICT lacks and one single character.
const VOCABULARY = [
  '筛查',
  '新生儿',
  '新生',
  '托育',
  '老年人',
  '中老年人',
  '死亡率',
  '婴儿',
  '利率',
  '一品',
  '成立',
  '目标',
  '什么',
  '护理',
  '体检',
  '医生',
  '博士',
  '上海',
  '托位数',
  '率',
  '慢性病',
  '高血压',
];
const dictionary = englishDictionary(VOCABULARY);
const inVocabulary = new Set(VOCABULARY);

describe('englishDictionary lookup', () => {
  it('finds the corpus words for plain English words, and only vocabulary words', () => {
    expect(dictionary.lookup('screening')).toContain('筛查');
    expect(dictionary.lookup('newborn')).toContain('新生儿');
    expect(dictionary.lookup('elderly')).toContain('老年人');
    for (const english of ['screening', 'newborn', 'elderly', 'rate', 'doctor', 'care', 'death']) {
      for (const zh of dictionary.lookup(english))
        expect(inVocabulary.has(zh), `${english} → ${zh}`).toBe(true);
    }
  });

  it('keeps only headwords of two or more Han characters that CEDICT defines', () => {
    expect(englishDictionary(['率', '托位数']).size).toBe(0);
    expect(englishDictionary(['筛查', '率', '托位数']).size).toBe(1);
    expect(dictionary.size).toBeLessThanOrEqual(VOCABULARY.length - 2);
  });

  it('answers only with the vocabulary it was built from', () => {
    expect(dictionary.lookup('interest rate')).toEqual(['利率']);
    expect(englishDictionary(VOCABULARY.filter((w) => w !== '利率')).lookup('interest rate')).toEqual([]);
  });

  it('ranks a definition equal to the English before one that only contains it', () => {
    const newborn = dictionary.lookup('newborn');
    // 新生 is glossed "newborn", 新生儿 "newborn baby".
    expect(newborn.indexOf('新生')).toBeLessThan(newborn.indexOf('新生儿'));
    const elderly = dictionary.lookup('elderly');
    expect(elderly.indexOf('老年人')).toBeLessThan(elderly.indexOf('中老年人'));
  });

  it('prefers the word more chunks of the corpus use among equal definitions', () => {
    const counted = (counts: Record<string, number>) => {
      const vocabulary = new CorpusVocabulary();
      for (const [word, n] of Object.entries(counts)) vocabulary.set(word, n);
      return englishDictionary(vocabulary);
    };
    expect(counted({ 医生: 5, 博士: 1 }).lookup('doctor', 1)).toEqual(['医生']);
    expect(counted({ 医生: 1, 博士: 5 }).lookup('doctor', 1)).toEqual(['博士']);
  });

  it('respects the limit', () => {
    expect(dictionary.lookup('rate').length).toBeGreaterThan(1);
    expect(dictionary.lookup('rate', 1)).toHaveLength(1);
    expect(dictionary.lookup('rate', 0)).toEqual([]);
  });

  it('does not treat a word inside a hyphenated compound, a verb phrase or a proper name as a translation', () => {
    expect(dictionary.lookup('rate')).toContain('死亡率'); // "mortality rate"
    expect(dictionary.lookup('rate')).not.toContain('一品'); // "first-rate"
    expect(dictionary.lookup('water')).not.toContain('成立'); // "to hold water"
    expect(dictionary.lookup('Shanghai')).toEqual(['上海']);
    expect(dictionary.lookup('municipality')).not.toContain('上海');
    expect(englishDictionary(['奉贤']).lookup('Shanghai')).toEqual([]); // "Fengxian district of Shanghai"
  });

  it('normalises plurals, -ing, -ed, compounds and derived nouns the same way on both sides', () => {
    for (const form of ['screen', 'screens', 'screened', 'screening', 'Screening']) {
      expect(dictionary.lookup(form), form).toContain('筛查');
    }
    expect(dictionary.lookup('nursing')).toContain('护理');
    const daycare = dictionary.lookup('daycare');
    expect(daycare).toContain('托育');
    expect(dictionary.lookup('day care')).toEqual(daycare);
    expect(dictionary.lookup('day-care')).toEqual(daycare);
  });

  it('gives an abbreviation the meaning of its full form', () => {
    // CEDICT glosses 体检 only as "abbr. for 体格检查", which the vocabulary lacks.
    expect(dictionary.lookup('physical examination')).toEqual(['体检']);
  });
});

describe('englishDictionary expand', () => {
  it('lets a phrase beat its single words', () => {
    const question = 'How is high blood pressure screening for chronic disease patients done?';
    const matches = dictionary.expand(question);
    expect(matches.map((m) => m.english)).toEqual(['high blood pressure', 'screening', 'chronic disease']);
    expect(matches[0]?.zh).toEqual(['高血压']);
    for (const m of matches) expect(question.slice(m.start, m.end)).toBe(m.english);
  });

  it('does not look up measure words: "rate" alone would search 死亡率 for a coverage question', () => {
    expect(dictionary.expand('What is the infant mortality rate?').map((m) => m.english)).toEqual([
      'infant',
      'mortality',
    ]);
  });

  it('skips the spans the glossary already understood', () => {
    const question = 'newborn screening targets';
    expect(dictionary.expand(question).map((m) => m.english)).toEqual(['newborn', 'screening']);
    expect(dictionary.expand(question, [{ start: 0, end: 7 }]).map((m) => m.english)).toEqual(['screening']);
    // A span that covers only part of a word still takes the whole word out.
    expect(dictionary.expand(question, [{ start: 10, end: 12 }]).map((m) => m.english)).toEqual(['newborn']);
    expect(dictionary.expand(question, [{ start: 0, end: question.length }])).toEqual([]);
  });

  it('ignores stop words and question words even where the dictionary knows them', () => {
    expect(dictionary.lookup('what')).toEqual(['什么']);
    expect(dictionary.lookup('target')).toEqual(['目标']);
    const matches = dictionary.expand('What are the targets for the newborn?');
    expect(matches.map((m) => m.english)).toEqual(['newborn']);
  });

  it('ignores light verbs and the unit of a duration question: "get", "want" and "days" name no topic', () => {
    const withVerbs = englishDictionary([...VOCABULARY, '需要', '取得', '得到', '每天', '日前']);
    expect(withVerbs.lookup('want')).toContain('需要');
    const matches = withVerbs.expand('How many days do newborns want to get screening?');
    expect(matches.map((m) => m.english)).toEqual(['newborns', 'screening']);
  });

  it('does not join words across punctuation or numbers into a phrase', () => {
    expect(dictionary.expand('chronic, disease').map((m) => m.english)).not.toContain('chronic, disease');
    expect(dictionary.expand('chronic 2025 disease').map((m) => m.english)).not.toContain(
      'chronic 2025 disease',
    );
    expect(dictionary.expand('chronic disease').map((m) => m.english)).toEqual(['chronic disease']);
  });

  it('omits words with no hit', () => {
    expect(dictionary.expand('quantum chromodynamics')).toEqual([]);
  });
});

describe('CEDICT data', () => {
  it('is parsed once per process and shared by every dictionary', () => {
    englishDictionary(['筛查']);
    englishDictionary(['托育', '新生儿']);
    expect(cedictLoads()).toBe(1);
    expect(loadCedict()).toBe(loadCedict());
    expect(cedictLoads()).toBe(1);
  });

  it('keeps the senses a question can mean and drops notes, surnames and register-marked senses', () => {
    const cedict = parseCedict(
      [
        '#! date=2026-01-01T00:00:00Z',
        '王 王 [Wang2] /surname Wang/king/',
        '王國 王国 [wang2 guo2] /kingdom/',
        '老人 老人 [lao3 ren2] /old man or woman/the elderly/CL:個|个[ge4]/',
        '台胞 台胞 [tai2 bao1] /compatriot (Tw)/',
        '仿彿 仿佛 [fang3 fu2] /variant of 彷彿|仿佛[fang3 fu2]/',
        '古稱 古称 [gu3 cheng1] /old name for a place/ancient name/',
        '一石二鳥 一石二鸟 [yi1 shi2 er4 niao3] /lit. to kill two birds with one stone (idiom)/',
        '體檢 体检 [ti3 jian3] /abbr. for 體格檢查|体格检查[ti3 ge2 jian3 cha2]/',
        '奉賢 奉贤 [Feng4 xian2] /Fengxian district of Shanghai/',
        '錢姓 钱姓 [qian2 xing4] /surname Qian/',
      ].join('\n'),
    );
    expect(cedict.date).toBe('2026-01-01T00:00:00Z');
    expect(cedict.lines).toBe(10);
    expect([...cedict.entries.keys()].sort()).toEqual(['体检', '古称', '奉贤', '王国', '老人'].sort());
    expect(cedict.entries.get('老人')?.senses).toEqual(['old man or woman', 'the elderly']);
    expect(cedict.entries.get('古称')?.senses).toEqual(['ancient name']);
    expect(cedict.entries.get('体检')).toEqual({ senses: [], names: [], refersTo: ['体格检查'] });
    expect(cedict.entries.get('奉贤')).toMatchObject({
      senses: [],
      names: ['Fengxian district of Shanghai'],
    });
  });
});

/** Word → chunks using it, as ingest stores it. */
function chunksUsing(perChunk: readonly Set<string>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const words of perChunk) for (const w of words) counts[w] = (counts[w] ?? 0) + 1;
  return counts;
}

describe('vocabularyOf', () => {
  it("takes the documents' words, counted per chunk, without the lexical index's bigrams", () => {
    const texts = ['开展新生儿疾病筛查', '新生儿听力筛查率达到98%'];
    const vocabulary = vocabularyOf({
      vocabulary: chunksUsing(texts.map((t) => vocabularyWords(t, tokenize(t)))),
    });
    expect(vocabulary.has('新生儿')).toBe(true);
    expect(vocabulary.has('筛查')).toBe(true);
    expect(vocabulary.frequency('新生儿')).toBe(2);
    expect(vocabulary.has('生儿')).toBe(false);
    for (const word of vocabulary) expect(word).toMatch(/^\p{Script=Han}{2,}$/u);
    expect(englishDictionary(vocabulary).lookup('newborn')).toEqual(['新生儿']);
  });
});
