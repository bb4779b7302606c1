import { isDateLine } from '../meta/dates.ts';
import { isDocNumberLine } from '../meta/doc-number.ts';

/**
 * Repairs text extracted from a PDF's text layer into the loader convention (one block per line):
 *
 * - the ASCII space an extractor leaves at a printed line wrap is removed when it touches a Chinese
 *   character ("重要内 容" → "重要内容"); a wrap space between two Latin words stays;
 * - hard line breaks inside a sentence (page ends, pdftotext-style wraps) are joined, unless the next line
 *   starts a new block (clause number, date, document number, signature);
 * - page numbers ("- 3 -", "第3页 共8页", a lone number) are dropped;
 * - letter-spaced words ("索 引 号", "总 则", "教 育 部") are closed up;
 * - header-table rows become "label: value" lines the page cleaner lifts into metadata;
 * - site menus (rows of very short words) and search-box placeholders before the body are dropped.
 *
 * Which spaces are wrap spaces is measured, not guessed: PDF text is set in lines of a fixed width, so the
 * text between two wrap spaces is always about as wide as a printed line ({@link estimateLineWidth}), while
 * a space the author typed ("第一条 为…", "卫生健康委 教育部") follows a shorter run.
 */
export interface RepairOptions {
  /**
   * Default false. True when the text was rebuilt from glyph positions (the PDF loader): paragraphs are
   * joined, radicals unified and page numbers dropped at page edges already, surer than measuring widths
   * or dropping every lone number afterwards; only spacing, numbers and top chrome are left to do.
   */
  fromLayout?: boolean;
}

/**
 * Default 3 em: a run counts as a full printed line when it is at most this much narrower than the usual
 * line, which absorbs the 2 em first-line indent of Chinese paragraphs and half-width digits set a little
 * wider than half an em.
 */
export const FULL_LINE_TOLERANCE = 3;
/** Default 12 em: narrower runs are never line-width evidence (headings, signatures, list labels). */
const MIN_LINE_WIDTH = 12;
/** Default 5: fewer runs of the usual width than this and the line width is unknown. */
const MIN_WIDTH_SAMPLES = 5;

/** A line ending in one of these ends its sentence or block, so it is never joined to the next. */
const TERMINAL_END = /[。；：！？”’）」』】!?;:)]$/;
/** A line ending in one of these is always mid-sentence. */
const OPEN_END = /[，、“‘（《〔【—…,]$/;
/** Clause and section markers, attachments and figure or table captions that begin a block. */
const BLOCK_START = new RegExp(
  [
    '^[一二三四五六七八九十百]+[、．.]',
    '^[（(][一二三四五六七八九十百]+[）)]',
    '^\\d{1,3}[.．、](?!\\d)',
    '^[（(]\\d{1,3}[）)]',
    '^[①-⑳]',
    '^第[一二三四五六七八九十百千零〇\\d]+[条章节编款部]',
    '^(?:附件|附表|附录)',
    '^[图表]\\s*\\d',
  ].join('|'),
);
/** A short unpunctuated line naming an organisation: the issuer's signature under a notice. */
const SIGNATURE_LINE =
  /^[\p{Script=Han} ]{2,30}(?:委员会|人民政府|办公厅|办公室|政府|委|部|局|厅|署|院|会|办|中心)(?:\s+\d{4}年\d{1,2}月\d{1,2}日)?$/u;
const PAGE_NUMBER_LINES: RegExp[] = [
  /^[-－—–~]\s*\d{1,4}\s*[-－—–~]$/,
  /^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$/,
  /^共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页$/,
  /^\d{1,4}\s*\/\s*\d{1,4}$/,
  /^page\s+\d{1,4}(?:\s+of\s+\d{1,4})?$/i,
  /^\d{1,4}$/,
];
/** A header-table row: a short label of Chinese characters (possibly letter-spaced), a colon, a value. */
const FACT_ROW = /^(\p{Script=Han}{2,8})\s*[：:]\s*(\S.*)$/u;
/** Default 3: this many "label：value" rows in a row are a header table even without letter-spacing. */
const MIN_FACT_RUN = 3;
const HAN = /\p{Script=Han}/u;
/** Private-use code points: icon-font glyphs (print, share, QR buttons) that carry no text. */
const PRIVATE_USE = /[\ue000-\uf8ff]/g;
/**
 * Kangxi radicals and CJK radical supplements: CJK fonts map some glyphs of ordinary characters to these
 * code points in their ToUnicode tables (生 comes out as U+2F63 ⽣), so search would never find the word.
 * NFKC maps them back to the unified ideographs.
 */
