/**
 * How gold facts and quotes are compared with answers and clauses: NFKC folds full-width digits,
 * letters and punctuation ("４５％" → "45%"), and whitespace is dropped because the source pages break
 * lines and insert spaces inside clauses at random.
 */

const WHITESPACE = /\s+/gu;

export function normalizeForMatch(text: string): string {
  // Normalised again after the spaces go: NFKC turns some marks into space + combining mark (ﹴ → " ً"), and
  // dropping the space joins the mark to the character before it, which NFKC then composes.
  return text.normalize('NFKC').replace(WHITESPACE, '').normalize('NFKC');
}

/** True when `needle` occurs in `haystack` after both are normalised; an empty needle never matches. */
export function includesNormalized(haystack: string, needle: string): boolean {
  const normalizedNeedle = normalizeForMatch(needle);
  return normalizedNeedle.length > 0 && normalizeForMatch(haystack).includes(normalizedNeedle);
}
