import type { FeatureName } from './features.ts';

/**
 * The matcher's weights: a logistic regression over the named features of `features.ts`, fitted with
 * `npx tsx evals/fit-matcher.ts` on the training sets (evals/sets/dev.jsonl over the seeds and
 * evals/sets/realdocs-dev.jsonl over the real documents), labels = "the sentence holds the item's quote or
 * facts". The fit script prints this object and its cross-validated figures; paste them here.
 *
 * Last fit (2026-12-02, offline LSA index): 150 items reach the matcher (132 answerable, 120 of them with an
 * answering sentence among the retrieved chunks; 18 unanswerable). 5-fold cross-validation: the best
 * candidate answers for 112 of 132; at the calibrated threshold 0.07, 83.3% of answerable items are answered
 * with an answering sentence and 88.9% of unanswerable ones refused (micro-accuracy objective; a balanced
 * one refused half the answerable items to catch one more trap). The weights are small because the
 * features overlap (the coverages move together) and L2 keeps them from trading off against each other.
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
  bias: -4.77,
  weights: {
    topicCoverage: 1.51,
    rareCoverage: 1.93,
    headPresent: 0.59,
    headingCoverage: 0.95,
    clauseCoverage: -0.75,
    reverseCoverage: 1.06,
    metricMatch: 2.12,
    retrievalRank: 2.76,
    retrievalScore: -1.14,
    yearMatch: 0.15,
    yearMismatch: -0.21,
    typeFit: 0.69,
    headingOnly: -0.07,
    headerChunk: -0.07,
  },
  threshold: 0.07,
  secondRatio: 0.92,
};
