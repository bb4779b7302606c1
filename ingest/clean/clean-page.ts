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

/**
 * Labels of header fact fields as pages write them. Sorted longest first below, so that 发文字号 is not
 * read as 字号 nor 发布机关 as 发布.
 */
const FACT_LABELS = [
  '法定主动公开分类',
  '信息名称',
  '文件名称',
  '名称',
  '标题',
  '索引号',
  '公开方式',
  '公开范围',
  '发文文号',
  '发文字号',
  '发文号',
  '文号',
  '文件编号',
  '发布机关',
  '发文机关',
  '发文单位',
  '发布单位',
  '发布机构',
  '成文日期',
  '发文日期',
  '生成日期',
  '公开日期',
  '发布日期',
  '发布时间',
  '生效日期',
  '实施日期',
  '废止日期',
  '失效日期',
  '主题分类',
  '所属主题',
  '公开目录',
  '公开责任部门',
  '公开形式',
  '有效期',
  '时效',
  '分类',
  '体裁分类',
  '组配分类',
  '服务对象',
  '主题词',
  '关键词',
  '有效性',
  '公文种类',
  '时效状态',
  '效力状态',
  '信息来源',
  '内容概述',
  '作者',
  '字号',
  '浏览次数',
  '访问量',
  '点击量',
];
/** Fact fields that say nothing about the document (page furniture). */
const NOISE_LABELS = new Set(['作者', '字号', '浏览次数', '访问量', '点击量', '信息来源']);
/**
 * Synonyms under the label metadata derivation reads (meta/derive-metadata.ts), so that a page saying
 * 发文字号 gives a document number like one saying 发文文号.
 */
const CANONICAL_LABELS: Record<string, string> = {
  发文字号: '发文文号',
  发布时间: '发布日期',
  发文号: '发文文号',
  文号: '发文文号',
  发文机关: '发布机关',
  发文单位: '发布机关',
  发布单位: '发布机构',
  标题: '信息名称',
  文件名称: '信息名称',
  名称: '信息名称',
};

const labelPattern = [...FACT_LABELS]
  .sort((a, b) => b.length - a.length)
  .map((l) => l.split('').join('\\s*'))
  .join('|');
const FACT_LINE = new RegExp(`^(?:${labelPattern})\\s*[:：]`);
const FACT_FIELD = new RegExp(`(${labelPattern})\\s*[:：]\\s*`, 'g');
const spacedLabels = [...FACT_LABELS]
  .filter((l) => l.length >= 2)
  .sort((a, b) => b.length - a.length)
  .join('|');
const SPACED_FACT_LINE = new RegExp(`^(?:${spacedLabels})\\s+\\S`);
const SPACED_FACT_FIELD = new RegExp(`(?<=^|\\s)(${spacedLabels})\\s+`, 'g');

/** Whole lines that are page chrome. */
const CHROME_LINES: RegExp[] = [
  /^首页$/,
  /^首页\s*>/,
  // A breadcrumb ("> 政务公开"), not a figure ("> 79" of an indicator table).
  /^>+\s*(?![\d.])\S/,
  /^您当前的位置[:：]?$/,
  /^(?:您)?当前(?:的)?位置[:：]/,
  /^【打印本页】/,
  /^【关闭本页】/,
  /^【?(?:打印|关闭)(?:本页|窗口|此页)】?(?:\s+【?(?:打印|关闭)(?:本页|窗口|此页)】?)*$/,
  /^扫一扫在手机(?:上)?打开当前页(?:面)?$/,
  // A portal's greeting and a notice's publication mark: "您好!欢迎您进入鹤岗市政府网站!", "(此件公开发布)".
  /^您好[!！]?\s*欢迎/,
  /^[(（]\s*(?:是否公开|此件公开发布|此件主动公开|此件不公开)[^)）]{0,30}[)）]$/,
  // Accessibility and elder-mode switches of government portals: "无障碍 长者助手 我的收藏 收藏".
  /^(?:(?:无障碍|长者助手|长者模式|关怀版|我的收藏|收藏|智能问答|支持IPv6)\s*)+$/i,
  // Script switches: "简体版|繁体版", "简体 | 繁體".
  /^(?:简体(?:版|中文)?|繁[体體](?:版|中文)?)\s*[|｜/]\s*(?:简体(?:版|中文)?|繁[体體](?:版|中文)?)$/,
  /^分享(?:到)?[:：]?$/,
  /^(?:Baidu|map|微信|微博|QQ空间)$/i,
  /^\S+\.(?:doc|docx|pdf|wps|xls|xlsx)$/i,
  // View counters and font-size switches: "访问量：687", "【字体：大 中 小】", "字号：[ 大 中 小 ]".
  /^(?:访问量|浏览量|阅读量|点击量|浏览次数|阅读次数)[:：]\s*\d*\s*(?:次)?$/,
  /^【?\s*(?:字体|字号)[:：]\s*[[【]?\s*大\s*中\s*小\s*[\]】]?\s*】?$/,
  /^(?:上一篇|下一篇)[:：]/,
  /^责任编辑[:：]/,
  // A republisher's credit under the text ("来源：国家卫生计生委官网"); long lines are text, not credits.
  /^(?:来源|稿源)[:：]\s*\S.{0,30}$/,
  // Site footers.
  /版权所有|ICP备\s*\d|网站标识码|公网安备|Copyright\s*©/i,
];

/** Three or more question marks or replacement characters ending a line. */
const LOST_CHARACTERS = /(?:[?？]|\uFFFD){3,}\s*$/;

