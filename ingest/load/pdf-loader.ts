import { extractTextItems, getDocumentProxy } from 'unpdf';
import {
  displayWidth,
  endsSentence,
  isPageNumberLine,
  joinPieces,
  repairExtractedText,
  startsBlock,
  unifyRadicals,
} from '../clean/repair-extracted-text.ts';
import { type Loader, UnreadableFileError } from './loader.ts';

/**
 * PDF files with a text layer, read with unpdf (pdf.js built for servers). Lines are rebuilt from glyph
 * positions and then paragraphs from the page geometry, which says more than the text can: a paragraph's
 * first line is indented or set after a wider gap, and a line that stops short of the right margin ends its
 * paragraph. Page numbers and running headers/footers are dropped before paragraphs are joined across
 * pages.
 */
export const pdfLoader: Loader = {
  format: 'pdf',
  extensions: ['.pdf'],
  async load(bytes, source) {
    const pages = await readPages(bytes, source);
    const lines = dropRunningLines(pages.map((p) => p.filter((l, i) => !isEdgePageNumber(l, i, p.length))));
    const layout = measureLayout(lines.flat());
    const paragraphs = joinParagraphs(lines, layout);
    return {
      text: repairExtractedText(paragraphs.join('\n'), { fromLayout: true }),
      encoding: 'binary',
      format: 'pdf',
      title: titleOf(lines[0] ?? [], layout),
      warnings: [],
    };
  },
};

/** A text line as printed: its text and where it sits (PDF units, y growing upwards). */
interface PrintedLine {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
}

interface TextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

/**
 * Default 10: a page with fewer letters or digits than this on average has no real text layer (a scan with
 * at most a stamp or page number on it).
 */
export const MIN_CHARS_PER_PAGE = 10;
/** Default 0.3: above this share of unmappable glyphs (private-use, U+FFFD) the text layer is unreadable. */
const MAX_UNMAPPED_SHARE = 0.3;
/** Default 0.6 of the pages (and at least 3): a line repeated at the top or bottom that often is a running header/footer. */
const RUNNING_LINE_SHARE = 0.6;

async function readPages(bytes: Uint8Array, source: string): Promise<PrintedLine[][]> {
  let items: TextItem[][];
  try {
    // pdf.js may detach the buffer it is given; keep the caller's bytes intact.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    items = (await extractTextItems(pdf)).items;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'PasswordException')
      throw new UnreadableFileError(
        `${source} is password-protected: open it, save or print it as a PDF without a password, and ingest that copy`,
      );
    throw new UnreadableFileError(
      `${source} is not a readable PDF (${(err as Error).message}): the file is damaged or truncated; download or export it again`,
    );
  }
  const all = items
    .flat()
    .map((i) => i.str)
    .join('');
  const meaningful = all.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (meaningful < MIN_CHARS_PER_PAGE * Math.max(1, items.length))
    throw new UnreadableFileError(
      `${source} has no text layer (a scanned PDF?); it needs OCR before it can be indexed`,
    );
  const unmapped = all.match(/[\ue000-\uf8ff\ufffd]/g)?.length ?? 0;
  if (unmapped > meaningful * MAX_UNMAPPED_SHARE)
    throw new UnreadableFileError(
      `${source} has a text layer whose fonts cannot be mapped to characters; it needs OCR before it can be indexed`,
    );
  return items.map(buildLines);
}

