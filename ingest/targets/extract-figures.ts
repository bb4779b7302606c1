/**
 * Figures that laws and regulations write, mostly in Chinese numerals: fines (处五十万元以上五百万元以下的罚款,
 * 十五倍以上五十倍以下), detention and suspension (五日以上十五日以下拘留, 暂停六个月以上一年以下执业活动), time
 * limits (二十四小时内, 六个月内制定), and standards (不少于五年, 不得低于百分之三十, 年满十八周岁, 每年不少于两次).
 *
 * Plans use Chinese numerals mostly in names (两个责任, 三项机制, 三年行动), so a Chinese number is a figure
 * only when something marks it as one: a comparator (以上, 不少于, 内), a range, a percent form (百分之),
 * or a penalty. Arabic numbers are read by `extract-from-sentence.ts`; only Arabic fines and time limits,
 * which it leaves out, are read here.
 */
import type { Comparator, TargetKind } from '../model.ts';
import {
  type ExpressionComparator,
  findNumericExpressions,
  type NumericExpression,
} from '../text/chinese-numerals.ts';
import { segmentEnd, segmentStart } from './segments.ts';

/** Words that make a figure in the same clause segment a penalty. */
const PENALTY = /罚款|罚金|拘留|没收|吊销|暂停.*执业|停产停业|禁止.*从事/;
/** The penalty a figure measures, as the segment names it after the figure. */
const PENALTY_NOUN = /罚款|罚金|拘留|执业活动|停产停业|从事[^,,;;。]*?活动/;
/** Wording of a duty rather than of a goal. */
const DUTY = /应当|不得|必须|每个|原则上|年满|未满/;
// Full-width marks are written as escapes: a formatter or NFKC pass must not fold them into ASCII.
const AT_LEAST = /不得低于|不得少于|不低于|不少于|至少/;
const AT_MOST = /不得超过|不得高于|不超过|不高于|控制在/;
/** The counted thing or the duty after a figure: strips 的 and trailing connectors. */
const TRAILING = /(?:以及|和|及|与|、|\s)+$/;

export interface FigureCandidate {
  expression: NumericExpression;
  kind: TargetKind;
  metric: string;
  qualifier: string | null;
  comparator: Comparator;
}

function segmentAround(sentence: string, start: number, end: number): { from: number; to: number } {
  return { from: segmentStart(sentence, start), to: segmentEnd(sentence, end) };
}

/**
 * Targets keep ≥ / ≤ for 以上 / 以下 (which include the number). 超过 and 不满 exclude it; a target record
 * has no strict comparator, so they read as the nearest bound and `valueText` keeps the exact words.
 */
function targetComparator(comparator: ExpressionComparator): Comparator {
  if (comparator === '>') return '≥';
  if (comparator === '<') return '≤';
  return comparator;
}

/** True when a clause segment imposes a penalty (…处…罚款, 拘留, 暂停…执业活动). */
export function isPenaltySegment(segment: string): boolean {
  return PENALTY.test(segment);
}

/** The kind of a figure from the words around it; a time figure with 内 is a time limit. */
export function figureKind(segment: string, sentence: string, expression: NumericExpression): TargetKind {
  if (PENALTY.test(segment)) return 'penalty';
  if (expression.unitCategory === 'time' && /内|之日起|以前|之前/.test(segment)) return 'deadline';
  if (DUTY.test(sentence) || expression.unitCategory === 'age') return 'standard';
  return 'target';
}

function isMarkedFigure(expression: NumericExpression, kind: TargetKind): boolean {
  if (expression.unitCategory === 'level') return false;
  if (kind === 'penalty' || kind === 'deadline') return true;
  if (expression.script === 'arabic') return false;
  if (expression.unitCategory === 'ratio') return true;
  return expression.comparator !== '=';
}

/** Everything in the sentence after the figure up to the segment end, e.g. 执业活动, 制定. */
function textAfter(sentence: string, end: number, to: number): string {
  return sentence.slice(end, to).replace(/^的/, '').replace(TRAILING, '').trim();
}

function cleanBefore(text: string): string {
  return (
    text
      // Article numbers, list markers and the 处 / 并处 that introduce a penalty are not part of what is measured.
      .replace(/^第[〇零一二三四五六七八九十百千\d]+条\s*/, '')
      .replace(/^[(\uFF08][〇零一二三四五六七八九十\d]+[)\uFF09]/, '')
      .replace(
        /^(?:\s|[、和及与并且]|同时|其中|可以|对[^,\uFF0C;\uFF1B。]*?处|并处|处|由[^,\uFF0C;\uFF1B。]*?处)+/,
        '',
      )
      .replace(/(?:不得低于|不得少于|不得超过|不低于|不少于|不超过|不高于|至少|达到|为|的|\s)+$/, '')
      .trim()
  );
}

/**
 * Figures in one sentence that `extract-from-sentence.ts` does not read: Chinese-numeral figures with a
 * mark, and Arabic fines and time limits. `taken` holds the offsets of numbers already read there.
 */
export function extractFigures(
  sentence: string,
  taken: (start: number, end: number) => boolean,
): FigureCandidate[] {
  const out: FigureCandidate[] = [];
  for (const expression of findNumericExpressions(sentence)) {
    if (taken(expression.numberStart, expression.end)) continue;
    const { from, to } = segmentAround(sentence, expression.start, expression.end);
    const segment = sentence.slice(from, to);
    const after = sentence.slice(expression.end, to);
    // 货值金额不足五十万元的 states a condition of the rule, not a figure of it.
    // 服务人口规模超过十万人或者服务区域较大的 likewise: a strict comparator in a clause ending in 的.
    const strict = expression.comparator === '<' || expression.comparator === '>';
    if (strict && /的\s*$/.test(segment)) continue;
    const kind = figureKind(segment, sentence, expression);
    if (!isMarkedFigure(expression, kind)) continue;
    const before = cleanBefore(sentence.slice(from, expression.start));
    let metric: string;
    let qualifier: string | null = null;
    const previous = out.at(-1);
    if (previous && previous.expression.end === expression.start) {
      // The second end of 百分之五十以上十倍以下 (two units) measures what the first end does.
      metric = previous.metric;
      qualifier = previous.qualifier;
    } else if (kind === 'penalty') {
      metric =
        PENALTY_NOUN.exec(after)?.[0] ??
        PENALTY_NOUN.exec(segment)?.[0] ??
        textAfter(sentence, expression.end, to);
      qualifier = before === '' ? null : before;
    } else {
      const object = textAfter(sentence, expression.end, to);
      metric = before !== '' ? before : object;
      if (before !== '' && object !== '' && kind === 'deadline') metric = `${before}…${object}`;
    }
    let comparator = targetComparator(expression.comparator);
    // 不得低于编制总数的百分之三十: the comparator word is written before the figure's object.
    if (comparator === '=' && AT_LEAST.test(segment.slice(0, expression.start - from))) comparator = '≥';
    else if (comparator === '=' && AT_MOST.test(segment.slice(0, expression.start - from))) comparator = '≤';
    out.push({ expression, kind, metric, qualifier, comparator });
  }
  return out;
}
