/**
 * Finds the quantitative targets in one sentence of a policy document: each number with a counting unit
 * (45%以上, 3.5个, 10/10万以下, 5-10个, 6‰) together with the metric phrase it measures, its comparator and
 * the year it is due. Offsets are relative to the sentence so callers can map them into the document.
 *
 * Conventions (journalists compare these across documents, so they must be the same everywhere):
 * - Per-capita bases (每千人口, 每万人口, 每千名老年人, 每百张床位 …) stay in the metric, as in the official
 *   indicator names (每千人口托位数); the unit is the counting unit (个, 人, 张). When a list continues a
 *   per-capita metric (每千人口执业(助理)医师数达到4.6人、注册护士数达到5.5人) the base is carried over.
 * - Rates per 100,000 keep their base in the unit: 10/10万 → value 10, unit /10万.
 * - Units are kept as written, without scaling: 60万元 → 60 万元; 80万 → 80 万.
 * - Targets restated every year (每年培训10名以上) carry no year unless a table column gives one.
 */
import type { Comparator, TargetKind, YearSource } from '../model.ts';
import { extractFigures, isPenaltySegment } from './extract-figures.ts';
import { segmentEnd, segmentStart } from './segments.ts';
import { findYearLists, findYearMarkers, stripYearMarkers } from './year-markers.ts';

export interface SentenceContext {
  /** Year to use when the sentence names none (a table column's year or the document's horizon). */
  yearHint: number | null;
  yearHintSource: 'table-column' | 'horizon' | null;
  /** Qualifier to use when the sentence gives none. */
  qualifierHint?: string;
}

export interface TargetCandidate {
  metric: string;
  qualifier: string | null;
  value: number;
  valueMax: number | null;
  valueText: string;
  unit: string;
  comparator: Comparator;
  kind: TargetKind;
  year: number | null;
  yearSource: YearSource | null;
  /** Offsets of `valueText` in the sentence. */
  start: number;
  end: number;
}

/** Counting units, longest first so 万元 wins over 万 and 人次 over 人. */
const UNIT = String.raw`个百分点|百分点|个工作日|个月|\/\s*\d+\s*万|‰|%|％|万元|元\/人\/年|元|人次|万|人|个|张|家|所|名|辆|级|项|类|支|次|倍|台|套|周岁|岁`;
const SUFFIX = '及以上|以上|及以下|以下|以内|左右';
const VALUE = new RegExp(
  String.raw`(?<![\d.])(\d+(?:\.\d+)?)(?:\s*[-—–~～至]\s*(\d+(?:\.\d+)?))?\s?(${UNIT})(${SUFFIX})?`,
  'g',
);
/** Written just before the number and shown with it: 不低于10%, ≥23%. */
const PREFIX_WORD = /(不低于|不少于|至少|不超过|不高于|≥|≤|>=|<=)\s*$/;
const AT_LEAST_WORDS = /不低于|不少于|至少|≥|>=/;
const AT_MOST_WORDS = /不超过|不高于|控制在|≤|<=|降低到|降至|下降到/;

/** Ends a clause segment: the metric of a value lies between the last of these and the value. */
// Full-width marks are written as escapes: a formatter or NFKC pass must not fold them into ASCII.
const LEADING_NOISE =
  /^(?:\s|[、和及与且并的]|同时|其中|力争|确保|全面|逐步|累计|基本|持续|进一步|努力|争取|预计|按照|按|要|均|\d+[.、.](?!\d)|\d+[..](?=\d+岁)|[((]\d+[))])+/;
const TRAILING_VERB =
  /(?:原则上|至少达到|均达到|分别达到|逐步提高到|逐步提高至|持续保持在|提升至|提升到|提高到|提高至|降低到|降低至|下降到|下降至|控制在|保持在|稳定在|不低于|不少于|不超过|不高于|年内|达到|至少|分别|按|降到|降至|增至|力争|达|均|为|占|≥|≤|>=|<=|的|、|和|及|各|\s)+$/;
/** Verbs that take the counted thing as their object after the number: 建成10至13所社区医院. */
const OBJECT_VERB =
  /(?:争取创建|引进培养|累计建设|新招录|集聚和吸纳|吸纳|实现|遴选|做好|新增|建设|建成|新建|新创|培育|培训|培养|配备|配置|设置|设立|引进|支持|创建|争创|打造|推广|开展|实施|选派|完成|建有|招录|建立|拥有|提供|成立|举办)$/;
