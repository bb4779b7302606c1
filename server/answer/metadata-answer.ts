import { documentDates } from '../../ingest/meta/dates.ts';
import { findDocNumber, findOrderNumber } from '../../ingest/meta/doc-number.ts';
import { type Chunk, type DocumentRecord, SIGNATURE_HEADING } from '../../ingest/model.ts';
import type { AnswerType } from '../query/answer-type.ts';
import { dictionaryFor } from '../query/dictionary/dictionary-for-index.ts';
import { type MetadataField, withoutFieldWords } from '../query/document-fields.ts';
import { regionFinderFor } from '../query/find-regions.ts';
import { type Understanding, understand } from '../query/understand.ts';
import { retrieve } from '../retrieve/hybrid-retriever.ts';
import type { AnswerStrategy } from './answer-strategy.ts';
import { CitationList } from './citations.ts';
import { answeredDraft, type Draft, notFoundDraft } from './draft.ts';
import { type AnswerContext, answerTarget } from './extractive-answer.ts';
import { documentsNamedApart } from './named-documents.ts';
import { abbreviationCoverage } from './title-abbreviation.ts';
import { coverage, topicGrams } from './topic-match.ts';
import { findWrittenDate, yearWritings } from './written-date.ts';
import { clauseStatingYear } from './year-clause.ts';

/**
 * Questions about a document itself (issuer, number, dates, period) are answered from its metadata and
 * cite its header chunk, where those facts stand in the cleaned text.
 */
export const metadataStrategy: AnswerStrategy = {
  name: 'metadata',
  takes: (u) => u.intent === 'metadata',
  answer: answerMetadata,
};

