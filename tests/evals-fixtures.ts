/**
 * Hand-made AnswerResults for the evaluation-runner tests: real contract objects with chosen answers,
 * citations and retrieval lists, so each metric can be worked out by hand.
 */
import type { AnswerResult, AnswerStatus, Citation, RetrievedChunk } from '../server/answer/contract.ts';

export interface CannedAnswer {
  status?: AnswerStatus;
  answer?: string;
  /** The answer's lead line, when it has one. */
  lead?: string | null;
  /** Texts of the cited clauses, in marker order. */
  cited?: string[];
  /** Texts of the retrieved chunks, best first. */
  retrieved?: string[];
}

export function citation(n: number, text: string): Citation {
  return {
    n,
    chunkId: `jiaxing-2024#c${n}`,
    docId: 'jiaxing-2024-health-modernisation-opinions',
    title: '嘉兴市人民政府办公室关于推进卫生健康现代化建设的实施意见',
    docNumber: '嘉政办发〔2024〕5号',
    region: '嘉兴市',
    headingPath: ['二、主要任务', '(一)提升医疗服务能力'],
    clausePath: `二(一)${n}`,
    text,
    start: 100 * n,
    end: 100 * n + text.length,
  };
}

export function retrievedChunk(rank: number, text: string): RetrievedChunk {
  return {
    chunkId: `jiaxing-2024#r${rank}`,
    docId: 'jiaxing-2024-health-modernisation-opinions',
    score: 1 / rank,
    title: '嘉兴市人民政府办公室关于推进卫生健康现代化建设的实施意见',
    region: '嘉兴市',
    headingPath: ['二、主要任务'],
    text,
  };
}

export function answerResult(canned: CannedAnswer): AnswerResult {
  const status = canned.status ?? 'answered';
  const retrieved = (canned.retrieved ?? []).map((text, index) => retrievedChunk(index + 1, text));
  return {
    status,
    answer: canned.answer ?? (status === 'not_found' ? '这些文件中没有找到相关内容。' : ''),
    lead: canned.lead ?? null,
    citations: (canned.cited ?? []).map((text, index) => citation(index + 1, text)),
    related: status === 'not_found' ? retrieved.slice(0, 3) : [],
    retrieved,
    query: {
      resolvedQuestion: '',
      lang: 'zh',
      regions: ['嘉兴市'],
      unknownRegions: [],
      years: [],
      expansions: [],
    },
    answerer: 'extractive',
    timings: { retrieveMs: 1, answerMs: 1 },
  };
}