/** A scope word alone before the number (全市85%以上二级及以上医疗机构…) leaves the metric after it. */
const SCOPE_ONLY = /^(?:全市|全区|全县|全省|各地)$/;
const QUALIFIER_POPULATION = /^(?:全人群|重点人群|一般人群|特殊人群)/;
const QUALIFIER_INSTITUTION =
  /^(?:其他)?(?:全市|全区)?(?:市级|县级|区级|城市|市、县(?:\(区\)|(区))?级)?(?:(?:二|三)级(?:及)?以上|二甲(?:及)?以上|二甲|三甲|三级|二级)?(?:公立|综合|中医|专科)*(?:\(中医\)|(中医))?(?:医院|医疗机构|疾控机构)/;
const QUALIFIER_LEVEL = /市级|县级|区级|[))]级|城市|二级|三级|二甲|三甲|公立|全市|全区/;
/** 每个村级医疗卫生机构拥有执业(助理)医师: the distributive subject is a qualifier. */
const EACH_QUALIFIER = /^每个.+?(?=拥有|建有|建成|设置|设立|配备|建设)/;
const PER_CAPITA_BASE = /^每(?:十万|万|千|百)(?:常住)?人口/;
/** A bare rate such as 覆盖率 after a fuller metric in the same sentence means that metric. */
const ELLIPTICAL_MAX_LENGTH = 4;

interface RawValue {
  numStart: number;
  start: number;
  end: number;
  value: number;
  valueMax: number | null;
  unit: string;
  suffix: string;
  prefixWord: string;
}

function findRawValues(sentence: string): RawValue[] {
  const values: RawValue[] = [];
  for (const match of sentence.matchAll(VALUE)) {
    const numStart = match.index;
    const before = sentence.slice(0, numStart);
    // Ordinals (第6次), per-capita bases (每3万人口) and codes (G6PD) are not values.
    if (/(?:第|每)\s*$/.test(before) || /[A-Za-z]$/.test(before)) continue;
    // "第十八届71次常务会议" numbers a meeting, not a count of anything.
    if (/^(?:常务|全体|主任)?会议/.test(sentence.slice(numStart + match[0].length))) continue;
    // An age that a noun follows names a group ("65周岁及以上老年人", "18岁以下儿童"); an age target ends its
    // clause ("人均预期寿命达到79.2岁；").
    const after = sentence.slice(numStart + match[0].length);
    if (
      /岁$/.test(match[3] ?? '') &&
      /^(?:的)?\p{Script=Han}/u.test(after) &&
      !/^(?:左右|以上|以下)?[，,；;。、]/.test(after)
    )
      continue;
    const prefixWord = PREFIX_WORD.exec(before)?.[1] ?? '';
    const prefixStart = prefixWord ? before.lastIndexOf(prefixWord) : numStart;
    values.push({
      numStart,
      start: prefixStart,
      end: numStart + match[0].length,
      value: Number(match[1]),
      valueMax: match[2] === undefined ? null : Number(match[2]),
      unit: normaliseUnit(match[3] ?? ''),
      suffix: match[4] ?? '',
      prefixWord,
    });
  }
  return values;
}

function normaliseUnit(unit: string): string {
  if (unit === '％') return '%';
  return unit.replace(/\s+/g, '');
}

/**
 * A count that opens its segment and is followed, without a connector, by another value is the subject
 * (5家中医药适宜技术推广中心每年…推广10类…; 实施4所公立医院4项…), not a target.
 */
function isSubjectCount(sentence: string, current: RawValue, next: RawValue | undefined): boolean {
  if (!next || next.numStart > segmentEnd(sentence, current.end)) return false;
  const between = sentence.slice(current.end, next.start);
  return between.length > 0 && !/[、和及与]/.test(between) && current.suffix === '';
}

function comparatorOf(raw: RawValue, suffix: string, segment: string): Comparator {
  if (raw.valueMax !== null) return 'range';
  if (suffix.endsWith('以上')) return '≥';
  if (suffix.endsWith('以下') || suffix === '以内') return '≤';
  if (suffix === '左右') return '≈';
  if (AT_LEAST_WORDS.test(segment)) return '≥';
  if (AT_MOST_WORDS.test(segment)) return '≤';
  return '=';
}