async function answerMetadata(ctx: AnswerContext, u: Understanding): Promise<Draft> {
  const retrieved = await retrieve(ctx.index, u, ctx.retrieval);
  if (u.placeUnknown) {
    return notFoundDraft({ kind: 'unknown-region', names: u.unknownRegions }, u, retrieved);
  }
  let docs = pickDocuments(
    ctx,
    u,
    retrieved.map((r) => r.chunk.docId),
  );
  const citations = new CitationList(ctx.index);
  // "“能口服不肌注”是哪个文件提的?", "这条出自哪份文件?": the question names a clause, not a title; the document
  // is the one whose clause answers it, and that clause is cited beside the document's header.
  let clause: Chunk | null = null;
  if (!docs.length && !u.regions.length) {
    const found = await documentOfClause(ctx, u);
    // "精神卫生法2021年修正版…" names a version; a clause of another version does not make it one.
    if (found && holdsAskedYear(found.doc, u)) {
      docs = [found.doc];
      clause = found.chunk;
    }
  }
  let lines: string[] = [];
  const clauseMarker = () => (clause ? citations.cite(clause) : '');
  for (const doc of docs) {
    const chunks = ctx.index.chunksByDoc.get(doc.meta.docId) ?? [];
    // An excerpt that starts with a clause has no header: its first chunk stands where the header would.
    const header = chunks.find((c) => c.kind === 'header') ?? chunks[0];
    if (!header) continue;
    // The document's texts, its header first, for every field asked; without spaces only when a date needs it.
    const textChunks = [header, ...chunks.filter((c) => c !== header)];
    const texts = textChunks.map((c) => c.text);
    let bare: string[] | null = null;
    const bareTexts = () => {
      bare ??= texts.map((t) => t.normalize('NFKC').replace(/\s+/g, ''));
      return bare;
    };
    // A line naming the document by a title with figures of its own (…（2013年版）, …目录（2025年）的通知) cites the
    // header that holds them, beside the clause it quotes.
    const titleMarker = () => (/\d/.test(doc.meta.title) ? citations.cite(header) : '');
    /** "《title》规定:“…”" quoting a clause of the document, cited there. */
    const quoted = (text: string, chunk: Chunk) =>
      `${statesLine(doc, u, text)} ${titleMarker()}${citations.cite(chunk)}`;
    // "哪个部门发的?哪天施行?" asks two things: one line per field asked, in the order of the question.
    for (const field of u.metadataFields) {
      if (field === 'basis') {
        const basis = findBasis(chunks, ASKS_LAW_IMPLEMENTED.test(u.resolvedQuestion));
        if (basis) lines.push(`${basisLine(doc, u, basis.text)} ${citations.cite(basis.chunk)}`);
        continue;
      }
      if (field === 'attachment') {
        const line = attachmentLine(doc.text);
        const chunk = line && chunks.find((c) => /^附件\s*[:\uFF1A]/.test(c.text));
        if (line && chunk) {
          const name = `《${doc.meta.title}》`;
          lines.push(
            `${u.lang === 'en' ? `${name} has the attachment ${line}.` : `${name}的附件是${line}。`} ${citations.cite(chunk)}`,
          );
        }
        continue;
      }
      if (field === 'inForce') {
        const inForce = doc.meta.inForce;
        const chunk =
          inForce &&
          chunks.find((c) => c.kind !== 'header' && c.text.normalize('NFKC').includes(inForce.text));
        // A notice says when what it issues takes effect in a sentence of its own ("新版药品目录自2026年1月1日起正式
        // 执行，…同时废止"), not in the in-force clause of a law.
        // A page's 生效日期 fact stands in the header, where it is cited.
        const inHeader = Boolean(inForce && !chunk && header.text.includes(inForce.text));
        const found =
          inForce && (chunk || inHeader)
            ? { text: inForce.text, chunk: chunk ?? header }
            : (clauseMatching(chunks, STARTS_ON) ?? clauseMatching(chunks, FROM_DATE));
        if (!found) continue;
        lines.push(
          inHeader
            ? inForceFactLine(doc, u, found.text, citations.cite(header))
            : quoted(found.text, found.chunk),
        );
        // "自印发之日起施行" names a day by its event: the date of that event is the answer's figure.
        const day = inForce?.date && !/\d/.test(found.text) ? findWrittenDate(inForce.date, texts) : null;
        const dayChunk = day && textChunks[day.index];
        if (day && dayChunk && !u.metadataFields.includes('date')) {
          lines.push(
            u.lang === 'en'
              ? `That day is ${day.text}. ${citations.cite(dayChunk)}`
              : `即${day.text}起。 ${citations.cite(dayChunk)}`,
          );
        }
        continue;
      }
      // A rule with no plan period may say how long it stays in force ("本办法自印发之日起施行，有效期3年").
      if (field === 'period' && !doc.meta.period) {
        const found = clauseMatching(chunks, VALIDITY);
        if (found) {
          lines.push(quoted(found.text, found.chunk));
          continue;
        }
      }
      const line = describe(doc, u, field, texts);
      if (!line) continue;
      // Horizon years are stated in the body ("到2027年"), not in the header: cite the clause that states them.
      const support = [...new Set(line.match(/(?:19|20)\d{2}/g) ?? [])]
        .filter((y) => !header.text.includes(y))
        .map((y) => clauseStatingYear(ctx.index, doc.meta.docId, Number(y)))
        .filter((c) => c !== null);
      // A date of the signature block (落款) stands at the end of the text: cite the chunk that holds it.
      // PDF and web texts space the figures out ("2018 年 12 月 14 日"): compared without spaces.
      const signed = [...new Set(line.match(WRITTEN_DATE) ?? [])]
        .filter((d) => !bareTexts()[0]?.includes(d))
        .map((d) => textChunks.find((_, i) => bareTexts()[i]?.includes(d)))
        .filter((c) => c !== undefined);
      // An issuer read from the signature block (国家医保局 财政部 above the date) is cited there, where it stands.
      const signature =
        field === 'issuer' && doc.meta.issuer && !issuerIn(header.text, doc.meta.issuer)
          ? chunks.filter(
              (c) => c.headingPath[0] === SIGNATURE_HEADING && issuerIn(c.text, doc.meta.issuer ?? ''),
            )
          : [];
      const markers = `${citations.cite(header)}${[...support, ...signed, ...signature].map((c) => citations.cite(c)).join('')}${clauseMarker()}`;
      lines.push(`${line} ${markers}`);
    }
  }
  if (!lines.length) {
    // "2007年修订诊疗科目名录增补了哪些项目?" names a revision and asks for its content: when no document field
    // answers, the clauses may. A number or an issuer is never in a clause's content: a document without one
    // has none ("What is the document number of …?" reads as a value question).
    // A date in force or a term a clause states ("新版药品目录自2026年1月1日起正式执行") is answered there too.
    const clauseMayState = u.metadataFields.some((f) => f === 'inForce' || f === 'period');
    if (
      (CONTENT_TYPES.has(u.answerType) || clauseMayState) &&
      !u.metadataFields.every((f) => HEADER_ONLY_FIELDS.has(f))
    ) {
      const draft = await answerTarget(ctx, {
        ...u,
        intent: u.wantsNumber ? 'target' : 'general',
        metadataFields: [],
      });
      // The version the question names ("2022年修订后") is the text that must answer: another version's clause
      // does not say what the named one changed.
      const first = draft.citations[0];
      const doc = first && ctx.index.documentById.get(first.docId);
      const dates = doc ? documentDates(doc.meta) : [];
      const names = (y: number) =>
        dates.some((d) => d.startsWith(String(y))) ||
        yearWritings(y).some((w) => doc?.text.includes(`${w}年`));
      if (!u.documentYears.length || u.documentYears.some(names)) return draft;
    }
    return notFoundDraft({ kind: 'no-match' }, u, retrieved);
  }
  lines = sameLinesOnce(lines);
  // One field asked: its line leads. Several ("文号和印发日期?"): every line is part of the answer, none leads.
  return answeredDraft(lines, citations.citations, retrieved, lines.length === 1 ? (lines[0] ?? null) : null);
}

