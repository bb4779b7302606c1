/**
 * The number a claim states, with its unit: 45%, 45 percent, 4.0个, 10/10万, 5-10个, "10 to 13". Years,
 * ages and per-capita bases (2027年, 65岁, 每3万人口, "per 1,000 people", "by 2027") are not the claimed value.
 */

export interface ClaimValue {
  value: number;
  valueMax: number | null;
  /** Normalised like target units (%, ‰, /10万, 人, 个 …); null when the claim gives none. */
  unit: string | null;
  /** As written in the claim, for messages. */
  text: string;
}

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const RANGE = String.raw`\s*(?:-|—|–|~|～|至|到|to)\s*`;
const UNIT = String.raw`\/\s*10\s*万|per\s+100,?000|percent|per\s*cent|per\s*mille|%|％|‰|万元|元|人次|万|人|个|张|家|所|名|辆|级|项|类|支|次`;
const CLAIM_VALUE = new RegExp(String.raw`(?<![\d.])(${NUMBER})(?:${RANGE}(${NUMBER}))?\s*(${UNIT})?`, 'gi');
/** What may follow a number that is not a claimed value: 2027年, 65岁, 15分钟, 3月. */
const NOT_A_VALUE_AFTER = /^\s*(?:年|岁|周岁|分钟|月|日|号|型)/;
const EARLIEST_YEAR = 1900;
const LATEST_YEAR = 2100;

function normaliseUnit(unit: string | undefined): string | null {
  if (!unit) return null;
  const compact = unit.toLowerCase().replace(/[\s,]+/g, '');
  if (compact === 'percent') return '%';
  if (compact === 'permille') return '‰';
  if (compact.startsWith('per100000') || compact.startsWith('/')) return '/10万';
  return compact;
}

function looksLikeYear(value: number, unit: string | null, raw: string): boolean {
  return (
    unit === null &&
    Number.isInteger(value) &&
    value >= EARLIEST_YEAR &&
    value <= LATEST_YEAR &&
    !raw.includes('.')
  );
}

/** "per 1,000 people" names a per-capita base (每千人口), not the claimed value. */
const ENGLISH_BASE = /\bper\s+(?:1,?000|10,?000|thousand|ten\s+thousand|hundred)\b/gi;

export function parseClaimValue(claim: string): ClaimValue | null {
  const text = claim.normalize('NFKC').replace(ENGLISH_BASE, (base) => ' '.repeat(base.length));
  const found: ClaimValue[] = [];
  for (const match of text.matchAll(CLAIM_VALUE)) {
    const start = match.index;
    const end = start + match[0].length;
    if (/(?:每|\bper)\s*$/i.test(text.slice(0, start))) continue;
    const unit = normaliseUnit(match[3]);
    if (unit === null && NOT_A_VALUE_AFTER.test(text.slice(end))) continue;
    const value = Number(match[1]);
    if (looksLikeYear(value, unit, match[1] ?? '')) continue;
    found.push({
      value,
      valueMax: match[2] === undefined ? null : Number(match[2]),
      unit,
      text: match[0].trim(),
    });
  }
  // A value with a unit is the claim's figure; a bare number only when it is the only one.
  return found.find((v) => v.unit !== null) ?? (found.length === 1 ? found[0]! : null);
}

/** 名 and 人 both count people. */
export function unitsAgree(claimUnit: string | null, targetUnit: string): boolean {
  if (claimUnit === null) return true;
  const canonical = (unit: string) => (unit === '名' ? '人' : unit);
  return canonical(claimUnit) === canonical(targetUnit);
}
