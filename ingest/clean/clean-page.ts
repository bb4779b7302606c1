import type { HeaderFact } from '../model.ts';

/**
 * Removes the chrome that government web pages wrap around a document (breadcrumbs, view counters, print
 * and share links, "related articles" lists) and lifts the page's fact lines (索引号, 发文文号, 发布机关, 成文日期 …)
 * into metadata. The facts are also kept, one per line, at the top of the cleaned text, so that the header
 * chunk that cites them has offsets like every other chunk.
 */

export interface CleanedPage {
  /** Cleaned text: fact lines first, then the document; lines trimmed, blank lines removed. */
  text: string;
  facts: HeaderFact[];
}

/** Labels of header fact fields, longest first so that 发布机关 is not read as 发布. */
const FACT_LABELS = [
  '法定主动公开分类',
  '信息名称',
  '索引号',
  '公开方式',
  '发文文号',
  '文件编号',
  '发布机关',
  '发布机构',
  '成文日期',
  '生成日期',
  '公开日期',
  '发布日期',
  '废止日期',
  '信息来源',
  '内容概述',
  '作者',
  '字号',
  '浏览次数',
];
/** Fact fields that say nothing about the document (page furniture). */
const NOISE_LABELS = new Set(['作者', '字号', '浏览次数', '信息来源']);

const labelPattern = FACT_LABELS.map((l) => l.split('').join('\\s*')).join('|');
const FACT_LINE = new RegExp(`^(?:${labelPattern})\\s*[::]`);
const FACT_FIELD = new RegExp(`(${labelPattern})\\s*[::]\\s*`, 'g');

/** Whole lines that are page chrome. */
const CHROME_LINES: RegExp[] = [
  /^首页$/,
  /^首页\s*>/,
  /^>+\s*\S/,
  /^您当前的位置[::]?$/,
  /^【打印本页】/,
  /^【关闭本页】/,
  /^【?(?:打印|关闭)(?:本页|窗口)】?(?:\s+【?(?:打印|关闭)(?:本页|窗口)】?)*$/,
  /^扫一扫在手机打开当前页$/,
  /^分享[::]?$/,
  /^(?:Baidu|map|微信|微博|QQ空间)$/i,
  /^\S+\.(?:doc|docx|pdf|wps|xls|xlsx)$/i,
];

/** Everything from this line on is a list of links to other pages. */
const TRAILING_LISTS = /^(?:关联稿件|相关链接|相关文件|相关阅读|相关新闻)[::]?$/;

export function cleanPage(raw: string): CleanedPage {
  const lines = raw
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0|\u3000/g, ' ')
    .split('\n');
  const facts: HeaderFact[] = [];
  const body: string[] = [];
  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (!line) continue;
    if (TRAILING_LISTS.test(line)) break;
    if (CHROME_LINES.some((re) => re.test(line))) continue;
    const factsOnLine = readFacts(line);
    if (factsOnLine) {
      facts.push(...factsOnLine);
      continue;
    }
    body.push(...splitRunTogetherClauses(line));
  }
  const kept = dedupeFacts(facts);
  const factLines = kept.map((f) => `${f.label}: ${f.value}`);
  // A title repeated just below itself (as on the Fengxian page) is the page heading echoing the document.
  const deduped = body.filter((line, i) => !(i > 0 && i < 6 && line === body[i - 1]));
  return { text: [...factLines, ...deduped].join('\n'), facts: kept };
}

/** Reads a line such as "发文文号: 嘉政办发〔2024〕5号 发布机关: 市政府办公室" into facts; null if not a fact line. */
function readFacts(line: string): HeaderFact[] | null {
  if (!FACT_LINE.test(line)) return null;
  const matches = [...line.matchAll(FACT_FIELD)];
  const facts: HeaderFact[] = [];
  matches.forEach((m, i) => {
    const label = (m[1] ?? '').replace(/\s+/g, '');
    const from = (m.index ?? 0) + m[0].length;
    const to = matches[i + 1]?.index ?? line.length;
    const value = line.slice(from, to).trim();
    if (value && !NOISE_LABELS.has(label)) facts.push({ label, value });
  });
  return facts;
}

function dedupeFacts(facts: HeaderFact[]): HeaderFact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const key = `${f.label}\u0000${f.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Pages often lose the line break between two clauses and keep only the indentation:
 * "每千名老年人康复护理床位达到5.8张。    29.推进医养结合服务。" Split where a sentence ends, a run of spaces
 * follows and a clause number starts.
 */
const RUN_TOGETHER =
  /(?<=[。;;!!])\s{2,}(?=[\d\uFF10-\uFF19]{1,2}[.\uFF0E、]\S|[(\uFF08][一二三四五六七八九十\d]{1,3}[)\uFF09]|[一二三四五六七八九十]{1,3}、)/g;

export function splitRunTogetherClauses(line: string): string[] {
  return line
    .split(RUN_TOGETHER)
    .map((part) => part.trim())
    .filter(Boolean);
}
