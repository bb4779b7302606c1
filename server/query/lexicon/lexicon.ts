/**
 * The lexicon of abbreviations and colloquial forms officials type (`abbreviations.tsv`) and of groups of
 * terms documents use for one concept (`concept-groups.tsv`). SOURCES.md next to this file describes the
 * data and its rules. Dependency-free (node:fs only) so the query code can load it anywhere.
 *
 * Matching works on NFKC text, because questions mix full-width and half-width digits and punctuation
 * (２４年, ？) and the data is normalised the same way when it is loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ShortFormMatch {
  surface: string;
  start: number;
  end: number;
  /** full forms, official first */
  full: string[];
}

export interface ConceptMatch {
  term: string;
  start: number;
  end: number;
  related: string[];
}

export interface Lexicon {
  /**
   * Abbreviations/colloquial forms found in the text: non-overlapping, longest match wins at each position,
   * in order. Input normalised with NFKC first; offsets refer to the NFKC text.
   */
  findShortForms(text: string): ShortFormMatch[];
  /** The text with every short form replaced by its first full form (e.g. "家医签约" → "家庭医生签约"). */
  expandText(text: string): string;
  /** Every other term of every concept group containing `term` (exact term match), deduplicated, or []. */
  relatedTerms(term: string): string[];
  /** Concept-group terms occurring in the text, each with its related terms. */
  findConcepts(text: string): ConceptMatch[];
  /**
   * The term `asked` names of a set of terms statistics keep apart (门诊|住院, 城市|农村), when `stated` names
   * another of that set and not it: a figure for 门诊… does not answer a question on 住院…. Null otherwise.
   */
  contrast(asked: string, stated: string): { asked: string; stated: string } | null;
  readonly size: { shortForms: number; groups: number };
}

export type LexiconErrorCode =
  | 'LEXICON_UNREADABLE'
  | 'LEXICON_BAD_HEADER'
  | 'LEXICON_MALFORMED_LINE'
  | 'LEXICON_DUPLICATE';

/** A data file that cannot be used; the message names the file and the 1-based line. */
export class LexiconError extends Error {
  readonly code: LexiconErrorCode;
  readonly file: string;
  /** 1-based; 0 when the whole file is at fault (it cannot be read). */
  readonly line: number;

  constructor(code: LexiconErrorCode, file: string, line: number, detail: string) {
    super(line > 0 ? `${file} line ${line}: ${detail}` : `${file}: ${detail}`);
    this.name = 'LexiconError';
    this.code = code;
    this.file = file;
    this.line = line;
  }
}

export const ABBREVIATIONS_FILE = 'abbreviations.tsv';
export const CONCEPT_GROUPS_FILE = 'concept-groups.tsv';
export const CONTRASTS_FILE = 'contrasts.tsv';
const ABBREVIATIONS_HEADER = 'short\tfull\tnote';
const CONCEPT_GROUPS_HEADER = 'terms\tnote';

/** The folder this module lives in, where the shipped data files are. */
export const DEFAULT_LEXICON_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * Trimming an expansion against the text around it needs at least this many shared characters: with one,
 * "就医" + 医保 would lose its 医 ("就医疗保障"), and "卫健委会议" would lose 会.
 */
const MIN_OVERLAP = 2;

// The lexicon is Chinese; Latin letters in a term are almost always a pasted English gloss or a typo.
const LATIN = /[A-Za-z]/;
const WHITESPACE = /\s/;

interface ShortEntry {
  short: string;
  full: string[];
  /** 1-based line in abbreviations.tsv, for error messages. */
  line: number;
}

/** What a pattern found in the text stands for. */
type PatternKind =
  /** An abbreviation or colloquial form: reported and expanded. */
  | 'short'
  /** A word already written out in full: shorter forms starting inside it are not abbreviations there. */
  | 'full'
  /** An ordinary word written in the data as mapping to itself: nothing inside it is matched. */
  | 'guard'
  /** A concept-group term. */
  | 'concept';

interface Pattern {
  text: string;
  kind: PatternKind;
  /** Index into the short-form entries (kind 'short') or the concept terms (kind 'concept'). */
  ref: number;
}

/** Kinds a tie in length is resolved by: an abbreviation beats the same string listed as a full form. */
const KIND_ORDER: Record<PatternKind, number> = { short: 0, concept: 0, full: 1, guard: 2 };

/** Patterns indexed by their first UTF-16 unit, longest first, so a scan tries each position once. */
class PatternIndex {
  private readonly byFirst = new Map<string, Pattern[]>();

