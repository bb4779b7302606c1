/**
 * English words as the CEDICT lookup compares them: a question's words and a definition's words go
 * through the same normalisation, so "screening", "screened" and "screens" all meet CEDICT's "to screen".
 * The word forms are the glossary's (server/query/english-forms.ts: plurals, British spellings, compounds) and
 * add -ing/-ed, which the glossary does not need because its entries are written as questions word them.
 */

export interface EnglishToken {
  /** Normalised form: singular, American spelling, -ing/-ed removed when the stem is an English word. */
  norm: string;
  /** UTF-16 offsets of the surface text. */
  start: number;
  end: number;
  /** Written joined to the previous word by a hyphen ("first-rate"): the two are one word. */
  hyphenated: boolean;
}

import { baseForm, COMPOUNDS, ENGLISH_WORD } from '../english-forms.ts';

// Only a hyphen between two words makes them one ("first-rate"); a space or slash keeps them apart.
const HYPHEN = /^[-‐‑]$/;

/** Words a question uses to hold its topic together; they name nothing to look up. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'of',
  'in',
  'on',
  'at',
  'to',
  'for',
  'from',
  'by',
  'with',
  'without',
  'about',
  'into',
  'onto',
  'between',
  'among',
  'within',
  'during',
  'per',
  'as',
  'than',
  'and',
  'or',
  'nor',
  'but',
  'not',
  'no',
  'be',
  'is',
  'are',
  'was',
  'were',
  'been',
  'being',
  'am',
  'do',
  'does',
  'did',
  'done',
  'have',
  'has',
  'had',
  'will',
  'would',
  'shall',
  'should',
  'can',
  'could',
  'may',
  'might',
  'must',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'there',
  'their',
  'they',
  'them',
  'he',
  'she',
  'his',
  'her',
  'we',
  'our',
  'us',
  'you',
  'your',
  'i',
  'me',
  'my',
  'any',
  'some',
  'each',
  'every',
  'all',
  'also',
  'such',
  'so',
  'if',
  'then',
  'other',
  'own',
  'same',
  'very',
  'just',
  'only',
  'etc',
  'one',
  "one's",
  'regarding',
  'concerning',
  // Conjunctions of time: "once a hospital files…" is not 一次 or 曾经.
  'once',
  'after',
  'before',
  'until',
  'when',
  'while',
  // Prepositions of amount: CEDICT glosses none of 以下/以上 with them, only "under construction" and the like.
  'under',
  'over',
  'above',
  'below',
  // Light verbs hold a question together and name nothing: CEDICT glosses "get" 取得/得到, "want" 需要/如意,
  // "hope" 希望, words no answering clause needs.
  'get',
  'got',
  'want',
  'hope',
  'wish',
  'suppose',
  'supposed',
  'take',
  'put',
  'make',
  'let',
  'keep',
  'go',
  'come',
  'try',
  'need',
  'needed',
  // The pieces of contractions ("won't", "doesn't"): ENGLISH_WORD splits at the apostrophe, and CEDICT reads
  // "won" as 赢得 and "t" as a letter. The negation they carry is in the verb the document uses (拒不配合).
  'won',
  'don',
  'doesn',
  'didn',
  'isn',
  'aren',
  'wasn',
  'weren',
  'wouldn',
  'shouldn',
  'couldn',
  'cannot',
  't',
  // Spelt-out numbers are numbers (skipped like digits): "under-threes" is no 三项.
  'zero',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'hundred',
  'thousand',
  'million',
  'billion',
]);

/**
 * Words that ask rather than name what is asked about, the English side of question-words.txt (多少, 目标,
 * 指标, 要求, 达到, 计划, 预计, 请问, 分别, 提出…): looking them up would add 目标 to every question.
 * Given in normalised form (the -ing/-ed rules have been applied: "required" is "require").
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  // Measure words: "rate" glosses 死亡率 first and "share" 股份, so a coverage question would search mortality.
  // The glossary names the rates documents set; a bare measure word is not a topic.
  'rate',
  'ratio',
  'share',
  'proportion',
  'percentage',
  'percent',
  'number',
  'level',
  'amount',
  'total',
  'figure',
  'value',
  'per',
  'what',
  'which',
  'who',
  'whom',
  'whose',
  'when',
  'where',
  'why',
  'how',
  'many',
  'much',
  'target',
  'goal',
  'aim',
  'objective',
  'requirement',
  'require',
  'reach',
  'achieve',
  'expect',
  'propose',
  'respectively',
  'please',
  'tell',
  'say',
  'specify',
  'mention',
  'list',
  'give',
  // Signing is asked of a document ("when was it signed"), not a word its clauses use: CEDICT's 标志, 指标.
  'sign',
  'signed',
  // Units a duration question asks in ("how many days"): the answer type asks for the figure; CEDICT's 日前
  // and 每天 for "day" would only add words the clause lacks.
  'day',
  'hour',
  'week',
  'month',
  // 计划 is a question word too. "family planning" is the glossary's (计划生育), and expand() skips it.
  'plan',
]);

const VOWEL = /[aeiou]/;

/** Consonant–vowel–consonant at the end ("car" of caring, "vis-it"): such stems usually lost an e. */
function endsConsonantVowelConsonant(stem: string): boolean {
  const [a, b, c] = stem.slice(-3);
  return (
    a !== undefined &&
    b !== undefined &&
    c !== undefined &&
    !VOWEL.test(a) &&
    VOWEL.test(b) &&
    !VOWEL.test(c) &&
    !/[wxy]/.test(c)
  );
}

