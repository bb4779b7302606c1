/**
 * English word forms shared by the glossary and the CC-CEDICT lookup: one word pattern, plurals, British
 * spellings and compounds written as one or two words, so a question and a data file meet on the same key.
 */

/** Numbers keep their thousands separators and decimals ("1,000", "9.5"); a trailing 's is a possessive. */
export const ENGLISH_WORD = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{N}]+(?:['’]s(?![\p{L}\p{N}]))?/gu;

// Words that end in s without being plurals; "aids" must not become the verb "aid".
const NOT_PLURAL = new Set([
  'aids',
  'sars',
  'mers',
  'news',
  'series',
  'species',
  'diabetes',
  'measles',
  'mumps',
  'rabies',
  'scabies',
  'herpes',
  'always',
  'perhaps',
  'thus',
  'towards',
]);

const IRREGULAR_SINGULAR = new Map([
  ['children', 'child'],
  ['women', 'woman'],
  ['men', 'man'],
  ['people', 'people'],
  ['teeth', 'tooth'],
  ['feet', 'foot'],
  ['consortia', 'consortium'],
  ['criteria', 'criterion'],
  ['data', 'data'],
]);

// British spellings map to American ones so either can be written in the data file or the question.
const SPELLING = new Map([
  ['centre', 'center'],
  ['programme', 'program'],
  ['behaviour', 'behavior'],
  ['tumour', 'tumor'],
  ['labour', 'labor'],
  ['colour', 'color'],
  ['ageing', 'aging'],
  ['counselling', 'counseling'],
  ['practising', 'practicing'],
  ['fulfilment', 'fulfillment'],
  ['enrolment', 'enrollment'],
  ['licence', 'license'],
  ['diarrhoea', 'diarrhea'],
  ['oesophageal', 'esophageal'],
  ['foetus', 'fetus'],
]);
const SPELLING_PREFIXES: [string, string][] = [
  ['orthopaed', 'orthoped'],
  ['paed', 'ped'],
  ['anaes', 'anes'],
  ['haem', 'hem'],
  ['gynaec', 'gynec'],
  ['oestr', 'estr'],
];

/** Written both as one word and as two ("day-care", "day care", "daycare"); keyed by the two-word form. */
export const COMPOUNDS: ReadonlyMap<string, string> = new Map([
  ['health care', 'healthcare'],
  ['child care', 'childcare'],
  ['day care', 'daycare'],
  ['elder care', 'eldercare'],
  ['sick bed', 'sickbed'],
  ['check up', 'checkup'],
  ['new born', 'newborn'],
  ['work place', 'workplace'],
]);

export function singular(word: string): string {
  const irregular = IRREGULAR_SINGULAR.get(word);
  if (irregular) return irregular;
  if (word.length < 4 || NOT_PLURAL.has(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

export function americanSpelling(word: string): string {
  const mapped = SPELLING.get(word);
  if (mapped) return mapped;
  for (const [british, american] of SPELLING_PREFIXES) {
    if (word.startsWith(british)) return american + word.slice(british.length);
  }
  return word.replace(/isation$/, 'ization').replace(/is(e|ed|ing)$/, 'iz$1');
}

/**
 * A word's key: lower case without a possessive 's, a number without thousands separators, else singular
 * and American spelling ("Centres'" → center, "1,000" → 1000).
 */
export function baseForm(raw: string): string {
  const word = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]s$/, '');
  if (/^\p{N}/u.test(word)) return word.replaceAll(',', '');
  return americanSpelling(singular(word));
}
