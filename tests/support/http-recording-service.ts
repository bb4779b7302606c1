/**
 * A ZhengceService test double for the HTTP/ws layer: it implements the real interface over one tiny
 * document, streams its answer slowly (so a test can disconnect mid-stream) and records every call and
 * whether the abort signal fired. Used only where the real service cannot show the behaviour (timing,
 * failures); everything else runs against the real service.
 */
import type { DocumentMeta } from '../../ingest/model.ts';
import type { AnswerEvent, AnswerResult, AskRequest, Citation } from '../../server/answer/contract.ts';
import type { ClaimCheck, DocumentDetail, HealthInfo, ZhengceService } from '../../server/service-types.ts';

const TEXT = '14.改革完善家庭医生制度。家庭医生签约服务覆盖率达到45%以上。';

const REGION = '嘉兴市';

const META: DocumentMeta = {
  docId: 'recording-doc',
  source: 'recording-doc.txt',
  title: '测试文件',
  issuer: null,
  docNumber: null,
  issuedDate: null,
  publishedDate: null,
  docType: 'plan',
  history: [],
  inForce: null,
  supersededBy: null,
  region: { name: REGION, level: 'city', parents: ['浙江省'], english: 'Jiaxing', code: '3304' },
  period: null,
  horizonYears: [2027],
  headerFacts: [],
};

export interface AskCall {
  request: AskRequest;
  aborted: boolean;
  finished: boolean;
}

export interface RecordingServiceOptions {
  /** Pause between streamed tokens; default 0. */
  tokenDelayMs?: number;
  /** How many tokens the answer is streamed in; default 3. */
  tokens?: number;
  /** When set, ask() rejects with this error after the retrieval event. */
  failWith?: Error;
}

export interface RecordingService extends ZhengceService {
  readonly asks: AskCall[];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export function createRecordingService(options: RecordingServiceOptions = {}): RecordingService {
  const asks: AskCall[] = [];
  const start = TEXT.indexOf('家庭医生签约');
  const citation: Citation = {
    n: 1,
    chunkId: 'recording-doc#1',
    docId: META.docId,
    title: META.title,
    docNumber: null,
    region: REGION,
    headingPath: ['14.改革完善家庭医生制度'],
    clausePath: '14',
    text: TEXT,
    start,
    end: TEXT.length,
  };
  const retrieved = [
    {
      chunkId: citation.chunkId,
      docId: META.docId,
      score: 1,
      title: META.title,
      region: REGION,
      headingPath: citation.headingPath,
      text: TEXT,
    },
  ];

  return {
    asks,
    async ask(request, onEvent?: (event: AnswerEvent) => void, signal?: AbortSignal): Promise<AnswerResult> {
      const call: AskCall = { request, aborted: false, finished: false };
      asks.push(call);
      signal?.addEventListener('abort', () => {
        call.aborted = true;
      });
      onEvent?.({ type: 'retrieval', retrieved });
      if (options.failWith) throw options.failWith;
      const answer = '家庭医生签约服务覆盖率达到45%以上[1]。';
      const parts = options.tokens ?? 3;
      const size = Math.ceil(answer.length / parts);
      for (let i = 0; i < answer.length; i += size) {
        await sleep(options.tokenDelayMs ?? 0, signal);
        onEvent?.({ type: 'token', text: answer.slice(i, i + size) });
      }
      onEvent?.({ type: 'citations', citations: [citation] });
      const result: AnswerResult = {
        status: 'answered',
        answer,
        lead: null,
        citations: [citation],
        related: [],
        retrieved,
        query: {
          resolvedQuestion: request.question,
          lang: 'zh',
          regions: [],
          unknownRegions: [],
          years: [],
          expansions: [],
        },
        answerer: 'extractive',
        timings: { retrieveMs: 0, answerMs: 0 },
      };
      onEvent?.({ type: 'done', result });
      call.finished = true;
      return result;
    },
    async search() {
      return retrieved;
    },
    listDocuments() {
      return [META];
    },
    getDocument(docId): DocumentDetail | null {
      if (docId !== META.docId) return null;
      return { meta: META, text: TEXT, outline: [], tables: [] };
    },
    health(): HealthInfo {
      return {
        ok: true,
        manifest: {
          formatVersion: 1,
          embedder: { id: 'recording', dimensions: 1 },
          corpusHash: 'recording',
          builtAt: new Date(0).toISOString(),
          counts: { documents: 1, chunks: 1, tableRows: 0, targets: 0 },
        },
        answerer: 'extractive',
      };
    },
    targets() {
      return [];
    },
    async checkClaim(claim): Promise<ClaimCheck> {
      return {
        claim,
        verdict: 'not_found',
        message: 'No evidence.',
        evidence: [],
        documentValue: null,
        documentYear: null,
        clauses: [],
      };
    },
  };
}