/**
 * The stem of an -ing or -ed form ("screening" → screen, "nursing" → nurse, "planned" → plan, "qualified"
 * → qualify); words too short to be inflected stay ("bring", "need"). `known` decides between candidates:
 * CEDICT's own English words, so "caring" becomes care, not car.
 */
function stripInflection(word: string, known: ReadonlySet<string>): string {
  if (word.length >= 5 && word.endsWith('ied')) {
    const y = `${word.slice(0, -3)}y`;
    return known.has(y) ? y : word;
  }
  let stem: string;
  if (word.length >= 6 && word.endsWith('ing')) stem = word.slice(0, -3);
  else if (word.length >= 5 && word.endsWith('ed') && !word.endsWith('eed')) stem = word.slice(0, -2);
  else return word;
  if (!VOWEL.test(stem)) return word;
  const last = stem.at(-1) ?? '';
  let candidates: string[];
  if (last === stem.at(-2) && !VOWEL.test(last))
    candidates = [stem.slice(0, -1), stem]; // planned, dressing
  else if (endsConsonantVowelConsonant(stem))
    candidates = [`${stem}e`, stem]; // caring, based
  else candidates = [stem, `${stem}e`]; // screening, nursing
  // Neither known (CEDICT writes "vaccinated" but never "vaccinate"): the spelling rule decides. The result
  // is a key, not a word to show, and question and definition get the same one.
  return candidates.find((c) => c.length >= 3 && known.has(c)) ?? candidates[0]!;
}

/** Normaliser bound to an English lexicon; results are memoised since questions and glosses repeat words. */
export class EnglishNormalizer {
  private readonly memo = new Map<string, string>();

  constructor(readonly known: ReadonlySet<string>) {}

  word(raw: string): string {
    const memoised = this.memo.get(raw);
    if (memoised !== undefined) return memoised;
    const base = baseForm(raw);
    const norm = isNumber(base) ? base : stripInflection(base, this.known);
    this.memo.set(raw, norm);
    return norm;
  }

  /** Words of `text` with their offsets; hyphens, slashes and other punctuation separate words. */
  tokenize(text: string): EnglishToken[] {
    const tokens: EnglishToken[] = [];
    for (const m of text.matchAll(ENGLISH_WORD)) {
      const start = m.index;
      const previous = tokens.at(-1);
      const hyphenated = previous !== undefined && HYPHEN.test(text.slice(previous.end, start));
      const token = { norm: this.word(m[0]), start, end: start + m[0].length, hyphenated };
      const compound = previous && COMPOUNDS.get(`${previous.norm} ${token.norm}`);
      if (previous && compound) {
        tokens[tokens.length - 1] = { ...previous, norm: compound, end: token.end };
      } else {
        tokens.push(token);
      }
    }
    return tokens;
  }
}

/**
 * Related forms to try when a word finds nothing: "vaccination" for CEDICT's "to be vaccinated",
 * "treatment" for "to treat", "obesity" for "obese" (not -ness: "fitness" is no "fit"). Only as a fallback, because as a rule the noun and
 * the verb have different headwords (人口 "population", not 居住 "to populate").
 */
export function derivedForms(norm: string): string[] {
  const forms: string[] = [];
  const swap = (suffix: string, replacements: string[]) => {
    if (norm.length <= suffix.length + 2 || !norm.endsWith(suffix)) return;
    const stem = norm.slice(0, -suffix.length);
    for (const r of replacements) forms.push(stem + r);
  };
  swap('ation', ['ate', 'e', '']);
  swap('ment', ['']);
  swap('ity', ['e', '']);
  return forms.filter((f) => f.length >= 3);
}

export function isNumber(norm: string): boolean {
  return /^\p{N}/u.test(norm);
}
