/** A small answered AnswerResult for history-store tests: what a store keeps, without a real answerer. */
import type { AnswerResult } from '../../server/answer/contract.ts';

export function answerResult(answer: string): AnswerResult {
  return {
    status: 'answered',
    answer,
    lead: null,
    citations: [],
    related: [],
    retrieved: [],
    query: {
      resolvedQuestion: '问',
      lang: 'zh',
      regions: ['嘉兴市'],
      unknownRegions: [],
      years: [2027],
      expansions: [],
    },
    answerer: 'extractive',
    timings: { retrieveMs: 1, answerMs: 2 },
  };
}
