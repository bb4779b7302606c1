/**
 * A document's date as the document writes it. Metadata stores dates as ISO strings; an answer shows the
 * date in the document's own writing, so a reader finds it in the cited text and the number check can trace
 * it: 2023年5月26日, the spaced "2018 年 12 月 14 日" of PDF text, the 二〇〇九年一月十九日 of a signature block.
 */
import { formatChineseNumeral } from '../../ingest/text/chinese-numerals.ts';

const DIGITS = '〇一二三四五六七八九';

/** A year as documents write it: 2007, 二〇〇七, 二零零七. */
export function yearWritings(year: number | string): string[] {
  const digits = String(year);
  const chinese = [...digits].map((d) => DIGITS[Number(d)] ?? d).join('');
  return [digits, chinese, chinese.replaceAll('〇', '零')];
}

/** A pattern for one ISO date (YYYY-MM-DD) in any of the writings above. */
export function writtenDatePattern(iso: string): RegExp | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [year, month, day] = [m[1] ?? '', Number(m[2]), Number(m[3])];
  const yearForms = yearWritings(year);
  const part = (n: number) => `(?:0?${n}|${formatChineseNumeral(n)})`;
  return new RegExp(
    `(?<![\\d〇零一二三四五六七八九])(?:${yearForms.join('|')})\\s*年\\s*${part(month)}\\s*月\\s*${part(day)}\\s*日`,
  );
}

/** The first writing of the date in the texts, in order, with its spaces removed; null when none writes it. */
export function findWrittenDate(
  iso: string,
  texts: readonly string[],
): { text: string; index: number } | null {
  const pattern = writtenDatePattern(iso);
  if (!pattern) return null;
  for (const [index, text] of texts.entries()) {
    const found = pattern.exec(text.normalize('NFKC'));
    if (found) return { text: found[0].replace(/\s+/g, ''), index };
  }
  return null;
}
