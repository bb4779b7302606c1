/**
 * Scores one set item against the answer the service gave. Everything here is a pure function of the
 * item and the AnswerResult so metrics can be recomputed from a report without rerunning the set.
 */
import type { AnswerResult, AnswerStatus } from '../server/answer/contract.ts';
import { includesNormalized } from './normalize.ts';
import type { EvalItem } from './set-format.ts';

/** The [n] citation markers the answerer puts after sentences; they are not document text. */
const CITATION_MARKER = /\[\d+\]/g;

export interface ItemScore {
  item: EvalItem;
  /** Null when the ask call failed; `error` then says why. */
  result: AnswerResult | null;
  error: string | null;
  /** Wall-clock time of the ask call, as the caller saw it. */
  latencyMs: number;
  status: AnswerStatus | null;
  /** Unanswerable: status not_found. Answerable: status answered and every fact in the answer. */
  answerCorrect: boolean;
  /**
   * What the report calls pass: the answer is correct and, when the item has quotes, at least one
   * citation contains one, because an answer whose numbers cannot be traced to a clause is a failure;
   * and, when the item names its clause, a citation is that clause.
   */
  passed: boolean;
  missedFacts: string[];
  /** Quotes that no citation contains. */
  missedQuotes: string[];
  /** 1-based rank of the first retrieved chunk containing a quote; null when none does or no quotes. */
  retrievalRank: number | null;
  citedTotal: number;
  /** Cited clauses that contain at least one quote. */
  citedWithQuote: number;
  /** Quotes contained in at least one citation. */
  quotesCovered: number;
  /** Null when the item names no clause; else whether a citation's clause path holds it. */
  clauseCited: boolean | null;
  refused: boolean;
  /** An answerable item answered with not_found. */
  falseRefusal: boolean;
}

export function scoreItem(
  item: EvalItem,
  result: AnswerResult | null,
  latencyMs: number,
  error: string | null = null,
): ItemScore {
  const unanswerable = item.unanswerable === true;
  const status = result?.status ?? null;
  const answerText = (result?.answer ?? '').replace(CITATION_MARKER, '');
  const citations = result?.citations ?? [];
  const retrieved = result?.retrieved ?? [];
  const containsQuote = (text: string) => item.quotes.some((quote) => includesNormalized(text, quote));

  const missedFacts = unanswerable ? [] : item.facts.filter((fact) => !includesNormalized(answerText, fact));
  const missedQuotes = item.quotes.filter(
    (quote) => !citations.some((citation) => includesNormalized(citation.text, quote)),
  );
  const answerCorrect = unanswerable
    ? status === 'not_found'
    : status === 'answered' && missedFacts.length === 0;
  const supported = unanswerable || item.quotes.length === 0 || missedQuotes.length < item.quotes.length;
  const clauseCited =
    unanswerable || !item.clause
      ? null
      : citations.some((citation) => includesNormalized(citation.clausePath ?? '', item.clause ?? ''));
  const rankIndex = item.quotes.length === 0 ? -1 : retrieved.findIndex((chunk) => containsQuote(chunk.text));

  return {
    item,
    result,
    error,
    latencyMs,
    status,
    answerCorrect,
    passed: error === null && answerCorrect && supported && clauseCited !== false,
    missedFacts,
    missedQuotes,
    retrievalRank: rankIndex === -1 ? null : rankIndex + 1,
    citedTotal: citations.length,
    citedWithQuote: citations.filter((citation) => containsQuote(citation.text)).length,
    quotesCovered: item.quotes.length - missedQuotes.length,
    clauseCited,
    refused: status === 'not_found',
    falseRefusal: !unanswerable && status === 'not_found',
  };
}
