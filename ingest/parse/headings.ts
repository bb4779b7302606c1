import { cutText } from '../text/cut-text.ts';

/**
 * The numbering of Chinese official documents, in the two families they use:
 * - laws and regulations: 第X编 > 第X章 > 第X节 > 第X条 (the article is the clause; the items (一)(二) and
 *   paragraphs inside an article are parts of it, not headings: the chunker decides that from the stack);
 * - notices, opinions and plans: 一、 > (一) > 1. > (1) > ①, in full- and half-width forms.
 * Markdown headings without a number (`## 附则`) are headings too (`markdownHeading`).
 */
export type HeadingKind =
  | 'part'
  | 'chapter'
  | 'section'
  | 'article'
  | 'outline1'
  | 'outline2'
  | 'outline3'
  | 'outline4'
  | 'outline5'
  | 'markdown'
  | 'attachment';

/** Outline markers; inside an article they are the article's items. */
export const OUTLINE_KINDS: ReadonlySet<HeadingKind> = new Set([
  'outline1',
  'outline2',
  'outline3',
  'outline4',
  'outline5',
]);

export interface Heading {
  kind: HeadingKind;
  /** Depth: a heading closes every open heading of equal or greater rank. */
  rank: number;
  /** The number as it appears in a clause path: 第二十二条, 第三章, 二, (三), 14, (1), ①. */
  number: string;
  /** Number and title, e.g. 14.改革完善家庭医生制度 or 第三章 预防接种. */
  label: string;
  /** True when text follows the title on the same line (the clause itself). */
  hasBody: boolean;
}

/** Chinese numerals as documents write clause numbers (第一百零五条, 第十二章). */
const CN = '[一二三四五六七八九十百千零〇两]{1,6}';
const NUM = `(?:${CN}|\\d{1,4})`;

/** Titles longer than this are sentences, not titles: the title is cut at the first sentence end instead. */
const MAX_TITLE_CHARS = 40;

const RANK: Record<HeadingKind, number> = {
  part: 1,
  chapter: 2,
  section: 3,
  article: 4,
  outline1: 5,
  outline2: 6,
  outline3: 7,
  outline4: 8,
  outline5: 9,
  markdown: 2,
  // An attachment starts a new body: everything after it nests under it until the next one.
  attachment: 0,
};

/** 第X编/章/节 headings: a short title, no sentence after it. */
const DIVISION = new RegExp(`^第(${NUM})([编章节])(?![的中规所])[\\s:：]*(.*)$`);
/**
 * 第X条 starts an article when a space or the article text follows; "第三条规定的…" at a line start is a
 * reference, not an article.
 */
const ARTICLE = new RegExp(`^(第${NUM}条(?:之${CN})?)(?:\\s+|$|(?![的中规所第款项之]))(.*)$`);
const OUTLINE: { kind: HeadingKind; re: RegExp; number: (m: RegExpMatchArray) => string }[] = [
  { kind: 'outline1', re: new RegExp(`^(${CN})[、．.]\\s*(.*)$`), number: (m) => m[1] ?? '' },
  { kind: 'outline2', re: new RegExp(`^[(（](${CN})[)）]\\s*(.*)$`), number: (m) => `(${m[1]})` },
  { kind: 'outline3', re: /^(\d{1,2})\s*[.．、](?![\d%])\s*(.*)$/, number: (m) => m[1] ?? '' },
  { kind: 'outline4', re: /^[(（](\d{1,2})[)）]\s*(.*)$/, number: (m) => `(${m[1]})` },
];
/** ① … ⑳, matched on the raw line because NFKC turns ① into 1. */
const CIRCLED = /^([\u2460-\u2473])\s*(.*)$/;
/** An attachment line: 附件, 附件1, 附件2：海南省…计划. */
const ATTACHMENT = /^(附件\s*[\d一二三四五六七八九十]*)\s*[：:]?\s*(.{0,50})$/;

export function matchHeading(raw: string): Heading | null {
  // Full-width forms (（一）, １４．) read as their half-width equivalents under NFKC.
  const circled = raw.trim().match(CIRCLED);
  if (circled) return outline('outline5', circled[1] ?? '', circled[2] ?? '', raw.trim());
  const line = raw.normalize('NFKC').trim();
  const division = line.match(DIVISION);
  if (division) {
    const kind = division[2] === '编' ? 'part' : division[2] === '章' ? 'chapter' : 'section';
    const title = (division[3] ?? '').trim();
    // A chapter title is a few words; a long sentence after 第一节 is text that starts with an ordinal.
    if (title.length <= MAX_TITLE_CHARS && !/[。;；,，]/.test(title)) {
      const number = `第${division[1]}${division[2]}`;
      return {
        kind,
        rank: RANK[kind],
        number,
        // "总 则" is letter-spaced for layout: the title is 总则.
        label: title
          ? `${number} ${title.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '')}`
          : number,
        hasBody: false,
      };
    }
  }
  const article = line.match(ARTICLE);
  if (article) {
    const number = article[1] ?? '';
    return {
      kind: 'article',
      rank: RANK.article,
      number,
      label: number,
      hasBody: (article[2] ?? '').trim() !== '',
    };
  }
  for (const p of OUTLINE) {
    const m = line.match(p.re);
    if (m) return outline(p.kind, p.number(m), m[2] ?? '', line);
  }
  return null;
}

function outline(kind: HeadingKind, number: string, restRaw: string, line: string): Heading | null {
  const rest = restRaw.trim();
  if (!rest) return null;
  const end = rest.search(/[。;;::!!]/);
  let title: string;
  let hasBody: boolean;
  if (end >= 0) {
    // "1.到2000年，\t。": the space before the stop is not part of the title.
    title = rest.slice(0, end).trimEnd();
    // "(一)县卫生健康局牵头负责…，按季度通报。" is one sentence of content, not a title ending in 。.
    hasBody =
      rest.slice(end + 1).trim().length > 0 || (/[，,]/.test(title) && /[。;；]/.test(rest[end] ?? ''));
    if (title.length > MAX_TITLE_CHARS) title = cutTitle(title);
  } else if (rest.length <= MAX_TITLE_CHARS * 2) {
    title = rest;
    hasBody = false;
  } else {
    title = cutTitle(rest);
    hasBody = true;
  }
  if (title.length > MAX_TITLE_CHARS * 2) title = cutTitle(title);
  const prefix = line.slice(0, line.length - restRaw.length).trim();
  return { kind, rank: RANK[kind], number, label: `${prefix}${title}`, hasBody };
}

/** A title cut to MAX_TITLE_CHARS, whole characters only, without the spaces the cut leaves at its end. */
function cutTitle(title: string): string {
  return cutText(title, MAX_TITLE_CHARS).trimEnd();
}

/** A Markdown heading that carries no number of its own (`## 附则`): a heading at chapter depth. */
export function markdownHeading(title: string): Heading {
  return { kind: 'markdown', rank: RANK.markdown, number: '', label: title, hasBody: false };
}

/** An attachment line (附件2：海南省…计划) as the heading everything after it nests under; null for other lines. */
export function matchAttachment(raw: string): Heading | null {
  const line = raw.trim();
  const m = line.match(ATTACHMENT);
  if (!m || matchHeading(line)) return null;
  return {
    kind: 'attachment',
    rank: RANK.attachment,
    number: (m[1] ?? '').replace(/\s+/g, ''),
    label: line,
    hasBody: false,
  };
}
