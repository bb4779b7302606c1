import { isDateLine, toIsoDate } from './dates.ts';

/**
 * The signature block (落款) of a notice or opinion: the issuing bodies on one or more short lines, then the
 * date; or "国家医疗保障局 2019年6月20日" on one line. Joint documents letter-space short names for layout
 * ("教 育 部", "财 政 部"), which are glued back together here.
 */
export interface Signature {
  issuers: string[];
  date: string | null;
  /** Index of the date line in the lines given. */
  line: number;
}

/** Names of bodies end like this; a signature line is a few of them and nothing else. */
const BODY_END = /(?:委员会|委|部|局|署|办公室|办公厅|政府|院|中心|会|厅|司|处|室|所|站|社|组|办)$/;
const MAX_BODY_LINE_CHARS = 60;
/** The closing line of a notice, right above its signature. */
const CLOSING = /^特此(?:通知|通告|公告|函告)。?$/;
const MAX_BODY_LINES = 4;

/** Every signature block in the lines, in order. */
export function findSignatures(lines: readonly string[]): Signature[] {
  const found: Signature[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (isDateLine(line)) {
      const issuers: string[] = [];
      for (let k = i - 1; k >= 0 && i - k <= MAX_BODY_LINES; k--) {
        const names = bodyNames(lines[k] ?? '');
        if (!names) break;
        issuers.unshift(...names);
      }
      const afterClosing = CLOSING.test(lines[i - 1]?.trim() ?? '');
      if (issuers.length || afterClosing) found.push({ issuers, date: toIsoDate(line), line: i });
      return;
    }
    // 特此通知。 then the bodies, the date lost (a seal, a page break).
    if (CLOSING.test(lines[i - 1]?.trim() ?? '') && !isDateLine(lines[i + 1]?.trim() ?? '')) {
      const names = bodyNames(line);
      if (names) found.push({ issuers: names, date: null, line: i });
      return;
    }
    // "国家医疗保障局 2019年6月20日"; PDF text repaired of its spaces glues the date on ("…综合司2024年10月28日").
    const m = line.match(/^(.{2,40}?)\s*((?:19|20)\d{2}\s*年.{1,8}日)$/);
    if (m && isDateLine(m[2] ?? '')) {
      const names = bodyNames(m[1] ?? '');
      if (names) found.push({ issuers: names, date: toIsoDate(m[2] ?? ''), line: i });
    }
  });
  return found;
}

/** The bodies a signature line names, or null when the line is not a signature line. */
export function bodyNames(raw: string): string[] | null {
  const line = raw.trim();
  if (!line || line.length > MAX_BODY_LINE_CHARS || /[。，,；;：:、“”《》]/.test(line)) return null;
  const tokens = line.split(/\s+/);
  // Glue letter-spaced runs ("教 育 部" → 教育部), then split glued names after a body ending.
  const glued: string[] = [];
  let run = '';
  for (const token of tokens) {
    if (token.length === 1) run += token;
    else {
      if (run) glued.push(run);
      run = '';
      glued.push(token);
    }
  }
  if (run) glued.push(run);
  const names = glued.flatMap((name) =>
    name.split(
      /(?<=[部局署])(?!办公|综合)(?=[\u4e00-\u9fff]{2})|(?<=委)(?![员会]|办公)(?=[\u4e00-\u9fff]{2})/,
    ),
  );
  return names.length && names.every((n) => BODY_END.test(n) && n.length >= 2) ? names : null;
}
