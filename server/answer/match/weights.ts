import type { FeatureName } from './features.ts';

/**
 * The matcher's weights: a logistic regression over the named features of `features.ts`, fitted with
 * `npx tsx evals/fit-matcher.ts` on the training sets (evals/sets/dev.jsonl over the seeds and
 * evals/sets/realdocs-dev.jsonl over the real documents), labels = "the sentence holds the item's quote or
 * facts". The fit script prints this object and its cross-validated figures; paste them here.
 *
 * Last fit (2026-12-02, offline LSA index): 150 items reach the matcher (132 answerable, 124 of them with an
 * answering sentence among the retrieved chunks; 18 unanswerable). 5-fold cross-validation: the best
 * candidate answers for 114 of 132; at the calibrated threshold 0.06, 84.8% of answerable items are answered
 * with an answering sentence and 88.9% of unanswerable ones refused (objective: items right, an answered trap
 * counting twice; a balanced objective refused half the answerable items to catch one more trap). The
 * probabilities are low because about one candidate in twelve answers; the threshold sits on that scale.
 * The weights are small because the features overlap (the coverages move together) and L2 keeps them from
 * trading off against each other.
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
    topicCoverage: 1.76,
    rareCoverage: 1.84,
    headPresent: 0.12,
    headingCoverage: 1.09,
    clauseCoverage: -0.54,
    reverseCoverage: 1.09,
    metricMatch: 2.24,
    retrievalRank: 2.59,
    retrievalScore: -1.12,
    yearMatch: 0.19,
    yearMismatch: -0.18,
    typeFit: 0.54,
    headingOnly: -0.07,
    headerChunk: -0.08,
  },
  threshold: 0.06,
  secondRatio: 0.92,
};
