/**
 * What the HTTP/ws layer, the CLIs and the evaluation runner can ask of a loaded corpus.
 * `createService()` in `server/service.ts` implements it over an index folder.
 */
import type { DocumentMeta, TargetRecord } from '../ingest/model.ts';
import type { AnswerEvent, AnswerResult, AskRequest, Citation, RetrievedChunk } from './answer/contract.ts';

export interface ClauseOutlineEntry {
  chunkId: string;
  kind: 'header' | 'preamble' | 'clause' | 'table-row';
  headingPath: string[];
  clausePath: string | null;
  start: number;
  end: number;
}

export interface DocumentDetail {
  meta: DocumentMeta;
  /** Cleaned text; every offset in the API refers to it. */
  text: string;
  outline: ClauseOutlineEntry[];
  /** Table rows with their labelled cells. */
  tables: {
    chunkId: string;
    headingPath: string[];
    cells: { header: string; value: string }[];
    start: number;
    end: number;
  }[];
}

export interface HealthInfo {
  ok: true;
  manifest: {
    formatVersion: number;
    embedder: { id: string; dimensions: number };
    corpusHash: string;
    builtAt: string;
    counts: { documents: number; chunks: number; tableRows: number; targets: number };
  };
  answerer: 'extractive' | 'llm';
}

export interface TargetFilter {
  region?: string;
  year?: number;
  metric?: string;
  /** Free text matched against metric, qualifier and quote (Chinese or English). */
  q?: string;
}

export type ClaimVerdict = 'supported' | 'contradicted' | 'other_year' | 'not_found';

/** Where else the document states the same target (its annex table beside the text, say). */
export interface TargetStatement {
  chunkId: string;
  headingPath: string[];
  quote: string;
  start: number;
  end: number;
  yearSource: TargetRecord['yearSource'];
}

/** A target once, with the other places its document states it (a target row, a claim's evidence). */
export interface TargetRow extends TargetRecord {
  alsoStatedIn: TargetStatement[];
}

/** A clause sentence that states a claim without a number ("嘉兴推广三明医改经验"). */
export interface ClaimClause extends Citation {
  /** The sentence that states it, and its offsets in the document text. */
  sentence: string;
  sentenceStart: number;
  sentenceEnd: number;
}

export interface ClaimCheck {
  claim: string;
  verdict: ClaimVerdict;
  /** Short explanation in the claim's language. */
  message: string;
  /** The target records the verdict rests on (each traceable to its clause), each target once. */
  evidence: TargetRow[];
  /** The document's value when it differs from the claim's, e.g. 45%以上. */
  documentValue: string | null;
  /** The year the documents set the claimed value for, when it is not the claim's year. */
  documentYear: number | null;
  /** For claims without a number: the clauses that state them (empty otherwise). */
  clauses: ClaimClause[];
}

export interface ZhengceService {
  ask(req: AskRequest, onEvent?: (event: AnswerEvent) => void, signal?: AbortSignal): Promise<AnswerResult>;
  search(query: string, k: number): Promise<RetrievedChunk[]>;
  listDocuments(): DocumentMeta[];
  getDocument(docId: string): DocumentDetail | null;
  health(): HealthInfo;
  /** Matching targets, each once (a target stated in the text and the annex table is one row). */
  targets(filter: TargetFilter): TargetRow[];
  checkClaim(claim: string): Promise<ClaimCheck>;
}
