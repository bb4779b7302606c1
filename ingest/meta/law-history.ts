import type { LawAction, LawEvent } from '../model.ts';
import { findDate } from './dates.ts';
import { findOrderNumber } from './doc-number.ts';

/**
 * The header lines of laws and regulations: one per adoption, promulgation, revision or amendment
 * ("2021年8月20日第十三届全国人民代表大会常务委员会第三十次会议通过", "2001年6月20日 中华人民共和国国务院令第308号公布",
 * "2017年11月17日《国务院关于修改部分行政法规的决定》第一次修订"), and the in-force clause of the text
 * ("本法自2019年12月1日起施行", "自公布之日起施行").
 */

const ACTIONS: [RegExp, LawAction][] = [
  [/修订[）)]?$/, 'revised'],
  [/修正[）)]?$/, 'amended'],
  [/批准[）)]?$/, 'approved'],
  [/通过[）)]?$/, 'adopted'],
  [/(?:公布|发布)[）)]?$/, 'promulgated'],
  [/^(?:起?施行|实施)[）)]?$/, 'in-force'],
];

/** A dated line at the top that says what happened to the text; null for any other line. */
export function readLawEvent(line: string): LawEvent | null {
  const text = line.normalize('NFKC').trim();
  const date = findDate(text);
  if (!date || date.index > 2) return null;
  // "（2007年2月14日卫生部令第53号发布 自2007年5月1日起施行）": the promulgation, then the date in force, on one
  // line; the in-force clause is read from the text like any other.
  const rest = text
    .slice(date.index + date.length)
    .trim()
    .replace(/(公布|发布|通过|批准|修订|修正)\s+自.{4,24}?施行([）)]?)$/, '$1$2');
  const action = ACTIONS.find(([re]) => re.test(rest))?.[1];
  if (!action || rest.length > 160) return null;
  return {
    date: date.iso,
    action,
    body: actingBody(rest),
    orderNumber: findOrderNumber(rest),
    text: line.trim(),
  };
}

/**
 * The adoption a ministry's order announces: "《医疗保障基金飞行检查管理暂行办法》已经2023年2月14日第5 次局务会议审议
 * 通过，现予以公布" — the meeting and its date, as the line writes them (spaces of PDF text removed).
 */
const ANNOUNCED_ADOPTION =
  /已(?:经)?\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(第\s*\d{1,3}\s*次\s*[\u4e00-\u9fff]{2,12}?会议)\s*(?:审议)?通过/;

export function readAnnouncedAdoption(line: string): LawEvent | null {
  const m = ANNOUNCED_ADOPTION.exec(line.normalize('NFKC'));
  const date = m?.[1] ? findDate(m[1].replace(/\s+/g, '')) : null;
  if (!m || !date) return null;
  const text = `${m[1]}${m[2]}${m[0].endsWith('审议通过') ? '审议通过' : '通过'}`.replace(/\s+/g, '');
  return { date: date.iso, action: 'adopted', body: null, orderNumber: null, text };
}

/**
 * "浙江省第十三届人民代表大会常务委员会第十四次会议" acts as 浙江省人民代表大会常务委员会; "中华人民共和国国务院令" as
 * 国务院. A revision by a decision (《国务院关于修改…的决定》) is the decision's issuer.
 */
function actingBody(rest: string): string | null {
  const congress = rest.match(
    /^(.{0,12}?)(?:第[一二三四五六七八九十]+届)?((?:全国)?(?:人民代表大会(?:常务委员会)?|人大常委会))/,
  );
  // 全国人大常委会 is how headers often shorten 全国人民代表大会常务委员会: the body is named in full.
  if (congress)
    return (
      `${congress[1] ?? ''}${congress[2] ?? ''}`
        .replace(/^中华人民共和国/, '')
        .replace(/人大常委会$/, '人民代表大会常务委员会') || null
    );
  const order = rest.match(/^(?:中华人民共和国)?([\u4e00-\u9fff]{2,16}?)令/);
  if (order) return order[1] ?? null;
  const decision = rest.match(/^《([\u4e00-\u9fff]{2,16}?)关于/);
  return decision?.[1] ?? null;
}

/**
 * When the text says it takes effect: a date, or the promulgation date when it says 自公布之日起. A clause
 * that names another text ("本规程自2023年1月1日起实施" in the rules attached to a notice) is that text's, not
 * the document's: with a title, only a clause naming a word of the title (本通知, 本条例, the 本方案 of
 * "关于印发…方案的通知") or none counts.
 */
export function readInForce(
  text: string,
  promulgated: string | null,
  title?: string,
): { date: string | null; text: string } | null {
  const normalized = text.normalize('NFKC');
  const kind = title?.normalize('NFKC').trim() ?? '';
  const ownClause = (subject: string | undefined) => !subject || !kind || kind.includes(subject);
  const matches = [
    ...normalized.matchAll(
      /(?:本(\p{Script=Han}{1,3}?))?自\s*([^。，,;；]{2,24}?)\s*起(?:施行|实施|执行|生效)/gu,
    ),
  ].filter((m) => ownClause(m[1]));
  const last = matches[matches.length - 1];
  if (!last) return null;
  const when = last[2] ?? '';
  const date = findDate(when)?.iso ?? (/(?:公布|发布|印发)之日/.test(when) ? promulgated : null);
  return { date, text: last[0].slice(last[0].indexOf('自')) };
}
