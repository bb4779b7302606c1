/**
 * Document numbers (发文字号) as texts write them: 嘉政办发〔2024〕5号, （国卫医发〔2020〕2 号） with a stray space
 * from PDF extraction, [2019] in square brackets, and the order numbers of laws and regulations
 * (中华人民共和国国务院令第308号, 国家药品监督管理局令第10号, 主席令第二十九号).
 */
const ISSUE_NUMBER =
  /[\u4e00-\u9fff]{1,14}\s*[〔[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*(\d{1,4})\s*号/;
const ORDER_NUMBER = /(?:[\u4e00-\u9fff]{0,16}?)(?:令|主席令)\s*第\s*([\d一二三四五六七八九十百零〇]+)\s*号/;
/** The order written number first, as joint orders of two bodies are: 食品药品监管局、海关总署第4号令. */
const NUMBERED_ORDER = /[\u4e00-\u9fff][\u4e00-\u9fff、]{1,30}?第\s*[\d一二三四五六七八九十百零〇]+\s*号令/;

/** The number inside a text, spaces removed; null when it holds none. */
export function findDocNumber(text: string): string | null {
  const m = text.normalize('NFKC').match(ISSUE_NUMBER);
  if (m) return normalizeDocNumber(m[0]);
  return null;
}

/** An order number (国务院令第308号) in a law's or regulation's header line, as the short form 国务院令第308号. */
export function findOrderNumber(text: string): string | null {
  const nfkc = text.normalize('NFKC');
  const m = nfkc.match(ORDER_NUMBER) ?? nfkc.match(NUMBERED_ORDER);
  if (!m) return null;
  return normalizeDocNumber(m[0].replace(/^中华人民共和国(?=国务院令|主席令)/, ''));
}

/** A line that is an order number and nothing else: "（国家医疗保障局令第 6 号）" under a ministry's rules. */
const ORDER_LINE =
  /^[(（]?\s*([\u4e00-\u9fff]{2,20}?)(?:令|主席令)\s*第\s*[\d一二三四五六七八九十百零〇]+\s*号\s*[)）]?$/;

export function isOrderNumberLine(line: string): boolean {
  return ORDER_LINE.test(line.normalize('NFKC').trim());
}

/** The body whose order a line is (国家医疗保障局 of 国家医疗保障局令第6号); null for another line. */
export function orderIssuer(line: string): string | null {
  const body = ORDER_LINE.exec(line.normalize('NFKC').trim())?.[1] ?? null;
  return body && body !== '中华人民共和国' ? body.replace(/^中华人民共和国(?=国务院)/, '') : null;
}

/** A line that is a document number and nothing else (it may be in parentheses). */
export function isDocNumberLine(line: string): boolean {
  const text = line.normalize('NFKC').trim();
  const m = text.match(ISSUE_NUMBER);
  if (!m) return false;
  const rest = text.replace(m[0], '');
  return rest.replace(/[\s()（）]/g, '') === '';
}

/** 〔〕 is the standard bracket; PDF text and web pages use [] or () and add spaces. */
export function normalizeDocNumber(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[[［(（【](\d{4})[\]］)）】]/, '〔$1〕');
}
