import { findPlaceNames, type PlaceNameMention } from '../../ingest/meta/places/find-place-names.ts';
import { type Gazetteer, gazetteer, type Place } from '../../ingest/meta/places/gazetteer.ts';
import { narrowCandidates, withoutEnclosingMentions } from '../../ingest/meta/places/narrow-candidates.ts';
import type { RegionInfo } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import { escapeRegExp } from '../../ingest/text/escape-regexp.ts';
import { unknownPlaceNames } from './places/unknown-place-names.ts';

/**
 * Places named in a question, read against the places the corpus covers: any place of China (full name, short
 * name, English), mapped to the corpus's documents when it has them (嘉兴 → 嘉兴市), to the documents inside
 * it when it has only those (上海 → 奉贤区, with a note), and otherwise reported as a place with no document (绵阳),
 * so the answer is "not in these documents" and never another place's.
 */
export interface RegionMentions {
  /** Corpus regions the question is about, by name as the documents' metadata has it (嘉兴市, 全国). */
  regions: string[];
  /** Places named that the corpus has no document for, as written (绵阳, Mianyang). */
  unknown: string[];
  /** Where each mention is, so follow-ups can replace it; region is the corpus region it stands for. */
  spans: { start: number; end: number; region: string | null }[];
  /** Places asked about that are answered only from places inside them (上海市 → 奉贤区). */
  broader: BroaderPlace[];
}

export interface BroaderPlace {
  /** The place named in the question (上海市). */
  asked: RegionInfo;
  /** The corpus regions inside it that answer for it (奉贤区). */
  answeredBy: RegionInfo[];
}

export interface RegionFinder {
  find(question: string): RegionMentions;
  /** The corpus's regions, one per place. */
  readonly corpus: readonly RegionInfo[];
}

/**
 * Words that ask about a parent as a whole ("上海市全市", "province-wide"): the district or city document
 * inside it does not answer for all of it.
 */
const WHOLE_JURISDICTION =
  /全市|全省|市域|省域|citywide|city-wide|province-wide|provincewide|whole (?:city|province)|entire (?:city|province)/i;

/** The finder for an opened index, built once per index. */
export function regionFinderFor(index: Pick<OpenedIndex, 'documents'>): RegionFinder {
  let finder = finders.get(index);
  if (!finder) {
    finder = createRegionFinder(index.documents.map((d) => d.meta.region));
    finders.set(index, finder);
  }
  return finder;
}

const finders = new WeakMap<object, RegionFinder>();

export function createRegionFinder(corpusRegions: readonly (RegionInfo | null)[]): RegionFinder {
  const g = gazetteer();
  const corpus = new Map<Place, RegionInfo>();
  for (const region of corpusRegions) {
    const place = region && g.placeOf(region);
    if (place && region && !corpus.has(place)) corpus.set(place, region);
  }
  // Remembered per place: a question's every candidate name asks it, and at 100k chunks the corpus has
  // 1,400 places to test a place against.
  const known = new Map<Place, boolean>();
  const inCorpus = (p: Place) => {
    let answer = known.get(p);
    if (answer === undefined) {
      answer = corpus.has(p) || [...corpus.keys()].some((c) => g.encloses(p, c));
      known.set(p, answer);
    }
    return answer;
  };
  return {
    corpus: [...corpus.values()],
    find: (question) => find(question, g, corpus, inCorpus),
  };
}

function find(
  question: string,
  g: Gazetteer,
  corpus: ReadonlyMap<Place, RegionInfo>,
  inCorpus: (p: Place) => boolean,
): RegionMentions {
  const text = question.normalize('NFKC');
  const whole = WHOLE_JURISDICTION.test(text);
  const all = narrowCandidates(findPlaceNames(text), g, { prefer: inCorpus });
  const main = new Set(withoutEnclosingMentions(all, g));
  const spans: RegionMentions['spans'] = [];
  const regions: string[] = [];
  const unknown: string[] = [];
  const broader: BroaderPlace[] = [];
  const resolved = new Map<PlaceNameMention, string[]>();
  for (const m of main) {
    const place = m.candidates.find((p) => corpus.has(p)) ?? m.candidates[0];
    // A county inside a corpus city (溧阳 in 常州市) is covered by the city's document.
    const exact = place && (corpus.get(place) ?? enclosingIn(place, g, corpus));
    const inside = place ? [...corpus].filter(([c]) => g.encloses(place, c)).map(([, r]) => r) : [];
    let names: string[] = [];
    if (exact) names = [exact.name];
    else if (place && inside.length && !whole) {
      names = inside.map((r) => r.name);
      broader.push({ asked: g.regionInfo(place), answeredBy: inside });
    } else unknown.push(m.text);
    regions.push(...names);
    resolved.set(m, names);
  }
  for (const m of all) {
    // A province or city written before its county (南昌市新建区) is part of that mention.
    const child = main.has(m)
      ? m
      : [...main].find((o) => o.candidates.some((c) => m.candidates.some((p) => g.encloses(p, c))));
    spans.push({ start: m.start, end: m.end, region: (child && resolved.get(child)?.[0]) ?? null });
  }
  if (!all.length) nationalMention(text, g, corpus, spans, regions, unknown);
  // Names on no list (东京, 嘉南市, 周庄镇) are unknown places too; they are not spans, as no region replaces them.
  for (const name of unknownPlaceNames(text, spans)) unknown.push(name.text);
  spans.sort((a, b) => a.start - b.start);
  return { regions: [...new Set(regions)], unknown: [...new Set(unknown)], spans, broader };
}

/**
 * The corpus city a county belongs to (溧阳 in 常州市: a city's plan sets its counties' figures, 溧阳、金坛、武进不低于
 * 80元). A city is not answered by its province's plan, nor anything by a national law: 长沙 asked of a corpus
 * holding Hunan's plan has no document of its own.
 */
function enclosingIn(
  place: Place,
  g: Gazetteer,
  corpus: ReadonlyMap<Place, RegionInfo>,
): RegionInfo | undefined {
  if (place.level !== 'district') return undefined;
  const parent = g.ancestors(place)[0];
  return parent && parent.level === 'city' ? corpus.get(parent) : undefined;
}

/** The national words (全国, nationwide …) as patterns, built once per gazetteer: find() runs several times a question. */
const patternsOf = new WeakMap<Gazetteer, { word: string; pattern: RegExp }[]>();
function nationalPatterns(g: Gazetteer): { word: string; pattern: RegExp }[] {
  let patterns = patternsOf.get(g);
  if (!patterns) {
    patterns = [...g.marks.words, ...g.marks.prefixes].map((word) => ({
      word,
      pattern: new RegExp(`(?<![a-z])${escapeRegExp(word)}(?![a-z])`),
    }));
    patternsOf.set(g, patterns);
  }
  return patterns;
}

/**
 * 全国, nationwide: the national documents. Read only when no local place is named, because 全国 and 国家 also
 * occur in local questions (高于全国平均, 国家A类标准) without asking about the country.
 */
function nationalMention(
  text: string,
  g: Gazetteer,
  corpus: ReadonlyMap<Place, RegionInfo>,
  spans: RegionMentions['spans'],
  regions: string[],
  unknown: string[],
): void {
  const lower = text.toLowerCase();
  for (const { word, pattern } of nationalPatterns(g)) {
    const at = lower.search(pattern);
    if (at < 0 || spans.some((s) => s.start < at + word.length && s.end > at)) continue;
    const national = corpus.get(g.national);
    spans.push({ start: at, end: at + word.length, region: national?.name ?? null });
    if (national) regions.push(national.name);
    else unknown.push(text.slice(at, at + word.length));
    return;
  }
}
