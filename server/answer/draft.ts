import type { Understanding } from '../query/understand.ts';
import type { ScoredChunk } from '../retrieve/hybrid-retriever.ts';
import type { Citation, MatchExplanation } from './contract.ts';
import { type NotFoundReason, notFoundMessage } from './not-found.ts';

/** An answer before timings and streaming: what each answering strategy returns. */
export interface Draft {
  status: 'answered' | 'not_found';
  answer: string;
  /** The one line a user reads first (a value answer's lead line), or null when the answer has none. */
  lead: string | null;
  citations: Citation[];
  related: ScoredChunk[];
  retrieved: ScoredChunk[];
  /** The chosen candidate's score and features, for clause answers. */
  match?: MatchExplanation;
}

/** How many related clauses a "not found" offers. */
const RELATED_COUNT = 3;

export function answeredDraft(
  lines: readonly string[],
  citations: Citation[],
  retrieved: ScoredChunk[],
  lead: string | null = null,
): Draft {
  return { status: 'answered', answer: lines.join('\n'), lead, citations, related: [], retrieved };
}

export function notFoundDraft(
  reason: NotFoundReason,
  u: Pick<Understanding, 'lang'>,
  retrieved: ScoredChunk[],
  related: readonly ScoredChunk[] = retrieved,
): Draft {
  return {
    status: 'not_found',
    answer: notFoundMessage(reason, u),
    lead: null,
    citations: [],
    related: related.slice(0, RELATED_COUNT),
    retrieved,
  };
}