const RADICALS = /[\u2e80-\u2fdf]/g;

export function repairExtractedText(text: string, options: RepairOptions = {}): string {
  const fromLayout = options.fromLayout ?? false;
  const normalized = text.replace(/\r\n?/g, '\n').replace(/\f/g, '\n').replace(PRIVATE_USE, '');
  let lines = (fromLayout ? normalized : normalized.replace(RADICALS, unifyRadical))
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((l) => l !== '' && (fromLayout || !isPageNumberLine(l)))
    .map(closeLetterSpacing);
  if (!fromLayout) lines = unwrapLines(lines);
  lines = lines.map(tidyNumbers);
  lines = dropTopChrome(lines);
  return liftFactRows(lines).join('\n');
}

/**
 * CJK Radicals Supplement code points that stand for a whole character, mapped to it (after Unicode's
 * EquivalentUnifiedIdeograph.txt; NFKC leaves this block alone). Radicals that only occur as components
 * are left as they are.
 */
const SUPPLEMENT_RADICALS = new Map<string, string>(
  [
    '⺟母',
    '⺠民',
    '⺩王',
    '⺮竹',
    '⺝月',
    '⻁虎',
    '⻄西',
    '⻅见',
    '⻆角',
    '⻉贝',
    '⻋车',
    '⻓长',
    '⻔门',
    '⻘青',
    '⻙韦',
    '⻚页',
    '⻛风',
    '⻜飞',
    '⻝食',
    '⻢马',
    '⻣骨',
    '⻤鬼',
    '⻥鱼',
    '⻦鸟',
    '⻧卤',
    '⻨麦',
    '⻩黄',
    '⻬齐',
    '⻮齿',
    '⻰龙',
    '⻳龟',
  ].map((pair) => [pair.slice(0, 1), pair.slice(1)] as [string, string]),
);

/** A radical code point as the ordinary character it stands for (see {@link RADICALS}). */
export function unifyRadical(c: string): string {
  return SUPPLEMENT_RADICALS.get(c) ?? c.normalize('NFKC');
}

/** Replaces every radical code point in `text` by its ordinary character. */
export function unifyRadicals(text: string): string {
  return text.replace(RADICALS, unifyRadical);
}

export function isPageNumberLine(line: string): boolean {
  const l = line.trim();
  return PAGE_NUMBER_LINES.some((re) => re.test(l));
}

/** Whether a line begins a new block, so nothing before it may be joined onto it. */
export function startsBlock(line: string): boolean {
  return BLOCK_START.test(line) || isDateLine(line) || isDocNumberLine(line) || SIGNATURE_LINE.test(line);
}

export function endsSentence(line: string): boolean {
  return TERMINAL_END.test(line);
}

/** Display width in em: CJK characters 1, ASCII and other narrow characters 1/2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const c of s) w += (c.codePointAt(0) ?? 0) < 0x2000 ? 0.5 : 1;
  return w;
}

/** Joins two pieces of one sentence: no space between Chinese text, one between Latin words. */
export function joinPieces(a: string, b: string): string {
  const left = a.slice(-1);
  const right = b.slice(0, 1);
  return /[A-Za-z0-9]/.test(left) && /[A-Za-z0-9]/.test(right) ? `${a} ${b}` : `${a}${b}`;
}

/**
 * "索 引 号" → "索引号", "总 则" → "总则": a run of single Chinese characters separated by single spaces is
 * one letter-spaced word. A multi-character word next to it keeps its space ("卫生健康委 教 育 部" →
 * "卫生健康委 教育部"); a run of several short names letter-spaced together becomes one ("医 保 局 药 监 局"
 * → "医保局药监局") because nothing in the text says where one ends.
 */
