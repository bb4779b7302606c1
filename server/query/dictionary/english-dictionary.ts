/**
 * English → Chinese through CC-CEDICT, restricted to the words the indexed documents use. The curated
 * glossary (../glossary.ts) knows the metrics and institutions; this fills in the ordinary words it lacks
 * ("newborn", "screening", "nursery"), so an English question still reaches the Chinese clauses.
 *
 * CEDICT answers "rate" with dozens of headwords, most of which no health-policy document contains, so
 * only headwords in the corpus vocabulary are kept, and what remains is ranked: a definition that *is*
 * the English phrase ("nursery" for 托儿所) before one that merely contains it ("nursery rhyme"), shorter
 * definitions before longer ones, then the word more chunks of the corpus use (医生 before 博士 for
 * "doctor"), then headwords with few senses (specific words) before polysemous ones.
 */
import type { OpenedIndex } from '../../../ingest/store/open-index.ts';
import { type Cedict, englishLexicon, loadCedict } from '../../../ingest/text/cedict.ts';

export { cedictLoads } from '../../../ingest/text/cedict.ts';

import { derivedForms, EnglishNormalizer, isNumber, QUESTION_WORDS, STOP_WORDS } from './english-words.ts';

export interface EnglishDictionary {
  /**
   * Chinese words (simplified) from the vocabulary whose CEDICT definitions gloss this English word or
   * phrase, best first (exact gloss before gloss-word match, shorter definitions first), at most `limit`
   * (default 6).
   */
  lookup(english: string, limit?: number): string[];
  /**
   * For an English question: each content word or 2–3-word phrase (longest phrase first, stop words and
   * question words skipped, plural/-ing/-ed normalised) with its Chinese words; words with no hit are
   * omitted. `skip` spans (UTF-16 offsets) are already understood by the glossary and must not be looked up.
   */
  expand(question: string, skip?: readonly Span[]): DictionaryMatch[];
  /** Headwords kept after filtering by the vocabulary. */
  readonly size: number;
}

export interface Span {
  start: number;
  end: number;
}

export interface DictionaryMatch extends Span {
  /** The question's surface text, `question.slice(start, end)`. */
  english: string;
  zh: string[];
}

export const DEFAULT_LIMIT = 6;

/** Longest English phrase `expand()` tries, in words. */
export const MAX_PHRASE_WORDS = 3;

/**
 * A definition longer than this only answers for the exact phrase: "the emergency number for medical
 * assistance and first aid in Mainland China" is not a translation of "medical" or "aid".
 */
export const MAX_CONTAINING_GLOSS_WORDS = 5;

/**
 * The corpus vocabulary with the number of chunks using each word, so ranking can prefer the documents'
 * own terms. `vocabularyOf()` builds one; any other `Iterable<string>` is accepted and ranks without counts.
 */
export class CorpusVocabulary extends Set<string> {
  private readonly counts = new Map<string, number>();

  /** Records that `chunks` chunks use `word`. */
  set(word: string, chunks: number): void {
    this.add(word);
    this.counts.set(word, chunks);
  }

  frequency(word: string): number {
    return this.counts.get(word) ?? 0;
  }
}

const HAN_WORD = /^\p{Script=Han}{2,}$/u;

/**
 * The corpus vocabulary of an opened index: the word counts ingest stored (ingest/text/vocabulary.ts says
 * which words), so the server never segments the whole corpus on its first English question.
 */
export function vocabularyOf(index: Pick<OpenedIndex, 'vocabulary'>): CorpusVocabulary {
  const vocabulary = new CorpusVocabulary();
  for (const [word, chunks] of Object.entries(index.vocabulary)) vocabulary.set(word, chunks);
  return vocabulary;
}

/** A definition's words, normalised; `sense` is its position among the headword's definitions. */
interface Gloss {
  words: string[];
  /** `hyphenated[i]`: word i is joined to word i − 1 by a hyphen ("first-rate"). */
  hyphenated: boolean[];
  /** Written as a verb ("to hold water"): its later words are the verb's objects, not its meaning. */
  verbal: boolean;
  /**
   * A proper name's definition ("Shanghai municipality", "Fengxian district of Shanghai"): matches only
   * by the name it starts with, so "district" or "Shanghai" does not bring every district's name.
   */
  name: boolean;
  sense: number;
}

interface KeptGloss extends Gloss {
  headword: string;
  /** How many definitions the headword has: fewer means a more specific word. */
  senses: number;
}

/** Leading and trailing words that only frame a definition: "to screen", "the elderly", "to nurse sb". */
const GLOSS_LEAD = new Set(['to', 'a', 'an', 'the', 'be', 'one', "one's"]);
const GLOSS_TAIL = new Set(['etc', 'sb', 'sth']);

function trimFrame<T extends { norm: string }>(tokens: T[]): T[] {
  let from = 0;
  let to = tokens.length;
  while (from < to && GLOSS_LEAD.has(tokens[from]!.norm)) from++;
  while (to > from && GLOSS_TAIL.has(tokens[to - 1]!.norm)) to--;
  return tokens.slice(from, to);
}

