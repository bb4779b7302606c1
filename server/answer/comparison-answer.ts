import type { Understanding } from '../query/understand.ts';
import { CitationList } from './citations.ts';
import { type AnswerContext, answerTarget, type Draft } from './extractive-answer.ts';
import { notFoundMessage } from './not-found.ts';

/**
 * "各地家庭医生签约服务覆盖率目标对比": the target question asked of every region (or the regions named), one
 * block per region that answers, each with its own citations.
 */
export async function answerComparison(ctx: AnswerContext, u: Understanding): Promise<Draft> {
  const regions =
    u.regions.length > 1 ? u.regions : [...new Set(ctx.index.documents.map((d) => d.meta.region.name))];
  const citations = new CitationList(ctx.index);
  const blocks: string[] = [];
  const retrieved: Draft['retrieved'] = [];
  for (const region of regions) {
    const draft = await answerTarget(
      ctx,
      { ...u, regions: [region], unknownRegions: [], intent: 'target' },
      citations,
    );
    retrieved.push(...draft.retrieved.slice(0, 2));
    if (draft.status === 'answered') blocks.push(draft.answer);
  }
  retrieved.sort((a, b) => b.score - a.score);
  if (!blocks.length) {
    return {
      status: 'not_found',
      answer: notFoundMessage({ kind: 'no-match' }, u),
      citations: [],
      related: retrieved.slice(0, 3),
      retrieved,
    };
  }
  return {
    status: 'answered',
    answer: blocks.join('\n'),
    citations: citations.citations,
    related: [],
    retrieved,
  };
}
