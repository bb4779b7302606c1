import type { DocType, DocumentRecord, TargetRecord } from '../../ingest/model.ts';
import type { Lookup, OpenedIndex } from '../../ingest/store/open-index.ts';
import type { Glossary } from '../query/glossary.ts';
import type { Understanding } from '../query/understand.ts';
import { type RetrievalOptions, retrieve, type ScoredChunk } from '../retrieve/hybrid-retriever.ts';
import type { AnswerStrategy } from './answer-strategy.ts';
import { broaderPlaceNote } from './broader-place-note.ts';
import { CitationList } from './citations.ts';
import { answeredDraft, type Draft, notFoundDraft } from './draft.ts';
import { englishValueLabel } from './english-value.ts';
import { articleLabel, citedLabels } from './match/cited-articles.ts';
import { longestCommonRun } from './match/common-run.ts';
import { collectCandidates, type ScoredCandidate, scoreCandidates } from './match/score-candidates.ts';
import type { MatcherWeights } from './match/weights.ts';
import { documentsNamedApart, namedDocuments, withoutName } from './named-documents.ts';
import type { NotFoundReason } from './not-found.ts';
import { findSectionOutline, outlineLine } from './section-outline.ts';
import { containsHeads, coverage, topicGrams } from './topic-match.ts';
import { clauseStatingYear } from './year-clause.ts';

/**
 * The default answerer: no LLM. It picks the sentence that answers, leads with the value, metric, region and
 * year for a target question, and quotes the sentence; every line carries the marker of the clause it
 * comes from.
 */
export interface AnswerContext {
  index: OpenedIndex;
  glossary: Glossary;
  retrieval: RetrievalOptions;
  matcher: MatcherWeights;
  /** Aborted when the client went away or the answer's time budget ran out; long answers check it. */
  signal?: AbortSignal;
}

export const clauseStrategy: AnswerStrategy = {
  name: 'clause',
  takes: () => true,
  answer: (ctx, u) => answerTarget(ctx, u),
};

/**
 * Answers from the clauses retrieved for `u`, or from `retrieved` when the caller has them already (a
 * comparison retrieves once for every place).
 */