/** A breadcrumb line: "当前位置:首页 > 政府信息公开", "首页 > 政务公开". */
const BREADCRUMB = /^(?:(?:您)?当前(?:的)?位置[:：]|首页\s*>)/;
/** Lines of banner a portal shows above its breadcrumb, at most. */
const SITE_HEADER_LINES = 6;

/** A portal column's name (计划总结, 政策文件): a few characters that no document form word ends. */
const COLUMN_NAME =
  /^(?!.*(?:通知|意见|办法|规定|条例|方案|规划|决定|要点|细则|公告|通告|批复|函|法)$)\p{Script=Han}{2,8}$/u;

/** Everything from this line on is a list of links to other pages. */
const TRAILING_LISTS = /^(?:关联稿件|相关链接|相关文件|相关阅读|相关新闻)[:：]?$/;

export function cleanPage(raw: string): CleanedPage {
  const lines = raw
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0|\u3000/g, ' ')
    .split('\n');
  const facts: HeaderFact[] = [];
  const body: string[] = [];
  for (const rawLine of lines) {
    // Characters a page lost to a wrong encoding trail some lines as "???" ("2022年6月13日???"): not text.
    const line = rawLine.replace(LOST_CHARACTERS, '').trim();
    if (!line) continue;
    if (TRAILING_LISTS.test(line)) break;
    // Table rows are content whatever their cells say; their cells must not be split into clauses.
    if (line.startsWith('|')) {
      body.push(line);
      continue;
    }
    // The breadcrumb ends the site's header: the lines above it are the portal's banner ("河南省卫生健康委员会",
    // "Health Commission of Henan Province"), not the document's title.
    if (BREADCRUMB.test(line) && body.length <= SITE_HEADER_LINES) body.length = 0;
    if (CHROME_LINES.some((re) => re.test(line))) continue;
    const factsOnLine = readFacts(line);
    if (factsOnLine) {
      // A short word standing above the fact table is the page's column ("计划总结"), not the title's start.
      if (!facts.length && body.length === 1 && COLUMN_NAME.test(body[0] ?? '')) body.pop();
      facts.push(...factsOnLine);
      continue;
    }
    body.push(...splitRunTogetherClauses(line));
  }
  const kept = dedupeFacts(facts);
  const factLines = kept.map((f) => `${f.label}: ${f.value}`);
  // A title repeated just below itself (as on the Fengxian page) is the page heading echoing the document.
  const deduped = body.filter(
    (line, i) => !(i > 0 && i < 6 && line === body[i - 1] && !line.startsWith('|')),
  );
  return { text: [...factLines, ...deduped].join('\n'), facts: kept };
}

/** Reads a line such as "发文文号: 嘉政办发〔2024〕5号 发布机关: 市政府办公室" into facts; null if not a fact line. */
function readFacts(raw: string): HeaderFact[] | null {
  // A fact in a list of the page's furniture ("• 发布日期:2022-08-04", "• 发文字号 青政办字〔2021〕67号").
  const bulleted = /^[•·]/.test(raw);
  const line = raw.replace(/^[•·]\s*/, '');
  if (FACT_LINE.test(line)) return factsBetween(line, [...line.matchAll(FACT_FIELD)]);
  const cells = factCells(line);
  if (cells) return cells;
  // A fact table copied without its colons: "主题分类 扶贫 发文日期 2022-07-21", "公开方式 主动公开 文号 尚政办规〔2022〕4号".
  // Read only when the line opens with a label and names two (or stands as an item of a list of facts), so body
  // text that starts with one is left alone.
  if (!SPACED_FACT_LINE.test(line)) return null;
  const spaced = [...line.matchAll(SPACED_FACT_FIELD)];
  return spaced.length >= (bulleted ? 1 : 2) ? factsBetween(line, spaced) : null;
}

const LABEL_SET = new Set(FACT_LABELS);

/**
 * A fact table kept as cells between pipes, label then value: "索 引 号 | 015425431/2020-00178 | 发布机构 |
 * 眉山市人民政府 |", "文 号 | 眉府发〔2020〕23号 | 公文种类 | 通知 | ||". Null unless the line opens with a label cell.
 */
function factCells(line: string): HeaderFact[] | null {
  if (!line.includes('|')) return null;
  const cells = line.split('|').map((cell) => cell.trim());
  const labelOf = (cell: string) => {
    const written = cell.replace(/\s+/g, '');
    return LABEL_SET.has(written) ? written : null;
  };
  if (!labelOf(cells[0] ?? '')) return null;
  const facts: HeaderFact[] = [];
  cells.forEach((cell, i) => {
    const written = labelOf(cell);
    const value = cells[i + 1] ?? '';
    if (written && !labelOf(value)) pushFact(facts, written, value);
  });
  return facts;
}

/** A fact under the label derivation reads it by, unless it is empty or page furniture (字号, 浏览次数). */
function pushFact(facts: HeaderFact[], written: string, value: string): void {
  const label = CANONICAL_LABELS[written] ?? written;
  if (value && !NOISE_LABELS.has(label)) facts.push({ label, value });
}

/** Each label found and the text up to the next one, as a fact; page furniture (字号, 浏览次数) left out. */
function factsBetween(line: string, matches: readonly RegExpMatchArray[]): HeaderFact[] {
  const facts: HeaderFact[] = [];
  matches.forEach((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const to = matches[i + 1]?.index ?? line.length;
    // Cells copied from a fact table keep their pipes ("发布机构: | |"): an empty cell is no value.
    const value = line
      .slice(from, to)
      .replace(/^[\s|]+|[\s|]+$/g, '')
      .trim();
    pushFact(facts, (m[1] ?? '').replace(/\s+/g, ''), value);
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
