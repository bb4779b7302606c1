import type { FeatureName } from './features.ts';

/**
 * The matcher's weights: a logistic regression over the named features of `features.ts`, fitted with
 * `npx tsx evals/fit-matcher.ts` on the training sets (dev, fresh, realdocs-dev and train-v1, the last written from
 * the documents for training: lists, follow-ups, abbreviations, traps), labels = "the sentence holds the item's quote or
 * facts". The fit script prints this object and its cross-validated figures; paste them here.
 *
 * Last fit (2026-12-02, offline LSA index): 265 items reach the matcher (228 answerable, 209 of them with an
 * answering sentence among the retrieved chunks; 37 unanswerable). 5-fold cross-validation: the best
 * candidate answers for 181 of 228; at the calibrated threshold 0.11, 77.2% of answerable items are answered
 * with an answering sentence and 83.8% of unanswerable ones refused (objective: items right, an answered trap
 * counting twice; the middle of the flat best range is taken). Most refusals come from the hard constraints
 * before scoring (place, year, figure, rate or count noun, English glossary terms). The probabilities are low
 * because about one candidate in twelve answers; the threshold sits on that scale. The weights are small
 * because the features overlap (the coverages move together) and L2 keeps them from trading off.
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
  bias: -5.15,
  weights: {
    topicCoverage: 1.47,
    rareCoverage: 1.43,
    conceptCoverage: 1.22,
    headPresent: -0.06,
    headingCoverage: 0.94,
    clauseCoverage: -0.22,
    reverseCoverage: 0.87,
    metricMatch: 1.81,
    retrievalRank: 2.42,
    retrievalScore: -1.3,
    yearMatch: 0.46,
    yearMismatch: 0.01,
    typeFit: 1.03,
    headingOnly: -0.16,
    headerChunk: 0.01,
  },
  threshold: 0.11,
  secondRatio: 0.92,
};
