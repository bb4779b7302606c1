import type { TargetRecord } from '../../ingest/model.ts';
import type { RegionFinder } from '../query/find-regions.ts';
import type { Glossary } from '../query/glossary.ts';
import type { TargetFilter } from '../service-types.ts';

/**
 * Targets matching a filter. Region accepts any name the gazetteer knows (嘉兴, Jiaxing, 嘉兴市); metric
 * matches the metric group or the metric text; q matches metric, qualifier and quote, with English
 * expanded through the glossary.
 */
export function filterTargets(
  targets: readonly TargetRecord[],
  filter: TargetFilter,
  glossary: Glossary,
  places: RegionFinder,
): TargetRecord[] {
  const regions = filter.region ? regionNames(filter.region, places) : null;
  const metric = filter.metric?.normalize('NFKC').trim();
  const terms = filter.q ? queryTerms(filter.q, glossary) : null;
  return targets.filter((t) => {
    if (regions && !regions.includes(t.region)) return false;
    if (filter.year !== undefined && t.year !== filter.year) return false;
    if (metric && t.metricGroup !== metric && !t.metric.includes(metric) && !t.metricGroup.includes(metric))
      return false;
    if (terms) {
      const haystack = `${t.qualifier ?? ''}${t.metric} ${t.metricGroup} ${t.quote}`;
      if (!terms.some((term) => haystack.includes(term))) return false;
    }
    return true;
  });
}

function regionNames(region: string, places: RegionFinder): string[] {
  const found = places.find(region);
  return found.regions.length ? found.regions : [region.trim()];
}

function queryTerms(q: string, glossary: Glossary): string[] {
  const text = q.normalize('NFKC').trim();
  if (/\p{Script=Han}/u.test(text)) return [text];
  const zh = glossary.expand(text).zhTerms;
  return zh.length ? zh : [text];
}
