import { type DocumentMeta, type HeaderFact, type LawEvent, UNTITLED } from '../model.ts';
import { matchHeading } from '../parse/headings.ts';
import { cutText } from '../text/cut-text.ts';
import { findDate, isDateLine, toIsoDate } from './dates.ts';
import {
  findDocNumber,
  findOrderNumber,
  isDocNumberLine,
  isOrderNumberLine,
  normalizeDocNumber,
  orderIssuer,
} from './doc-number.ts';
import { docTypeOf } from './doc-type.ts';
import { fiveYearPlansIn } from './five-year-plans.ts';
import { readAnnouncedAdoption, readInForce, readLawEvent } from './law-history.ts';
import { placeOfDocument } from './place-of-document.ts';
import { bodyNames, findSignatures, type Signature } from './signature.ts';

/**
 * Document metadata read from the document's own text: header facts of web pages (labels as `cleanPage`
 * names them: 发文文号, 发布机关, 成文日期, 信息名称),
 * the title lines, the document number line, the header lines of laws (通过/公布/修订/修正), the in-force
 * clause, and the signature block (落款). An optional `<file>.meta.json` next to the source replaces fields
 * a text truly does not state.
 */
/**
 * Two or more spaces (or an ideographic space) before a date, inside one header line; or a comma or semicolon
 * before one ("（2001年10月27日…会议通过，2018年12月29日第四次修正）").
 */
const HISTORY_PART_BREAK = /(?:\s{2,}|\u3000+|[，,；;]\s*)(?=(?:19|20)\d{2}年|根据)/;

export type MetadataOverride = Partial<Omit<DocumentMeta, 'docId' | 'source' | 'headerFacts'>>;

export interface DerivedMetadata {
  meta: DocumentMeta;
  /** What the user should know about this document's metadata ("place unknown"). */
  warnings: string[];
}

export interface MetadataInput {
  docId: string;
  source: string;
  /** Cleaned text: header fact lines first, then the document. */
  text: string;
  facts: readonly HeaderFact[];
  /** The title the format marks (Markdown `#`, HTML main heading), when there is one. */
  markedTitle?: string | null;
  override?: MetadataOverride;
}

/** Endings of document titles; a title broken over lines is joined until one of these. */
const TITLE_SUFFIX =
  /(?:通知|通报|意见|方案|计划|安排|要点|办法|规划|决定|决议|规定|细则|纲要|条例|法|规范|标准|规则|公告|通告|批复|函|解读)(?:[(（]试行[)）])?$/;
/** Lines of a title a page may break it into. */
const MAX_TITLE_LINES = 4;
const MAX_TITLE_LINE_CHARS = 60;
/** Lines at the top searched for the title, number and cover signature. */
const HEAD_LINES = 30;
/** Shown for a document without a title line, before the first words of its text. */
const UNTITLED_EXCERPT_CHARS = 24;
/** An issuer named relative to the page's own place: 市卫生健康委员会, 区政府办公室. */
const RELATIVE_ISSUER = /^[省市区县州盟旗](?:人民政府|政府|卫生|委|卫健|医保|教育|财政|民政|办)/;
const ISSUER_PREFIX_END =
  /(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|委|部|局|署|厅|院|会)$/;