export async function answerTarget(
  ctx: AnswerContext,
  u: Understanding,
  citations: CitationList = new CitationList(ctx.index),
  given?: readonly ScoredChunk[],
): Promise<Draft> {
  const { index } = ctx;
  const retrieved = given ? [...given] : await retrieve(index, u, ctx.retrieval);
  const notFound = (reason: NotFoundReason) => notFoundDraft(reason, u, retrieved);
  if (u.placeUnknown) {
    return notFound({ kind: 'unknown-region', names: u.unknownRegions });
  }
  const askedYears = u.softYear ? [] : u.years;
  if (askedYears.length && !yearsCovered(index, u.regions, askedYears, !u.wantsNumber)) {
    return notFound({ kind: 'year-not-covered', years: askedYears, regions: u.regions });
  }
  // A year that only names a document by its issue ("the 2020 decision") does not constrain the sentence.
  const hardYears = askedYears.filter((y) => yearsCovered(index, u.regions, [y], false));
  // "做实常态化监管包括哪几个常态化?": the section's parts, by their headings, are the list asked for.
  const outline = findSectionOutline(index, u, retrieved, hardYears);
  if (outline)
    return answeredDraft([outlineLine(outline, citations, u.lang)], citations.citations, retrieved);
  // "人口与计划生育法第四十二条是怎么规定的" asks one article of one law: another law's 第四十二条 is no answer.
  const articleOfNamed = ARTICLE_REF.test(u.resolvedQuestion) && namedDocuments(index, u) !== null;
  const best =
    (await withinEachNamedDocument(ctx, u, hardYears)) ??
    (await withinLastDocument(ctx, u, hardYears)) ??
    (await withinNamedDocuments(ctx, u, hardYears)) ??
    (articleOfNamed ? [] : bestSentences(ctx, u, retrieved, hardYears));
  if (!best.length) return notFound({ kind: 'no-match' });
  const lines: string[] = u.broaderRegions.map((b) => broaderPlaceNote(b, u.lang));
  let firstLead: string | null = null;
  /** Where each lead line stands in `lines` (a figure shown again only adds its marker there). */
  const leadAt: number[] = [];
  // The same figure stated in the text and again in the annex table is one answer with two sources.
  const shown = new Map<string, number>();
  for (const s of best) {
    const marker = citations.cite(s.chunk);
    const [target, ...others] = u.wantsNumber ? pickTargets(ctx.index.targetsByChunk, s, u) : [];
    const key =
      target && `${target.docId}|${target.metricGroup}|${target.year}|${target.value}|${target.valueMax}`;
    const at = key ? shown.get(key) : undefined;
    if (at !== undefined) {
      const line = lines[at] ?? '';
      const merged = line.endsWith(marker) ? line : `${line}${marker}`;
      if (firstLead === line) firstLead = merged;
      lines[at] = merged;
      continue;
    }
    if (target) {
      // Two records the question names both are one lead line: it is the answer a user reads first.
      const parts = [target, ...others]
        .map((t) => leadLine(ctx, u, s, t, marker, citations))
        .filter((l): l is string => l !== null);
      const lead = parts.length ? parts.join(u.lang === 'en' ? '; ' : ';') : null;
      if (lead) {
        lines.push(lead);
        leadAt.push(lines.length - 1);
        if (key) shown.set(key, lines.length - 1);
      }
      firstLead ??= lead;
    }
    // A sanction that introduces the violations it punishes is quoted with them.
    const quote =
      u.answerType === 'list' || (u.answerType === 'penalty' && s.introduces) ? listQuote(ctx, s) : s.text;
    const line = u.lang === 'en' ? `"${quote}" ${marker}` : `原文:“${quote}”${marker}`;
    // A list question quotes the whole article for each of its sentences chosen: once is enough.
    if (!lines.includes(line)) lines.push(line);
  }
  // "24年和25年分别要到多少" asks one figure per year: the lead lines of the years asked are one lead, read first.
  const [firstAt] = leadAt;
  if (u.years.length > 1 && leadAt.length > 1 && firstAt !== undefined) {
    const joined = leadAt.map((at) => lines[at]).join(u.lang === 'en' ? '; ' : ';');
    const rest = lines.filter((_, at) => !leadAt.includes(at));
    rest.splice(firstAt, 0, joined);
    lines.splice(0, lines.length, ...rest);
    firstLead = joined;
  }
  const chosen = best[0];
  const draft = answeredDraft(lines, citations.citations, retrieved, firstLead);
  return chosen
    ? { ...draft, match: { score: round3(chosen.score), features: roundAll(chosen.features) } }
    : draft;
}

/** Longest quote a list answer shows: the chosen sentence and the rest of its clause up to this many characters. */
const LIST_QUOTE_MAX = 400;

/**
 * A list question ("有哪些举措?", "分哪几类") is answered by the items, which follow the sentence that
 * introduces them ("甲类传染病是指：鼠疫、霍乱。" or a clause whose items are its next sentences): the
 * sentence and what follows it in the clause, cut at a sentence end.
 */
function listQuote(ctx: AnswerContext, s: ScoredCandidate): string {
  if (s.chunk.kind === 'table-row') return s.text;
  const doc = ctx.index.documentById.get(s.chunk.docId);
  if (!doc || s.start < s.chunk.start || s.start >= s.chunk.end) return s.text;
  // A short clause is the list: quote it whole, as the items may come before the sentence that matched.
  if (s.chunk.text.length <= LIST_QUOTE_MAX) return s.chunk.text.trim().replace(/\s*\n\s*/g, ' ');
  const rest = doc.text.slice(s.start, s.chunk.end).trim();
  if (rest.length <= LIST_QUOTE_MAX) return rest.replace(/\s*\n\s*/g, ' ');
  const cut = rest.slice(0, LIST_QUOTE_MAX);
  const end = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('；'), cut.lastIndexOf(';'));
  return (end > s.text.length ? cut.slice(0, end + 1) : s.text).replace(/\s*\n\s*/g, ' ');
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const roundAll = (f: Record<string, number>) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, round3(v)]));