export function closeLetterSpacing(line: string): string {
  return line.replace(/(?<!\p{Script=Han})\p{Script=Han}(?: \p{Script=Han}(?!\p{Script=Han}))+/gu, (run) =>
    run.replace(/ /g, ''),
  );
}

/**
 * The width in em of a printed line: the most common width of the text between two wrap points (spaces or
 * line breaks), among runs at least {@link MIN_LINE_WIDTH} wide. Null when no width is common enough.
 */
export function estimateLineWidth(lines: readonly string[]): number | null {
  const counts = new Map<number, number>();
  const add = (run: string) => {
    const w = Math.round(displayWidth(run));
    if (w >= MIN_LINE_WIDTH) counts.set(w, (counts.get(w) ?? 0) + 1);
  };
  let interior = 0;
  for (const line of lines) {
    const runs = line.split(' ');
    for (let i = 1; i < runs.length - 1; i++) {
      add(runs[i] ?? '');
      interior++;
    }
  }
  // Without interior runs the wraps are line breaks (pdftotext style): whole lines are the runs.
  if (interior === 0) for (const line of lines) add(line);
  let best: number | null = null;
  let bestCount = 0;
  for (const [w, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== null && w > best)) {
      best = w;
      bestCount = n;
    }
  }
  return bestCount >= MIN_WIDTH_SAMPLES ? best : null;
}

interface Unwrapped {
  text: string;
  /** Width of the text after the last wrap point: a full line means the sentence ran on. */
  tail: number;
}

/** Removes wrap spaces inside one line and reports how wide its last printed line was. */
function unwrapSpaces(line: string, width: number | null): Unwrapped {
  if (width === null) return { text: line, tail: displayWidth(line) };
  const runs = line.split(' ');
  let out = runs[0] ?? '';
  let tail = displayWidth(out);
  for (const run of runs.slice(1)) {
    if (tail >= width - FULL_LINE_TOLERANCE) {
      out = joinPieces(out, run);
      tail = displayWidth(run);
    } else {
      out = `${out} ${run}`;
      // A typed space is set as a full-width space in Chinese documents.
      tail += 1 + displayWidth(run);
    }
  }
  return { text: out, tail };
}

function unwrapLines(lines: readonly string[]): string[] {
  const width = estimateLineWidth(lines);
  const pieces = lines.map((l) => unwrapSpaces(l, width));
  // Titles are set over several short lines before the body; the metadata reader joins them itself.
  // Without a measured width the body starts at the first line with sentence punctuation.
  const bodyStart = pieces.findIndex((p) =>
    width === null ? /[，。；]/.test(p.text) : displayWidth(p.text) >= width - FULL_LINE_TOLERANCE,
  );
  const out: Unwrapped[] = [];
  pieces.forEach((piece, i) => {
    const prev = out[out.length - 1];
    if (prev && bodyStart >= 0 && i > bodyStart && continues(prev, piece.text, width)) {
      prev.text = joinPieces(prev.text, piece.text);
      prev.tail = piece.tail;
    } else {
      out.push({ ...piece });
    }
  });
  return out.map((p) => p.text);
}

function continues(prev: Unwrapped, next: string, width: number | null): boolean {
  if (endsSentence(prev.text) || startsBlock(next) || isStandalone(prev.text)) return false;
  if (OPEN_END.test(prev.text)) return true;
  return width !== null && prev.tail >= width - FULL_LINE_TOLERANCE;
}

/** Date, document-number and signature lines stand alone even when they do not end in punctuation. */
function isStandalone(line: string): boolean {
  return isDateLine(line) || isDocNumberLine(line) || SIGNATURE_LINE.test(line);
}

/** "〔2020〕2 号" → "〔2020〕2号", "12 月" → "12月": a space between a number and its unit is an artefact. */
function tidyNumbers(line: string): string {
  return line.replace(/(\d) +(?=[年月日号])/g, '$1').replace(/([〔［]) *(\d{4}) *([〕］])/g, '$1$2$3');
}

