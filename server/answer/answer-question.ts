import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import { chooseLlmProvider } from '../llm/choose-provider.ts';
import { dictionaryFor } from '../query/dictionary/dictionary-for-index.ts';
import { regionFinderFor } from '../query/find-regions.ts';
import type { Glossary } from '../query/glossary.ts';
import { type Understanding, understand } from '../query/understand.ts';
import type { RetrievalOptions } from '../retrieve/hybrid-retriever.ts';
import type { AnswerCache } from './answer-cache.ts';
import { AnswerError, charCount } from './answer-error.ts';
import { toRetrieved } from './citations.ts';
import type { AnswerEvent, AnswerResult, AskRequest, AskScope, ChatTurn } from './contract.ts';
import { type Draft, notFoundDraft } from './draft.ts';
import { type AnswerContext, clauseStrategy } from './extractive-answer.ts';
import { type LlmConfig, llmAnswer } from './llm-answer.ts';
import type { MatcherWeights } from './match/weights.ts';
import { numberChecker } from './number-check.ts';
import { questionParts, withParts } from './question-parts.ts';
import { STRATEGIES } from './strategies.ts';

/**
 * The one answering function behind `npm run ask`, the HTTP API, the WebSocket stream and `npm run eval`.
 */
export interface AnswererOptions {
  index: OpenedIndex;
  glossary: Glossary;
  retrieval: RetrievalOptions;
  /** The sentence matcher's fitted weights and threshold (server/answer/match/weights.ts). */
  matcher: MatcherWeights;
  /** When set, answers are written by the LLM and checked; the extractive answer is the fallback. */
  llm?: LlmConfig;
  /** Longest question accepted. Default 500 characters. */
  maxQuestionLength?: number;
  /** Extractive answers already given (ANSWER_CACHE_SIZE); none by default. */
  cache?: AnswerCache;
}

export const DEFAULT_MAX_QUESTION_LENGTH = 500;

export { AnswerError } from './answer-error.ts';

export async function answerQuestion(
  options: AnswererOptions,
  req: AskRequest,
  onEvent: (e: AnswerEvent) => void = () => {},
  signal?: AbortSignal,
): Promise<AnswerResult> {
  const question = (req.question ?? '').trim();
  if (!question) throw new AnswerError('question_empty', 'The question is empty.');
  const max = options.maxQuestionLength ?? DEFAULT_MAX_QUESTION_LENGTH;
  // Code points, as the HTTP and WebSocket validation counts them (ask-input.ts): UTF-16 units would refuse
  // a question of emoji or CJK Extension B characters that the API had accepted.
  if (charCount(question) > max)
    throw new AnswerError('question_too_long', `The question is longer than ${max} characters.`);
  const ctx: AnswerContext = signal ? { ...options, signal } : options;
  const t0 = performance.now();
  const today = new Date().toISOString().slice(0, 10);
  const cached = options.llm ? undefined : options.cache?.get(req, question, today);
  if (cached) {
    // The same events in the same order as a fresh answer, so clients cannot tell the difference.
    onEvent({ type: 'retrieval', retrieved: cached.retrieved });
    streamText(cached.answer, onEvent);
    onEvent({ type: 'citations', citations: cached.citations });
    const result = { ...cached, timings: { retrieveMs: 0, answerMs: round(performance.now() - t0) } };
    onEvent({ type: 'done', result });
    return result;
  }
  // Carried on the understanding, so every retrieval of every strategy (they spread it) stays in scope.
  const scopeDocs = req.scope ? documentsInScope(options.index, req.scope) : undefined;
  const frame = (text: string, history: readonly ChatTurn[]) => {
    const understood = understand(
      text,
      history,
      options.glossary,
      regionFinderFor(options.index),
      dictionaryFor(options.index),
    );
    const u = scopeDocs ? { ...understood, scopeDocs } : understood;
    return { u, strategy: STRATEGIES.find((st) => st.takes(u)) ?? clauseStrategy };
  };
  const { u, strategy } = frame(question, req.history ?? []);
  const whole = await strategy.answer(ctx, u);
  // A comparison names its places in one question; any other question asking two things gets what its parts,
  // answered one by one, add to the answer of the whole (question-parts.ts).
  const parts = u.intent === 'comparison' ? [] : questionParts(question);
  const byParts = parts.length
    ? await withParts(whole, parts, req.history ?? [], (part, history) => {
        const one = frame(part, history);
        return one.strategy.answer(ctx, one.u);
      })
    : null;
  const raw: Draft = byParts ?? whole;
  const draft = withinScope(withTraceableNumbers(raw, u), u, scopeDocs);
  const t1 = performance.now();
  const retrieved = toRetrieved(options.index, draft.retrieved);
  onEvent({ type: 'retrieval', retrieved });
  signal?.throwIfAborted();
  let answer = draft.answer;
  let lead = draft.lead;
  let citations = draft.citations;
  let answerer: AnswerResult['answerer'] = 'extractive';
  let fallback: AnswerResult['fallback'];
  if (options.llm && draft.status === 'answered' && u.intent !== 'metadata') {
    // The LLM's completion is held back until it passes the checks, so no rejected token reaches a client.
    const outcome = await llmAnswer(
      chooseLlmProvider(options.llm),
      options.index,
      u.resolvedQuestion,
      draft.retrieved.map((r) => r.chunk),
      { maxSources: options.llm.maxSources, signal },
    );
    if (outcome.ok) {
      answer = outcome.answer;
      lead = answer.split('\n')[0] ?? null;
      citations = outcome.citations;
      answerer = 'llm';
    } else fallback = { reason: outcome.reason };
  }
  // Tokens are only ever the final answer, whichever answerer wrote it: concatenated they are `answer`.
  streamText(answer, onEvent);
  onEvent({ type: 'citations', citations });
  const result: AnswerResult = {
    status: draft.status,
    answer,
    lead,
    citations,
    related: toRetrieved(options.index, draft.related),
    retrieved,
    query: {
      resolvedQuestion: u.resolvedQuestion,
      lang: u.lang,
      regions: u.regions,
      unknownRegions: u.unknownRegions,
      years: u.years,
      expansions: u.expansions,
      answerType: u.answerType,
      documentFields: u.metadataFields,
      strategy: byParts ? 'parts' : strategy.name,
      ...(req.scope ? { scope: req.scope } : {}),
    },
    answerer,
    timings: { retrieveMs: round(t1 - t0), answerMs: round(performance.now() - t1) },
  };
  if (fallback) result.fallback = fallback;
  if (draft.match && answerer === 'extractive') result.match = draft.match;
  if (!options.llm) options.cache?.set(req, question, today, result);
  onEvent({ type: 'done', result });
  return result;
}

