import type { RegionLevel } from '../../model.ts';
import type { PlaceNameMention } from './find-place-names.ts';
import type { Gazetteer, Place } from './gazetteer.ts';

const RANK: Record<RegionLevel, number> = { national: 0, province: 1, city: 2, district: 3 };

export interface NarrowOptions {
  /** Places to prefer among the candidates left after context (e.g. the places the corpus has). */
  prefer?: (place: Place) => boolean;
  /** Places named elsewhere (a document's body for its title) that also count as context. */
  context?: Iterable<Place>;
}

/**
 * Keeps, for a name several places share, the ones the rest of the text supports: 鼓楼区 next to 南京市 is
 * Nanjing's, 朝阳区 in a text that names 北京市 is Beijing's. Then the preferred places, then the highest level
 * (朝阳 is the city 朝阳市 before the districts 朝阳区). Several can remain when nothing tells them apart.
 */
export function narrowCandidates(
  mentions: readonly PlaceNameMention[],
  g: Gazetteer,
  options: NarrowOptions = {},
): PlaceNameMention[] {
  const named = new Set([...mentions.flatMap((m) => m.candidates), ...(options.context ?? [])]);
  return mentions.map((m) => {
    if (m.candidates.length < 2) return m;
    let left = m.candidates;
    const supported = left.filter((p) => g.ancestors(p).some((a) => named.has(a)));
    if (supported.length) left = supported;
    const preferred = options.prefer ? left.filter(options.prefer) : [];
    if (preferred.length) left = preferred;
    const top = Math.min(...left.map((p) => RANK[p.level]));
    left = left.filter((p) => RANK[p.level] === top);
    return { ...m, candidates: left };
  });
}

/**
 * Drops mentions that only give context for another one in the same text: in 南昌市新建区 or 江苏省镇江市句容市
 * the province and the city say where the county is, they are not what the text is about.
 */
export function withoutEnclosingMentions(
  mentions: readonly PlaceNameMention[],
  g: Gazetteer,
): PlaceNameMention[] {
  const places = mentions.flatMap((m) => m.candidates);
  return mentions.filter((m) => !m.candidates.every((c) => places.some((p) => g.encloses(c, p))));
}