function cleanMetric(text: string): string {
  let metric = stripYearMarkers(text).trim();
  let previous = '';
  while (previous !== metric) {
    previous = metric;
    metric = metric.replace(LEADING_NOISE, '').replace(TRAILING_VERB, '').trim();
    // 提升签约服务覆盖率至45%: the verb frames the metric.
    metric = metric.replace(/^(?:提升|提高|降低)(.+?)(?:至|到)$/, '$1');
  }
  return metric;
}

function splitQualifier(metric: string): { metric: string; qualifier: string | null } {
  const each = EACH_QUALIFIER.exec(metric);
  if (each) return { metric: metric.slice(each[0].length), qualifier: each[0] };
  const population = QUALIFIER_POPULATION.exec(metric);
  if (population && metric.length - population[0].length >= 2) {
    return { metric: metric.slice(population[0].length), qualifier: population[0] };
  }
  const institution = QUALIFIER_INSTITUTION.exec(metric);
  if (institution && QUALIFIER_LEVEL.test(institution[0]) && metric.length - institution[0].length >= 2) {
    return { metric: metric.slice(institution[0].length), qualifier: institution[0] };
  }
  return { metric, qualifier: null };
}

/** The counted thing written after the number: 建成10至13所社区医院 → 社区医院. */
function objectAfter(sentence: string, from: number, limit: number): { text: string; end: number } {
  const end = Math.min(segmentEnd(sentence, from), limit);
  const text = sentence
    .slice(from, end)
    .replace(/^的/, '')
    // A long trailing note is not part of the name: 1辆救护车(纳入辖区120统一调度的车辆).
    .replace(/[((][^))]{7,}[))]$/, '')
    .replace(/(?:以及|和|及|与|、|\s)+$/, '')
    .trim();
  return { text, end };
}

interface MetricParts {
  metric: string;
  qualifier: string | null;
}

function metricFor(
  sentence: string,
  raw: RawValue,
  from: number,
  objectFrom: number,
  objectLimit: number,
  afterSubject: boolean,
): MetricParts & { consumedEnd: number; listContinuation: boolean } {
  let segment = sentence.slice(from, raw.start);
  const listContinuation = /^\s*[、和及]/.test(segment);
  // 人均83元: the per-capita word sits between the verb and the number.
  const perHead = /人均\s*$/.test(segment);
  if (perHead) segment = segment.replace(/人均\s*$/, '');
  const before = cleanMetric(segment);
  const verb = OBJECT_VERB.exec(before);
  if (before === '' || verb || afterSubject || SCOPE_ONLY.test(before)) {
    const object = objectAfter(sentence, objectFrom, objectLimit);
    if (object.text !== '') {
      const subject = verb ? before.slice(0, verb.index) : before;
      const split = splitQualifier(subject);
      const qualifier =
        subject === ''
          ? null
          : afterSubject || /^每个/.test(subject) || SCOPE_ONLY.test(subject) || split.qualifier
            ? subject
            : null;
      return {
        metric: `${verb?.[0] ?? ''}${object.text}`,
        qualifier,
        consumedEnd: object.end,
        listContinuation,
      };
    }
  }
  const split = splitQualifier(before);
  return {
    metric: perHead ? `人均${split.metric}` : split.metric,
    qualifier: split.qualifier,
    consumedEnd: raw.end,
    listContinuation,
  };
}

interface YearChoice {
  year: number | null;
  yearSource: YearSource | null;
}

function yearsFor(sentence: string, values: readonly RawValue[], context: SentenceContext): YearChoice[] {
  const markers = findYearMarkers(sentence);
  const choices: YearChoice[] = values.map((raw) => {
    const governing = markers.filter((marker) => marker.end <= raw.numStart).pop();
    const clause = sentence.slice(segmentStart(sentence, raw.numStart), raw.numStart);
    const annual = /每年/.test(clause);
    if (annual && context.yearHintSource !== 'table-column') return { year: null, yearSource: null };
    if (governing && !annual) return { year: governing.year, yearSource: 'sentence' };
    return { year: context.yearHint, yearSource: context.yearHint === null ? null : context.yearHintSource };
  });
  // 2023年、2024年、2025年…分别达到3个以上、5个以上、7个以上: the years pair with the values in order.
  for (const list of findYearLists(sentence, markers)) {
    const last = list[list.length - 1]!;
    const respectively = sentence.indexOf('分别', last.end);
    if (respectively === -1) continue;
    const following = values
      .map((raw, index) => ({ raw, index }))
      .filter(({ raw }) => raw.numStart > respectively);
    following.slice(0, list.length).forEach(({ index }, position) => {
      choices[index] = { year: list[position]!.year, yearSource: 'sentence' };
    });
  }
  return choices;
}

