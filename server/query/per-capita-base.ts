/**
 * How a per-capita base is written: 每千人口, 每万常住人口, 每千名居民 in documents; questions also drop the 每
 * (千人床位, 万人全科医生). Shared by the question frame (the noun a per-capita question asks) and topic matching
 * (the base is not part of what a metric is about).
 */

/** A metric's per-capita base as documents write it. */
export const PER_CAPITA_BASE = '每[千万百十]?(?:名|个)?(?:常住|户籍|服务)?(?:人口|居民|人)';

/** The base as questions write it: with or without 每, with 拥有 or 的 after it (每千人口拥有的执业医师). */
export const ASKED_PER_CAPITA_BASE = new RegExp(
  `(?:${PER_CAPITA_BASE}|[千万](?:名|个)?(?:常住|户籍|服务)?(?:人口|居民|人))(?:拥有的?|的)?`,
  'u',
);
