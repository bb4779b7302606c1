import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RegionInfo, RegionLevel } from '../../model.ts';
import { readTsv } from './read-tsv.ts';

/**
 * Every place of China (provinces, prefectures, counties) and 全国, read from the generated `places.json`
 * (see SOURCES.md), with the words that mark national bodies and the ordinary words that contain place names.
 * Loaded once per process: ingest and answering share it.
 */
export interface Place {
  /** Statistics division code: 2 digits for a province, 4 for a prefecture, 6 for a county; '00' for 全国. */
  code: string;
  name: string;
  /** Names without the suffix that people use (嘉兴, 奉贤); empty when no short form is safe. */
  shortNames: readonly string[];
  level: RegionLevel;
  /** null for 全国. */
  parentCode: string | null;
  english: string;
  otherEnglish: readonly string[];
}

export interface NationalMarks {
  /** Bodies that issue national documents (国务院, 国家卫生健康委), longest first. */
  bodies: readonly string[];
  /** Prefixes of national laws (中华人民共和国). */
  prefixes: readonly string[];
  /** Words with which a question asks about the country as a whole (全国, nationwide), lower-case. */
  words: readonly string[];
}

export interface Gazetteer {
  national: Place;
  byCode: ReadonlyMap<string, Place>;
  /** Every place by full name (several 朝阳区 share one). */
  byName: ReadonlyMap<string, readonly Place[]>;
  /** Enclosing places nearest first, without 全国: 新建区 → [南昌市, 江西省]. */
  ancestors(place: Place): Place[];
  /** Whether `outer` encloses `inner` (a place does not enclose itself). */
  encloses(outer: Place, inner: Place): boolean;
  regionInfo(place: Place): RegionInfo;
  /** The place a stored RegionInfo stands for: by code, else by name and nearest parent. */
  placeOf(region: RegionInfo): Place | null;
  marks: NationalMarks;
  /** Words and phrases that contain a place name without meaning the place (新建医院, 长治久安). */
  ordinaryWords: readonly string[];
}

const HERE = (file: string) => fileURLToPath(new URL(file, import.meta.url));

type Row = [string, string, string[], RegionLevel, string, string, string[]];

let loaded: Gazetteer | null = null;

export function gazetteer(): Gazetteer {
  loaded ??= load();
  return loaded;
}

function load(): Gazetteer {
  const rows = (JSON.parse(readFileSync(HERE('./places.json'), 'utf8')) as { places: Row[] }).places;
  const byCode = new Map<string, Place>();
  const byName = new Map<string, Place[]>();
  for (const [code, name, shortNames, level, parent, english, otherEnglish] of rows) {
    const place: Place = { code, name, shortNames, level, parentCode: parent || null, english, otherEnglish };
    byCode.set(code, place);
    byName.set(name, [...(byName.get(name) ?? []), place]);
  }
  const national = byCode.get('00');
  if (!national) throw new Error('places.json has no 全国 row: regenerate it with build-places.ts');
  const ancestors = (place: Place): Place[] => {
    const out: Place[] = [];
    for (let p = place.parentCode ? byCode.get(place.parentCode) : undefined; p && p !== national; ) {
      out.push(p);
      p = p.parentCode ? byCode.get(p.parentCode) : undefined;
    }
    return out;
  };
  const regionInfo = (place: Place): RegionInfo => ({
    name: place.name,
    level: place.level,
    parents: ancestors(place).map((p) => p.name),
    english: place.english,
    code: place.code,
  });
  const placeOf = (region: RegionInfo): Place | null => {
    if (region.code && byCode.has(region.code)) return byCode.get(region.code) ?? null;
    if (region.level === 'national') return national;
    const named = byName.get(region.name) ?? [];
    const parent = region.parents[0];
    return named.find((p) => !parent || ancestors(p)[0]?.name === parent) ?? named[0] ?? null;
  };
  const nationalRows = readTsv(HERE('./national-bodies.tsv'));
  const ofKind = (kind: string) =>
    nationalRows
      .filter((r) => r[1] === kind)
      .map((r) => (r[0] ?? '').toLowerCase())
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
  return {
    national,
    byCode,
    byName,
    ancestors,
    encloses: (outer, inner) => outer !== inner && (outer === national || ancestors(inner).includes(outer)),
    regionInfo,
    placeOf,
    marks: { bodies: ofKind('body'), prefixes: ofKind('prefix'), words: ofKind('word') },
    ordinaryWords: readTsv(HERE('./ordinary-words.tsv'))
      .map((r) => r[0] ?? '')
      .filter(Boolean),
  };
}
