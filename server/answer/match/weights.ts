import type { FeatureName } from './features.ts';

/**
 * The matcher's weights: a logistic regression over the named features of `features.ts`, fitted with
 * `npx tsx evals/fit-matcher.ts` on the training sets (evals/sets/dev.jsonl over the seeds and
 * evals/sets/realdocs-dev.jsonl over the real documents), labels = "the sentence holds the item's quote or
 * facts". The fit script prints this object and its cross-validated figures; paste them here.
 */
export interface MatcherWeights {
  bias: number;
  weights: Record<FeatureName, number>;
  /**
   * The best candidate answers only when its probability reaches this; below it the answer is "not found".
   * Calibrated by the fit script on out-of-fold scores of answerable and unanswerable items.
   */
  threshold: number;
  /** A second sentence is quoted when its probability is at least this share of the best one's. */
  secondRatio: number;
}

export const MATCHER_WEIGHTS: MatcherWeights = {
  bias: -4.78,
  weights: {
    topicCoverage: 1.14,
    rareCoverage: 1.12,
    headPresent: 0.79,
    headingCoverage: 0.7,
    clauseCoverage: -0.38,
    reverseCoverage: 1.39,
    metricMatch: 1.75,
    retrievalRank: 2.38,
    retrievalScore: -1.16,
    yearMatch: 0.15,
    yearMismatch: -0.37,
    typeFit: 0.97,
    headingOnly: -0.28,
    headerChunk: -0.01,
  },
  threshold: 0.08,
  secondRatio: 0.92,
};
