/**
 * Checks a journalist's claim ("嘉兴到2027年家庭医生签约服务覆盖率达到45%", "Xining aims for 65 percent
 * family-doctor coverage by 2025") against the extracted targets. Region, year, language and metric terms
 * come from the injected parser; the claimed number is parsed here.
 *
 * - supported: a target of that region (and year, when the claim names one; horizon-derived years count)
 *   with a matching metric has the claimed value. A ≥ target's value is what the claim must state:
 *   "45%" is supported by 45%以上, "50%" is not.
 * - contradicted: region, year and metric match but every such target has another value; documentValue is
 *   the document's own wording (45%以上). When the claimed value is that metric's target for another year,
 *   the message says so.
 * - other_year: the documents set no such target for the claimed year, but the claimed value is the target
 *   for another year ("45% is the 2027 target"); documentYear names it.
 * - not_found: anything else, including a claim without a region of these documents or without a number,
 *   because a verdict about some other region would put a wrong number in a journalist's story. Claims
 *   without a number are checked against clauses instead (claim-clauses.ts).
 *
 * A target the document states twice (in the text and in its annex table) is one piece of evidence, with
 * the other statement in `alsoStatedIn`.
 */
import type { TargetRecord } from '../../ingest/model.ts';
import { metricGroup } from '../../ingest/targets/metric-groups.ts';
import { englishValueLabel } from '../answer/english-value.ts';
import type { ClaimCheck } from '../service-types.ts';
import { type ClaimValue, parseClaimValue, unitsAgree } from './parse-claim-value.ts';
import { mergeSameTargets } from './same-target.ts';

export interface ClaimUnderstanding {
  regions: string[];
  years: number[];
  lang: 'zh' | 'en';
  metricTerms: string[];
  /**
   * Chinese text a population qualifier is looked for in besides the claim (an English claim's glossary
   * terms: "key groups" → 重点人群).
   */
  qualifierText?: string;
  /** English name of a place (嘉兴市 → Jiaxing), for English messages. */
  englishPlace?: (region: string) => string | null;
  /** English name of a Chinese metric, for English messages. */
  englishMetric?: (metric: string) => string | null;
}

/** Shorter terms (率, 数) would match almost every metric. */
const MIN_TERM_LENGTH = 3;
/** How many distinct document values a message lists before it stops. */
const MAX_VALUES_IN_MESSAGE = 3;
/** Qualifiers that mean "everyone", i.e. the headline target when a claim names no population. */
const GENERAL_QUALIFIERS = new Set(['全人群']);