/**
 * The last guard of the journalists' rule: a line showing a number that none of the cited clauses contains
 * is dropped, whatever produced it; an answer left without lines becomes not_found.
 */
function withTraceableNumbers(draft: Draft, u: Understanding): Draft {
  if (draft.status !== 'answered') return draft;
  // A clause's headings are part of what is cited: an outline of a section shows its parts' numbered headings.
  const untraceable = numberChecker(draft.citations.map((c) => [...c.headingPath, c.text].join('\n')));
  // A cited document named by its title (《2020年全市卫生健康工作计划安排》) shows the title's numbers as its own.
  const titles = [...new Set(draft.citations.map((c) => `《${c.title}》`))];
  const checked = (line: string) => titles.reduce((text, title) => text.split(title).join(' '), line);
  const lines = draft.answer.split('\n').filter((line) => untraceable(checked(line)).length === 0);
  if (lines.length === draft.answer.split('\n').length) return draft;
  if (lines.length === 0) return notFoundDraft({ kind: 'no-match' }, u, draft.retrieved);
  const lead = draft.lead !== null && lines.includes(draft.lead) ? draft.lead : null;
  return { ...draft, answer: lines.join('\n'), lead };
}

/** The documents a scope names: those listed and those of the places listed. */
export function documentsInScope(index: OpenedIndex, scope: AskScope): string[] {
  const docIds = new Set(scope.docIds ?? []);
  const regions = new Set(scope.regions ?? []);
  return index.documents
    .filter((d) => docIds.has(d.meta.docId) || (d.meta.region !== null && regions.has(d.meta.region.name)))
    .map((d) => d.meta.docId);
}

/**
 * A strategy that reads documents without retrieval (a document's fields, say) could still cite one the
 * user left out; such an answer is not what was asked for, so it becomes not_found.
 */
function withinScope(draft: Draft, u: Understanding, scopeDocs: readonly string[] | undefined): Draft {
  if (!scopeDocs || draft.status !== 'answered') return draft;
  if (draft.citations.every((c) => scopeDocs.includes(c.docId))) return draft;
  return notFoundDraft(
    { kind: 'no-match' },
    u,
    draft.retrieved.filter((r) => scopeDocs.includes(r.chunk.docId)),
  );
}

/** The extractive answer exists whole; it is sent in line-sized tokens so clients share one streaming path. */
function streamText(answer: string, onEvent: (e: AnswerEvent) => void): void {
  for (const piece of answer.match(/[^\n]+\n?|\n/g) ?? []) onEvent({ type: 'token', text: piece });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
