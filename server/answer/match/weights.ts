import type { FeatureName } from './features.ts';

/**
 * The matcher's weights: a logistic regression over the named features of `features.ts`, fitted with
 * `npx tsx evals/fit-matcher.ts` on the training sets (dev, fresh, realdocs-dev and train-v1, the last written from
 * the documents for training: lists, follow-ups, abbreviations, traps), labels = "the sentence holds the item's quote or
 * facts". The fit script prints this object and its cross-validated figures; paste them here.
 *
 * Last fit (2026-12-02, offline LSA index): 265 items reach the matcher (228 answerable, 209 of them with an
 * answering sentence among the retrieved chunks; 37 unanswerable). 5-fold cross-validation: the best
 * candidate answers for 181 of 228; at the calibrated threshold 0.10, 77.6% of answerable items are answered
 * with an answering sentence and 83.8% of unanswerable ones refused (objective: items right, an answered trap
 * counting twice; the middle of the flat best range is taken). Most refusals come from the hard constraints
 * before scoring (place, year, figure, rate or count noun, English glossary terms). The probabilities are low
 * because about one candidate in twelve answers; the threshold sits on that scale. The weights are small
 * because the features overlap (the coverages move together); L2 and a sign constraint per feature (evidence
 * for or against, FEATURE_SIGNS in the fit script) keep them from trading off.
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
  bias: -6.36,
  weights: {
    topicCoverage: 1.42,
    rareCoverage: 1.39,
    conceptCoverage: 1.18,
    headPresent: 0,
    headingCoverage: 0.86,
    clauseCoverage: 0,
    reverseCoverage: 0.83,
    metricMatch: 1.62,
    retrievalRank: 2.35,
    retrievalScore: 0.03,
    yearMatch: 0.37,
    yearMismatch: 0,
    typeFit: 1.27,
    headingOnly: -0.55,
    headerChunk: -0.1,
  },
  threshold: 0.1,
  secondRatio: 0.92,
};
