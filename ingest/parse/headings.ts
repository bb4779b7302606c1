/**
 * Clause numbering of Chinese government documents: 一、 > (一) > 1. > (1), in full- and half-width forms.
 */
export type HeadingLevel = 1 | 2 | 3 | 4;

export interface Heading {
  level: HeadingLevel;
  /** The number as it appears in a clause path: 二, (三), 14, (1). */
  number: string;
  /** Number and title, e.g. 14.改革完善家庭医生制度. */
  label: string;
  /** True when text follows the title on the same line (the clause itself). */
  hasBody: boolean;
}

const CN = '[一二三四五六七八九十]{1,3}';
const PATTERNS: { level: HeadingLevel; re: RegExp; number: (m: RegExpMatchArray) => string }[] = [
  { level: 1, re: new RegExp(`^(${CN})、\\s*(.*)$`), number: (m) => m[1] ?? '' },
  { level: 2, re: new RegExp(`^[((](${CN})[))]\\s*(.*)$`), number: (m) => `(${m[1]})` },
  { level: 3, re: /^(\d{1,2})[.．、](?![\d%])\s*(.*)$/, number: (m) => m[1] ?? '' },
  { level: 4, re: /^[((](\d{1,2})[))]\s*(.*)$/, number: (m) => `(${m[1]})` },
];

/** Titles longer than this are sentences, not titles: the title is cut at the first sentence end instead. */
const MAX_TITLE_CHARS = 40;

export function matchHeading(raw: string): Heading | null {
  // Full-width forms (（一）, １４．) read as their half-width equivalents.
  const line = raw.normalize('NFKC');
  for (const p of PATTERNS) {
    const m = line.match(p.re);
    if (!m) continue;
    const rest = (m[2] ?? '').trim();
    if (!rest) return null;
    const end = rest.search(/[。;;::!!]/);
    let title: string;
    let hasBody: boolean;
    if (end >= 0) {
      title = rest.slice(0, end);
      hasBody = rest.slice(end + 1).trim().length > 0;
    } else if (rest.length <= MAX_TITLE_CHARS * 2) {
      title = rest;
      hasBody = false;
    } else {
      title = rest.slice(0, MAX_TITLE_CHARS);
      hasBody = true;
    }
    if (title.length > MAX_TITLE_CHARS * 2) title = title.slice(0, MAX_TITLE_CHARS);
    const prefix = line.slice(0, line.length - (m[2] ?? '').length).trim();
    return { level: p.level, number: p.number(m), label: `${prefix}${title}`, hasBody };
  }
  return null;
}
