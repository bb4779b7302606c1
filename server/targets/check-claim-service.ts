/**
 * A claim checked as the service does it: a claim with a number against the extracted targets
 * (claim-check.ts), and a claim without one, or with a number no target holds, against the sentences of
 * the clauses retrieval finds for it (claim-clauses.ts). Query understanding supplies places, years,
 * language and the claim's terms, so claims read like questions do (abbreviations, English, any place).
 */
import type { Chunk, DocumentRecord } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import type { Glossary } from '../query/glossary.ts';
import type { Understanding } from '../query/understand.ts';
import type { ClaimCheck, ClaimClause } from '../service-types.ts';
import { type ClaimUnderstanding, checkClaim } from './claim-check.ts';
import { CLAIM_CLAUSE_OPTIONS, claimConcepts, clausesStating } from './claim-clauses.ts';
import { parseClaimValue } from './parse-claim-value.ts';

export interface ClaimCheckContext {
  index: OpenedIndex;
  glossary: Glossary;
  understand: (text: string) => Understanding;
  /** The clauses retrieval ranks first for the claim (its place and year filters applied). */
  retrieve: (u: Understanding) => Promise<readonly { chunk: Chunk }[]>;
}

/** Place name → English name over an index's documents, built once per index, not once per claim. */
const englishPlacesByIndex = new WeakMap<OpenedIndex, Map<string, string>>();

function englishPlaces(index: OpenedIndex): Map<string, string> {
  let english = englishPlacesByIndex.get(index);
  if (!english) {
    english = new Map();
    for (const d of index.documents) {
      if (d.meta.region?.english) english.set(d.meta.region.name, d.meta.region.english);
    }
    englishPlacesByIndex.set(index, english);
  }
  return english;
}

function claimUnderstanding(u: Understanding, ctx: ClaimCheckContext): ClaimUnderstanding {
  const english = englishPlaces(ctx.index);
  return {
    regions: u.regions,
    years: u.years,
    lang: u.lang,
    metricTerms: u.topic.split(/\s+/).filter(Boolean),
    qualifierText: u.topic,
    englishPlace: (region) => english.get(region) ?? null,
    englishMetric: (metric) => ctx.glossary.englishLabel(metric),
  };
}

async function statingClauses(
  claim: string,
  u: Understanding,
  ctx: ClaimCheckContext,
  mustContain: string | null,
): Promise<ClaimClause[]> {
  const concepts = claimConcepts(claim, u);
  if (concepts.length === 0) return [];
  const hits: { chunk: Chunk; doc: DocumentRecord }[] = [];
  for (const { chunk } of await ctx.retrieve(u)) {
    const doc = ctx.index.documentById.get(chunk.docId);
    if (!doc) continue;
    // A claim about a place is supported only by that place's documents (or national ones it names).
    if (u.regions.length > 0 && !u.regions.includes(doc.meta.region?.name ?? '')) continue;
    hits.push({ chunk, doc });
  }
  const clauses = clausesStating(concepts, hits, CLAIM_CLAUSE_OPTIONS);
  return mustContain === null ? clauses : clauses.filter((c) => containsNumber(c.sentence, mustContain));
}

/** The number as a whole number in the sentence: 4.6 is not in 14.6 or 4.65. */
function containsNumber(sentence: string, number: string): boolean {
  const escaped = number.replace('.', '\\.');
  return new RegExp(`(?<![\\d.])${escaped}(?![\\d]|\\.\\d)`).test(sentence.normalize('NFKC'));
}

function clauseResult(claim: string, u: Understanding, clauses: ClaimClause[]): ClaimCheck {
  const zh = u.lang === 'zh';
  const supported = clauses.length > 0;
  const quote = clauses[0]?.sentence ?? '';
  return {
    claim,
    verdict: supported ? 'supported' : 'not_found',
    message: supported
      ? zh
        ? `文件中有这样的表述:“${quote}”`
        : `Supported: the documents state it: “${quote}”`
      : zh
        ? '这些文件中没有这样的表述。'
        : 'Not stated: no clause of these documents says this.',
    evidence: [],
    documentValue: null,
    documentYear: null,
    clauses,
  };
}

export async function checkClaimAgainst(claim: string, ctx: ClaimCheckContext): Promise<ClaimCheck> {
  const u = ctx.understand(claim);
  const claimed = parseClaimValue(claim);
  if (u.placeUnknown) {
    return clauseResult(claim, u, []);
  }
  if (!claimed) return clauseResult(claim, u, await statingClauses(claim, u, ctx, null));
  const check = checkClaim(claim, ctx.index.allTargets(), () => claimUnderstanding(u, ctx));
  if (check.verdict !== 'not_found' || check.evidence.length > 0 || u.regions.length === 0) return check;
  // No target holds this figure (a law's fine, a count in a sentence the extractor did not take): a
  // sentence that states every word of the claim and its number still supports it.
  const number = String(claimed.value);
  const clauses = await statingClauses(claim.replace(claimed.text, ' '), u, ctx, number);
  return clauses.length > 0 ? clauseResult(claim, u, clauses) : check;
}
