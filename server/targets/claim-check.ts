/**
 * Checks a journalist's claim ("嘉兴到2027年家庭医生签约服务覆盖率达到45%", "Xining aims for 65 percent
 * family-doctor coverage by 2025") against the extracted targets. Region, year, language and metric terms
 * come from the injected parser; the claimed number is parsed here.
 *
 * - supported: a target of that region (and year, when the claim names one; horizon-derived years count)
 *   with a matching metric has the claimed value. A ≥ target's value is what the claim must state:
 *   "45%" is supported by 45%以上, "50%" is not.
 * - contradicted: region, year and metric match but every such target has another value; documentValue is
 *   the document's own wording (45%以上).
 * - not_found: anything else, including a claim without a region of these documents or without a number,
 *   because a verdict about some other region would put a wrong number in a journalist's story.
 */
import type { TargetRecord } from '../../ingest/model.ts';
import { metricGroup } from '../../ingest/targets/metric-groups.ts';
import type { ClaimCheck } from '../service-types.ts';
import { type ClaimValue, parseClaimValue, unitsAgree } from './parse-claim-value.ts';

export interface ClaimUnderstanding {
  regions: string[];
  years: number[];
  lang: 'zh' | 'en';
  metricTerms: string[];
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

function describeTarget(target: TargetRecord, lang: 'zh' | 'en'): string {
  const who = target.qualifier ? `${target.qualifier}${target.metric}` : target.metric;
  if (lang === 'zh') {
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
  return `${target.region}'s target for ${who}${when} is ${target.valueText}`;
}

function summarise(targets: readonly TargetRecord[], lang: 'zh' | 'en'): string {
  const lines = [...new Set(targets.map((t) => describeTarget(t, lang)))].slice(0, MAX_VALUES_IN_MESSAGE);
  return lines.join(lang === 'zh' ? ';' : '; ');
}

function result(
  claim: string,
  verdict: ClaimCheck['verdict'],
  message: string,
  evidence: TargetRecord[] = [],
  documentValue: string | null = null,
): ClaimCheck {
  return { claim, verdict, message, evidence, documentValue };
}

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
  const terms = [...parsed.metricTerms, claim].map(metricPart).filter(Boolean);
  const inScope = targets.filter(
    (t) =>
      parsed.regions.includes(t.region) &&
      (parsed.years.length === 0 || (t.year !== null && parsed.years.includes(t.year))) &&
      unitsAgree(claimed.unit, t.unit),
  );
  const scored = inScope.map((t) => ({ t, score: metricScore(t, terms, claimText) }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  const candidates =
    best === 0
      ? []
      : narrowByQualifier(
          scored.filter((s) => s.score === best).map((s) => s.t),
          claimText,
        );
  if (candidates.length === 0) {
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
      zh ? `文件支持该说法:${summarise(supporting, 'zh')}。` : `Supported: ${summarise(supporting, 'en')}.`,
      supporting,
    );
  }
  const documentValue = [...new Set(candidates.map((t) => t.valueText))].join('、');
  return result(
    claim,
    'contradicted',
    zh
      ? `与文件不符:${summarise(candidates, 'zh')},而不是${claimed.text}。`
      : `Contradicted: ${summarise(candidates, 'en')}, not ${claimed.text}.`,
    candidates,
    documentValue,
  );
}