/** What every vocabulary shares: the English normaliser and each headword's definitions, parsed on demand. */
interface Shared {
  cedict: Cedict;
  normalizer: EnglishNormalizer;
  glosses: Map<string, Gloss[]>;
}

const sharedByCedict = new WeakMap<Cedict, Shared>();

function sharedData(cedict: Cedict): Shared {
  let shared = sharedByCedict.get(cedict);
  if (!shared) {
    // CEDICT's own English words decide which stem an -ing/-ed form has ("caring" → care, not car).
    const lexicon = cedict.lexicon ?? englishLexicon(cedict.entries.values());
    shared = { cedict, normalizer: new EnglishNormalizer(lexicon), glosses: new Map() };
    sharedByCedict.set(cedict, shared);
  }
  return shared;
}

/** Definition text without pinyin, Chinese cross-references and parenthesised qualifiers. */
function definitionText(sense: string): string {
  let text = sense.replace(/\[[^\]]*\]/g, ' ').replace(/[\p{Script=Han}|]+/gu, ' ');
  // Qualifiers nest ("(of a child (under 3))"): strip innermost first until none is left.
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(/\([^()]*\)/g, ' ');
  }
  return text.replace(/[()]/g, ' ');
}

function glossesOf(headword: string, data: Shared): Gloss[] {
  const memoised = data.glosses.get(headword);
  if (memoised) return memoised;
  const entries = data.cedict.entries;
  const entry = entries.get(headword);
  const glosses: Gloss[] = [];
  if (entry) {
    // An abbreviation or a "see X" entry means what X means (体检 → 体格检查 "physical examination").
    const referred = entry.refersTo.map((full) => entries.get(full));
    const senses = [
      ...entry.senses.map((text) => ({ text, name: false })),
      ...referred.flatMap((e) => e?.senses ?? []).map((text) => ({ text, name: false })),
      ...entry.names.map((text) => ({ text, name: true })),
      ...referred.flatMap((e) => e?.names ?? []).map((text) => ({ text, name: true })),
    ];
    senses.forEach((sense, index) => {
      // Semicolons separate synonyms inside one definition ("old people; the elderly").
      for (const part of definitionText(sense.text).split(';')) {
        const all = data.normalizer.tokenize(part);
        const tokens = trimFrame(all);
        if (tokens.length === 0) continue;
        glosses.push({
          words: tokens.map((t) => t.norm),
          hyphenated: tokens.map((t, i) => i > 0 && t.hyphenated),
          verbal: all[0]?.norm === 'to',
          name: sense.name,
          sense: index,
        });
      }
    });
  }
  data.glosses.set(headword, glosses);
  return glosses;
}

interface Rank {
  headword: string;
  exact: boolean;
  glossWords: number;
  senses: number;
  frequency: number;
  sense: number;
}

function compareRanks(a: Rank, b: Rank): number {
  return (
    Number(b.exact) - Number(a.exact) ||
    a.glossWords - b.glossWords ||
    b.frequency - a.frequency ||
    a.senses - b.senses ||
    a.sense - b.sense ||
    a.headword.length - b.headword.length ||
    (a.headword < b.headword ? -1 : a.headword > b.headword ? 1 : 0)
  );
}

/** Longest first, then leftmost; each kept only if it overlaps none kept before it. */
function longestNonOverlapping<T extends { at: number; length: number }>(hits: T[]): T[] {
  const ordered = [...hits].sort((a, b) => b.length - a.length || a.at - b.at);
  const kept: T[] = [];
  for (const hit of ordered) {
    if (kept.every((k) => hit.at + hit.length <= k.at || k.at + k.length <= hit.at)) kept.push(hit);
  }
  return kept.sort((a, b) => a.at - b.at);
}

// Between two words of one phrase: spaces, hyphens, slashes ("day-care", "under-threes"), nothing else.
const PHRASE_GAP = /^[\s\-‐‑–/]*$/;

class CedictEnglishDictionary implements EnglishDictionary {
  private readonly glosses: KeptGloss[] = [];
  /** Normalised word → flat [gloss index, position, gloss index, position, …]. */
  private readonly postings = new Map<string, number[]>();
  private readonly frequency: (word: string) => number;
  private headwords = 0;

  constructor(
    vocabulary: Iterable<string>,
    private readonly data: Shared,
  ) {
    const counts = vocabulary instanceof CorpusVocabulary ? vocabulary : null;
    this.frequency = (word) => counts?.frequency(word) ?? 0;
  }

  get size(): number {
    return this.headwords;
  }

  /** Adds a headword of the corpus with its glosses (each headword once: the builders pass a Set). */
  add(headword: string): void {
    if (!HAN_WORD.test(headword)) return;
    const glosses = glossesOf(headword, this.data);
    if (glosses.length === 0) return;
    this.headwords++;
    const senses = glosses.length;
    for (const gloss of glosses) {
      const id = this.glosses.length;
      this.glosses.push({ ...gloss, headword, senses });
      gloss.words.forEach((word, position) => {
        const list = this.postings.get(word);
        if (list) list.push(id, position);
        else this.postings.set(word, [id, position]);
      });
    }
  }