export function deriveMetadata(input: MetadataInput): DerivedMetadata {
  const { docId, source, text, facts } = input;
  const override = input.override ?? {};
  const fact = (...labels: string[]) => facts.find((f) => labels.includes(f.label))?.value ?? null;
  const lines = text.split('\n').slice(facts.length);
  const head = lines.slice(0, HEAD_LINES);
  // Some sites join a regulation's history on one line with double spaces ("…批准  2010年10月29日…第一次修订
  // 2011年1月17日…批准"): each dated part is an event of its own.
  const dated = head
    .flatMap((line) => line.split(HISTORY_PART_BREAK))
    .map(readLawEvent)
    .filter((e): e is LawEvent => e !== null);
  // A ministry's rule has no dated header lines; its order line announces the meeting that adopted it.
  const announced = dated.length
    ? null
    : head.map(readAnnouncedAdoption).find((e): e is LawEvent => e !== null);
  const history = announced ? [announced] : dated;
  const titleLines = readTitleLines(head, input.markedTitle ?? null, fact('信息名称'));
  const title = titleLines.title;
  const signatures = findSignatures(lines);
  const signature = pickSignature(signatures, titleLines.end, lines.length);
  // A ministry's rule opens with its order line, "（国家医疗保障局令第 6 号）": the order names the issuer and number.
  const orderLine = head.find((l) => isOrderNumberLine(l));
  const stated =
    readIssuer(titleLines.spaced, fact('发布机关', '发布机构'), signature, history) ??
    (orderLine ? orderIssuer(orderLine) : null) ??
    interpreterOf(text);
  // "市卫生健康委员会" on a city's page is the city's own body: it is named in full once the place is known.
  const relative = stated !== null && RELATIVE_ISSUER.test(stated);
  const promulgated = history.find((e) => e.action === 'promulgated' || e.action === 'adopted')?.date ?? null;
  const numberLine = head.find((l) => isDocNumberLine(l));
  const docNumber =
    normalizeFact(fact('发文文号', '文件编号')) ??
    (numberLine ? findDocNumber(numberLine) : null) ??
    history.find((e) => e.orderNumber)?.orderNumber ??
    (orderLine ? findOrderNumber(orderLine) : null) ??
    null;
  // The meeting an order announces adopted the text; its date is not the date the order was signed.
  const latestVersion = dated.filter((e) => e.action !== 'in-force').pop()?.date ?? null;
  const issuedDate =
    toIsoDate(fact('成文日期', '生成日期', '发文日期')) ??
    signature?.date ??
    latestVersion ??
    firstDateLine(head);
  const place = placeOfDocument({
    title,
    issuer: stated,
    body: lines.join('\n'),
    signature: signature?.issuers.join(' ') || null,
    headerFacts: facts,
  });
  const warnings = place.warning ? [place.warning] : [];
  const issuer =
    relative && stated && place.region && place.region.level !== 'national'
      ? `${place.region.name}${stated.slice(1)}`
      : stated;
  const period = readPeriod(title);
  const meta: DocumentMeta = {
    docId,
    source,
    title,
    issuer,
    docNumber,
    issuedDate,
    publishedDate: toIsoDate(fact('发布日期', '公开日期')),
    docType: docTypeOf(title, issuer),
    history,
    // "自印发之日起施行" takes effect on the day the text was issued; a page's 生效日期 says so outright.
    inForce: readInForce(text, promulgated ?? issuedDate, title) ?? factInForce(fact('生效日期', '实施日期')),
    supersededBy: null,
    region: place.region,
    period,
    horizonYears: readHorizon(text, period),
    headerFacts: [...facts],
  };
  const final: DocumentMeta = { ...meta, ...override, docId, source, headerFacts: [...facts] };
  if (final.title.startsWith(UNTITLED)) warnings.push('no title found: the text starts mid-document');
  if (!final.issuer) warnings.push('no issuer found in the title, header facts, signature or header lines');
  if (!final.issuedDate && !final.inForce?.date) warnings.push('no date found');
  return { meta: final, warnings };
}

interface TitleLines {
  title: string;
  /** The title with the line breaks as spaces, so a joint issuer prefix stays split into names. */
  spaced: string;
  /** Index of the line after the title. */
  end: number;
}

/**
 * The title: the marked one when the format has it, else the first lines that read as a title (short, no
 * sentence punctuation, not a number, date, fact or addressee line), joined until a title ending.
 */
