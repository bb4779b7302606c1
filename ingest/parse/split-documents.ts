import { isDocNumberLine } from '../meta/doc-number.ts';
import type { Line } from './lines.ts';

/**
 * Files that hold several documents (a compilation saved as one text, a PDF that carries the cover notice
 * of another document after the last article) are split where a new cover block starts: a notice title
 * (关于…的通知/决定/意见/函) on up to three short lines, followed by its document number or its addressees
 * ("各省、自治区、直辖市人民政府："). A cover at the top of the file is the file's own document; the opinion or
 * plan a cover issues ("现将《…》印发给你们") follows it without a cover of its own and stays with it.
 */
export interface DocumentSpan {
  /** Line range [firstLine, endLine) of the cleaned text. */
  firstLine: number;
  endLine: number;
}

const COVER_TITLE = /关于.{2,80}的(?:通知|决定|意见|批复|函|通报|公告|通告)$/;
const ADDRESSEES = /^[^。；;]{2,120}[：:]$/;
const DATE_LINE =
  /^[\d〇零一二三四五六七八九十\s]{4,}年[\d〇零一二三四五六七八九十\s]{1,4}月[\d〇零一二三四五六七八九十\s]{1,4}日$/;
const MAX_TITLE_LINES = 3;
const MAX_TITLE_LINE_CHARS = 60;
/** A cover is a new document only after this much prose (lines of 40+ characters) in the current one. */
const MIN_PROSE_BEFORE_SPLIT = 200;
const PROSE_LINE_CHARS = 40;

export function splitDocuments(lines: readonly Line[]): DocumentSpan[] {
  const starts = [0];
  let prose = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]?.text.trim() ?? '';
    if (prose >= MIN_PROSE_BEFORE_SPLIT && coverAt(lines, i)) {
      starts.push(i);
      prose = 0;
    }
    if (text.length >= PROSE_LINE_CHARS) prose += text.length;
  }
  return starts.map((firstLine, k) => ({ firstLine, endLine: starts[k + 1] ?? lines.length }));
}

function coverAt(lines: readonly Line[], i: number): boolean {
  let title = '';
  for (let k = i; k < lines.length && k - i < MAX_TITLE_LINES; k++) {
    const text = (lines[k]?.text ?? '').trim();
    // The date of a signature block (国家医疗保障局 / 2025年5月28日) ends the document before it: a title
    // starts after it, so the signature stays with its document.
    if (!text || text.length > MAX_TITLE_LINE_CHARS || /[。；;]/.test(text) || DATE_LINE.test(text))
      return false;
    title += text.replace(/\s+/g, '');
    if (COVER_TITLE.test(title)) {
      const next = (lines[k + 1]?.text ?? '').trim();
      return isDocNumberLine(next) || ADDRESSEES.test(next);
    }
  }
  return false;
}
