import type { TargetRecord } from '../../ingest/model.ts';
import type { Understanding } from '../query/understand.ts';
import type { ClaimCheck } from '../service-types.ts';
import { checkClaim } from './claim-check.ts';

/** Adapts query understanding to the claim checker's parser: regions, years, language and metric terms. */
export function checkClaimAgainst(
  claim: string,
  targets: readonly TargetRecord[],
  understand: (text: string) => Understanding,
): ClaimCheck {
  return checkClaim(claim, targets, (text) => {
    const u = understand(text);
    return {
      regions: u.regions,
      years: u.years,
      lang: u.lang,
      metricTerms: u.topic.split(/\s+/).filter(Boolean),
    };
  });
}
