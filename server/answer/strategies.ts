import type { AnswerStrategy } from './answer-strategy.ts';
import { comparisonStrategy } from './comparison-answer.ts';
import { clauseStrategy } from './extractive-answer.ts';
import { metadataStrategy } from './metadata-answer.ts';

/** Tried in order; the clause strategy takes every question, so it comes last. */
export const STRATEGIES: readonly AnswerStrategy[] = [metadataStrategy, comparisonStrategy, clauseStrategy];
