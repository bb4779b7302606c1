import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ABBREVIATIONS_FILE,
  CONCEPT_GROUPS_FILE,
  DEFAULT_LEXICON_DIR,
  defaultLexicon,
  type Lexicon,
  LexiconError,
  type LexiconErrorCode,
  loadLexicon,
} from '../server/query/lexicon/lexicon.ts';

const lexicon = defaultLexicon();

/** The `|`-separated terms of one column of a shipped data file, comments and header skipped. */
function shippedColumn(file: string, column: number): string[][] {
  return readFileSync(join(DEFAULT_LEXICON_DIR, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) =>
      line
        .split('\t')
        [column]!.split('|')
        .map((t) => t.normalize('NFKC')),
    );
}

/** The first full form the lexicon gives for a short form written on its own. */
function firstFull(lex: Lexicon, short: string): string {
  const [match] = lex.findShortForms(short);
  expect(match?.surface).toBe(short);
  return match!.full[0]!;
}

function surfaces(lex: Lexicon, text: string): [string, number, number][] {
  return lex.findShortForms(text).map((m) => [m.surface, m.start, m.end]);
}

/** Writes the two data files into a fresh folder, runs `body`, and removes the folder again. */
function withLexiconDir<T>(abbreviations: string, groups: string, body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lexicon-test-'));
  try {
    writeFileSync(join(dir, ABBREVIATIONS_FILE), abbreviations);
    writeFileSync(join(dir, CONCEPT_GROUPS_FILE), groups);
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ABBR_HEADER = 'short\tfull\tnote\n';
const GROUP_HEADER = 'terms\tnote\n';
const ONE_GROUP = `${GROUP_HEADER}养老|老年健康\t测试\n`;

function rows(...lines: string[]): string {
  return ABBR_HEADER + lines.map((l) => `${l}\n`).join('');
}

describe('the shipped lexicon', () => {
  it('loads with at least 300 short forms and 120 concept groups, once', () => {
    expect(lexicon.size.shortForms).toBeGreaterThanOrEqual(300);
    expect(lexicon.size.groups).toBeGreaterThanOrEqual(120);
    expect(defaultLexicon()).toBe(lexicon);
  });

  it('finds abbreviations in colloquial questions at the right offsets', () => {
    expect(surfaces(lexicon, '西宁家医签约24年要到多少?')).toEqual([['家医', 2, 4]]);
    expect(surfaces(lexicon, '医共体建设啥进度')).toEqual([
      ['医共体', 0, 3],
      ['啥', 5, 6],
    ]);
    expect(surfaces(lexicon, '千人床位数达到多少')).toEqual([['千人床位', 0, 4]]);
    expect(firstFull(lexicon, '家医')).toBe('家庭医生');
    expect(firstFull(lexicon, '啥')).toBe('什么');
  });

  it('prefers the longest form at a position', () => {
    // 卫技 alone is also a short form; the longer 卫技人员 must win.
    expect(surfaces(lexicon, '全省卫技人员有多少')).toEqual([['卫技人员', 2, 6]]);
    expect(surfaces(lexicon, '县域医共体建设')).toEqual([['县域医共体', 0, 5]]);
  });

  it('reports offsets in the NFKC form of the question', () => {
    const question = '２０２４年家医签约率达到多少？';
    const normal = question.normalize('NFKC');
    const matches = lexicon.findShortForms(question);
    expect(matches.map((m) => m.surface)).toEqual(['家医', '签约率']);
    for (const m of matches) expect(normal.slice(m.start, m.end)).toBe(m.surface);
    expect(matches[0]!.start).toBe(5);
  });

  it('returns ordered, non-overlapping matches whose surface is the text at their offsets', () => {
    const pieces = [
      '家医',
      '医共体',
      '卫技人员',
      '国家',
      '医学',
      '一家',
      '医院',
      '千人床位',
      '数',
      '啥',
      '２４',
      '，',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const normal = text.normalize('NFKC');
        let last = 0;
        for (const m of lexicon.findShortForms(text)) {
          expect(m.start).toBeGreaterThanOrEqual(last);
          expect(m.end).toBeGreaterThan(m.start);
          expect(normal.slice(m.start, m.end)).toBe(m.surface);
          expect(m.full.length).toBeGreaterThan(0);
          last = m.end;
        }
      }),
    );
  });

  it('does not read a short form into a longer ordinary word', () => {
    for (const text of [
      '国家医学中心',
      '一家医院',
      '多家医院感染',
      '中风险地区',
      '中医院校',
      '中医养生',
      '安全生产检查',
    ]) {
      expect(surfaces(lexicon, text), text).toEqual([]);
    }
    // 全国 is cut first, so the 家医 after it is still found.
    expect(surfaces(lexicon, '全国家医签约率')[0]).toEqual(['家医', 2, 4]);
  });

  it('expands colloquial questions into the wording documents use', () => {
    expect(lexicon.expandText('西宁家医签约24年要到多少?')).toBe('西宁家庭医生签约24年要到多少?');
    expect(lexicon.expandText('家医签约')).toBe('家庭医生签约');
    const expanded = lexicon.expandText('医共体建设啥进度');
    expect(expanded).toBe(`${firstFull(lexicon, '医共体')}建设${firstFull(lexicon, '啥')}进度`);
    expect(lexicon.expandText('全省卫技人员有多少')).toBe(`全省${firstFull(lexicon, '卫技人员')}有多少`);
    expect(lexicon.expandText('２４年家医？')).toBe('24年家庭医生?');
  });

  it('reads legal questions as typed into the wording of the articles', () => {
    expect(lexicon.expandText('哪几种情况不算预防接种异常反应')).toBe('哪几种情况不属于预防接种异常反应');
    expect(lexicon.expandText('没拿许可证就开诊所')).toBe('未取得许可证就开诊所');
    expect(lexicon.relatedTerms('情况')).toContain('情形');
  });

  it('does not insert again what the question already writes around an abbreviation', () => {
    // The full form ends in 服务 / begins with 县域 / begins with 公立医院: no doubled characters.
    for (const text of ['基本公卫服务', '县域医共体', '二级公立医院国考', '千人床位数']) {
      const out = lexicon.expandText(text);
      expect(out, text).not.toBe(text);
      // No run of two or more characters repeated back to back ("县域县域…", "…服务服务").
      expect(out, text).not.toMatch(/(..+)\1/);
    }
  });

  it('leaves words that are already written out in full alone', () => {
    for (const text of [
      '妇幼保健院',
      '家庭医生签约服务',
      '县域医疗卫生共同体',
      '紧密型县域医疗卫生共同体',
      '医养结合机构',
      '每千人口医疗卫生机构床位数',
      '国办发〔2017〕32号',
      '一家医院',
    ]) {
      expect(lexicon.expandText(text), text).toBe(text);
    }
  });

  it('leaves every full form in the shipped file unchanged, so expansion is final', () => {
    for (const fulls of shippedColumn(ABBREVIATIONS_FILE, 1)) {
      for (const full of fulls) expect(lexicon.expandText(full), full).toBe(full);
    }
  });

  it('gives the same text when expanding twice', () => {
    for (const text of [
      '西宁家医签约24年要到多少?',
      '医共体建设啥进度',
      '两癌筛查和一老一小',
      '千人床位数咋算',
    ]) {
      const once = lexicon.expandText(text);
      expect(lexicon.expandText(once), text).toBe(once);
    }
  });

  it('relates every term of a concept group to the others, in both directions', () => {
    expect(lexicon.relatedTerms('养老')).toContain('医养结合');
    expect(lexicon.relatedTerms('医养结合')).toContain('养老');
    for (const group of shippedColumn(CONCEPT_GROUPS_FILE, 0)) {
      for (const a of group) {
        const related = lexicon.relatedTerms(a);
        expect(related, a).not.toContain(a);
        expect(new Set(related).size, a).toBe(related.length);
        for (const b of group) if (b !== a) expect(related, `${a} → ${b}`).toContain(b);
      }
    }
  });

  it('tells a term from the one statistics keep apart from it, and from nothing else', () => {
    expect(lexicon.contrast('住院患者抗菌药物使用率', '门诊处方抗生素使用率')).toEqual({
      asked: '住院',
      stated: '门诊',
    });
    expect(lexicon.contrast('农村地区救护车配置', '城区每3万人口配置1辆救护车')).toEqual({
      asked: '农村',
      stated: '城区',
    });
    // The sentence names both sides, or only the asked one, or neither: no contrast.
    expect(lexicon.contrast('住院费用结算率', '门诊和住院费用跨省直接结算率')).toBeNull();
    expect(lexicon.contrast('住院费用结算率', '住院费用跨省直接结算率')).toBeNull();
    expect(lexicon.contrast('家庭医生签约率', '门诊处方抗生素使用率')).toBeNull();
    // A question naming both sides (…执业医师…护士呢) keeps neither apart, whatever set spells them.
    expect(lexicon.contrast('千人口执业医师 护士', '每千人口注册护士数')).toBeNull();
  });

  it('matches concept terms exactly and returns [] for words in no group', () => {
    expect(lexicon.relatedTerms('不在任何组里的词')).toEqual([]);
    // Exact term match: a term with extra characters is not the term.
    expect(lexicon.relatedTerms('养老养老')).toEqual([]);
    expect(lexicon.relatedTerms(' 养老 ')).toEqual(lexicon.relatedTerms('养老'));
  });

  it('finds concept terms in a question with their related terms', () => {
    const text = '托育服务和医养结合啥进度';
    const found = lexicon.findConcepts(text);
    expect(found.map((c) => c.term)).toEqual(['托育服务', '医养结合']);
    for (const c of found) {
      expect(text.slice(c.start, c.end)).toBe(c.term);
      expect(c.related).toEqual(lexicon.relatedTerms(c.term));
      expect(c.related.length).toBeGreaterThan(0);
    }
  });
});

