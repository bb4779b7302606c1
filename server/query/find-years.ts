/** Years named in a question: 2027, 2027年, 2024年度, by 2027. */
export interface YearMention {
  year: number;
  start: number;
  end: number;
}

const YEAR = /(?<!\d)((?:19|20)\d{2})(?:\s*年度|\s*年)?(?!\d)/g;

export function findYears(question: string): YearMention[] {
  const text = question.normalize('NFKC');
  return [...text.matchAll(YEAR)].map((m) => ({
    year: Number(m[1]),
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
  }));
}