  lookup(english: string, limit = DEFAULT_LIMIT): string[] {
    const words = trimFrame(this.data.normalizer.tokenize(english)).map((t) => t.norm);
    return this.lookupWords(words, limit);
  }

  expand(question: string, skip: readonly Span[] = []): DictionaryMatch[] {
    const tokens = this.data.normalizer.tokenize(question);
    const usable = tokens.map(
      (t) =>
        !isNumber(t.norm) &&
        !QUESTION_WORDS.has(t.norm) &&
        skip.every((s) => t.end <= s.start || s.end <= t.start),
    );
    const content = tokens.map((t, i) => usable[i]! && !STOP_WORDS.has(t.norm));
    const hits: { at: number; length: number; zh: string[] }[] = [];
    for (let at = 0; at < tokens.length; at++) {
      if (!content[at]) continue;
      for (let length = 1; length <= MAX_PHRASE_WORDS && at + length <= tokens.length; length++) {
        const last = at + length - 1;
        if (!usable[last]) break;
        if (length > 1 && !PHRASE_GAP.test(question.slice(tokens[last - 1]!.end, tokens[last]!.start))) break;
        if (!content[last]) continue;
        const zh = this.lookupWords(
          tokens.slice(at, last + 1).map((t) => t.norm),
          DEFAULT_LIMIT,
        );
        if (zh.length > 0) hits.push({ at, length, zh });
      }
    }
    return longestNonOverlapping(hits).map((hit) => {
      const start = tokens[hit.at]!.start;
      const end = tokens[hit.at + hit.length - 1]!.end;
      return { english: question.slice(start, end), start, end, zh: hit.zh };
    });
  }

  /** The phrase as written, else with one word replaced by a related form ("vaccination" → vaccinate). */
  private lookupWords(words: readonly string[], limit: number): string[] {
    const direct = this.matchWords(words, limit);
    if (direct.length > 0) return direct;
    for (let i = 0; i < words.length; i++) {
      for (const form of derivedForms(words[i]!)) {
        const found = this.matchWords([...words.slice(0, i), form, ...words.slice(i + 1)], limit);
        if (found.length > 0) return found;
      }
    }
    return [];
  }

  private matchWords(words: readonly string[], limit: number): string[] {
    const first = words[0];
    if (first === undefined || limit <= 0) return [];
    const list = this.postings.get(first) ?? [];
    const best = new Map<string, Rank>();
    for (let p = 0; p < list.length; p += 2) {
      const gloss = this.glosses[list[p]!]!;
      const position = list[p + 1]!;
      if (position + words.length > gloss.words.length) continue;
      if (!words.every((word, k) => gloss.words[position + k] === word)) continue;
      const exact = gloss.words.length === words.length;
      if (gloss.name) {
        if (position > 0) continue;
      } else if (!exact) {
        if (gloss.words.length > MAX_CONTAINING_GLOSS_WORDS) continue;
        // "rate" is not a part of "first-rate".
        if (gloss.hyphenated[position] || gloss.hyphenated[position + words.length]) continue;
        // 成立 "to hold water" says nothing about water; 筛查 "to screen for…" is about screening.
        if (gloss.verbal && position > 0) continue;
      }
      const rank: Rank = {
        headword: gloss.headword,
        exact,
        glossWords: gloss.words.length,
        senses: gloss.senses,
        frequency: this.frequency(gloss.headword),
        sense: gloss.sense,
      };
      const previous = best.get(gloss.headword);
      if (!previous || compareRanks(rank, previous) < 0) best.set(gloss.headword, rank);
    }
    return [...best.values()]
      .sort(compareRanks)
      .slice(0, limit)
      .map((r) => r.headword);
  }
}

/**
 * Builds the dictionary keeping only headwords present in `vocabulary` (Chinese words of the corpus), from
 * `cedict`: an index's stored subset, or the whole export, parsed once per process (see `cedictLoads()`).
 */
export function englishDictionary(
  vocabulary: Iterable<string>,
  cedict: Cedict = loadCedict(),
): EnglishDictionary {
  const dictionary = new CedictEnglishDictionary(vocabulary, sharedData(cedict));
  for (const headword of new Set(vocabulary)) dictionary.add(headword);
  return dictionary;
}

/**
 * The same dictionary, built in slices of `sliceMs` that let other work in between: the server builds it
 * after it starts listening (0.4–0.8 s at 100k chunks), and health checks and answers in other languages
 * must not wait that long (issue 11: no request waits more than 50 ms on another).
 */
export async function englishDictionaryInSlices(
  vocabulary: Iterable<string>,
  cedict: Cedict,
  sliceMs: number,
  /** Asked after each slice: true stops the build (someone built the dictionary meanwhile); null is returned. */
  stop: () => boolean = () => false,
): Promise<EnglishDictionary | null> {
  const dictionary = new CedictEnglishDictionary(vocabulary, sharedData(cedict));
  let sliceStart = performance.now();
  for (const headword of new Set(vocabulary)) {
    dictionary.add(headword);
    if (performance.now() - sliceStart > sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      if (stop()) return null;
      sliceStart = performance.now();
    }
  }
  return dictionary;
}
