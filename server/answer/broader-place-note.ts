import type { RegionInfo } from '../../ingest/model.ts';
import type { BroaderPlace } from '../query/find-regions.ts';

/**
 * The line that says a question about a province or municipality (上海) is answered only from documents for
 * places inside it (奉贤区): the figures are that district's, not the whole municipality's.
 */
export function broaderPlaceNote(b: BroaderPlace, lang: 'zh' | 'en'): string {
  const kind = (r: RegionInfo) =>
    r.level === 'district' ? 'district' : r.level === 'city' ? 'city' : 'region';
  if (lang === 'en') {
    const parts = b.answeredBy.map((r) => `its ${kind(r)} ${r.english} (${r.name})`).join(' and ');
    return `Note: these documents have none for ${b.asked.english} (${b.asked.name}) as a whole; this answer comes only from ${parts}.`;
  }
  const parts = b.answeredBy.map((r) => r.name).join('、');
  return `注:这些文件中没有${b.asked.name}本级的文件,以下仅依据其下辖的${parts}的文件。`;
}
