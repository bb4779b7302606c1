import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDocument } from '../ingest/chunk/prepare-document.ts';
import type { TargetRecord } from '../ingest/model.ts';
import { extractTargets } from '../ingest/targets/extract-targets.ts';
import { type ClaimUnderstanding, checkClaim } from '../server/targets/claim-check.ts';
import { compareMetric } from '../server/targets/compare.ts';

const SEEDS_DIR = new URL('../seeds/', import.meta.url);

/** A small stand-in for the service's query understanding: the five seed regions and four English terms. */
const REGIONS: [RegExp, string][] = [
  [/嘉兴|jiaxing/i, '嘉兴市'],
  [/西宁|xining/i, '西宁市'],
  [/新建区|xinjian/i, '新建区'],
  [/奉贤|fengxian/i, '奉贤区'],
  [/常州|changzhou/i, '常州市'],
];
const ENGLISH_TERMS: [RegExp, string][] = [
  [/family[- ]doctor/i, '家庭医生签约服务覆盖率'],
  [/nursery places/i, '每千人口托位数'],
  [/maternal mortality/i, '孕产妇死亡率'],
  [/licensed doctors/i, '每千人口执业(助理)医师数'],
];

function understand(text: string): ClaimUnderstanding {
  const lang = /\p{Script=Han}/u.test(text) ? 'zh' : 'en';
  const regions = REGIONS.filter(([pattern]) => pattern.test(text)).map(([, name]) => name);
  const years = [...text.matchAll(/(?<!\d)(20\d{2})(?!\d)/g)].map((m) => Number(m[1]));
  let rest = text.replace(/(?<!\d)20\d{2}\s*年?/g, ' ');
  for (const [pattern] of REGIONS) rest = rest.replace(new RegExp(pattern.source, 'gi'), ' ');
  const metricTerms =
    lang === 'en'
      ? ENGLISH_TERMS.filter(([pattern]) => pattern.test(text)).map(([, zh]) => zh)
      : rest.split(/\s+/).filter(Boolean);
  return { regions, years, lang, metricTerms };
}

let targets: TargetRecord[] = [];

beforeAll(() => {
  targets = readdirSync(SEEDS_DIR)
    .filter((name) => name.endsWith('.txt'))
    .flatMap((name) => {
      const { record, chunks } = prepareDocument({
        source: name,
        text: readFileSync(new URL(name, SEEDS_DIR), 'utf8'),
      });
      return extractTargets(record, chunks);
    });
});

function check(claim: string) {
  return checkClaim(claim, targets, understand);
}