/** Where a breakdown of the figure before it starts: "试点单位10家（其中定点医疗机构8家、定点零售药店2家）". */
const BREAKDOWN = /[（(，,]\s*其中/g;
/** Ends a breakdown: its closing bracket or the end of the clause. */
const BREAKDOWN_END = /[）)。；;]/;

/**
 * The parts of a figure's breakdown (其中A8家、B2家) are that figure's metric, qualified by their own labels
 * (定点零售药店 of 试点单位), and the whole stands before them; the general rules would read the label of one
 * part as the metric of the next ("、定点零售药店" for 8家). Keyed by the index of the value in `raws`.
 */
function breakdownParts(sentence: string, raws: readonly RawValue[]): Map<number, MetricParts> {
  const parts = new Map<number, MetricParts>();
  for (const m of sentence.matchAll(BREAKDOWN)) {
    const at = m.index;
    const wholeIndex = raws.findIndex((r, i) => r.end <= at && (raws[i + 1]?.start ?? Infinity) > at);
    const whole = raws[wholeIndex];
    if (!whole) continue;
    // The whole's metric stands before it (试点单位10家) or after it (建成5家区域医疗中心（其中…）).
    const start = Math.max(segmentStart(sentence, whole.numStart), raws[wholeIndex - 1]?.end ?? 0);
    const before = cleanMetric(sentence.slice(start, whole.numStart));
    const verb = OBJECT_VERB.exec(before);
    const after = sentence.slice(whole.end, at).replace(/^的/, '').trim();
    const metric = (verb || before === '') && after ? after : verb ? before.slice(0, verb.index) : before;
    if (!metric || /[，,。；;]/.test(after)) continue;
    const rest = sentence.slice(at + m[0].length);
    const endOffset = rest.search(BREAKDOWN_END);
    const end = at + m[0].length + (endOffset === -1 ? rest.length : endOffset);
    let from = at + m[0].length;
    const items: [number, string][] = [];
    for (let i = wholeIndex + 1; i < raws.length && raws[i]!.start < end; i++) {
      const label = sentence
        .slice(from, raws[i]!.numStart)
        .replace(/^[\s、，,和及与]+/, '')
        .trim();
      if (!label || label.length > 12) break;
      items.push([i, label]);
      from = raws[i]!.end;
    }
    // A breakdown has parts: one labelled figure alone is read by the general rules.
    if (items.length < 2) continue;
    parts.set(wholeIndex, { metric, qualifier: null });
    for (const [i, label] of items) parts.set(i, { metric, qualifier: label });
  }
  return parts;
}

/** "A、B、C分别下降到x、y、z": the metrics named before 分别 and the verb that sets their values. */
const RESPECTIVELY =
  /([^，,；;。:：]{2,80}?)分别(?:下降到|下降至|降低到|降低至|降到|降至|提高到|提高至|提升到|提升至|达到|控制在|保持在|不低于|不少于|不超过|低于|高于|为|是|达)?/g;
/** What joins the metrics of such a list, and what may stand between its values. */
const LIST_JOIN = /、|和|及|与/;
const VALUE_GAP = /^[、和及与,，\s]*$/;

/**
 * "婴儿死亡率、5岁以下儿童死亡率、孕产妇死亡率分别下降到4.0‰、4.5‰、10/10万": the k-th value is the k-th metric's,
 * when as many values follow 分别, one after another, as metrics stand before it.
 */
