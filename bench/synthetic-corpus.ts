/**
 * Deterministic synthetic corpora for the benchmark: copies of a base corpus (the seeds) in which each copy's
 * place is another real place of China (same level, taken in code order from the gazetteer) and its
 * percentages are shifted, so a copy is a different document that ingest places correctly, and a question
 * about it has one right answer that no other copy shares. The base corpus is copy 0, unchanged; the
 * questions are the base questions rewritten for chosen copies (place names and percentages alike).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { EvalItem } from '../evals/set-format.ts';
import { gazetteer, type Place } from '../ingest/meta/places/gazetteer.ts';
import type { DocumentRecord, RegionInfo } from '../ingest/model.ts';

export interface SyntheticCopy {
  /** 0 is the base corpus itself. */
  copy: number;
  /** Base document id → the place its copy is about. */
  places: Map<string, RegionInfo>;
  /**
   * Base document ids whose stand-in no other copy uses: a large corpus needs more places of a level than
   * the country has, so later copies reuse them; questions are asked only of copies whose place is theirs alone.
   */
  unique: Set<string>;
}

export interface SyntheticCorpus {
  dir: string;
  copies: SyntheticCopy[];
}

/** One name substitution: every written form of a base place → the same form of its stand-in. */
interface Substitution {
  from: string;
  to: string;
}

/** Percentages move by 1–7 points per copy, so neighbouring copies never state the same target. */
export function shiftPercentages(text: string, copy: number): string {
  if (copy === 0) return text;
  const shift = (copy % 7) + 1;
  return text.replace(/(?<![\d.])(\d{1,2})((?:\.\d+)?)(?=\s*[%％])/g, (whole, int: string, frac: string) => {
    const value = Number(int) + shift;
    return value >= 100 ? whole : `${value}${frac}`;
  });
}

function forms(place: Place): string[] {
  return [place.name, ...place.shortNames];
}

/**
 * The stand-ins, per level: places whose names are unambiguous (one place has the name, and no short name
 * is another place's name) and that no base text or question names, so a rewritten question can only mean
 * its copy.
 */
function standInPool(level: RegionInfo['level'], avoid: string): Place[] {
  const g = gazetteer();
  const shortTaken = new Map<string, number>();
  for (const list of g.byName.values())
    for (const p of list) for (const s of p.shortNames) shortTaken.set(s, (shortTaken.get(s) ?? 0) + 1);
  return [...g.byCode.values()]
    .filter((p) => p.level === level && p.english && (g.byName.get(p.name)?.length ?? 0) === 1)
    .filter((p) => p.shortNames.every((s) => shortTaken.get(s) === 1 && !g.byName.has(s)))
    .filter((p) => !forms(p).some((f) => avoid.includes(f)) && !avoid.includes(p.english))
    .sort((a, b) => a.code.localeCompare(b.code));
}

function substitutions(base: RegionInfo, stand: Place): Substitution[] {
  const g = gazetteer();
  const basePlace = g.placeOf(base);
  if (!basePlace) return [];
  const pairs: Substitution[] = [];
  const pair = (from: Place, to: Place) => {
    pairs.push({ from: from.name, to: to.name });
    from.shortNames.forEach((s, i) => {
      pairs.push({ from: s, to: to.shortNames[i] ?? to.shortNames[0] ?? to.name });
    });
    if (from.english && to.english) pairs.push({ from: from.english, to: to.english });
  };
  pair(basePlace, stand);
  const fromUp = g.ancestors(basePlace);
  const toUp = g.ancestors(stand);
  fromUp.forEach((p, i) => {
    const q = toUp[i];
    if (q) pair(p, q);
  });
  // Longest first, so 南昌市 is replaced before 南昌.
  return pairs.filter((p) => p.from !== '').sort((a, b) => b.from.length - a.from.length);
}

function applySubstitutions(text: string, subs: readonly Substitution[]): string {
  if (!subs.length) return text;
  const table = new Map(subs.map((s) => [s.from, s.to]));
  const pattern = new RegExp(subs.map((s) => s.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return text.replace(pattern, (m) => table.get(m) ?? m);
}

/**
 * Writes `copies` copies of the base corpus (copy 0 is the base) to `dir`. Base documents without a place
 * (national ones) are copied with shifted percentages only.
 */
export function writeSyntheticCorpus(
  baseDir: string,
  baseDocs: readonly DocumentRecord[],
  copies: number,
  dir: string,
  avoidText: string,
): SyntheticCorpus {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sources = readdirSync(baseDir).filter((f) => !f.endsWith('.meta.json') && f !== 'README.md');
  const bySource = new Map(baseDocs.map((d) => [d.meta.source, d]));
  const avoid = avoidText + sources.map((f) => readFileSync(join(baseDir, f), 'utf8')).join('\n');
  const pools = new Map<string, Place[]>();
  const used = new Map<string, number>();
  const g = gazetteer();
  const result: SyntheticCopy[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const places = new Map<string, RegionInfo>();
    const unique = new Set<string>();
    for (const file of sources) {
      const doc = bySource.get(file);
      const region = doc?.meta.region ?? null;
      let subs: Substitution[] = [];
      if (copy > 0 && region && region.level !== 'national') {
        const pool = pools.get(region.level) ?? standInPool(region.level, avoid);
        pools.set(region.level, pool);
        const n = used.get(region.level) ?? 0;
        const stand = pool[n % pool.length];
        used.set(region.level, n + 1);
        if (stand && doc) {
          subs = substitutions(region, stand);
          places.set(doc.meta.docId, g.regionInfo(stand));
          if (n < pool.length) unique.add(doc.meta.docId);
        }
      } else if (region && doc) {
        places.set(doc.meta.docId, region);
        if (copy === 0) unique.add(doc.meta.docId);
      }
      const ext = extname(file);
      const name = copy === 0 ? file : `${basename(file, ext)}-syn${copy}${ext}`;
      const rewrite = (text: string) => shiftPercentages(applySubstitutions(text, subs), copy);
      const text = readFileSync(join(baseDir, file), 'utf8');
      writeFileSync(join(dir, name), rewrite(text));
      const override = join(baseDir, `${file}.meta.json`);
      if (existsSync(override)) {
        if (copy === 0) copyFileSync(override, join(dir, `${name}.meta.json`));
        else writeFileSync(join(dir, `${name}.meta.json`), rewrite(readFileSync(override, 'utf8')));
      }
    }
    result.push({ copy, places, unique });
  }
  return { dir, copies: result };
}

/**
 * A base question rewritten for one copy: place names as in that copy's documents, percentages shifted the
 * same way. Questions about documents the copy does not hold (another region's) are not rewritten.
 */
export function rewriteItem(item: EvalItem, base: RegionInfo, stand: RegionInfo, copy: number): EvalItem {
  const from = gazetteer().placeOf(base);
  const to = gazetteer().placeOf(stand);
  const subs = from && to ? substitutions(base, to) : [];
  const rewrite = (text: string) => shiftPercentages(applySubstitutions(text, subs), copy);
  return {
    ...item,
    id: `${item.id}@${copy}`,
    question: applySubstitutions(item.question, subs),
    facts: item.facts.map(rewrite),
    quotes: item.quotes.map(rewrite),
  };
}
