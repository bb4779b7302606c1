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
  /**
   * Longest name starting with each two characters: most positions of a text start no name, and are
   * skipped with one lookup instead of one per possible length.
   */
  longestByPrefix: Map<string, number>;
  /** English names (lower case) by their first word's first letters, longest first. */
  englishByStart: Map<string, string[]>;
  englishPlaces: Map<string, Place[]>;
  ordinary: readonly string[];
}

/** Letters an English name's start is filed under (names are at least this long). */
const ENGLISH_KEY = 2;

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
  const longestByPrefix = new Map<string, number>();
  for (const name of forms.keys()) {
    const prefix = name.slice(0, 2);
    longestByPrefix.set(prefix, Math.max(longestByPrefix.get(prefix) ?? 0, name.length));
  }
  const englishByStart = new Map<string, string[]>();
  for (const name of [...englishPlaces.keys()].sort((a, b) => b.length - a.length)) {
    const key = name.slice(0, ENGLISH_KEY);
    englishByStart.set(key, [...(englishByStart.get(key) ?? []), name]);
  }
  index = { forms, longestByPrefix, englishByStart, englishPlaces, ordinary: g.ordinaryWords };
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
  const longest = idx.longestByPrefix.get(text.slice(at, at + 2));
  if (longest === undefined) return null;
  for (let len = Math.min(longest, text.length - at); len >= 2; len--) {
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

const LETTER = /[a-z]/;

/**
 * English names where a word starts (not after a letter) and ends (not before one), the longest name at a
 * position first, scanning on after each match: what one alternation of every name would find, without
 * running a regular expression of thousands of names over every question.
 */
function englishMentions(text: string, idx: NameIndex): PlaceNameMention[] {
  const out: PlaceNameMention[] = [];
  // ASCII-only lower case keeps every offset where it was.
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  // A name is a proper noun: in a text that capitalises anything, a lower-case word is an ordinary one
  // ("the 2015 guiding opinion" is not 贵定县, Guiding). A text typed all in lower case may name places so.
  const capitalises = lower !== text;
  for (let at = 0; at < lower.length; at++) {
    if (!LETTER.test(lower[at] ?? '') || (at > 0 && LETTER.test(lower[at - 1] ?? ''))) continue;
    if (capitalises && lower[at] === text[at]) continue;
    const names = idx.englishByStart.get(lower.slice(at, at + ENGLISH_KEY));
    const name = names?.find((n) => lower.startsWith(n, at) && !LETTER.test(lower[at + n.length] ?? ''));
    if (!name) continue;
    const places = idx.englishPlaces.get(name) ?? [];
    const tail = ENGLISH_LEVEL_WORD.exec(text.slice(at + name.length))?.[0] ?? '';
    const end = at + name.length + tail.length;
    out.push({ start: at, end, text: text.slice(at, end), form: 'english', candidates: places });
    at = at + name.length - 1;
  }
  return out;
}