function readTitleLines(head: readonly string[], marked: string | null, named: string | null): TitleLines {
  // A portal cuts a long title in its fact table ("名称:…关于印发健康龙江行动(2019..."): the text's own title line
  // that starts with it is the whole title.
  const cut = named && /(?:\.{3}|…)$/.test(named) ? named.replace(/(?:\.{3}|…)$/, '') : null;
  const whole = cut
    ? head.find((l) => squash(l).startsWith(squash(cut)) && squash(l).length > squash(cut).length)
    : null;
  const own = marked ?? (cut ? (whole?.trim() ?? null) : named);
  if (own) {
    const at = head.findIndex((l) => squash(l) === squash(own));
    return { title: tidyTitle(own), spaced: own, end: at >= 0 ? at + 1 : 0 };
  }
  for (let i = 0; i < head.length; i++) {
    if (!isTitleLine(head[i] ?? '')) continue;
    // The bodies of a signature block stand above its date: a notice's signer is not its title.
    if (isSignerLine(head, i)) continue;
    const parts: string[] = [];
    for (let k = i; k < head.length && k - i < MAX_TITLE_LINES && isTitleLine(head[k] ?? ''); k++) {
      parts.push((head[k] ?? '').trim());
      if (TITLE_SUFFIX.test(squash(parts.join('')))) {
        // A page's headline above the document ("《健康河北建设行动方案(2023—2027年)》印发") is not part of a
        // title line that is whole on its own ("河北省卫生健康委员会关于印发《…》的通知").
        const last = parts.at(-1) ?? '';
        const above = squash(parts.slice(0, -1).join(''));
        if (
          parts.length > 1 &&
          /^《.*》(?:印发|发布|出台|公布)$/.test(above) &&
          last.includes('关于') &&
          TITLE_SUFFIX.test(squash(last))
        )
          return { title: tidyTitle(last), spaced: last, end: k + 1 };
        const spaced = parts.join(' ');
        return { title: tidyTitle(spaced), spaced, end: k + 1 };
      }
    }
    const first = (head[i] ?? '').trim();
    return { title: tidyTitle(first), spaced: first, end: i + 1 };
  }
  // A notice whose own title was not saved names what it issues: "…联合制定《X》，现印发给你们".
  const issued = head.join('\n').match(ISSUES_TITLED);
  if (issued?.[1]) return { title: tidyTitle(issued[1]), spaced: issued[1], end: 0 };
  // A file that starts mid-document (a fragment before the next document's cover) has no title line.
  const first = head.find((l) => l.trim()) ?? '';
  return { title: `${UNTITLED}${cutText(tidyTitle(first), UNTITLED_EXCERPT_CHARS)}…`, spaced: '', end: 0 };
}

/** A notice's contact line ("市卫生健康委联系人：…，联系电话：…") is no title. */
const CONTACT_LINE = /联系人|联系电话|联系方式|电话[:：]|传真[:：]|邮箱[:：]/;
const MAX_SIGNER_LINES = 4;
/** What a notice says it issues, when its own title is lost: 制定《…方案》，现印发给你们. */
const ISSUES_TITLED = /(?:制定|修订|研究制定|出台)了?《([^》\n]{4,60})》[，,]?\s*现(?:予)?印发/;

/**
 * The line of a signature block's bodies: above its date, or several bodies apart ("广州市卫生健康委员会
 * 广州市财政局"), never a title.
 */
function isSignerLine(head: readonly string[], i: number): boolean {
  const names = bodyNames(head[i] ?? '');
  if (!names) return false;
  if (isDateLine(head[i + 1]?.trim() ?? '')) return true;
  // Bodies on lines of their own head a joint title too ("卫生健康委 教育部 财政部" above "…关于印发…"): they
  // sign only where a date follows them, not a title.
  if (names.length < 2) return false;
  for (let k = i + 1; k < head.length && k <= i + MAX_SIGNER_LINES; k++) {
    const next = head[k]?.trim() ?? '';
    if (isDateLine(next)) return true;
    if (!bodyNames(next)) return false;
  }
  return false;
}

function isTitleLine(raw: string): boolean {
  const line = raw.trim();
  return (
    line.length > 0 &&
    line.length <= MAX_TITLE_LINE_CHARS &&
    !/[。；;！!？?]|[:：]$/.test(line) &&
    !CONTACT_LINE.test(line) &&
    // A cell of a page's fact table ("公开目录: | 公开责任部门: | ||"), never a title.
    !line.includes('|') &&
    !isDocNumberLine(line) &&
    !isDateLine(line) &&
    readLawEvent(line) === null &&
    matchHeading(line) === null &&
    /\p{Script=Han}{2}/u.test(line)
  );
}

