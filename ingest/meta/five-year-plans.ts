/**
 * The five-year plans a document or a question names (十四五, "the 14th Five-Year Plan"), with their years:
 * a 十四五 plan sets its targets for 2025, the plan's last year. The years are data (five-year-plans.tsv).
 */
import { fileURLToPath } from 'node:url';
import { readTsv } from './places/read-tsv.ts';

export interface FiveYearPlan {
  name: string;
  start: number;
  end: number;
}

export interface FiveYearPlanMention extends FiveYearPlan {
  index: number;
  length: number;
}

const PLANS: readonly (FiveYearPlan & { ordinal: number })[] = readTsv(
  fileURLToPath(new URL('./five-year-plans.tsv', import.meta.url)),
).map(([name = '', ordinal = '', start = '', end = '']) => ({
  name,
  ordinal: Number(ordinal),
  start: Number(start),
  end: Number(end),
}));

const ORDINAL_SUFFIX = '(?:st|nd|rd|th)';
const PATTERN = new RegExp(
  [
    ...PLANS.map((p) => p.name),
    `\\b(?:${PLANS.map((p) => p.ordinal).join('|')})${ORDINAL_SUFFIX}\\s+five[- ]year(?:\\s+[a-z]+){0,2}?\\s+plan\\b`,
    `\\b(?:${PLANS.map((p) => p.ordinal).join('|')})${ORDINAL_SUFFIX}\\s+fyp\\b`,
  ].join('|'),
  'gi',
);

/** The five-year plans `text` names, in order. */
export function fiveYearPlansIn(text: string): FiveYearPlanMention[] {
  const out: FiveYearPlanMention[] = [];
  for (const m of text.normalize('NFKC').matchAll(PATTERN)) {
    const written = m[0];
    const ordinal = Number(/\d+/.exec(written)?.[0]);
    const plan = PLANS.find((p) => p.name === written || p.ordinal === ordinal);
    if (plan)
      out.push({
        name: plan.name,
        start: plan.start,
        end: plan.end,
        index: m.index ?? 0,
        length: written.length,
      });
  }
  return out;
}
