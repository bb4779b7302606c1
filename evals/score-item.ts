/**
 * Scores one set item against the answer the service gave. Everything here is a pure function of the
 * item and the AnswerResult so metrics can be recomputed from a report without rerunning the set.
 */
import { CHINESE_FIGURE_SOURCE } from '../ingest/text/chinese-numerals.ts';
import type { AnswerResult, AnswerStatus } from '../server/answer/contract.ts';
import { includesNormalized, normalizeForMatch } from './normalize.ts';
import type { EvalItem } from './set-format.ts';

/** The [n] citation markers the answerer puts after sentences; they are not document text. */
const CITATION_MARKER = /\[\d+\]/g;

/** A figure written in Chinese numerals (百分之八十, 五十五周岁, 三万元), as the answerer itself reads them. */
const CHINESE_FIGURE = new RegExp(CHINESE_FIGURE_SOURCE);

/**
 * Whether a fact states a figure: it contains a digit (after NFKC, so "４５％" counts) or a figure in Chinese
 * numerals. Such facts are the value a question asks for, so they must be in the lead line when there is one.
 */
export function isFigureFact(fact: string): boolean {
  const normalized = normalizeForMatch(fact);
  return /\d/u.test(normalized) || CHINESE_FIGURE.test(normalized);
}

/** Whether a cited clause holds part of the answer: its text contains one of the item's quotes or facts. */
export function holdsAnswer(item: EvalItem, citationText: string): boolean {
  return [...item.quotes, ...item.facts].some((expected) => includesNormalized(citationText, expected));
}

function withoutMarkers(text: string): string {
  return text.replace(CITATION_MARKER, '');
}

export interface ItemScore {
  item: EvalItem;
  /** Null when the ask call failed; `error` then says why. */
  result: AnswerResult | null;
  error: string | null;
  /** Wall-clock time of the ask call, as the caller saw it. */
  latencyMs: number;
  status: AnswerStatus | null;
  /**
   * The right answer. Unanswerable: status not_found. Answerable: status answered, every fact in the
   * answer, and, when the result has a lead line, every figure fact (one with a digit or a Chinese-numeral
   * figure, see isFigureFact) in that lead line; other facts may be anywhere in the answer. Facts, answer
   * and lead are compared after NFKC and whitespace removal, with [n] markers stripped. So a lead that
   * states another value is wrong even when the right figure appears in the quoted clause below it.
   */
  answerCorrect: boolean;
  /**
   * Null when the item is unanswerable or the result has no lead (not_found, an answer without a lead
   * line, a failed ask). Otherwise whether every figure fact is in the lead; true when the item has no
   * figure facts, as the lead then has nothing it could state wrongly.
   */
  leadCorrect: boolean | null;
  /**
   * What the report calls pass: the answer is correct and, when the item has quotes, at least one
   * citation contains one, because an answer whose numbers cannot be traced to a clause is a failure;
   * and, when the item names its clause, a citation is that clause.
   */
  passed: boolean;
  /** Facts absent from the whole answer. */
  missedFacts: string[];
  /** Figure facts absent from the lead line (empty when there is no lead); they may be elsewhere. */
  missedLeadFacts: string[];
  /** Quotes that no citation contains. */
  missedQuotes: string[];
  /** 1-based rank of the first retrieved chunk containing a quote; null when none does or no quotes. */
  retrievalRank: number | null;
  citedTotal: number;
  /** Cited clauses that contain at least one quote. */
  citedWithQuote: number;
  /** Cited clauses that hold part of the answer: they contain one of the item's quotes or facts. */
  citedWithAnswer: number;
  /** Quotes contained in at least one citation. */
  quotesCovered: number;
  /** Null when the item names no clause; else whether a citation's clause path holds it. */
  clauseCited: boolean | null;
  refused: boolean;
  /** An answerable item answered with not_found. */
  falseRefusal: boolean;
}

/**
 * A set names a clause as the document prints it ("四、", "（三）", "第二十二条"); clause paths are compact
 * ("四", "二(三)14", "四13"): the enumeration comma and spaces are not part of the number, wherever they stand.
 */
function clauseKey(clause: string): string {
  return clause.replace(/[、.．\s]+/gu, '').trim() || clause;
}

export function scoreItem(
  item: EvalItem,
  result: AnswerResult | null,
  latencyMs: number,
  error: string | null = null,
): ItemScore {
  const unanswerable = item.unanswerable === true;
  const status = result?.status ?? null;
  const answerText = withoutMarkers(result?.answer ?? '');
  const lead = result?.lead ?? null;
  const citations = result?.citations ?? [];
  const retrieved = result?.retrieved ?? [];
  // A table row is cited as its labelled cells and as the document writes it (`source`): a quote may stand in either.
  const containsQuote = (c: { text: string; source?: string }) =>
    item.quotes.some(
      (quote) => includesNormalized(c.text, quote) || includesNormalized(c.source ?? '', quote),
    );

  const missedFacts = unanswerable ? [] : item.facts.filter((fact) => !includesNormalized(answerText, fact));
  const leadText = unanswerable || lead === null ? null : withoutMarkers(lead);
  const missedLeadFacts =
    leadText === null
      ? []
      : item.facts.filter((fact) => isFigureFact(fact) && !includesNormalized(leadText, fact));
  const leadCorrect = leadText === null ? null : missedLeadFacts.length === 0;
  const missedQuotes = item.quotes.filter(
    (quote) =>
      !citations.some(
        (citation) =>
          includesNormalized(citation.text, quote) || includesNormalized(citation.source ?? '', quote),
      ),
  );
  const answerCorrect = unanswerable
    ? status === 'not_found'
    : status === 'answered' && missedFacts.length === 0 && leadCorrect !== false;
  const supported = unanswerable || item.quotes.length === 0 || missedQuotes.length < item.quotes.length;
  const clauseCited =
    unanswerable || !item.clause
      ? null
      : citations.some((citation) =>
          includesNormalized(citation.clausePath ?? '', clauseKey(item.clause ?? '')),
        );
  const rankIndex = item.quotes.length === 0 ? -1 : retrieved.findIndex((chunk) => containsQuote(chunk));

  return {
    item,
    result,
    error,
    latencyMs,
    status,
    answerCorrect,
    leadCorrect,
    passed: error === null && answerCorrect && supported && clauseCited !== false,
    missedFacts,
    missedLeadFacts,
    missedQuotes,
    retrievalRank: rankIndex === -1 ? null : rankIndex + 1,
    citedTotal: citations.length,
    citedWithQuote: citations.filter((citation) => containsQuote(citation)).length,
    citedWithAnswer: citations.filter((citation) => holdsAnswer(item, citation.text)).length,
    quotesCovered: item.quotes.length - missedQuotes.length,
    clauseCited,
    refused: status === 'not_found',
    falseRefusal: !unanswerable && status === 'not_found',
  };
}