/** Portal prefixes such as 【青海】 and marks such as (有效) are the site's, not the document's; line-break spaces go. */
function tidyTitle(title: string): string {
  return (
    title
      .replace(/^【[^】]{1,8}】/, '')
      // A portal's validity mark after the title ("…的通知(有效)") is the page's, not the title's.
      .replace(/\s*[(（](?:有效|现行有效|失效|已失效|废止|已废止)[)）]\s*$/, '')
      .replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, (space) => (space.length > 1 ? ' ' : ''))
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * The signature of this document: the first one after the title within the cover notice, else the last
 * one of the text (the block at the end of an opinion or plan).
 */
function pickSignature(
  signatures: readonly Signature[],
  titleEnd: number,
  lineCount: number,
): Signature | null {
  const cover = signatures.find(
    (s) => s.line >= titleEnd && s.line < titleEnd + HEAD_LINES && s.issuers.length,
  );
  if (cover) return cover;
  const withNames = signatures.filter((s) => s.issuers.length);
  return withNames[withNames.length - 1] ?? signatures.find((s) => s.line < lineCount) ?? null;
}

function readIssuer(
  spacedTitle: string,
  factIssuer: string | null,
  signature: Signature | null,
  history: readonly LawEvent[],
): string | null {
  // The title names the issuer in full (嘉兴市人民政府办公室关于…); a page's fact field may abbreviate it (市政府办公室).
  // 《卫生部关于…规定》的通知 quotes the title it issues: the body before 关于 is still the issuer.
  const prefix = (spacedTitle.split('关于')[0] ?? '')
    .replace(/^【[^】]{1,8}】/, '')
    .replace(/^[《〈“"]/, '')
    .trim();
  if (prefix && prefix !== spacedTitle.trim() && ISSUER_PREFIX_END.test(prefix.replace(/\s+/g, ''))) {
    const names = prefix.split(/\s+/).filter(Boolean);
    return names.length > 1 ? names.join('、') : (names[0] ?? null);
  }
  if (factIssuer) return factIssuer.trim();
  if (signature?.issuers.length) return signature.issuers.join('、');
  const acting =
    history.find((e) => e.body && e.action !== 'revised' && e.action !== 'amended') ??
    history.find((e) => e.body);
  return acting?.body ?? null;
}

/**
 * Measures printed without their issuing notice still say who interprets them ("本办法由国家卫生健康委、
 * 国家医保局负责解释"): the bodies that issued them, the best the text offers.
 */
function interpreterOf(text: string): string | null {
  const joined = text.normalize('NFKC').replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '');
  const m = joined.match(/本(?:办法|规定|细则|规范|条例|标准)由([^。，,；;]{2,60}?)负责解释/);
  return m?.[1]?.trim().replace(/会同|商/g, '、') ?? null;
}

function normalizeFact(value: string | null): string | null {
  return value ? normalizeDocNumber(value) : null;
}

function readPeriod(text: string): { start: number; end: number } | null {
  const normalized = text.normalize('NFKC');
  const range = normalized.match(/((?:19|20)\d{2})\s*年?\s*[-—–~至到]+\s*((?:19|20)\d{2})\s*年/);
  if (range) return { start: Number(range[1]), end: Number(range[2]) };
  // A "十四五" plan runs over the plan's five years (five-year-plans.tsv).
  const plan = fiveYearPlansIn(normalized)[0];
  if (plan) return { start: plan.start, end: plan.end };
  // "2024年卫生健康工作要点" is a one-year plan; "（2024年修订）" and "（2013年版）" date a version, not a period.
  const single = normalized.match(/((?:19|20)\d{2})年(?!\s*(?:修订|修正|修改|版|第))/);
  return single ? { start: Number(single[1]), end: Number(single[1]) } : null;
}

/** Years the targets are for: "到2027年" in the general requirements, and the end of the plan period. */
function readHorizon(text: string, period: { start: number; end: number } | null): number[] {
  const lead = text.split(/\n二、/)[0] ?? text;
  const years = new Set<number>();
  for (const m of lead.matchAll(/到\s*((?:19|20)\d{2})\s*年/g)) years.add(Number(m[1]));
  if (period) years.add(period.end);
  return [...years].sort((a, b) => a - b);
}

/** A page's 生效日期 / 实施日期 fact as the date in force, quoted as its fact line stands in the header. */
function factInForce(value: string | null): { date: string | null; text: string } | null {
  const date = toIsoDate(value);
  return value && date ? { date, text: value } : null;
}

function firstDateLine(lines: readonly string[]): string | null {
  for (const line of lines) if (isDateLine(line)) return findDate(line)?.iso ?? null;
  return null;
}