/**
 * Whether some document of the places sets anything for each year. When no figure is asked ("Under Beijing's
 * 2020 decision, who handles …"), the year a document was issued or published names that document.
 */
function yearsCovered(
  index: OpenedIndex,
  regions: readonly string[],
  years: readonly number[],
  issueYearNamesDocument: boolean,
): boolean {
  const docs = regions.length ? regions.flatMap((r) => documentsOfRegion(index, r)) : index.documents;
  const issuedIn = (d: DocumentRecord, y: number) =>
    [d.meta.issuedDate, d.meta.publishedDate].some((date) => date?.startsWith(String(y)));
  return years.every((y) =>
    docs.some((d) => {
      const p = d.meta.period;
      if (d.meta.horizonYears.includes(y) || (p && y >= p.start && y <= p.end)) return true;
      if (issueYearNamesDocument && issuedIn(d, y)) return true;
      return index.documentFacts.get(d.meta.docId)?.clauseYears.includes(y) ?? false;
    }),
  );
}

const regionDocuments = new WeakMap<OpenedIndex, Map<string, DocumentRecord[]>>();

/** The documents of one place, grouped once per opened index: a comparison asks this of every place. */
function documentsOfRegion(index: OpenedIndex, region: string): DocumentRecord[] {
  let byRegion = regionDocuments.get(index);
  if (!byRegion) {
    byRegion = new Map();
    for (const d of index.documents) {
      const name = d.meta.region?.name;
      if (name) byRegion.set(name, [...(byRegion.get(name) ?? []), d]);
    }
    regionDocuments.set(index, byRegion);
  }
  return byRegion.get(region) ?? [];
}

/**
 * An elliptical follow-up with no place of its own continues the last question's document: its answer is
 * looked for there first (the document the earlier question retrieves first), and elsewhere only when that
 * document has none.
 */
async function withinLastDocument(
  ctx: AnswerContext,
  u: Understanding,
  hardYears: readonly number[],
): Promise<ScoredCandidate[] | null> {
  // The earlier question is searched as typed: only a Chinese one finds its document that way.
  if (!u.followUpOf || u.regions.length || !/\p{Script=Han}/u.test(u.followUpOf)) return null;
  const earlier = await retrieve(
    ctx.index,
    { searchText: u.followUpOf, regions: [], years: [] },
    ctx.retrieval,
  );
  const docId = earlier[0]?.chunk.docId;
  return docId ? bestWithin(ctx, u, [docId], hardYears) : null;
}

/** An article named by its number: 第四十二条, 第42条. */
const ARTICLE_REF = /第[一二三四五六七八九十百零〇\d]+条/;

/**
 * A question naming a document by title or short title ("浙江精神卫生条例要求…") is answered from that document
 * when it has an answer, with the name left out of what the sentence must be about; elsewhere otherwise.
 */
async function withinNamedDocuments(
  ctx: AnswerContext,
  u: Understanding,
  hardYears: readonly number[],
): Promise<ScoredCandidate[] | null> {
  const named = namedDocuments(ctx.index, u);
  return named ? bestWithin(ctx, withoutName(u, named), named.docIds, hardYears) : null;
}

/**
 * "献血法和医疗机构管理条例分别对…怎么规定?": a question naming documents one after another is answered in each
 * of them, the best sentence of each; null unless two or more are named and one of them answers.
 */
async function withinEachNamedDocument(
  ctx: AnswerContext,
  u: Understanding,
  hardYears: readonly number[],
): Promise<ScoredCandidate[] | null> {
  const docs = documentsNamedApart(ctx.index, u);
  if (docs.length < 2) return null;
  // The names are not what a sentence must be about: 飞行检查, not 医保基金监管条例.
  let topic = u.topic;
  for (const doc of docs) {
    for (let run = longestCommonRun(topic, doc.meta.title); run.length >= MIN_NAME_RUN; ) {
      topic = `${topic.slice(0, run.aStart)} ${topic.slice(run.aStart + run.length)}`;
      run = longestCommonRun(topic, doc.meta.title);
    }
  }
  const asked = { ...u, topic: topic.trim() || u.topic };
  const best: ScoredCandidate[] = [];
  for (const doc of docs) {
    const found = await bestWithin(ctx, asked, [doc.meta.docId], hardYears);
    if (found?.[0]) best.push(found[0]);
  }
  return best.length ? best : null;
}

