import { GAZETTEER, OTHER_REGIONS, PARENT_ALIASES } from '../../ingest/meta/regions.ts';

/**
 * Regions named in a question, as the corpus names them (嘉兴市), and places that are not in the corpus (杭州),
 * in Chinese or English, by full name, short name or a parent (上海 → 奉贤区).
 */
export interface RegionMentions {
  regions: string[];
  unknown: string[];
  /** Where each mention is, so follow-ups can replace it. */
  spans: { start: number; end: number; region: string | null }[];
}

interface Alias {
  alias: string;
  region: string | null;
  /** A parent (上海, 浙江) standing for the corpus region inside it. */
  parent?: boolean;
}

/**
 * Words that ask about a parent as a whole ("上海市全市", "province-wide"): the district or city document
 * inside it does not answer for all of it.
 */
const WHOLE_JURISDICTION =
  /全市|全省|市域|省域|citywide|city-wide|province-wide|provincewide|whole (?:city|province)|entire (?:city|province)/i;

const ALIASES: Alias[] = [
  ...GAZETTEER.flatMap((g) => g.aliases.map((alias) => ({ alias, region: g.name }))),
  ...Object.values(PARENT_ALIASES).flatMap((p) =>
    p.aliases.map((alias) => ({
      alias,
      region: GAZETTEER.find((g) => g.parents.includes(p.name))?.name ?? null,
      parent: true,
    })),
  ),
  ...OTHER_REGIONS.map((alias) => ({ alias, region: null })),
].sort((a, b) => b.alias.length - a.alias.length);

const isLatin = (s: string) => /^[a-z' ]+$/.test(s);

export function findRegions(question: string): RegionMentions {
  const text = question.normalize('NFKC').toLowerCase();
  const taken = new Array<boolean>(text.length).fill(false);
  const spans: RegionMentions['spans'] = [];
  const whole = WHOLE_JURISDICTION.test(text);
  for (const { alias, region: child, parent } of ALIASES) {
    const region = parent && whole ? null : child;
    let from = 0;
    for (;;) {
      const at = text.indexOf(alias, from);
      if (at < 0) break;
      from = at + alias.length;
      if (isLatin(alias) && (/[a-z]/.test(text[at - 1] ?? '') || /[a-z]/.test(text[at + alias.length] ?? '')))
        continue;
      if (taken.slice(at, at + alias.length).some(Boolean)) continue;
      taken.fill(true, at, at + alias.length);
      spans.push({ start: at, end: at + alias.length, region });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const regions = [...new Set(spans.flatMap((s) => (s.region ? [s.region] : [])))];
  const unknown = [
    ...new Set(spans.filter((s) => !s.region).map((s) => question.normalize('NFKC').slice(s.start, s.end))),
  ];
  return { regions, unknown, spans };
}