  add(pattern: Pattern): void {
    const first = pattern.text[0];
    if (first === undefined) return;
    const list = this.byFirst.get(first) ?? [];
    list.push(pattern);
    this.byFirst.set(first, list);
  }

  seal(): void {
    for (const list of this.byFirst.values()) {
      list.sort((a, b) => b.text.length - a.text.length || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    }
  }

  /** Every pattern occurring at `at`, longest first. */
  at(text: string, at: number): Pattern[] {
    const list = this.byFirst.get(text[at]!) ?? [];
    return list.filter((p) => text.startsWith(p.text, at));
  }
}

interface InternalMatch {
  entry: number;
  start: number;
  end: number;
  /** The match begins a longer word already written out in full (妇幼 in 妇幼保健院): reported, not expanded. */
  inFullWord: boolean;
}

function nfkc(text: string): string {
  return text.normalize('NFKC');
}

class LoadedLexicon implements Lexicon {
  readonly size: { shortForms: number; groups: number };
  private readonly shortIndex = new PatternIndex();
  private readonly conceptIndex = new PatternIndex();
  private readonly related = new Map<string, string[]>();
  /** Every term of every set kept apart, once. */
  private readonly contrastTerms: readonly string[];

  constructor(
    private readonly entries: readonly ShortEntry[],
    guards: readonly string[],
    groups: readonly string[][],
    private readonly contrasts: readonly string[][] = [],
  ) {
    this.contrastTerms = [...new Set(contrasts.flat())];
    this.size = { shortForms: entries.length, groups: groups.length };
    const fullForms = new Set<string>();
    entries.forEach((entry, ref) => {
      this.shortIndex.add({ text: entry.short, kind: 'short', ref });
      for (const full of entry.full) fullForms.add(full);
    });
    // Every full form doubles as a protected word: "国家医疗保障局" is written out already, and the 家医
    // that its second and third characters happen to spell is not an abbreviation of anything.
    for (const full of fullForms) this.shortIndex.add({ text: full, kind: 'full', ref: -1 });
    for (const guard of guards) {
      this.shortIndex.add({ text: guard, kind: 'guard', ref: -1 });
      this.conceptIndex.add({ text: guard, kind: 'guard', ref: -1 });
    }
    const terms: string[] = [];
    for (const group of groups) {
      for (const term of group) {
        const others = this.related.get(term) ?? [];
        for (const other of group) if (other !== term && !others.includes(other)) others.push(other);
        if (!this.related.has(term)) terms.push(term);
        this.related.set(term, others);
      }
    }
    terms.forEach((term, ref) => {
      this.conceptIndex.add({ text: term, kind: 'concept', ref });
    });
    this.shortIndex.seal();
    this.conceptIndex.seal();
  }

  contrast(asked: string, stated: string): { asked: string; stated: string } | null {
    const a = asked.normalize('NFKC');
    const b = stated.normalize('NFKC');
    // Every term of any set the question names: "…执业医师…护士呢" asks 护士 too, so 注册护士 is asked, not apart.
    const askedTerms = this.contrastTerms.filter((t) => a.includes(t));
    for (const set of this.contrasts) {
      const inAsked = set.filter((t) => a.includes(t));
      const inStated = set.filter((t) => b.includes(t));
      const mine = inAsked.find((t) => !b.includes(t));
      const theirs = inStated.find((t) => !a.includes(t) && !askedTerms.some((k) => t.includes(k)));
      if (mine && theirs && inStated.every((t) => !inAsked.includes(t)))
        return { asked: mine, stated: theirs };
    }
    return null;
  }

  findShortForms(text: string): ShortFormMatch[] {
    const normal = nfkc(text);
    return this.scanShortForms(normal).map((m) => this.publicMatch(normal, m));
  }

  expandText(text: string): string {
    const normal = nfkc(text);
    const matches = this.scanShortForms(normal).filter(
      (m) => !m.inFullWord && !this.ownFullCovers(normal, m),
    );
    let out = '';
    let last = 0;
    matches.forEach((m, i) => {
      const full = this.entries[m.entry]!.full[0]!;
      const before = normal.slice(last, m.start);
      const after = normal.slice(m.end, matches[i + 1]?.start ?? normal.length);
      // Officials often write part of the full form around the abbreviation: 县域医共体, 基本公卫服务,
      // 二级公立医院国考. Characters the text already supplies on either side are not inserted twice.
      const head = overlapBefore(before, full);
      const tail = overlapAfter(full.slice(head), after);
      out += before + full.slice(head, full.length - tail);
      last = m.end;
    });
    return out + normal.slice(last);
  }