describe('matching rules, on a small lexicon', () => {
  const abbreviations = rows(
    '# a comment',
    '',
    '家医\t家庭医生\t测试',
    '医共体\t医疗卫生共同体|县域医疗卫生共同体\t测试',
    '妇幼\t妇女儿童|妇幼保健\t测试',
    '基本公卫\t基本公共卫生服务\t测试',
    '国考\t公立医院绩效考核\t测试',
    '医保\t医疗保障\t测试',
    '院感\t医院感染\t测试',
    '国家\t国家\t护栏',
  );
  const groups = `${GROUP_HEADER}# comment\n养老|老年健康|医养结合\t测试\n\n医养结合|养老服务\t测试\n托育|婴幼儿照护\t测试\n`;
  const small = withLexiconDir(abbreviations, groups, (dir) => loadLexicon(dir));

  it('skips comments and blank lines and does not count guards as short forms', () => {
    expect(small.size).toEqual({ shortForms: 7, groups: 3 });
  });

  it('loads a folder without contrasts.tsv, with no terms kept apart', () => {
    expect(small.contrast('住院费用', '门诊费用')).toBeNull();
  });

  it('lets a guard word hide the short form its characters spell', () => {
    expect(surfaces(small, '国家医学中心')).toEqual([]);
    expect(surfaces(small, '推进家医签约')).toEqual([['家医', 2, 4]]);
  });

  it('reports a short form that begins a full form, without expanding it', () => {
    expect(surfaces(small, '妇幼保健院')).toEqual([['妇幼', 0, 2]]);
    expect(small.expandText('妇幼保健院')).toBe('妇幼保健院');
    expect(small.expandText('妇幼健康')).toBe('妇女儿童健康');
  });

  it('does not report a short form inside a full form already written out', () => {
    expect(surfaces(small, '医院感染率')).toEqual([]);
    expect(small.expandText('医院感染率')).toBe('医院感染率');
    expect(small.expandText('院感率')).toBe('医院感染率');
  });

  it('trims an expansion against two or more characters the text already has', () => {
    expect(small.expandText('基本公卫服务')).toBe('基本公共卫生服务');
    expect(small.expandText('基本公卫经费')).toBe('基本公共卫生服务经费');
    expect(small.expandText('三级公立医院国考')).toBe('三级公立医院绩效考核');
    // One shared character is a coincidence, not a partial full form.
    expect(small.expandText('就医医保')).toBe('就医医疗保障');
  });

  it('accepts a byte-order mark and CRLF line ends', () => {
    const crlf = `\uFEFF${abbreviations.replaceAll('\n', '\r\n')}`;
    const loaded = withLexiconDir(crlf, groups.replaceAll('\n', '\r\n'), (dir) => loadLexicon(dir));
    expect(loaded.size).toEqual(small.size);
    expect(loaded.expandText('家医')).toBe('家庭医生');
  });

  it('merges the groups a term belongs to', () => {
    expect(small.relatedTerms('医养结合')).toEqual(['养老', '老年健康', '养老服务']);
    expect(small.relatedTerms('养老服务')).toEqual(['医养结合']);
    expect(small.relatedTerms('婴幼儿照护')).toEqual(['托育']);
  });

  it('finds concept terms longest first', () => {
    expect(small.findConcepts('养老服务和托育').map((c) => [c.term, c.start, c.end])).toEqual([
      ['养老服务', 0, 4],
      ['托育', 5, 7],
    ]);
  });
});