/** Groups a page's text items into lines by baseline, left to right, with a space where x leaves a gap. */
function buildLines(items: readonly TextItem[]): PrintedLine[] {
  const sorted = items.filter((i) => i.str !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: TextItem[][] = [];
  for (const item of sorted) {
    const group = groups[groups.length - 1];
    const first = group?.[0];
    // Items of one line share a baseline; superscripts and mixed fonts shift it by well under half a size.
    if (group && first && Math.abs(first.y - item.y) <= 0.4 * Math.max(first.fontSize, item.fontSize, 1))
      group.push(item);
    else groups.push([item]);
  }
  const lines: PrintedLine[] = [];
  for (const group of groups) {
    group.sort((a, b) => a.x - b.x);
    let text = '';
    let end = Number.NEGATIVE_INFINITY;
    let left = Number.POSITIVE_INFINITY;
    let right = Number.NEGATIVE_INFINITY;
    let size = 0;
    for (const item of group) {
      const gap = item.x - end;
      if (text !== '' && gap > 0.25 * item.fontSize && !/\s$/.test(text) && !/^\s/.test(item.str))
        text += ' ';
      text += item.str;
      end = item.x + item.width;
      if (item.str.trim() !== '') {
        left = Math.min(left, item.x);
        right = Math.max(right, end);
        size = Math.max(size, item.fontSize);
      }
    }
    const clean = unifyRadicals(text.replace(/\s+/g, ' ').trim());
    if (clean !== '') lines.push({ text: clean, x: left, right, y: group[0]?.y ?? 0, size });
  }
  return lines;
}

function isEdgePageNumber(line: PrintedLine, index: number, count: number): boolean {
  return (index < 2 || index >= count - 2) && isPageNumberLine(line.text);
}

/** Drops a first or last line that recurs (digits aside) on most pages: a running header or footer. */
function dropRunningLines(pages: PrintedLine[][]): PrintedLine[][] {
  if (pages.length < 3) return pages;
  const key = (l: PrintedLine | undefined) => l?.text.replace(/\d+/g, '#') ?? '';
  const needed = Math.max(3, Math.ceil(pages.length * RUNNING_LINE_SHARE));
  let out = pages;
  for (const edge of ['first', 'last'] as const) {
    const pick = (p: PrintedLine[]) => (edge === 'first' ? p[0] : p[p.length - 1]);
    const counts = new Map<string, number>();
    for (const p of out) {
      const k = key(pick(p));
      if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    out = out.map((p) => {
      const k = key(pick(p));
      if (!k || (counts.get(k) ?? 0) < needed) return p;
      return edge === 'first' ? p.slice(1) : p.slice(0, -1);
    });
  }
  return out;
}

interface Layout {
  /** Font size of the body text: the size most text is set in. */
  size: number;
  /** Left margin of body lines that are not indented. */
  left: number;
  /** Right margin: where the widest body lines end. */
  right: number;
  /** Usual distance between two lines of one paragraph; 0 when unknown. */
  pitch: number;
  /** Whether paragraphs start with an indented first line (else only gaps separate them). */
  indented: boolean;
}

function measureLayout(lines: readonly PrintedLine[]): Layout {
  const bySize = new Map<number, number>();
  for (const l of lines) bySize.set(round(l.size), (bySize.get(round(l.size)) ?? 0) + l.text.length);
  const size = modeKey(bySize) ?? 12;
  const body = lines.filter((l) => Math.abs(l.size - size) < 0.5);
  const lefts = new Map<number, number>();
  for (const l of body) lefts.set(round(l.x), (lefts.get(round(l.x)) ?? 0) + 1);
  const left = modeKey(lefts) ?? 0;
  // The widest body lines reach the right margin; a stray wider line (a table, a URL) must not move it.
  const rights = body.map((l) => l.right).sort((a, b) => a - b);
  const right = rights[Math.floor(rights.length * 0.95)] ?? 0;
  const pitches = new Map<number, number>();
  for (let i = 1; i < body.length; i++) {
    const d = round((body[i - 1]?.y ?? 0) - (body[i]?.y ?? 0));
    if (d > 0 && d < size * 3) pitches.set(d, (pitches.get(d) ?? 0) + 1);
  }
  const pitch = modeKey(pitches) ?? 0;
  const indentedLines = body.filter((l) => l.x - left >= size * 1.5 && l.x - left <= size * 2.5).length;
  return { size, left, right, pitch, indented: indentedLines >= Math.max(2, body.length * 0.05) };
}

/** Joins printed lines into one line per paragraph, across page breaks. */
function joinParagraphs(pages: readonly PrintedLine[][], layout: Layout): string[] {
  const out: string[] = [];
  let prev: PrintedLine | null = null;
  pages.forEach((page) => {
    page.forEach((line, i) => {
      const samePage = i > 0;
      if (prev && runsOn(prev, line, samePage, layout)) {
        out[out.length - 1] = joinPieces(out[out.length - 1] ?? '', line.text);
      } else {
        out.push(line.text);
      }
      prev = line;
    });
  });
  return out;
}

function runsOn(a: PrintedLine, b: PrintedLine, samePage: boolean, layout: Layout): boolean {
  const { size } = layout;
  if (Math.abs(a.size - size) >= 0.5 || Math.abs(b.size - size) >= 0.5) return false;
  const flush = b.x <= layout.left + 0.5 * size;
  if (!wrapped(a, b, layout) || !flush || startsBlock(b.text)) return false;
  if (samePage) return layout.pitch === 0 || a.y - b.y <= layout.pitch * 1.15;
  // Across a page break no gap can be measured: without indents only an unfinished sentence runs on.
  return layout.indented || !endsSentence(a.text);
}

/** Punctuation that may not start a line, so it travels to the next line with the character before it. */
const NO_LINE_START = '）)」』”’、，。；：！？》〕】%';
/** Punctuation that may not end a line, so it travels with the character after it. */
const NO_LINE_END = '“‘《（〔【(';
const FIRST_UNIT = new RegExp(`^[${NO_LINE_END}]*(?:[A-Za-z0-9.+\\-/]+|.)[${NO_LINE_START}]*`, 'u');

/**
 * Whether line `a` stopped because the next line's first unbreakable unit (a character with the
 * punctuation that must stay with it, or a Latin word or number) did not fit before the right margin.
 * This holds for justified text, where wrapped lines reach the margin, and for ragged web-page prints,
 * where they stop up to a few characters short; a paragraph's last line stops short although it fits.
 */
function wrapped(a: PrintedLine, b: PrintedLine, layout: Layout): boolean {
  const unit = FIRST_UNIT.exec(b.text)?.[0] ?? b.text.slice(0, 1);
  return a.right + displayWidth(unit) * layout.size > layout.right - 0.5 * layout.size;
}

/** The first page's lines set clearly larger than the body: the document's title, if it has one. */
function titleOf(firstPage: readonly PrintedLine[], layout: Layout): string | null {
  const big = Math.max(0, ...firstPage.map((l) => l.size));
  if (big < layout.size * 1.1) return null;
  const start = firstPage.findIndex((l) => l.size === big);
  const parts: string[] = [];
  for (const l of firstPage.slice(start)) {
    if (l.size !== big) break;
    parts.push(l.text);
  }
  const title = parts.reduce((acc, p) => (acc ? joinPieces(acc, p) : p), '');
  return /\p{Script=Han}|[A-Za-z]/u.test(title) ? title : null;
}

function round(n: number): number {
  return Math.round(n * 2) / 2;
}

function modeKey(counts: Map<number, number>): number | null {
  let best: number | null = null;
  let n = -1;
  for (const [k, c] of counts)
    if (c > n) {
      best = k;
      n = c;
    }
  return best;
}
