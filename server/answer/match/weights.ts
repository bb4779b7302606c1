import type { FeatureName } from './features.ts';

/**
 * The matcher's weights: a logistic regression over the named features of `features.ts`, fitted with
 * `npx tsx evals/fit-matcher.ts` on the training sets (evals/sets/dev.jsonl over the seeds and
 * evals/sets/realdocs-dev.jsonl over the real documents), labels = "the sentence holds the item's quote or
 * facts". The fit script prints this object and its cross-validated figures; paste them here.
 *
 * Last fit (2026-12-02, offline LSA index): 149 items reach the matcher (131 answerable, 125 of them with an
 * answering sentence among the retrieved chunks; 18 unanswerable). 5-fold cross-validation: the best
 * candidate answers for 114 of 131; at the calibrated threshold 0.06, 86.3% of answerable items are answered
 * with an answering sentence and 94.4% of unanswerable ones refused (objective: items right, an answered trap
 * counting twice; the out-of-fold curve is flat over a range and its middle is taken). Most refusals
 * come from the hard constraints before scoring (place, year, figure, rate word, English glossary terms).
 * The probabilities are low because about one candidate in twelve answers; the threshold sits on that scale.
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
  bias: -4.86,
  weights: {
    topicCoverage: 1.55,
    rareCoverage: 1.7,
    conceptCoverage: 0.81,
    headPresent: 0.05,
    headingCoverage: 0.85,
    clauseCoverage: -0.47,
    reverseCoverage: 1.15,
    metricMatch: 2.09,
    retrievalRank: 2.48,
    retrievalScore: -1.2,
    yearMatch: 0.28,
    yearMismatch: -0.1,
    typeFit: 0.86,
    headingOnly: -0.03,
    headerChunk: 0.04,
  },
  threshold: 0.06,
  secondRatio: 0.92,
};
