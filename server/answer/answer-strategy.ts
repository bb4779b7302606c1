import type { Understanding } from '../query/understand.ts';
import type { Draft } from './draft.ts';
import type { AnswerContext } from './extractive-answer.ts';

/**
 * One kind of answer: questions about a document itself, comparisons across places, and clause answers
 * (values, lists, names, rules). Each is a strategy in its own file; `STRATEGIES` (strategies.ts) lists them
 * in the order they are tried, and the first that takes the question answers it.
 */
export interface AnswerStrategy {
  readonly name: 'next-item' | 'metadata' | 'comparison' | 'clause';
  /** Whether this strategy answers the question as understood. */
  takes(u: Understanding): boolean;
  answer(ctx: AnswerContext, u: Understanding): Promise<Draft>;
}