/** The document numbers a question writes, in its order (each part found apart: 14号和…33号). */
function docNumbersIn(question: string): string[] {
  const found = question
    .split(/和|与|及|、|,|，|;|；|\band\b/)
    .map((part) => findDocNumber(part) ?? findOrderNumber(part))
    .filter((n): n is string => n !== null);
  return [...new Set(found)];
}

/** Whether a text names the issuer, each of its bodies (国家医保局、财政部) without spaces. */
function issuerIn(text: string, issuer: string): boolean {
  const bare = text.normalize('NFKC').replace(/\s+/g, '');
  return issuer
    .split(/[、,，\s]+/)
    .filter(Boolean)
    .every((body) => bare.includes(body));
}

/** Fields only a document's header or signature states. */
const HEADER_ONLY_FIELDS: ReadonlySet<MetadataField> = new Set(['docNumber', 'indexNumber', 'issuer']);

/** Answer types that ask for what a document says rather than about the document. */
const CONTENT_TYPES: ReadonlySet<AnswerType> = new Set(['list', 'value', 'count', 'penalty', 'definition']);

/**
 * Two texts of one document (a notice as .docx and as a printed .pdf) give the same line: it is shown once,
 * with the markers of both.
 */
function sameLinesOnce(lines: readonly string[]): string[] {
  const out: string[] = [];
  const at = new Map<string, number>();
  for (const line of lines) {
    const markers = line.match(/\[\d+\]/g) ?? [];
    const text = line.replace(/\s*(?:\[\d+\])+\s*$/, '');
    const seen = at.get(text);
    if (seen === undefined) {
      at.set(text, out.length);
      out.push(line);
      continue;
    }
    const prior = out[seen] ?? '';
    const more = markers.filter((m) => !prior.includes(m)).join('');
    out[seen] = `${prior}${more}`;
  }
  return out;
}

/**
 * The document whose clause answers the question without its field words ("“能口服不肌注…”是哪个文件提的?"
 * → "“能口服不肌注…”是提的"), when the clause matcher finds one; with the clause it found.
 */
