import { escapeRegExp } from '../../text/escape-regexp.ts';
import { type Gazetteer, gazetteer, type Place } from './gazetteer.ts';

/**
 * Place names written in a text (full names, short names, English names), each with the places it may stand
 * for. Used on document issuers, titles and bodies (ingest) and on questions (answering).
 */
export interface PlaceNameMention {
  start: number;
  end: number;
  /** The text as written. */
  text: string;
  form: 'full' | 'short' | 'english';
  /** All places with this name; several when the name is shared (朝阳区, Suzhou). */
  candidates: Place[];
}

export interface FindPlaceNamesOptions {
  /** Match short names (嘉兴, 奉贤). Default true; document bodies use false, where 嘉兴 alone is too weak. */
  shortNames?: boolean;
  /** Match English names (Jiaxing, Inner Mongolia). Default true. */
  english?: boolean;
}

interface NameIndex {
  forms: Map<string, { form: 'full' | 'short'; places: Place[] }>;
  longest: number;
  english: RegExp;
  englishPlaces: Map<string, Place[]>;
  ordinary: readonly string[];
}

/** Words after an English name that belong to the mention (Fengxian District, Jiaxing City). */
const ENGLISH_LEVEL_WORD = /^(?:\s+(?:district|city|county|province|prefecture|municipality|region))?/i;

let index: NameIndex | null = null;

function nameIndex(g: Gazetteer): NameIndex {
  if (index) return index;
  const forms = new Map<string, { form: 'full' | 'short'; places: Place[] }>();
  const englishPlaces = new Map<string, Place[]>();
  const add = (name: string, form: 'full' | 'short', place: Place) => {
    const entry = forms.get(name);
    // A full name beats a short name spelled the same (a place called 城区 beats a short form 城区).
    if (!entry || (entry.form === 'short' && form === 'full')) forms.set(name, { form, places: [place] });
    else if (entry.form === form) entry.places.push(place);
  };
  for (const place of g.byCode.values()) {
    if (place === g.national) continue;
    add(place.name, 'full', place);
    for (const s of place.shortNames) add(s, 'short', place);
    for (const e of [place.english, ...place.otherEnglish]) {
      const key = e.toLowerCase();
      englishPlaces.set(key, [...(englishPlaces.get(key) ?? []), place]);
    }
  }
  const escaped = [...englishPlaces.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  index = {
    forms,
    longest: Math.max(...[...forms.keys()].map((k) => k.length)),
    english: new RegExp(`(?<![a-z])(?:${escaped.join('|')})(?![a-z])`, 'gi'),
    englishPlaces,
    ordinary: g.ordinaryWords,
  };
  return index;
}

export function findPlaceNames(text: string, options: FindPlaceNamesOptions = {}): PlaceNameMention[] {
  const g = gazetteer();
  const idx = nameIndex(g);
  const useShort = options.shortNames ?? true;
  const ordinary = ordinarySpans(text, idx.ordinary);
  const mentions: PlaceNameMention[] = [];
  for (let i = 0; i < text.length; ) {
    const found = longestAt(text, i, idx, useShort, ordinary, mentions.at(-1), g);
    if (found) {
      mentions.push(found);
      i = found.end;
    } else i++;
  }
  if (options.english ?? true) mentions.push(...englishMentions(text, idx));
  return mentions.sort((a, b) => a.start - b.start);
}

function longestAt(
  text: string,
  at: number,
  idx: NameIndex,
  useShort: boolean,
  ordinary: readonly [number, number][],
  previous: PlaceNameMention | undefined,
  g: Gazetteer,
): PlaceNameMention | null {
  for (let len = Math.min(idx.longest, text.length - at); len >= 2; len--) {
    const name = text.slice(at, at + len);
    const entry = idx.forms.get(name);
    if (!entry || (entry.form === 'short' && !useShort)) continue;
    const end = at + len;
    let places = entry.places;
    if (insideOrdinaryWord(at, end, ordinary)) {
      // 南昌新建, 天津和平: right after its parent's name the word is the place after all.
      const parents = previous?.end === at ? previous.candidates : [];
      places = places.filter((p) => parents.some((parent) => g.ancestors(p)[0] === parent));
      if (!places.length) continue;
    }
    return { start: at, end, text: name, form: entry.form, candidates: places };
  }
  return null;
}

/** Where the ordinary words and phrases occur in the text. */
function ordinarySpans(text: string, words: readonly string[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const w of words) {
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) spans.push([i, i + w.length]);
  }
  return spans;
}

/**
 * A name inside an ordinary word (新建 in 新建医院) or straddling one (新建区 in 新建区域) is not a place; a name
 * that strictly contains the word (新建区 contains 新建) is.
 */
function insideOrdinaryWord(start: number, end: number, spans: readonly [number, number][]): boolean {
  return spans.some(([s, e]) => {
    const overlaps = s < end && e > start;
    const containsWord = start <= s && e <= end && end - start > e - s;
    return overlaps && !containsWord;
  });
}

function englishMentions(text: string, idx: NameIndex): PlaceNameMention[] {
  const out: PlaceNameMention[] = [];
  for (const m of text.matchAll(idx.english)) {
    const places = idx.englishPlaces.get(m[0].toLowerCase()) ?? [];
    const start = m.index ?? 0;
    const tail = ENGLISH_LEVEL_WORD.exec(text.slice(start + m[0].length))?.[0] ?? '';
    const end = start + m[0].length + tail.length;
    out.push({ start, end, text: text.slice(start, end), form: 'english', candidates: places });
  }
  return out;
}
