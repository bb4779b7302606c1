import type { DocumentMeta } from '../model.ts';
import { parseChineseNumeral } from '../text/chinese-numerals.ts';

/**
 * Dates as official documents write them: 2024年2月21日, 2024-02-21, ２０００年１月１日 (full-width) and, in
 * signature blocks, 二〇二〇年二月二十一日.
 */
const ARABIC_DATE = /((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?/;
const HAN_DATE =
  /([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日/;

export interface FoundDate {
  iso: string;
  index: number;
  length: number;
}

/** The first date in the text, with where it is. */
export function findDate(raw: string): FoundDate | null {
  const text = raw.normalize('NFKC');
  const arabic = text.match(ARABIC_DATE);
  const han = text.match(HAN_DATE);
  const candidates: FoundDate[] = [];
  if (arabic) {
    const iso = isoOf(Number(arabic[1]), Number(arabic[2]), Number(arabic[3]));
    if (iso) candidates.push({ iso, index: arabic.index ?? 0, length: arabic[0].length });
  }
  if (han) {
    const [year, month, day] = [han[1], han[2], han[3]].map((part) => parseChineseNumeral(part ?? '') ?? 0);
    const iso = isoOf(year ?? 0, month ?? 0, day ?? 0);
    if (iso) candidates.push({ iso, index: han.index ?? 0, length: han[0].length });
  }
  return candidates.sort((a, b) => a.index - b.index)[0] ?? null;
}

export function toIsoDate(value: string | null): string | null {
  return value ? (findDate(value)?.iso ?? null) : null;
}

/** A line that is only a date (a signature block's last line). */
export function isDateLine(line: string): boolean {
  const found = findDate(line);
  if (!found) return false;
  const rest =
    line.normalize('NFKC').slice(0, found.index) + line.normalize('NFKC').slice(found.index + found.length);
  return rest.replace(/[\s()（）]/g, '') === '';
}

function isoOf(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Every date a document's text states about itself (issued, published, in force, adopted and revised), ISO. */
export function documentDates(meta: DocumentMeta): string[] {
  return [meta.issuedDate, meta.publishedDate, meta.inForce?.date, ...meta.history.map((e) => e.date)].filter(
    (d): d is string => typeof d === 'string',
  );
}