/**
 * Drops site chrome before the body: menu rows (three or more words of at most 4 em, a third of them at most
 * 2 em, like "首页 要闻 政策"; department names in a title are longer) and search-box placeholders.
 */
function dropTopChrome(lines: readonly string[]): string[] {
  const bodyStart = lines.findIndex((l) => displayWidth(l) >= 24 && /[，。]/.test(l));
  return lines.filter((line, i) => (bodyStart >= 0 && i >= bodyStart) || !isMenuRow(line));
}

function isMenuRow(line: string): boolean {
  if (/^请输入\S{0,16}$/.test(line)) return true;
  if (/[，。：:]/.test(line)) return false;
  const words = line.split(/\s+|\|/).filter(Boolean);
  if (words.length < 3) return false;
  const widths = words.map(displayWidth);
  return widths.every((w) => w <= 4) && widths.filter((w) => w <= 2).length * 3 >= words.length;
}

/**
 * Header-table rows as "label: value": any row in a run of {@link MIN_FACT_RUN} or more such rows (labels
 * were letter-spaced in the source, "索 引 号", and are closed up before this runs). Prose lines with a
 * colon stay as they are.
 */
function liftFactRows(lines: readonly string[]): string[] {
  const isRow = lines.map((l) => FACT_ROW.test(l));
  return lines.map((line, i) => {
    const m = FACT_ROW.exec(line);
    if (!m) return line;
    let run = 1;
    for (let j = i - 1; j >= 0 && isRow[j]; j--) run++;
    for (let j = i + 1; j < lines.length && isRow[j]; j++) run++;
    if (run < MIN_FACT_RUN) return line;
    return `${m[1] ?? ''}: ${(m[2] ?? '').trim()}`;
  });
}

export interface PdfTextSigns {
  pdfLike: boolean;
  /** Share of non-empty lines ending without sentence punctuation. */
  unpunctuatedShare: number;
  /** Runs between two spaces that are as wide as the usual printed line. */
  fullWidthRuns: number;
  /** Share of all runs between two spaces that are full width. */
  fullWidthShare: number;
}

/**
 * Whether plain text looks extracted from a PDF. Two measurable signs, either is enough:
 *
 * - wrap spaces: at least 5 runs between two spaces have the usual printed-line width, and they are at
 *   least half of all such runs. Measured: the four PDF-extracted corpus files have 27–121 such runs (59%–
 *   100% of their runs); the Markdown laws have none (their only spaces follow article numbers);
 * - hard wraps: at least half of the lines end without punctuation and the most common line width covers
 *   at least 30% of the lines (pdftotext output). Typed text has under 10% unpunctuated lines.
 */
export function looksPdfExtracted(text: string): PdfTextSigns {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const unpunctuated = lines.filter((l) => !TERMINAL_END.test(l) && HAN.test(l)).length;
  const unpunctuatedShare = lines.length ? unpunctuated / lines.length : 0;
  let interior = 0;
  const runs: number[] = [];
  for (const line of lines) {
    const parts = line.split(' ');
    for (let i = 1; i < parts.length - 1; i++) {
      interior++;
      runs.push(Math.round(displayWidth(parts[i] ?? '')));
    }
  }
  const width = estimateLineWidth(lines);
  const fullWidthRuns = width === null ? 0 : runs.filter((w) => Math.abs(w - width) <= 1).length;
  const fullWidthShare = interior ? fullWidthRuns / interior : 0;
  const wrapSpaces = fullWidthRuns >= MIN_WIDTH_SAMPLES && fullWidthShare >= 0.5;
  let hardWraps = false;
  if (interior === 0 && width !== null && lines.length >= 10) {
    const atWidth = lines.filter((l) => Math.abs(displayWidth(l) - width) <= 1).length;
    hardWraps = unpunctuatedShare >= 0.5 && atWidth / lines.length >= 0.3;
  }
  return { pdfLike: wrapSpaces || hardWraps, unpunctuatedShare, fullWidthRuns, fullWidthShare };
}