  relatedTerms(term: string): string[] {
    return [...(this.related.get(nfkc(term).trim()) ?? [])];
  }

  findConcepts(text: string): ConceptMatch[] {
    const normal = nfkc(text);
    const found: ConceptMatch[] = [];
    let at = 0;
    while (at < normal.length) {
      const best = this.conceptIndex.at(normal, at)[0];
      if (best === undefined) {
        at++;
        continue;
      }
      const end = at + best.text.length;
      if (best.kind === 'concept') {
        found.push({ term: best.text, start: at, end, related: this.relatedTerms(best.text) });
      }
      at = end;
    }
    return found;
  }

  /**
   * Leftmost-longest scan over abbreviations, full forms and guards together. Whatever is longest at a
   * position consumes it, so a short form that starts inside a longer known word (家医 inside 国家医学 or
   * 一家医院, 院感 inside 医院感染) is never reported. A short form that begins a longer full form is
   * reported but flagged: the question used the abbreviation's wording, yet nothing there needs expanding.
   */
  private scanShortForms(text: string): InternalMatch[] {
    const found: InternalMatch[] = [];
    let at = 0;
    while (at < text.length) {
      const here = this.shortIndex.at(text, at);
      const best = here[0];
      if (best === undefined) {
        at++;
        continue;
      }
      if (best.kind === 'short') {
        found.push({ entry: best.ref, start: at, end: at + best.text.length, inFullWord: false });
      } else if (best.kind === 'full') {
        const prefix = here.find((p) => p.kind === 'short');
        if (prefix)
          found.push({ entry: prefix.ref, start: at, end: at + prefix.text.length, inFullWord: true });
      }
      at += best.text.length;
    }
    return found;
  }

  /** One of the entry's own full forms is written out around the match (e.g. 医共体 in 县域医共体 as listed). */
  private ownFullCovers(text: string, m: InternalMatch): boolean {
    return this.entries[m.entry]!.full.some((full) => {
      for (let from = Math.max(0, m.end - full.length); from <= m.start; from++) {
        if (text.startsWith(full, from)) return true;
      }
      return false;
    });
  }

  private publicMatch(text: string, m: InternalMatch): ShortFormMatch {
    return {
      surface: text.slice(m.start, m.end),
      start: m.start,
      end: m.end,
      full: [...this.entries[m.entry]!.full],
    };
  }
}

/** Length of the longest proper prefix of `full` (≥ MIN_OVERLAP) that `before` ends with, or 0. */
function overlapBefore(before: string, full: string): number {
  for (let k = Math.min(before.length, full.length - 1); k >= MIN_OVERLAP; k--) {
    if (before.endsWith(full.slice(0, k))) return k;
  }
  return 0;
}

/** Length of the longest proper suffix of `full` (≥ MIN_OVERLAP) that `after` starts with, or 0. */
function overlapAfter(full: string, after: string): number {
  for (let k = Math.min(after.length, full.length - 1); k >= MIN_OVERLAP; k--) {
    if (after.startsWith(full.slice(full.length - k))) return k;
  }
  return 0;
}

interface DataLine {
  line: number;
  raw: string;
  fields: string[];
}

function readData(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new LexiconError('LEXICON_UNREADABLE', file, 0, `cannot read: ${(error as Error).message}`);
  }
}

/** The data lines of a TSV file after its header; `#` comments and blank lines are skipped. */
function dataLines(file: string, header: string, fieldCount: number): DataLine[] {
  const lines = readData(file)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  if (lines[0] !== header) {
    const shown = header.replaceAll('\t', '<TAB>');
    throw new LexiconError(
      'LEXICON_BAD_HEADER',
      file,
      1,
      `expected the header "${shown}", found "${lines[0] ?? ''}"`,
    );
  }
  const out: DataLine[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (line === 1 || raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const fields = raw.split('\t').map((f) => f.trim());
    if (fields.length !== fieldCount) {
      throw new LexiconError(
        'LEXICON_MALFORMED_LINE',
        file,
        line,
        `expected ${fieldCount} tab-separated fields, found ${fields.length}: "${raw}"`,
      );
    }
    if (fields[fieldCount - 1] === '') {
      throw new LexiconError('LEXICON_MALFORMED_LINE', file, line, `the note is empty: "${raw}"`);
    }
    out.push({ line, raw, fields });
  });
  return out;
}