function respectiveParts(sentence: string, raws: readonly RawValue[]): Map<number, MetricParts> {
  const parts = new Map<number, MetricParts>();
  for (const m of sentence.matchAll(RESPECTIVELY)) {
    const names = (m[1] ?? '')
      .split(LIST_JOIN)
      .map((n) => n.trim())
      .filter(Boolean);
    if (names.length < 2) continue;
    const after = (m.index ?? 0) + m[0].length;
    const first = raws.findIndex((r) => r.start >= after);
    const values = first < 0 ? [] : raws.slice(first, first + names.length);
    if (values.length !== names.length || sentence.slice(after, values[0]!.start).trim().length > 2) continue;
    if (values.some((v, k) => k > 0 && !VALUE_GAP.test(sentence.slice(values[k - 1]!.end, v.start))))
      continue;
    for (const [k, metric] of names.entries()) parts.set(first + k, { metric, qualifier: null });
  }
  return parts;
}

export function extractFromSentence(sentence: string, context: SentenceContext): TargetCandidate[] {
  const raws = findRawValues(sentence);
  const years = yearsFor(sentence, raws, context);
  const breakdown = breakdownParts(sentence, raws);
  for (const [i, part] of respectiveParts(sentence, raws)) if (!breakdown.has(i)) breakdown.set(i, part);
  const candidates: TargetCandidate[] = [];
  let consumedEnd = 0;
  let previous: TargetCandidate | undefined;
  let groupSuffix = '';
  for (let i = raws.length - 1; i >= 0; i--) {
    // Compound values share the suffix written after the last one: 10类40项以上.
    const raw = raws[i]!;
    const next = raws[i + 1];
    if (next && next.start === raw.end && raw.suffix === '') raw.suffix = groupSuffix;
    groupSuffix = raw.suffix;
  }
  let subjectEnd = -1;
  raws.forEach((raw, index) => {
    const next = raws[index + 1];
    const part = breakdown.get(index);
    if (part) {
      const candidate = candidateOf(sentence, raw, part.metric, part.qualifier, years[index]!);
      candidates.push(candidate);
      previous = candidate;
      consumedEnd = Math.max(consumedEnd, raw.end);
      return;
    }
    if (isSubjectCount(sentence, raw, next)) {
      subjectEnd = raw.end;
      return;
    }
    const compoundFollower = previous !== undefined && index > 0 && raws[index - 1]!.end === raw.start;
    let groupEnd = index;
    while (raws[groupEnd + 1] && raws[groupEnd + 1]!.start === raws[groupEnd]!.end) groupEnd++;
    const from = Math.max(segmentStart(sentence, raw.start), consumedEnd);
    const parts = metricFor(
      sentence,
      raw,
      from,
      raws[groupEnd]!.end,
      raws[groupEnd + 1]?.start ?? sentence.length,
      subjectEnd >= from && subjectEnd <= raw.start,
    );
    consumedEnd = Math.max(parts.consumedEnd, raw.end);
    let metric = compoundFollower ? previous!.metric : parts.metric;
    const qualifier = compoundFollower ? previous!.qualifier : parts.qualifier;
    if (previous && !compoundFollower) {
      const base = PER_CAPITA_BASE.exec(previous.metric);
      if (metric === '') metric = previous.metric;
      else if (base && parts.listContinuation && !metric.startsWith('每') && previous.unit === raw.unit) {
        metric = `${base[0]}${metric}`;
      } else if (
        metric.length <= ELLIPTICAL_MAX_LENGTH &&
        previous.metric.length > metric.length &&
        previous.metric.endsWith(metric)
      ) {
        metric = previous.metric;
      } else if (parts.listContinuation && previous.unit === raw.unit) {
        metric = parallelMetric(previous.metric, metric);
      }
    }
    const candidate = candidateOf(
      sentence,
      raw,
      metric,
      qualifier ?? context.qualifierHint ?? null,
      years[index]!,
    );
    candidates.push(candidate);
    previous = candidate;
  });
  sharePredicates(sentence, candidates);
  const figures = figureCandidates(sentence, raws, context);
  if (figures.length === 0) return candidates;
  return [...candidates, ...figures].sort((a, b) => a.start - b.start);
}

/** Longest item of a parallel list whose metric takes the subject of the item before it. */
const PARALLEL_MAX_LENGTH = 8;
/** A metric's own last word: an item ending in one names its metric whole. */
const WHOLE_METRIC = /(?:率|数|比例|占比|比|量|指数|人数|次数|寿命)$/;
/** Characters the two items' labels must end in alike (机构护理 / 居家护理) to be parallel. */
const PARALLEL_SUFFIX = 2;

