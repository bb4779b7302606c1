/**
 * How gold facts and quotes are compared with answers and clauses: NFKC folds full-width digits,
 * letters and punctuation ("４５％" → "45%"), and whitespace is dropped because the source pages break
 * lines and insert spaces inside clauses at random.
 */

const WHITESPACE = /\s+/gu;

export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').replace(WHITESPACE, '');
}

/** True when `needle` occurs in `haystack` after both are normalised; an empty needle never matches. */
export function includesNormalized(haystack: string, needle: string): boolean {
  const normalizedNeedle = normalizeForMatch(needle);
  return normalizedNeedle.length > 0 && normalizeForMatch(haystack).includes(normalizedNeedle);
}
