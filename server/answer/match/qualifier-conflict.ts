import { longestCommonRun } from './common-run.ts';

/**
 * A record's metric and a question can share their head and differ in the qualifier before it: 住院费用跨省直接
 * 结算率 is not 门诊费用跨省直接结算率, 全人群签约覆盖率 is not 重点人群签约覆盖率. Such a record states a neighbouring
 * metric's figure, and answering with it is the worst failure (a wrong number). The qualifier is the one or
 * two characters right before the longest run the two share, when that run ends the metric; they conflict
 * when each side has its own and neither side names the other's anywhere.
 */

/** The shared run must be at least this long to be the metric's head, not a common word. */
const MIN_HEAD_CHARS = 4;
const QUALIFIER_CHARS = 2;
const HAN = /^\p{Script=Han}+$/u;

export function qualifierConflict(metric: string, topic: string): boolean {
  const m = metric.normalize('NFKC');
  const t = topic.normalize('NFKC');
  const run = longestCommonRun(m, t);
  // The shared run is the metric's head only when it ends the metric (…费用跨省直接结算率); a run in its middle
  // (…等级保护 of …等级保护水平) is shared wording, and what precedes it in the question may be any verb.
  if (run.length < MIN_HEAD_CHARS || run.aStart + run.length < m.replace(/[)）]$/, '').length) return false;
  const mq = m.slice(Math.max(0, run.aStart - QUALIFIER_CHARS), run.aStart);
  const tq = t.slice(Math.max(0, run.bStart - QUALIFIER_CHARS), run.bStart);
  if (!mq || !tq) return false;
  if (!HAN.test(mq) || !HAN.test(tq) || mq === tq) return false;
  // "每个区储备的定点医疗机构": a head after 的 has no qualifier of its own, only the words that lead to it.
  if (mq.endsWith('的')) return false;
  return !t.includes(mq) && !m.includes(tq);
}