/** Characters of a document's title a question's topic must share in a row for them to be part of its name. */
const MIN_NAME_RUN = 3;

/** The best sentences of these documents alone; null when they hold none, so the caller looks elsewhere. */
async function bestWithin(
  ctx: AnswerContext,
  u: Understanding,
  docIds: readonly string[],
  hardYears: readonly number[],
): Promise<ScoredCandidate[] | null> {
  const within = await retrieve(ctx.index, { ...u, withinDocs: docIds }, ctx.retrieval);
  const best = bestSentences(ctx, u, within, hardYears);
  return best.length ? best : null;
}

/** The best candidate when it reaches the matcher's threshold, and a second one nearly as good. */
function bestSentences(
  ctx: AnswerContext,
  u: Understanding,
  retrieved: readonly ScoredChunk[],
  hardYears: readonly number[],
): ScoredCandidate[] {
  const w = ctx.matcher;
  const scored = promoteCitedList(
    u,
    scoreCandidates(collectCandidates(ctx.index, u, retrieved, hardYears), w),
  );
  const top = scored[0];
  if (!top || top.score < w.threshold) return [];
  const second = scored.find(
    (s) =>
      s !== top &&
      s.score >= w.threshold &&
      s.score >= top.score * w.secondRatio &&
      (s.chunk.id !== top.chunk.id || s.start !== top.start) &&
      s.text !== top.text,
  );
  return second ? [top, second] : [top];
}

/**
 * A list asked of cases that the best sentence only points at ("发现医师出现本办法第四十六条规定情形的，…取消医师处方权"):
 * the article that lists them (第四十六条 医师出现下列情形之一的…) answers, ahead of the sentence that cites it.
 */
function promoteCitedList(u: Understanding, scored: ScoredCandidate[]): ScoredCandidate[] {
  const top = scored[0];
  if (u.answerType !== 'list' || !top) return scored;
  const labels = citedLabels(top.text);
  const listing = scored.find(
    (c) => c.introduces && c.chunk.docId === top.chunk.docId && labels.includes(articleLabel(c.chunk) ?? ''),
  );
  return listing
    ? [{ ...listing, score: Math.max(listing.score, top.score) }, ...scored.filter((c) => c !== listing)]
    : scored;
}

/** "嘉兴市2027年家庭医生签约服务覆盖率目标:45%以上" from the target record the sentence holds. */
function leadLine(
  ctx: AnswerContext,
  u: Understanding,
  s: ScoredCandidate,
  target: TargetRecord,
  marker: string,
  citations: CitationList,
): string | null {
  const doc = ctx.index.documentById.get(s.chunk.docId);
  if (!doc) return null;
  // A lead line states one record's value, metric, place and year; without a record naming the asked metric
  // (pickTargets) the quoted sentence answers alone rather than under a heading that only looks like a metric.
  const year = target.year ?? u.years.find((y) => s.years.includes(y)) ?? s.years[0] ?? null;
  const yearSource = target.yearSource ?? s.yearSource;
  let markers = marker;
  if (
    year !== null &&
    (yearSource === 'horizon' || yearSource === 'clause') &&
    !s.text.includes(String(year)) &&
    !s.chunk.text.includes(`${year}年`)
  ) {
    const yearChunk = clauseStatingYear(ctx.index, s.chunk.docId, year);
    if (yearChunk) markers += citations.cite(yearChunk);
  }
  const region = doc.meta.region;
  // Laws state standards, deadlines and penalties inside articles whose wording is the answer (每年校验1次,
  // 2小时内): the article is quoted alone. Lead lines are for plans' targets.
  if ((target.kind ?? 'target') !== 'target' || STATUTE_TYPES.has(doc.meta.docType)) return null;
  const valueText = wholeValue(s.text, target.valueText, target.metric);
  const metric = `${target.qualifier ?? ''}${target.metric}`;
  if (u.lang === 'en') {
    // A label such as "per 1,000 people" would show numbers no clause contains: keep the Chinese then.
    const english = ctx.glossary.englishLabel(metric);
    const label = english && !/\d/.test(english) ? english : metric;
    const place = region ? `${region.english} (${region.name})` : 'Unknown place';
    return `${place}${year ? `, ${year}` : ''}: ${label} — ${englishValueLabel(valueText)} ${markers}`;
  }
  return `${region?.name ?? ''}${year ? `${year}年` : ''}${metric}目标:${valueText} ${markers}`;
}