async function documentOfClause(
  ctx: AnswerContext,
  u: Understanding,
): Promise<{ doc: DocumentRecord; chunk: Chunk } | null> {
  const text = withoutFieldWords(u.resolvedQuestion);
  const asClause = understand(text, [], ctx.glossary, regionFinderFor(ctx.index), dictionaryFor(ctx.index));
  if (asClause.intent === 'metadata' || asClause.placeUnknown) return null;
  const draft = await answerTarget(ctx, asClause);
  const first = draft.status === 'answered' ? draft.citations[0] : undefined;
  const doc = first && ctx.index.documentById.get(first.docId);
  const chunk = first && (ctx.index.chunksByDoc.get(first.docId) ?? []).find((c) => c.id === first.chunkId);
  return doc && chunk ? { doc, chunk } : null;
}

function pickDocuments(
  ctx: AnswerContext,
  u: Understanding,
  rankedDocIds: readonly string[],
): DocumentRecord[] {
  // "国办发〔2015〕7号是哪天印发的?" names its document by its number: no title words are needed.
  // "医保发〔2025〕14号和医保发〔2025〕33号分别是哪天印发的" names two, each by its number.
  const numbers = docNumbersIn(u.resolvedQuestion);
  const numbered = numbers.flatMap((n) => ctx.index.documents.filter((d) => d.meta.docNumber === n));
  if (numbered.length) return numbered;
  // "医保基金监管条例和常态化监管实施意见分别是谁发的?": each part names its own document.
  const several = documentsNamedApart(ctx.index, u);
  if (several.length > 1) return several;
  // "黑河和鹤岗的实施方案文号分别是啥": each place named has its own document.
  if (u.regions.length > 1) {
    const each = u.regions.flatMap((r) =>
      pickDocuments(ctx, { ...u, regions: [r] }, rankedDocIds).slice(0, 1),
    );
    if (each.length > 1) return each;
  }
  const ofPlace = u.regions.length
    ? ctx.index.documents.filter((d) => d.meta.region && u.regions.includes(d.meta.region.name))
    : null;
  // A question names its document by a short form of the title (传染病法, 医疗机构条例) or by its issuer and
  // subject (NHSA's notice on instant settlement): among the first documents retrieved (of the place asked, if
  // any), take the one whose title and issuer cover most of the question's topic.
  const topic = topicGrams(u.topic);
  const ranked = [...new Set(rankedDocIds)].filter(
    (id) => !ofPlace || ofPlace.some((d) => d.meta.docId === id),
  );
  const candidates = ranked.slice(0, TITLE_CANDIDATES);
  let best: DocumentRecord | undefined;
  let bestScore = -1;
  for (const id of candidates) {
    const doc = ctx.index.documentById.get(id);
    if (!doc) continue;
    // A short form of the title (国境卫检法) names it as surely as its words do.
    const short = abbreviationCoverage(u.resolvedQuestion, doc.meta.title) > 0 ? 1 : 0;
    const score = Math.max(coverage(topic, `${doc.meta.title} ${doc.meta.issuer ?? ''}`), short);
    if (score > bestScore) {
      best = doc;
      bestScore = score;
    }
  }
  // A document none of whose title the question names is not the one asked about ("谁发的?" after a question
  // on a law the corpus lacks must not name another document's issuer).
  // A place's document asked without a title ("句容方案是谁发的?"): the place's documents, as few as it has.
  // "Who issued it?" after a question in English: the earlier question's words, as the glossary renders them,
  // name its document loosely; the document they name best among the first retrieved is the one it asks about.
  const minCoverage = u.aboutLastDocument ? MIN_TITLE_COVERAGE / 2 : MIN_TITLE_COVERAGE;
  if (!best || bestScore < minCoverage) return ofPlace ? ofPlace.slice(0, PLACE_DOCUMENTS) : [];
  // "2025年修订的…" asks about a version the corpus does not hold when no date of the text is in that year.
  return holdsAskedYear(best, u) ? [best] : [];
}

