/**
 * Chinese short names of documents keep the title's characters in order and drop the rest: 国境卫检法 is
 * 中华人民共和国国境卫生检疫法, 传染病法 is 传染病防治法, 医机条例 is 医疗机构管理条例. A question names a title by
 * such a short form when the form ends in the title's form word and every one of its characters appears in
 * the title in the same order.
 */
const FORM_WORDS = '法|条例|办法|规定|细则|规程|决定|通知|意见|方案|计划|规划|要点|指南';

/** A short form must keep at least this many characters besides the form word to name one title. */
const MIN_OWN_CHARS = 2;

/** The longest short form in `question` that abbreviates `title`, as a share of the title's own characters (0 when none). */
export function abbreviationCoverage(question: string, title: string): number {
  return titleNamedBy(question, title)?.coverage ?? 0;
}

/** A name of `title` in `question`: the short form as the question writes it, and its share of the title. */
export interface TitleName {
  form: string;
  coverage: number;
}

/**
 * The runs of `question` that may name a title (Chinese characters ending in a form word): read once per
 * question, then tried against every title.
 */
export function shortNameRuns(question: string): string[] {
  const text = question.normalize('NFKC');
  const runs: string[] = [];
  // Each run ends at a form word and reaches back over the Chinese characters before it, to the start of
  // their stretch (at most MAX_RUN_CHARS): a form word inside a name (人口与计划生育法 holds 计划) does not cut
  // it short, and titleNamedBy tries every start inside it.
  for (const m of text.matchAll(FORM_WORD_END)) {
    const end = (m.index ?? 0) + m[0].length;
    const stretch = /\p{Script=Han}+$/u.exec(text.slice(Math.max(0, end - MAX_RUN_CHARS), end))?.[0];
    if (stretch && !runs.includes(stretch)) runs.push(stretch);
  }
  return runs;
}

const FORM_WORD_END = new RegExp(`(?:${FORM_WORDS})`, 'g');
/** The longest stretch of characters a run reaches back over: the longest short title and its form word. */
const MAX_RUN_CHARS = 16;

/** The longest short form in `question` that abbreviates `title`; null when the question names it by none. */
export function titleNamedBy(
  question: string,
  title: string,
  runs: readonly string[] = shortNameRuns(question),
): TitleName | null {
  // A title's trailing status in brackets (互联网诊疗管理办法（试行）, …规定(2021年修订)) is not part of its name.
  const t = title
    .normalize('NFKC')
    .replace(/^中华人民共和国/, '')
    .replace(/\s*\((?:试行|暂行|修订|修正|征求意见稿|[^()]{0,12}(?:修订|修正)|(?:19|20)\d{2}年?版)\)$/, '');
  let best: TitleName | null = null;
  // Try every start inside a run: "国境卫检法新修订版" → 国境卫检法, and the run may begin with other words.
  for (const run of runs) {
    for (let i = 0; i + MIN_OWN_CHARS < run.length; i++) {
      const form = run.slice(i);
      if (!t.endsWith(formWordOf(form))) continue;
      if (isSubsequence(form, t)) {
        const coverage = form.length / t.length;
        if (!best || coverage > best.coverage) best = { form, coverage };
        break;
      }
    }
  }
  return best;
}

const FORM_WORD_AT_END = new RegExp(`(?:${FORM_WORDS})$`);

function formWordOf(name: string): string {
  return FORM_WORD_AT_END.exec(name)?.[0] ?? '';
}

function isSubsequence(short: string, long: string): boolean {
  let at = 0;
  for (const ch of short) {
    at = long.indexOf(ch, at);
    if (at < 0) return false;
    at += ch.length;
  }
  return true;
}
