/**
 * The curated English ⇄ Chinese health-policy glossary (`glossary.tsv` next to this file, and the ordinary words
 * of statute and policy English in `lexicon/policy-english.tsv`).
 * `expand()` turns an English question into Chinese search terms; `englishLabel()` names a Chinese
 * metric in English. Dependency-free: entries are indexed by their first normalised English word and by
 * the first character of each Chinese alternative, so both lookups scan the input once.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseForm, COMPOUNDS, ENGLISH_WORD } from './english-forms.ts';

/** One row of the glossary: alternatives in each language, the canonical one first. */
export interface GlossaryEntry {
  en: string[];
  zh: string[];
  note?: string;
  /**
   * A word of ordinary statute language (reply → 答复, fine → 罚款), marked `word` in the fourth column: it
   * widens the search and the topic, but an answering sentence need not contain it, as it must a metric or
   * an institution the question names.
   */
  word?: boolean;
}

export interface GlossaryMatch {
  /** The entry's canonical English term (the surface text is `text.slice(start, end)`). */
  en: string;
  /** The entry's Chinese alternatives, canonical first. */
  zh: string[];
  /** UTF-16 offsets of the matched words in the text given to `expand()`. */
  start: number;
  end: number;
  /** The entry is a word of ordinary language (GlossaryEntry.word), not a term the answer must name. */
  word: boolean;
}

export interface GlossaryExpansion {
  /** Non-overlapping matches in order of appearance; at each place the longest term wins. */
  matches: GlossaryMatch[];
  /**
   * Deduplicated Chinese search terms: every match's canonical term, then their other alternatives, then
   * the canonical terms of shorter entries inside a longer match (the parts of a composite metric).
   */
  zhTerms: string[];
}

export type GlossaryErrorCode =
  | 'GLOSSARY_UNREADABLE'
  | 'GLOSSARY_BAD_HEADER'
  | 'GLOSSARY_MALFORMED_LINE'
  | 'GLOSSARY_DUPLICATE_TERM';

export class GlossaryError extends Error {
  readonly code: GlossaryErrorCode;

  constructor(code: GlossaryErrorCode, message: string) {
    super(message);
    this.name = 'GlossaryError';
    this.code = code;
  }
}

/** The curated metrics and institutions shipped with the server. */
export const DEFAULT_GLOSSARY_PATH = fileURLToPath(new URL('./glossary.tsv', import.meta.url));

/**
 * The ordinary words of statute and policy English (collect → 收集, insurer → 保险机构), all of kind `word`:
 * read before CC-CEDICT, whose first senses are often not the administrative ones.
 */
export const POLICY_ENGLISH_PATH = fileURLToPath(new URL('./lexicon/policy-english.tsv', import.meta.url));

/** What the server loads: both files, as one glossary (an English term may appear in only one of them). */
export const DEFAULT_GLOSSARY_PATHS: readonly string[] = [DEFAULT_GLOSSARY_PATH, POLICY_ENGLISH_PATH];

/** Composite labels use at most this many contained entries, so a label stays readable. */
export const MAX_LABEL_PARTS = 3;

/**
 * Chinese alternatives shorter than this are used for exact matches only: a lone symbol such as ‰ would
 * otherwise attach itself to the label of every rate quoted per mille.
 */
export const MIN_CONTAINED_ZH_LENGTH = 2;

const HEADER = 'en\tzh\tnotes\tkind';
/** The header before the kind column existed: files written for it still load. */
const HEADER_WITHOUT_KIND = 'en\tzh\tnotes';

interface Token {
  norm: string;
  start: number;
  end: number;
}

/** Normalised words with their offsets; hyphens, slashes and other punctuation separate words. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(ENGLISH_WORD)) {
    const start = m.index;
    const token = { norm: baseForm(m[0]), start, end: start + m[0].length };
    const previous = tokens.at(-1);
    const compound = previous && COMPOUNDS.get(`${previous.norm} ${token.norm}`);
    if (previous && compound) {
      tokens[tokens.length - 1] = { norm: compound, start: previous.start, end: token.end };
    } else {
      tokens.push(token);
    }
  }
  return tokens;
}

/** The key two English terms share when they are written differently but mean the same words. */
function englishKey(term: string): string {
  return tokenize(term)
    .map((t) => t.norm)
    .join(' ');
}