const STATUTE_TYPES: ReadonlySet<DocType> = new Set(['law', 'regulation', 'rule']);

/**
 * A value written as several figures in a row ("10类40项以上", "3-5个"): the record holds the first; the lead
 * shows them as the sentence does, so the count a reader checks is the one quoted.
 */
function wholeValue(sentence: string, valueText: string, metric: string): string {
  const at = sentence.indexOf(valueText);
  if (at < 0) return valueText;
  const rest = sentence.slice(at + valueText.length);
  const more = rest.match(/^(?:\d+(?:\.\d+)?[类项个家所名人次张支台]+)+(?:以上|以下|左右)?/);
  if (more) return `${valueText}${more[0]}`;
  // "贫血患病率和生长迟缓率分别控制在10%和4%以下": the record holds the first figure, the metric names both. A
  // record whose metric names one of them (ingest gives each its own) states its own figure, with the bound
  // the list shares ("10%和4%以下": 10%以下).
  const listed = /分别/.test(sentence.slice(0, at))
    ? rest.match(
        /^(?:以上|以下)?(?:[和、及与]\d+(?:\.\d+)?(?:%|‰|[类项个家所名人次张支台岁元]+))+(以上|以下|左右)?/,
      )
    : null;
  if (!listed) return valueText;
  if (/[、和及与]/.test(metric)) return `${valueText}${listed[0]}`;
  return /(?:以上|以下|左右)$/.test(valueText) ? valueText : `${valueText}${listed[1] ?? ''}`;
}

/**
 * Share of a record's metric the question must name for the record to lead the answer: below it the record
 * is a neighbouring figure of the same sentence (the 60% of a sentence asked for its 2小时).
 */
const MIN_LEAD_METRIC_COVERAGE = 0.5;