function normalise(text: string): string {
  return text.normalize('NFKC').replace(/[\s“”"'‘’《》]/g, '');
}

/** Drops numbers, units and comparator words so that "家庭医生签约服务覆盖率45%以上" leaves the metric. */
function metricPart(term: string): string {
  return normalise(term)
    .replace(/\d+(?:\.\d+)?\s*(?:%|‰|\/10万|万元|元|人次|万|人|个|张|家|所|名|辆|级|项|类|支|次)?/g, '')
    .replace(/(?:以上|以下|以内|左右|不低于|不少于|至少|不超过|控制在|达到|提高到|提升至|到|达|为|≥|≤)+/g, '')
    .trim();
}

/** How well a target's metric answers the claim: 3 same group, 2 named in the claim, 1 contains a term. */
function metricScore(target: TargetRecord, terms: readonly string[], claimText: string): number {
  let best = 0;
  for (const term of terms) {
    if (term.length < MIN_TERM_LENGTH) continue;
    if (metricGroup(term) === target.metricGroup) return 3;
    if (target.metric.includes(term) || target.metricGroup.includes(term)) best = Math.max(best, 1);
  }
  const metric = normalise(target.metric);
  if (
    (target.metricGroup.length >= MIN_TERM_LENGTH && claimText.includes(target.metricGroup)) ||
    (metric.length >= MIN_TERM_LENGTH && claimText.includes(metric))
  ) {
    best = Math.max(best, 2);
  }
  return best;
}

/** The claim's population (重点人群), else the headline target rather than a sub-population's. */
function narrowByQualifier(candidates: TargetRecord[], claimText: string): TargetRecord[] {
  const named = candidates.filter((t) => t.qualifier && claimText.includes(normalise(t.qualifier)));
  if (named.length) return named;
  const general = candidates.filter((t) => t.qualifier === null || GENERAL_QUALIFIERS.has(t.qualifier));
  return general.length ? general : candidates;
}

function valueMatches(target: TargetRecord, claimed: ClaimValue): boolean {
  const same = (a: number, b: number | null) => b !== null && Math.abs(a - b) < 1e-9;
  if (claimed.valueMax !== null)
    return same(claimed.value, target.value) && same(claimed.valueMax, target.valueMax);
  return target.valueMax === null && same(claimed.value, target.value);
}

function describeTarget(target: TargetRecord, parsed: ClaimUnderstanding): string {
  const who = target.qualifier ? `${target.qualifier}${target.metric}` : target.metric;
  if (parsed.lang === 'zh') {
    const when =
      target.year === null
        ? ''
        : target.yearSource === 'horizon'
          ? `${target.year}年(全文目标年)`
          : `${target.year}年`;
    return `${target.region}${when}${who}目标为${target.valueText}`;
  }
  const when =
    target.year === null
      ? ''
      : target.yearSource === 'horizon'
        ? ` for ${target.year} (the document's target year)`
        : ` for ${target.year}`;
  const english = parsed.englishPlace?.(target.region);
  const place = english ? `${english} (${target.region})` : target.region;
  // A label with digits ("per 1,000 people") would show numbers no clause contains: keep the Chinese then.
  const metricEn = parsed.englishMetric?.(who);
  const metric = metricEn && !/\d/.test(metricEn) ? `${metricEn} (${who})` : who;
  return `${place}'s target for ${metric}${when} is ${englishValueLabel(target.valueText)}`;
}

function summarise(targets: readonly TargetRecord[], parsed: ClaimUnderstanding): string {
  const lines = [...new Set(targets.map((t) => describeTarget(t, parsed)))].slice(0, MAX_VALUES_IN_MESSAGE);
  return lines.join(parsed.lang === 'zh' ? ';' : '; ');
}

function result(
  claim: string,
  verdict: ClaimCheck['verdict'],
  message: string,
  evidence: readonly TargetRecord[] = [],
  documentValue: string | null = null,
  documentYear: number | null = null,
): ClaimCheck {
  return {
    claim,
    verdict,
    message,
    evidence: mergeSameTargets(evidence),
    documentValue,
    documentYear,
    clauses: [],
  };
}

/** The best-matching targets of the claim's metric among `pool`, narrowed to the claim's population. */
function bestCandidates(
  pool: readonly TargetRecord[],
  terms: readonly string[],
  claimText: string,
  qualifierText: string,
): TargetRecord[] {
  const scored = pool.map((t) => ({ t, score: metricScore(t, terms, claimText) }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  if (best === 0) return [];
  return narrowByQualifier(
    scored.filter((s) => s.score === best).map((s) => s.t),
    qualifierText,
  );
}

const yearsText = (years: readonly number[], zh: boolean) => years.join(zh ? '、' : ', ');

export function checkClaim(
  claim: string,
  targets: readonly TargetRecord[],
  understand: (text: string) => ClaimUnderstanding,
): ClaimCheck {
  const parsed = understand(claim);
  const zh = parsed.lang === 'zh';
  const claimed = parseClaimValue(claim);
  if (!claimed) {
    return result(
      claim,
      'not_found',
      zh ? '说法中没有可核对的数值。' : 'Not found: the claim states no number that could be checked.',
    );
  }
  if (parsed.regions.length === 0) {
    return result(
      claim,
      'not_found',
      zh
        ? '说法没有指明这些文件所涉及的地区,无法核对。'
        : 'Not found: the claim names no region covered by these documents.',
    );
  }
  const claimText = normalise(claim);
  const qualifierText = `${claimText}${normalise(parsed.qualifierText ?? '')}`;
  const terms = [...parsed.metricTerms, claim].map(metricPart).filter(Boolean);
  const ofPlace = targets.filter(
    (t) => parsed.regions.includes(t.region) && unitsAgree(claimed.unit, t.unit),
  );
  const inYear = (t: TargetRecord) =>
    parsed.years.length === 0 || (t.year !== null && parsed.years.includes(t.year));
  const candidates = bestCandidates(ofPlace.filter(inYear), terms, claimText, qualifierText);
  // The same metric in the documents' other years: a right value with a wrong year is named as such.
  const otherYears =
    parsed.years.length === 0
      ? []
      : bestCandidates(
          ofPlace.filter((t) => !inYear(t)),
          terms,
          claimText,
          qualifierText,
        );
  const otherYearMatches = otherYears.filter((t) => valueMatches(t, claimed));
  const otherYear = otherYearMatches[0]?.year ?? null;
  const claimYears = yearsText(parsed.years, zh);

  if (candidates.length === 0) {
    if (otherYearMatches.length > 0 && otherYear !== null) {
      return result(
        claim,
        'other_year',
        zh
          ? `${claimed.text}是${otherYear}年的目标,不是${claimYears}年的:${summarise(otherYearMatches, parsed)}。`
          : `${claimed.text} is the ${otherYear} target, not the ${claimYears} one: ${summarise(otherYearMatches, parsed)}.`,
        otherYearMatches,
        null,
        otherYear,
      );
    }
    if (otherYears.length > 0) {
      return result(
        claim,
        'not_found',
        zh
          ? `文件没有为${claimYears}年设定该目标;文件设定的是:${summarise(otherYears, parsed)}。`
          : `Not found for ${claimYears}: the documents set ${summarise(otherYears, parsed)}.`,
        otherYears,
      );
    }
    return result(
      claim,
      'not_found',
      zh
        ? '在这些文件中没有找到与该说法对应的目标。'
        : 'Not found: no target in these documents matches this claim.',
    );
  }
  const supporting = candidates.filter((t) => valueMatches(t, claimed));
  if (supporting.length) {
    return result(
      claim,
      'supported',
      zh
        ? `文件支持该说法:${summarise(supporting, parsed)}。`
        : `Supported: ${summarise(supporting, parsed)}.`,
      supporting,
    );
  }
  const documentValue = [...new Set(candidates.map((t) => t.valueText))].join('、');
  const alsoNote =
    otherYear === null
      ? ''
      : zh
        ? `(${claimed.text}是${otherYear}年的目标)`
        : ` (${claimed.text} is the ${otherYear} target)`;
  return result(
    claim,
    'contradicted',
    zh
      ? `与文件不符:${summarise(candidates, parsed)},而不是${claimed.text}${alsoNote}。`
      : `Contradicted: ${summarise(candidates, parsed)}, not ${claimed.text}${alsoNote}.`,
    [...candidates, ...otherYearMatches],
    documentValue,
    otherYear,
  );
}