/** Checks one term and returns it NFKC-normalised, as matching sees it. */
function checkTerm(file: string, data: DataLine, term: string, what: string): string {
  const bad = (why: string) =>
    new LexiconError('LEXICON_MALFORMED_LINE', file, data.line, `${what} ${why}: "${data.raw}"`);
  if (term === '') throw bad('is empty');
  if (WHITESPACE.test(term)) throw bad(`"${term}" contains whitespace`);
  if (LATIN.test(term)) throw bad(`"${term}" contains Latin letters (the lexicon is Chinese only)`);
  return nfkc(term);
}

/** Each term of a `|`-separated field, checked; a term repeated within the field is an error. */
function splitTerms(file: string, data: DataLine, field: string, what: string): string[] {
  const terms: string[] = [];
  for (const raw of field.split('|')) {
    const term = checkTerm(file, data, raw.trim(), what);
    if (terms.includes(term)) {
      throw new LexiconError('LEXICON_DUPLICATE', file, data.line, `${what} "${term}" is listed twice`);
    }
    terms.push(term);
  }
  return terms;
}

function parseAbbreviations(file: string): { entries: ShortEntry[]; guards: string[] } {
  const entries: ShortEntry[] = [];
  const guards: string[] = [];
  const firstLine = new Map<string, number>();
  for (const data of dataLines(file, ABBREVIATIONS_HEADER, 3)) {
    const short = checkTerm(file, data, data.fields[0]!, 'short form');
    const earlier = firstLine.get(short);
    if (earlier !== undefined) {
      throw new LexiconError(
        'LEXICON_DUPLICATE',
        file,
        data.line,
        `short form "${short}" is already defined on line ${earlier}`,
      );
    }
    firstLine.set(short, data.line);
    const full = splitTerms(file, data, data.fields[1]!, 'full form');
    // A row mapping a word to itself alone is a guard: an ordinary word whose characters would otherwise
    // spell a short form. Listing the short form among real expansions would only hide a typo.
    if (full.length === 1 && full[0] === short) {
      guards.push(short);
      continue;
    }
    if (full.includes(short)) {
      throw new LexiconError(
        'LEXICON_MALFORMED_LINE',
        file,
        data.line,
        `short form "${short}" is also listed as one of its full forms (a guard row lists only itself)`,
      );
    }
    entries.push({ short, full, line: data.line });
  }
  // An expansion must be final: were a full form itself a short form, expandText would give different
  // text when run twice, and a search term taken from `full` would ask for a further expansion.
  for (const entry of entries) {
    for (const full of entry.full) {
      const other = firstLine.get(full);
      if (other !== undefined && !guards.includes(full)) {
        throw new LexiconError(
          'LEXICON_MALFORMED_LINE',
          file,
          entry.line,
          `full form "${full}" of "${entry.short}" is itself a short form (line ${other})`,
        );
      }
    }
  }
  return { entries, guards };
}

/** Groups of terms a line, `terms<TAB>note`: the concept groups, and the sets of terms kept apart. */
function parseConceptGroups(file: string, what = 'a concept group'): string[][] {
  const groups: string[][] = [];
  const firstLine = new Map<string, number>();
  for (const data of dataLines(file, CONCEPT_GROUPS_HEADER, 2)) {
    const terms = splitTerms(file, data, data.fields[0]!, 'term');
    if (terms.length < 2) {
      throw new LexiconError(
        'LEXICON_MALFORMED_LINE',
        file,
        data.line,
        `${what} needs at least 2 terms: "${data.raw}"`,
      );
    }
    const key = [...terms].sort().join('|');
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      throw new LexiconError(
        'LEXICON_DUPLICATE',
        file,
        data.line,
        `the same group of terms is already on line ${earlier}`,
      );
    }
    firstLine.set(key, data.line);
    groups.push(terms);
  }
  return groups;
}

/** Reads and validates both data files in `dir`; every problem is a LexiconError naming file and line. */
export function loadLexicon(dir: string = DEFAULT_LEXICON_DIR): Lexicon {
  const folder = resolve(dir);
  const { entries, guards } = parseAbbreviations(join(folder, ABBREVIATIONS_FILE));
  const groups = parseConceptGroups(join(folder, CONCEPT_GROUPS_FILE));
  // Optional: a lexicon folder written before the file existed has no terms kept apart.
  const contrastsFile = join(folder, CONTRASTS_FILE);
  const contrasts = existsSync(contrastsFile)
    ? parseConceptGroups(contrastsFile, 'a set of contrasting terms')
    : [];
  return new LoadedLexicon(entries, guards, groups, contrasts);
}

let shipped: Lexicon | undefined;

/** The shipped lexicon, loaded on first use and shared afterwards. */
export function defaultLexicon(): Lexicon {
  shipped ??= loadLexicon();
  return shipped;
}