/** False when the question names years (2025年修订的) and none is a date of the document's text. */
function holdsAskedYear(doc: DocumentRecord, u: Understanding): boolean {
  const known = documentDates(doc.meta);
  // A soft year (今年, the 2025 of "十四五") is a guess, not a version asked for.
  const asked = [...(u.softYear ? [] : u.years), ...u.documentYears];
  // A version named in the title (医疗机构病历管理规定（2013年版）) is the text of that year.
  return (
    !asked.length ||
    asked.some((y) => known.some((d) => d.startsWith(String(y))) || doc.meta.title.includes(`${y}年版`))
  );
}

/** Share of the question's topic a document's title must hold to be the document asked about. */
const MIN_TITLE_COVERAGE = 0.2;

/** Documents of a place answered when a question names the place and no title. */
const PLACE_DOCUMENTS = 3;

/** Documents retrieved first that may be the one a metadata question names. */
const TITLE_CANDIDATES = 5;

/** One line about one document, or null when the document does not say (e.g. it has no number): "not found". */
function describe(
  doc: DocumentRecord,
  u: Understanding,
  field: MetadataField,
  /** The document's texts, its header first. */
  texts: readonly string[],
): string | null {
  const headerText = texts[0] ?? '';
  const m = doc.meta;
  const en = u.lang === 'en';
  const place = m.region ? `${m.region.english} (${m.region.name})` : 'Unknown place';
  const name = en ? `${place}: 《${m.title}》` : `《${m.title}》`;
  switch (field) {
    case 'issuer': {
      if (!m.issuer) return null;
      const fact = m.headerFacts.find((f) => f.label === '发布机关' || f.label === '发布机构');
      const asListed =
        fact && fact.value !== m.issuer
          ? en
            ? ` (listed as ${fact.label}: ${fact.value})`
            : `(${fact.label}: ${fact.value})`
          : '';
      return en ? `${name} was issued by ${m.issuer}${asListed}.` : `${name}由${m.issuer}发布${asListed}。`;
    }
    case 'addressees': {
      // The notice's addressee line ends with a colon: "各卫生健康单位、委机关各科室:".
      const line = headerText.split('\n').find((l) => /^各.{2,120}[:\uFF1A]$/.test(l.trim()));
      if (!line) return null;
      const to = line.trim().replace(/[:\uFF1A]$/, '');
      return en ? `${name} is addressed to: ${to}.` : `${name}印发给:${to}。`;
    }
    case 'title':
      return en ? `The document's title is ${name}.` : `文件标题是${name}。`;
    case 'indexNumber': {
      const value = m.headerFacts.find((f) => f.label === '索引号')?.value;
      if (!value) return null;
      return en ? `${name} has the index number ${value}.` : `${name}的索引号是${value}。`;
    }
    case 'docNumber':
      if (!m.docNumber) return null;
      return en ? `${name} has the document number ${m.docNumber}.` : `${name}的文号是${m.docNumber}。`;
    case 'revision':
      return historyLine(doc, u, name) ?? meetingLine(texts, name, en);
    case 'date': {
      const parts: string[] = [];
      if (m.history.length) {
        const history = historyLine(doc, u, name);
        // A rule's history is the meeting that adopted it; the date it was signed and issued is another.
        const issued =
          m.issuedDate && !m.history.some((e) => e.date === m.issuedDate)
            ? asWritten(m.issuedDate, texts, en)
            : null;
        if (!issued) return history;
        return en ? `${history} Signed and issued ${issued}.` : `${history}成文日期${issued}。`;
      }
      const issued = asWritten(m.issuedDate, texts, en);
      const published = asWritten(m.publishedDate, texts, en);
      if (issued) parts.push(en ? `dated ${issued}` : `成文日期${issued}`);
      if (published) parts.push(en ? `published ${published}` : `发布日期${published}`);
      if (!parts.length) return null;
      return en ? `${name}: ${parts.join(', ')}.` : `${name}:${parts.join(',')}。`;
    }
    case 'period': {
      const p = m.period;
      const span = p ? (p.start === p.end ? `${p.start}` : `${p.start}–${p.end}`) : null;
      const horizon = m.horizonYears.join(', ');
      if (en)
        return `${name} covers ${span ?? 'no stated period'}${horizon ? `; its targets are for ${horizon}` : ''}.`;
      return `${name}${span ? `的规划期为${span}年` : '未写明规划期'}${horizon ? `,目标年份为${m.horizonYears.map((y) => `${y}年`).join('、')}` : ''}。`;
    }
    default:
      return null;
  }
}