/**
 * "职工参保人员由长护险基金按机构护理75%、居家护理90%": the second item is 居家护理 for the same subject, so its
 * metric is the first one's with the item replaced (职工参保人员由长护险基金按居家护理), not the bare item.
 */
function parallelMetric(previous: string, item: string): string {
  if (item.length > PARALLEL_MAX_LENGTH || previous.length <= item.length + PARALLEL_SUFFIX) return item;
  // 婴儿死亡率 after 5岁以下儿童死亡率 is a metric of its own, not an item of the first one's subject.
  if (WHOLE_METRIC.test(item)) return item;
  if (previous.slice(-PARALLEL_SUFFIX) !== item.slice(-PARALLEL_SUFFIX)) return item;
  return `${previous.slice(0, previous.length - item.length)}${item}`;
}

/** Between two shares of coordinated objects: "100%的乡(镇)卫生院和80%的…" — the first object and the joining word. */
const COORDINATED_OBJECT = /^的?([^，,；;。：:\d]{2,20}?)(?:和|及|以及|与|、)$/;
/** The verb that starts the predicate coordinated objects share: …村卫生室提供中医药服务. */
const SHARED_PREDICATE =
  /(?:提供|开展|建成|建有|达到|设置|设立|配备|实现|建立|纳入|具备|推行|使用|落实|完成|覆盖)/;

/**
 * "100%的乡(镇)卫生院和80%的村卫生室提供中医药服务": both shares are of providing TCM services, but the predicate is
 * written once, after the last object. Each earlier object of the coordination gets it too.
 */
function sharePredicates(sentence: string, candidates: TargetCandidate[]): void {
  for (let i = candidates.length - 2; i >= 0; i--) {
    const a = candidates[i]!;
    const b = candidates[i + 1]!;
    if (a.unit !== b.unit) continue;
    const object = COORDINATED_OBJECT.exec(sentence.slice(a.end, b.start).trim())?.[1];
    if (!object || !a.metric.endsWith(object)) continue;
    const verb = SHARED_PREDICATE.exec(b.metric);
    if (!verb || verb.index === 0) continue;
    const predicate = b.metric.slice(verb.index);
    if (!a.metric.endsWith(predicate)) a.metric = `${a.metric}${predicate}`;
  }
}

function candidateOf(
  sentence: string,
  raw: RawValue,
  metric: string,
  qualifier: string | null,
  year: YearChoice,
): TargetCandidate {
  const segmentText = sentence.slice(segmentStart(sentence, raw.start), raw.numStart);
  return {
    metric,
    qualifier,
    value: raw.value,
    valueMax: raw.valueMax,
    valueText: sentence.slice(raw.start, raw.end),
    unit: raw.unit,
    comparator: comparatorOf(raw, raw.suffix, segmentText),
    kind: isPenaltySegment(sentence.slice(segmentStart(sentence, raw.start), segmentEnd(sentence, raw.end)))
      ? 'penalty'
      : 'target',
    year: year.year,
    yearSource: year.yearSource,
    start: raw.start,
    end: raw.end,
  };
}

/** Figures written the way laws write them (Chinese numerals, fines, time limits), after the targets above. */
function figureCandidates(
  sentence: string,
  raws: readonly RawValue[],
  context: SentenceContext,
): TargetCandidate[] {
  const taken = (start: number, end: number) => raws.some((raw) => raw.numStart < end && start < raw.end);
  const markers = findYearMarkers(sentence);
  return extractFigures(sentence, taken).map(({ expression, kind, metric, qualifier, comparator }) => {
    // Only goals fall due in a year; a fine or a time limit holds whenever the rule applies.
    const governing = markers.filter((marker) => marker.end <= expression.numberStart).pop();
    const year = kind !== 'target' ? null : (governing?.year ?? context.yearHint);
    const yearSource: YearSource | null =
      year === null ? null : governing ? 'sentence' : context.yearHintSource;
    return {
      metric,
      qualifier: qualifier ?? context.qualifierHint ?? null,
      value: expression.value,
      valueMax: expression.valueMax,
      valueText: expression.text,
      unit: expression.unit,
      comparator,
      kind,
      year,
      yearSource,
      start: expression.start,
      end: expression.end,
    };
  });
}