function pickTargets(
  targetsByChunk: Lookup<string, readonly TargetRecord[]>,
  s: ScoredCandidate,
  u: Understanding,
): TargetRecord[] {
  const topic = topicGrams(u.topic);
  // A record leads only when its value stands in the quoted sentence itself: a lead line never states a value
  // its quote lacks, whatever sentence the record's extraction saw.
  const quoted = s.text.normalize('NFKC').replace(/\s+/g, '');
  const inSentence = (targetsByChunk.get(s.chunk.id) ?? []).filter(
    (t) =>
      t.start < s.end &&
      t.end > s.start &&
      quoted.includes(t.valueText.normalize('NFKC').replace(/\s+/g, '')) &&
      // "一共多少位?" is not answered by the sentence's 6个: a record leads only in a unit the question asks.
      (!u.askedKind.units.length || u.askedKind.units.some((unit) => t.unit.includes(unit))),
  );
  // One sentence often sets several figures (国家级…1个,省级…4个; 覆盖率…,满意度…): what tells them apart is
  // the words one record's label has and the others lack, so those decide which record the question names.
  const labels = inSentence.map((t) => topicGrams(`${t.qualifier ?? ''}${t.metric}`));
  const shared = new Set([...(labels[0] ?? [])].filter((g) => labels.every((l) => l.has(g))));
  // The question as asked, too: a place inside the document's place names its record (溧阳、金坛、武进 of
  // "其中…溧阳、金坛、武进不低于80元"), and places are not part of the topic.
  const topicText = `${u.topic} ${u.resolvedQuestion.normalize('NFKC')}`;
  // A rate the question names in short (院感率, 抗生素处方率) names the record whose metric alone holds its stem
  // and its 率 (院内感染发生率, 门诊处方抗生素使用率), however few of the record's words the question repeats.
  // A rate every record holds (覆盖率 of 全人群… and 重点人群…覆盖率) tells none apart.
  const labelOf = (t: TargetRecord) => `${t.qualifier ?? ''}${t.metric}`;
  const rateNamed = new Set(
    u.metricHeads
      .filter((group) => group[0]?.endsWith('率'))
      .map((group) => inSentence.filter((t) => containsHeads([group], labelOf(t))))
      .filter((named) => named.length === 1)
      .flat(),
  );
  const scored: { t: TargetRecord; score: number; distinct: number }[] = [];
  for (const [k, t] of inSentence.entries()) {
    const byRate = rateNamed.has(t);
    // Named either way: most of the record's metric is in the question, or most of the question's topic is
    // in the metric ("family-doctor target" → 家庭医生签约服务覆盖率).
    const named = byRate ? 1 : Math.max(reverseCoverage(t.metric, topicText), coverage(topic, t.metric));
    if (named < MIN_LEAD_METRIC_COVERAGE) continue;
    const own = [...(labels[k] ?? [])].filter((g) => !shared.has(g));
    const distinct = byRate
      ? 1
      : own.length
        ? own.filter((g) => topicText.includes(g)).length / own.length
        : 0;
    let score = distinct + coverage(topic, `${t.qualifier ?? ''}${t.metric}`) + 0.5 * named;
    if (t.year !== null && u.years.includes(t.year)) score += 1;
    scored.push({ t, score, distinct });
  }
  scored.sort((a, b) => b.score - a.score);
  const focused = focusRecords(inSentence, u.focus);
  // "二甲医院呢?" after a question on another figure of the same sentence asks for that record alone;
  // "…执业医师要到几个？护士呢" asks for the first record and the one the later part names.
  if (focused.length && u.followUpOf) return focused;
  // The first part's record is the best one the later parts do not name.
  const best = scored.find((x) => !focused.includes(x.t)) ?? scored[0];
  if (!best) return focused;
  if (focused.length) return [best.t, ...focused.filter((t) => t !== best.t && t.year === best.t.year)];
  // "住院医师和助理全科医师各多少名?" names two records of the sentence by their own words: both lead.
  const alsoNamed = scored.filter(
    (x) => x !== best && best.distinct >= BOTH_NAMED && x.distinct >= BOTH_NAMED && x.t.year === best.t.year,
  );
  return [best.t, ...alsoNamed.map((x) => x.t)];
}

/** Share of a focus term's bigrams a record's label must hold for the term to name it. */
const MIN_FOCUS_COVERAGE = 0.5;

/**
 * For each thing the latest words name (Understanding.focus), the record of the sentence whose label holds
 * most of it, when one holds more than every other: 护士 names 每千人口注册护士数, 二甲医院 names
 * 二甲综合(中医)医院重症床位比例 and not 嘉兴市第一医院…比例.
 */
function focusRecords(
  records: readonly TargetRecord[],
  focus: readonly (readonly string[])[],
): TargetRecord[] {
  const out: TargetRecord[] = [];
  for (const forms of focus) {
    const grams = forms.map((f) => topicGrams(f));
    const ranked = records
      .map((t) => ({ t, c: Math.max(...grams.map((g) => coverage(g, `${t.qualifier ?? ''}${t.metric}`))) }))
      .sort((a, b) => b.c - a.c);
    const [first, second] = ranked;
    if (first && first.c >= MIN_FOCUS_COVERAGE && (!second || first.c > second.c) && !out.includes(first.t))
      out.push(first.t);
  }
  return out;
}

/** Share of a record's own words the question must hold for the record to lead beside another. */
const BOTH_NAMED = 0.5;

/** Share of the metric's grams found in the topic: prefers 全人群…覆盖率 over 满意度 for a coverage question. */
function reverseCoverage(metric: string, topic: string): number {
  return coverage(topicGrams(metric), topic);
}
