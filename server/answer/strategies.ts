import type { AnswerStrategy } from './answer-strategy.ts';
import { comparisonStrategy } from './comparison-answer.ts';
import { clauseStrategy } from './extractive-answer.ts';
import { metadataStrategy } from './metadata-answer.ts';
import { nextItemStrategy } from './next-item.ts';

/**
 * Tried in order; the clause strategy takes every question, so it comes last. A follow-up asking for the next
 * item comes first: its words (阶段, phase) would otherwise be read as a question of their own.
 */
export const STRATEGIES: readonly AnswerStrategy[] = [
  nextItemStrategy,
  metadataStrategy,
  comparisonStrategy,
  clauseStrategy,
];
