import type { DocumentMeta, HeaderFact, RegionInfo } from '../model.ts';
import { detectRegion } from './regions.ts';

/**
 * Document metadata read from the cleaned text and its header facts. What a page does not say (the Fengxian
 * page names no issuer) comes from an optional override file next to the source, `<file>.meta.json`, whose
 * fields replace the derived ones.
 */
export type MetadataOverride = Partial<Omit<DocumentMeta, 'docId' | 'source' | 'headerFacts'>>;

const DOC_NUMBER = /^[\u4e00-\u9fff]{1,10}[〔[]\d{4}[〕\]]\d+号$/;
const TITLE_SUFFIX = /(?:通知|意见|方案|计划|安排|要点|办法|规划|决定|规定|细则|纲要)$/;
const ISSUER_SUFFIX = /(?:人民政府办公室|人民政府办公厅|人民政府|办公室|委员会|卫生健康委|卫健委|局)$/;
/** Lines of a title a web page may break it into. */
const MAX_TITLE_LINES = 4;

export function deriveMetadata(
  docId: string,
  source: string,
  text: string,
  facts: readonly HeaderFact[],
  override: MetadataOverride = {},
): DocumentMeta {
  const fact = (...labels: string[]) => facts.find((f) => labels.includes(f.label))?.value ?? null;
  const lines = text.split('\n').slice(facts.length);
  const numberLine = lines.slice(0, 3).find((l) => DOC_NUMBER.test(l)) ?? null;
  const title = readTitle(lines, fact('信息名称'));
  const region = override.region ?? regionOf(title, text, docId);
  const issuer = readIssuer(title, fact('发布机关', '发布机构'), region);
  const period = readPeriod(title);
  const meta: DocumentMeta = {
    docId,
    source,
    title,
    issuer,
    docNumber: fact('发文文号', '文件编号') ?? numberLine,
    issuedDate: toIsoDate(fact('成文日期', '生成日期') ?? firstChineseDate(lines.slice(0, 12))),
    publishedDate: toIsoDate(fact('发布日期', '公开日期')),
    region,
    period,
    horizonYears: readHorizon(text, period),
    headerFacts: [...facts],
  };
  return { ...meta, ...override, docId, source, headerFacts: [...facts] };
}

function readTitle(lines: readonly string[], named: string | null): string {
  if (named) return named;
  const candidates = lines.filter((l) => !DOC_NUMBER.test(l)).slice(0, MAX_TITLE_LINES);
  let title = '';
  for (const line of candidates) {
    title += line;
    if (TITLE_SUFFIX.test(title)) break;
  }
  if (!TITLE_SUFFIX.test(title)) title = candidates[0] ?? '';
  // Portal prefixes such as 【青海】 name the site's section, not the document.
  return title.replace(/^【[^】]{1,8}】/, '').trim();
}

function regionOf(title: string, text: string, docId: string): RegionInfo {
  const entry = detectRegion(title, text);
  if (!entry) {
    throw new Error(
      `Cannot tell which region "${docId}" belongs to: add it to ingest/meta/regions.ts or set "region" in its .meta.json override.`,
    );
  }
  const { aliases: _aliases, ...region } = entry;
  return region;
}

function readIssuer(title: string, factIssuer: string | null, region: RegionInfo): string | null {
  const prefix = title.split('关于')[0] ?? '';
  if (prefix && prefix !== title && ISSUER_SUFFIX.test(prefix)) return prefix;
  if (!factIssuer) return null;
  // 发布机构: 市卫生健康委员会 reads as the city's own body: name the city.
  if (/^[市区县]/.test(factIssuer)) return `${region.name}${factIssuer.slice(1)}`;
  return factIssuer;
}

function readPeriod(title: string): { start: number; end: number } | null {
  const range = title.match(/((?:19|20)\d{2})\s*[-—–~至]\s*((?:19|20)\d{2})年/);
  if (range) return { start: Number(range[1]), end: Number(range[2]) };
  const single = title.match(/((?:19|20)\d{2})年/);
  if (single) return { start: Number(single[1]), end: Number(single[1]) };
  return null;
}

/** Years the targets are for: "到2027年" in the general requirements, and the end of the plan period. */
function readHorizon(text: string, period: { start: number; end: number } | null): number[] {
  const lead = text.split(/\n二、/)[0] ?? text;
  const years = new Set<number>();
  for (const m of lead.matchAll(/到((?:19|20)\d{2})年/g)) years.add(Number(m[1]));
  if (period) years.add(period.end);
  return [...years].sort((a, b) => a - b);
}

function firstChineseDate(lines: readonly string[]): string | null {
  for (const line of lines) {
    const m = line.match(/^((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日$/);
    if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  }
  return null;
}

function toIsoDate(value: string | null): string | null {
  if (!value) return null;
  const m = value.match(/((?:19|20)\d{2})[-年/.](\d{1,2})[-月/.](\d{1,2})/);
  if (!m) return null;
  return `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
}