describe('checkClaim', () => {
  it('supports a claim that states the value of a ≥ target, on a year taken from the horizon', () => {
    const result = check('嘉兴到2027年家庭医生签约服务覆盖率达到45%');
    expect(result.verdict).toBe('supported');
    expect(result.documentValue).toBeNull();
    expect(result.evidence.map((t) => [t.region, t.valueText, t.year, t.yearSource])).toEqual([
      ['嘉兴市', '45%以上', 2027, 'horizon'],
    ]);
    expect(result.message).toContain('45%以上');
    expect(result.evidence[0]?.quote).toContain('家庭医生签约服务覆盖率达到45%以上');
  });

  it('contradicts a wrong value and shows the value as the document writes it', () => {
    const result = check('嘉兴市2027年家庭医生签约服务覆盖率目标是50%');
    expect(result.verdict).toBe('contradicted');
    expect(result.documentValue).toBe('45%以上');
    expect(result.message).toMatch(/^与文件不符:.*45%以上.*而不是50%/);
    expect(result.evidence).toHaveLength(1);
  });

  it('answers an English claim in English, matching "percent" and the glossary term', () => {
    const result = check('Xining aims for 65 percent family doctor contract coverage by 2025');
    expect(result.verdict).toBe('supported');
    expect(result.message).toMatch(
      /^Supported: 西宁市's target for 全人群家庭医生签约服务覆盖率 for 2025 is 65% or more \(65%以上\)/,
    );
    // Stated twice, in clause 9 and in the 2025年度 column of the task table: one piece of evidence that
    // lists the other statement.
    expect(result.evidence).toHaveLength(1);
    expect(
      [
        result.evidence[0]?.yearSource,
        ...(result.evidence[0]?.alsoStatedIn.map((s) => s.yearSource) ?? []),
      ].sort(),
    ).toEqual(['sentence', 'table-column']);
  });

  it('says that a right value with a wrong year is the target for another year', () => {
    const result = check('嘉兴到2025年家庭医生签约服务覆盖率达到45%');
    expect(result.verdict).toBe('other_year');
    expect(result.documentYear).toBe(2027);
    expect(result.message).toMatch(/^45%是2027年的目标,不是2025年的/);
    expect(result.evidence.map((t) => [t.year, t.valueText])).toEqual([[2027, '45%以上']]);
    // A wrong value for a year the documents do set: contradicted, naming the year the value belongs to.
    const xining = check('西宁2024年家庭医生签约服务覆盖率达到65%');
    expect(xining.verdict).toBe('contradicted');
    expect(xining.documentValue).toBe('60%以上');
    expect(xining.documentYear).toBe(2025);
    expect(xining.message).toContain('65%是2025年的目标');
    // No such target in any year: not found, whatever the year.
    expect(check('嘉兴到2025年家庭医生签约服务覆盖率达到55%').verdict).toBe('not_found');
  });

  it('does not take an English per-capita base for the claimed number', () => {
    const result = check('Xining: 4.6 licensed doctors per 1,000 people by 2025');
    expect(result.verdict).toBe('supported');
    expect(new Set(result.evidence.map((t) => t.valueText))).toEqual(new Set(['4.6人']));
    expect(check('Xining: 4.8 licensed doctors per 1,000 people by 2025').documentValue).toBe('4.6人');
  });

  it('holds a claim to the year it names', () => {
    const result = check('Xining family doctor coverage in 2024: 65 percent');
    expect(result.verdict).toBe('contradicted');
    expect(result.documentValue).toBe('60%以上');
    expect(result.message).toContain('not 65 percent');
  });

  it('compares with the headline target unless the claim names the population', () => {
    const subgroup = check('西宁2025年重点人群家庭医生签约服务覆盖率达到75%');
    expect(subgroup.verdict).toBe('supported');
    expect(new Set(subgroup.evidence.map((t) => t.qualifier))).toEqual(new Set(['重点人群']));
    const headline = check('西宁2025年家庭医生签约服务覆盖率为75%');
    expect(headline.verdict).toBe('contradicted');
    expect(headline.documentValue).toBe('65%以上');
  });

  it('checks per-capita decimals, rates per 100,000 and ranges', () => {
    expect(check('新建区2024年每千人口托位数达到4.0个').verdict).toBe('supported');
    const nursery = check('新建区2024年每千人口托位数4.5个');
    expect(nursery.verdict).toBe('contradicted');
    expect(nursery.documentValue).toBe('4.0个');
    const mortality = check('新建区到2025年孕产妇死亡率控制在10/10万以下');
    expect(mortality.verdict).toBe('supported');
    expect(mortality.evidence.every((t) => t.unit === '/10万' && t.comparator === '≤')).toBe(true);
    expect(check('西宁到2025年建成10-13所社区医院').verdict).toBe('supported');
    const single = check('西宁到2025年建成13所社区医院');
    expect(single.verdict).toBe('contradicted');
    // The body writes 10至13所 and the table 10-13所; both are the document's wording.
    expect(single.documentValue).toBe('10至13所、10-13所');
  });

  it('finds nothing for a region, metric or number the documents do not have', () => {
    const elsewhere = check('杭州2027年家庭医生签约服务覆盖率45%');
    expect(elsewhere.verdict).toBe('not_found');
    expect(elsewhere.evidence).toEqual([]);
    expect(check('嘉兴2027年每千人口托位数4.5个').verdict).toBe('not_found');
    const noNumber = check('嘉兴重视家庭医生签约服务');
    expect(noNumber.verdict).toBe('not_found');
    expect(noNumber.message).toBe('说法中没有可核对的数值。');
    expect(check('Jiaxing maternal mortality target for 2027 is 10 per 100,000').message).toBe(
      'Not found: no target in these documents matches this claim.',
    );
  });
});

describe('compareMetric', () => {
  it('lines up one metric across regions and years, sorted by region then year', () => {
    const comparison = compareMetric(targets, '签约服务覆盖率');
    expect(comparison.metricGroup).toBe('家庭医生签约服务覆盖率');
    const regions = [...new Set(comparison.rows.map((r) => r.region))];
    expect(new Set(regions)).toEqual(new Set(['嘉兴市', '西宁市', '新建区', '奉贤区']));
    const collator = new Intl.Collator('zh-CN');
    comparison.rows.forEach((row, i) => {
      const next = comparison.rows[i + 1];
      expect(row.valueText).toBe(row.target.valueText);
      expect(row.target.quote).toContain(row.valueText);
      if (!next) return;
      const order = collator.compare(row.region, next.region);
      expect(order).toBeLessThanOrEqual(0);
      if (order === 0) expect(row.year ?? Infinity).toBeLessThanOrEqual(next.year ?? Infinity);
    });
    expect(comparison.rows.find((r) => r.region === '嘉兴市')).toMatchObject({
      year: 2027,
      valueText: '45%以上',
    });
    expect(comparison.rows.find((r) => r.region === '奉贤区')).toMatchObject({
      year: 2024,
      valueText: '45%',
    });
  });

  it('filters by region and year', () => {
    const comparison = compareMetric(targets, '家庭医生签约服务覆盖率', {
      regions: ['西宁市'],
      years: [2024],
    });
    expect(comparison.rows.map((r) => [r.qualifier, r.valueText, r.target.yearSource])).toEqual([
      ['全人群', '60%以上', 'table-column'],
      ['重点人群', '70%以上', 'table-column'],
    ]);
  });
});