/** The sentence of a notice that names the meeting which agreed to it: "…已经2023年区政府第6次常务会研究同意". */
const MEETING =
  /已(?:经)?[^。]{0,40}?(?:会议|常务会|局务会|委务会|办公会)[^。]{0,12}?(?:研究同意|审议通过|通过|同意)/;

function meetingLine(texts: readonly string[], name: string, en: boolean): string | null {
  for (const text of texts) {
    const nfkc = text.normalize('NFKC');
    const found = MEETING.exec(nfkc);
    if (!found) continue;
    const start = Math.max(nfkc.lastIndexOf('。', found.index), nfkc.lastIndexOf('\n', found.index)) + 1;
    const sentence =
      nfkc
        .slice(start)
        .split(/[。\n]/)[0]
        ?.trim() || found[0];
    return en ? `${name}: "${sentence}".` : `${name}:“${sentence}”。`;
  }
  return null;
}

/**
 * A law's or regulation's header lines, oldest first, as the document states them; and, when the corpus
 * holds a later text of it, that this one is not current.
 */
function historyLine(doc: DocumentRecord, u: Understanding, name: string): string | null {
  const m = doc.meta;
  if (!m.history.length) return null;
  const en = u.lang === 'en';
  // The header lines as written: their dates are what the cited header chunk holds.
  const events = m.history.map((e) => e.text);
  const superseded = m.supersededBy
    ? en
      ? ' A later text of it is in these documents.'
      : '(本库另有其更新的文本。)'
    : '';
  return en ? `${name}: ${events.join('; ')}.${superseded}` : `${name}:${events.join(';')}。${superseded}`;
}

/** The document's own term of validity: 本办法…有效期3年, 自文件发布之日起有效,有效期为4年. */
const VALIDITY =
  /(?:本(?:办法|规定|方案|细则|通知|意见|条例|规程|规则)[^。；;]{0,40}?|自[^。；;]{2,20}?(?:之日)?起(?:有效|施行|实施)[，,]?\s*)有效期(?:为|至)?[^。；;]{1,20}/;

/** The sentence that says from when a text applies: 自2026年1月1日起正式执行. */
const STARTS_ON = /[^。；;\n]*自[^。；;\n]{2,30}?起(?:正式)?(?:施行|执行|实施)[^。；;\n]*/;
/** Failing that, a sentence that binds from a written date on: 自2019年3月1日起，各级各类医疗机构应当全面使用…. */
const FROM_DATE = /[^。；;\n]*自\s*(?:19|20)\d{2}\s*年[\d\s月日]{0,12}起[^。；;\n]*/;

/** The first stretch of the document's clauses that `pattern` matches, with its chunk. */
function clauseMatching(chunks: readonly Chunk[], pattern: RegExp): { chunk: Chunk; text: string } | null {
  for (const chunk of chunks) {
    if (chunk.kind === 'header') continue;
    const m = pattern.exec(chunk.text);
    if (m) return { chunk, text: m[0].trim().replace(/[，,]\s*$/, '') };
  }
  return null;
}

/** A date in force read from the page's own fact (生效日期), quoted as the header states it. */
function inForceFactLine(doc: DocumentRecord, u: Understanding, value: string, marker: string): string {
  const name = `《${doc.meta.title}》`;
  return u.lang === 'en'
    ? `${name} takes effect on ${value}. ${marker}`
    : `${name}的生效日期是${value}。 ${marker}`;
}