describe('malformed data files', () => {
  function expectError(
    abbreviations: string,
    groups: string,
    code: LexiconErrorCode,
    file: string,
    line: number,
  ): void {
    withLexiconDir(abbreviations, groups, (dir) => {
      let thrown: unknown;
      try {
        loadLexicon(dir);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(LexiconError);
      const error = thrown as LexiconError;
      expect(error.code).toBe(code);
      expect(error.message).toContain(join(dir, file));
      expect(error.message).toContain(`line ${line}:`);
      expect(error.line).toBe(line);
    });
  }

  it('names an unreadable folder', () => {
    const missing = join(tmpdir(), 'lexicon-test-does-not-exist');
    expect(() => loadLexicon(missing)).toThrow(LexiconError);
    try {
      loadLexicon(missing);
    } catch (error) {
      expect((error as LexiconError).code).toBe('LEXICON_UNREADABLE');
      expect((error as LexiconError).message).toContain(join(missing, ABBREVIATIONS_FILE));
    }
  });

  it('rejects a wrong header', () => {
    expectError('short\tfull\n家医\t家庭医生\n', ONE_GROUP, 'LEXICON_BAD_HEADER', ABBREVIATIONS_FILE, 1);
    expectError(rows('家医\t家庭医生\t测试'), '词\t说明\n', 'LEXICON_BAD_HEADER', CONCEPT_GROUPS_FILE, 1);
  });

  it('rejects a line with the wrong number of fields', () => {
    expectError(
      rows('家医\t家庭医生\t测试', '医保\t医疗保障'),
      ONE_GROUP,
      'LEXICON_MALFORMED_LINE',
      ABBREVIATIONS_FILE,
      3,
    );
  });

  it('rejects an empty note, an empty full form, and Latin letters', () => {
    expectError(rows('家医\t家庭医生\t'), ONE_GROUP, 'LEXICON_MALFORMED_LINE', ABBREVIATIONS_FILE, 2);
    expectError(rows('家医\t家庭医生||\t测试'), ONE_GROUP, 'LEXICON_MALFORMED_LINE', ABBREVIATIONS_FILE, 2);
    expectError(
      rows('医保\t医疗保障\t测试', '疾控\tCDC\t测试'),
      ONE_GROUP,
      'LEXICON_MALFORMED_LINE',
      ABBREVIATIONS_FILE,
      3,
    );
  });

  it('rejects a short form defined twice, naming both lines', () => {
    const abbreviations = rows(
      '家医\t家庭医生\t测试',
      '医保\t医疗保障\t测试',
      '# comment',
      '家医\t家庭医师\t测试',
    );
    expectError(abbreviations, ONE_GROUP, 'LEXICON_DUPLICATE', ABBREVIATIONS_FILE, 5);
    withLexiconDir(abbreviations, ONE_GROUP, (dir) => {
      expect(() => loadLexicon(dir)).toThrow(/line 2/);
    });
  });

  it('rejects a short form listed among its own expansions, and an expansion that is itself a short form', () => {
    expectError(
      rows('医保\t医疗保障|医保\t测试'),
      ONE_GROUP,
      'LEXICON_MALFORMED_LINE',
      ABBREVIATIONS_FILE,
      2,
    );
    expectError(
      rows('零加成\t零差率\t测试', '零差率\t药品零差率销售\t测试'),
      ONE_GROUP,
      'LEXICON_MALFORMED_LINE',
      ABBREVIATIONS_FILE,
      2,
    );
  });

  it('rejects bad concept groups', () => {
    const abbreviations = rows('家医\t家庭医生\t测试');
    expectError(
      abbreviations,
      `${GROUP_HEADER}养老\t测试\n`,
      'LEXICON_MALFORMED_LINE',
      CONCEPT_GROUPS_FILE,
      2,
    );
    expectError(
      abbreviations,
      `${GROUP_HEADER}养老|养老\t测试\n`,
      'LEXICON_DUPLICATE',
      CONCEPT_GROUPS_FILE,
      2,
    );
    expectError(
      abbreviations,
      `${GROUP_HEADER}养老|老年健康\t测试\n老年健康|养老\t测试\n`,
      'LEXICON_DUPLICATE',
      CONCEPT_GROUPS_FILE,
      3,
    );
    expectError(
      abbreviations,
      `${GROUP_HEADER}养老|老年健康\n`,
      'LEXICON_MALFORMED_LINE',
      CONCEPT_GROUPS_FILE,
      2,
    );
  });
});
