/**
 * The answering contract: what `npm run ask -- --json`, `POST /api/ask`, the WebSocket stream and the
 * evaluation runner all return. Changing a field here is a breaking change for API clients.
 */

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface AskRequest {
  question: string;
  /** Earlier turns, oldest first; used to resolve follow-ups such as "那西宁呢?". */
  history?: ChatTurn[];
  /** Answer from these documents or places only (either matches); absent: the whole corpus. */
  scope?: AskScope;
}

/** Documents and places a question is limited to; a clause answers when its document is in either list. */
export interface AskScope {
  docIds?: string[];
  /** Chinese place names as in DocumentMeta.region.name, e.g. 嘉兴市. */
  regions?: string[];
}

export interface Citation {
  /** The marker number used in the answer text as [n]. */
  n: number;
  chunkId: string;
  docId: string;
  title: string;
  docNumber: string | null;
  /** Region name, e.g. 嘉兴市. */
  region: string;
  headingPath: string[];
  /** Compact clause number such as 二(三)14, when the clause has one. */
  clausePath: string | null;
  /** The cited clause text as shown. */
  text: string;
  /**
   * The clause as the document writes it, when `text` shows it otherwise: a table row is shown as its cells
   * labelled by their headers ("2025年目标: 5.23"), and written as the page's cells ("每千人口…床位数 4.81 5.23").
   */
  source?: string;
  /** Offsets of the clause in the cleaned document text (for highlighting). */
  start: number;
  end: number;
}

export interface RetrievedChunk {
  chunkId: string;
  docId: string;
  score: number;
  title: string;
  region: string;
  headingPath: string[];
  text: string;
  /** As in `Citation.source`: a table row as the document writes it. */
  source?: string;
}

export interface QueryUnderstanding {
  /** The question after follow-up resolution (what was actually answered). */
  resolvedQuestion: string;
  lang: 'zh' | 'en';
  /** Regions named (or inherited from the previous turn), as Chinese names. */
  regions: string[];
  /** Region-like names that are not in the corpus (e.g. 杭州); their presence means not_found. */
  unknownRegions: string[];
  years: number[];
  /** Chinese terms added from the glossary for an English question. */
  expansions: string[];
  /** What kind of answer the question asks for (value, duration, count, list, name, responsible …). */
  answerType?: string;
  /** Document fields asked, for questions about a document (issuer, docNumber, inForce …). */
  documentFields?: string[];
  /** The answering strategy that took the question (next-item, metadata, comparison, clause), or parts. */
  strategy?: string;
  /** The scope the question was limited to, when it was (AskRequest.scope). */
  scope?: AskScope;
}

/** Why the quoted sentence was chosen: the matcher's probability and the named features it weighed. */
export interface MatchExplanation {
  score: number;
  features: Record<string, number>;
}

export type AnswerStatus = 'answered' | 'not_found';

export interface AnswerResult {
  status: AnswerStatus;
  /** Text with [n] markers after each sentence. */
  answer: string;
  /**
   * The line a user reads first, as it appears in `answer`: for a value question the line stating the value,
   * metric, place and year of the record quoted beneath it. Null for not_found and for answers with no lead.
   */
  lead: string | null;
  citations: Citation[];
  /** For not_found: the closest clauses, offered as related reading. */
  related: RetrievedChunk[];
  retrieved: RetrievedChunk[];
  query: QueryUnderstanding;
  answerer: 'extractive' | 'llm';
  /** For clause answers: the chosen sentence's score and features (see server/answer/match/features.ts). */
  match?: MatchExplanation;
  /** Set when an LLM answer failed its checks and the extractive answer was used instead. */
  fallback?: { reason: string };
  timings: { retrieveMs: number; answerMs: number };
}

/** Streamed while an answer is produced; the final `done` carries the whole result. */
export type AnswerEvent =
  | { type: 'retrieval'; retrieved: RetrievedChunk[] }
  | { type: 'token'; text: string }
  | { type: 'citations'; citations: Citation[] }
  | { type: 'done'; result: AnswerResult }
  | { type: 'error'; code: string; message: string };