function normalizeZh(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

interface EnglishPattern {
  words: string[];
  entry: number;
}

interface ZhPattern {
  text: string;
  entry: number;
}

/** A candidate occurrence: `at` and `length` count words (English) or UTF-16 units (Chinese). */
interface Hit {
  at: number;
  length: number;
  entry: number;
}

/** Longest first, then leftmost; each hit is kept only if it overlaps none kept before it. */
function longestNonOverlapping(hits: Hit[]): Hit[] {
  const ordered = [...hits].sort((a, b) => b.length - a.length || a.at - b.at);
  const kept: Hit[] = [];
  for (const hit of ordered) {
    if (kept.every((k) => hit.at + hit.length <= k.at || k.at + k.length <= hit.at)) kept.push(hit);
  }
  return kept.sort((a, b) => a.at - b.at);
}

function byLengthDescending<T extends { length: number }>(a: T, b: T): number {
  return b.length - a.length;
}

export class Glossary {
  readonly entries: readonly GlossaryEntry[];
  private readonly englishByFirstWord = new Map<string, EnglishPattern[]>();
  private readonly zhExact = new Map<string, number>();
  private readonly zhByFirstChar = new Map<string, ZhPattern[]>();

  /** Trusts its input; `loadGlossary()` validates the data file before building one. */
  constructor(entries: readonly GlossaryEntry[]) {
    this.entries = entries;
    entries.forEach((entry, index) => {
      for (const term of entry.en) {
        const words = tokenize(term).map((t) => t.norm);
        const first = words[0];
        if (first === undefined) continue;
        const list = this.englishByFirstWord.get(first) ?? [];
        list.push({ words, entry: index });
        this.englishByFirstWord.set(first, list);
      }
      for (const term of entry.zh) {
        const text = normalizeZh(term);
        if (text === '' || this.zhExact.has(text)) continue;
        this.zhExact.set(text, index);
        // A label names the metric a clause sets: its ordinary words (以上, 收集) are not part of the name.
        if (text.length < MIN_CONTAINED_ZH_LENGTH || entry.word) continue;
        const list = this.zhByFirstChar.get(text[0]!) ?? [];
        list.push({ text, entry: index });
        this.zhByFirstChar.set(text[0]!, list);
      }
    });
    for (const list of this.englishByFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
    for (const list of this.zhByFirstChar.values()) list.sort((a, b) => byLengthDescending(a.text, b.text));
  }

  get size(): number {
    return this.entries.length;
  }

  expand(englishText: string): GlossaryExpansion {
    const tokens = tokenize(englishText);
    const hits = this.englishHits(tokens);
    const chosen = longestNonOverlapping(hits);
    const matches = chosen.map((hit): GlossaryMatch => {
      const entry = this.entries[hit.entry]!;
      return {
        en: entry.en[0]!,
        zh: [...entry.zh],
        start: tokens[hit.at]!.start,
        end: tokens[hit.at + hit.length - 1]!.end,
        word: entry.word === true,
      };
    });
    const terms = new Set<string>();
    for (const hit of chosen) terms.add(this.entries[hit.entry]!.zh[0]!);
    for (const hit of chosen) for (const zh of this.entries[hit.entry]!.zh) terms.add(zh);
    // Documents word one metric in several orders (每千人口托位数, 托位数达到每千人口…), so the parts of a
    // composite term are searched for too, after the composite itself.
    for (const hit of chosen) {
      const inner = hits.filter(
        (h) => h !== hit && h.at >= hit.at && h.at + h.length <= hit.at + hit.length && h.length < hit.length,
      );
      for (const part of longestNonOverlapping(inner)) terms.add(this.entries[part.entry]!.zh[0]!);
    }
    return { matches, zhTerms: [...terms] };
  }

  englishLabel(zhPhrase: string): string | null {
    const phrase = normalizeZh(zhPhrase);
    if (phrase === '') return null;
    const exact = this.zhExact.get(phrase);
    if (exact !== undefined) return this.entries[exact]!.en[0]!;
    const hits: Hit[] = [];
    for (let at = 0; at < phrase.length; at++) {
      for (const pattern of this.zhByFirstChar.get(phrase[at]!) ?? []) {
        if (phrase.startsWith(pattern.text, at))
          hits.push({ at, length: pattern.text.length, entry: pattern.entry });
      }
    }
    const parts: Hit[] = [];
    const ordered = longestNonOverlapping(hits).sort(byLengthDescending);
    for (const hit of ordered) {
      if (parts.length === MAX_LABEL_PARTS) break;
      if (!parts.some((p) => p.entry === hit.entry)) parts.push(hit);
    }
    if (parts.length === 0) return null;
    return parts
      .sort((a, b) => a.at - b.at)
      .map((hit) => this.entries[hit.entry]!.en[0]!)
      .join(' ');
  }

  /** Every place where some entry's English term starts and all its words follow. */
  private englishHits(tokens: Token[]): Hit[] {
    const hits: Hit[] = [];
    for (let at = 0; at < tokens.length; at++) {
      for (const pattern of this.englishByFirstWord.get(tokens[at]!.norm) ?? []) {
        const length = pattern.words.length;
        if (at + length > tokens.length) continue;
        if (pattern.words.every((word, i) => tokens[at + i]!.norm === word)) {
          hits.push({ at, length, entry: pattern.entry });
        }
      }
    }
    return hits;
  }
}

function splitAlternatives(field: string): string[] {
  return field.split('|').map((s) => s.trim());
}

interface TermOrigin {
  source: string;
  line: number;
  term: string;
}

/**
 * Parses the TSV text; every error names `source` and the 1-based line number. Lines starting with `#` are
 * comments. `firstLineOfTerm` is shared by the files of one glossary, so a term may appear in only one.
 */
function parseGlossary(
  text: string,
  source: string,
  firstLineOfTerm: Map<string, TermOrigin>,
): GlossaryEntry[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]?.trimEnd();
  if (header !== HEADER && header !== HEADER_WITHOUT_KIND) {
    throw new GlossaryError(
      'GLOSSARY_BAD_HEADER',
      `${source} line 1: expected the header "en<TAB>zh<TAB>notes<TAB>kind", found "${lines[0] ?? ''}"`,
    );
  }
  const entries: GlossaryEntry[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (line === 1 || raw.trim() === '' || raw.startsWith('#')) return;
    const malformed = (why: string) =>
      new GlossaryError('GLOSSARY_MALFORMED_LINE', `${source} line ${line}: ${why}: "${raw}"`);
    const fields = raw.split('\t');
    if (fields.length < 2 || fields.length > 4) {
      throw malformed(`expected 2 to 4 tab-separated fields (en, zh, notes, kind), found ${fields.length}`);
    }
    const kind = fields[3]?.trim();
    if (kind && kind !== 'word') throw malformed(`unknown kind "${kind}" (the only kind is "word")`);
    const en = splitAlternatives(fields[0]!);
    const zh = splitAlternatives(fields[1]!);
    if (en.some((term) => term === '')) throw malformed('empty English term');
    if (zh.some((term) => term === '')) throw malformed('empty Chinese term');
    for (const term of en) {
      if (term !== term.toLowerCase()) throw malformed(`English term "${term}" is not lowercase`);
      const key = englishKey(term);
      if (key === '') throw malformed(`English term "${term}" has no words`);
      const earlier = firstLineOfTerm.get(key);
      if (earlier) {
        throw new GlossaryError(
          'GLOSSARY_DUPLICATE_TERM',
          `${source} line ${line}: English term "${term}" duplicates "${earlier.term}" on line ${earlier.line}` +
            (earlier.source === source ? '' : ` of ${earlier.source}`),
        );
      }
      firstLineOfTerm.set(key, { source, line, term });
    }
    const note = fields[2]?.trim();
    entries.push({ en, zh, ...(note ? { note } : {}), ...(kind ? { word: true } : {}) });
  });
  return entries;
}

const loaded = new Map<string, Glossary>();

/**
 * Reads and indexes the glossary once per list of files; later calls with the same files return the same
 * instance. Entries keep the files' order (the curated glossary first).
 */
export function loadGlossary(paths: string | readonly string[] = DEFAULT_GLOSSARY_PATHS): Glossary {
  const absolute = (typeof paths === 'string' ? [paths] : paths).map((p) => resolve(p));
  const key = absolute.join('\n');
  const cached = loaded.get(key);
  if (cached) return cached;
  const firstLineOfTerm = new Map<string, TermOrigin>();
  const entries = absolute.flatMap((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new GlossaryError(
        'GLOSSARY_UNREADABLE',
        `cannot read glossary ${path}: ${(error as Error).message}`,
      );
    }
    return parseGlossary(text, path, firstLineOfTerm);
  });
  const glossary = new Glossary(entries);
  loaded.set(key, glossary);
  return glossary;
}