/** What the document states, in its words: its in-force clause, its term of validity. */
function statesLine(doc: DocumentRecord, u: Understanding, text: string): string {
  const name = `《${doc.meta.title}》`;
  if (u.lang === 'en') return `${name} states: "${text}".`;
  return `${name}规定:“${text}”。`;
}

/**
 * A date as the document writes it (2023年6月8日, 二〇〇九年一月十九日 in a signature block), header first, then
 * the rest of the text; for a Chinese answer with the ISO form after it ("2025年4月3日(2025-04-03)"). A date
 * no text writes is shown as stored.
 */
function asWritten(iso: string | null, texts: readonly string[], en: boolean): string | null {
  if (!iso) return null;
  const written = findWrittenDate(iso, texts)?.text;
  if (!written) return iso;
  return en || (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(written) && texts[0]?.includes(written))
    ? written
    : `${written}(${iso})`;
}

/** A date in an answer line, as findWrittenDate gives it (no spaces). */
const WRITTEN_DATE =
  /(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日/g;

/**
 * A question asking which law a text implements ("根据哪部法定的", "上位法是什么"), not the grounds of one of its
 * rules ("非处方药分哪几类?依据是什么?" is answered by 根据药品的安全性).
 */
const ASKS_LAW_IMPLEMENTED =
  /(?:哪部|哪个|哪一部|什么)(?:法律|法|条例|文件|规定)|上位法|(?:依据|根据)哪|which (?:law|act|regulation)|what law/i;

/**
 * The higher-level document a notice implements: the first 《title》(number) in its header or preamble; for a
 * question asking which law (`asksLaw`), else the 根据《…》 of its header or of a law's first article.
 */
function findBasis(chunks: readonly Chunk[], asksLaw: boolean): { chunk: Chunk; text: string } | null {
  const lead = chunks.filter(
    (c) => c.kind === 'header' || c.kind === 'preamble' || c.headingPath[0]?.startsWith('一'),
  );
  for (const chunk of lead) {
    // Every 《title》(number) cited as grounds, e.g. a provincial notice and a municipal draft.
    const refs = [
      ...chunk.text.matchAll(/《[^》]{4,120}》\s*[(\uFF08][^)\uFF09]{0,20}[〔[]\d{4}[〕\]]\d+号[)\uFF09]/g),
    ].map((m) => m[0]);
    if (refs.length) return { chunk, text: refs.join('、') };
  }
  // A law or regulation names the law it implements in its first article: "…根据《中华人民共和国精神卫生法》和有关
  // 法律、行政法规，结合本省实际，制定本条例。"
  if (!asksLaw) return null;
  const first = chunks.find((c) => /^第一条/.test(c.text.trimStart()));
  for (const chunk of [...lead, ...(first ? [first] : [])]) {
    const grounds = GROUNDS.exec(chunk.text)?.[1];
    const titles = grounds?.match(/《[^》]{2,60}》/g);
    if (titles?.length) return { chunk, text: titles.join('、') };
  }
  return null;
}

/** The titles a text says it is made under: 根据《…》, 依据《…》和《…》. */
const GROUNDS = /(?:根据|依据)((?:《[^》]{2,60}》[、和及与,，]?)+)/;

function basisLine(doc: DocumentRecord, u: Understanding, basis: string): string {
  const name = `《${doc.meta.title}》`;
  return u.lang === 'en' ? `${name} implements ${basis}.` : `${name}的依据是${basis}。`;
}

/** "附件:1.西宁市…阶段性" + "重点工作任务清单" — the attachment line(s) after the body, joined. */
function attachmentLine(text: string): string | null {
  const m = text.match(/\n附件\s*[:\uFF1A]\s*([^\n]+)(?:\n([^\n]{2,30}清单|[^\n]{2,30}体系))?/);
  if (!m) return null;
  return `${m[1] ?? ''}${m[2] ?? ''}`.trim();
}
