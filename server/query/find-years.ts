import { fiveYearPlansIn } from '../../ingest/meta/five-year-plans.ts';

/** A year named in a question, with where it stands. */
export interface YearMention {
  year: number;
  start: number;
  end: number;
  /**
   * Said relative to today (今年, 明年), or by a five-year plan (十四五 → 2025): a guess at the year a document
   * means. Officials asking "今年" of a plan written two years ago mean the plan's year, so such a year is
   * preferred, not required.
   */
  relative: boolean;
}

const YEAR =
  /(?<!\d)((?:19|20)\d{2})(?:\s*年度|\s*年)?(?!\d)|(?<![\d.])([23]\d)\s*年(?:度)?(?![\d内前后来间])|(今年|明年|后年|去年|前年)/g;
/** Years said relative to today, as officials type them (今年 = this calendar year). */
const RELATIVE: Record<string, number> = { 前年: -2, 去年: -1, 今年: 0, 明年: 1, 后年: 2 };

/**
 * Years named in a question: 2027, 2027年, 2024年度, by 2027, 27年 / 24年度 (the 2020s and 2030s: a plan's years,
 * not 30年 of a career), 今年 / 明年 against `today`, and a five-year plan (十四五) by its last year.
 */
export function findYears(question: string, today: Date = new Date()): YearMention[] {
  const text = question.normalize('NFKC');
  const all = [...text.matchAll(YEAR)];
  // "今年（2023年）" names the year twice: the written year is the one meant, today's is not.
  const written = all.some((m) => m[1] || m[2]);
  const years = all
    .filter((m) => !(written && m[3]))
    .map((m) => ({
      year: m[1]
        ? Number(m[1])
        : m[2]
          ? 2000 + Number(m[2])
          : today.getFullYear() + (RELATIVE[m[3] ?? ''] ?? 0),
      start: m.index ?? 0,
      end: (m.index ?? 0) + m[0].length,
      relative: Boolean(m[3]),
    }));
  // "十四五千人床位要到多少" asks the plan's target: the year the five-year plan ends, when no year is written. It
  // is a guess like 今年 (preferred, not required): "十四五卫生健康规划是谁印发的" names a plan, not a year.
  if (!written)
    for (const plan of fiveYearPlansIn(text))
      years.push({ year: plan.end, start: plan.index, end: plan.index + plan.length, relative: true });
  return years.sort((a, b) => a.start - b.start);
}
