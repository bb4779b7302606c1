import { type HeaderFact, type RegionInfo, UNTITLED } from '../model.ts';
import { findPlaceNames } from './places/find-place-names.ts';
import { type Gazetteer, gazetteer, type Place } from './places/gazetteer.ts';
import { narrowCandidates, withoutEnclosingMentions } from './places/narrow-candidates.ts';

export interface DocumentPlaceInput {
  title: string;
  /** 发布机关 / 发文机关 as derived; null when the text does not say. */
  issuer: string | null;
  /** The cleaned text. */
  body: string;
  /**
   * The signature block (落款): its issuing bodies, or its text. When empty, the last characters of the body are
   * read as one.
   */
  signature?: readonly string[] | string | null;
  headerFacts?: readonly HeaderFact[];
}

export interface DocumentPlace {
  /** null when nothing tells; the document is then indexed with its place unknown. */
  region: RegionInfo | null;
  /** Where the place was read, for the ingest log: `issuer "江西省人民政府办公厅" names 江西省`. */
  evidence: string;
  /** Set when the place is unknown or was a guess between places of the same name. */
  warning: string | null;
}

/** Header labels whose value names the issuing body. */
const ISSUER_LABELS = /发布机关|发文机关|发布机构|发文单位|制定机关|发布单位|颁布机关/;
/**
 * Weight of a place named inside a cited title: 出台《常州市…实施办法》 says a little about the document's own
 * place, 《浙江省人民政府办公厅关于…》 in a city's plan says little, so a few citations never outweigh the place the
 * text itself names.
 */
const CITED_WEIGHT = 0.5;
/** A bare body name (卫生健康委, 医保局) right after one of these is a local body (市卫生健康委员会), not national. */
const LOCAL_BODY_PREFIX = /[省市区县州盟旗]$/;
/** Where a local text names its own place: 结合宁远实际, 结合资阳区实际情况. */
const OWN_PLACE = /结合(\p{Script=Han}{2,8}?)(?:的)?(?:工作)?实际/gu;
/**
 * The place whose health a plan builds: 推进健康济宁建设, 健康眉山行动. A city's text names its province's too
 * (健康山东), and 健康中国 is national: the most local place named so is the document's.
 */
const HEALTHY_PLACE = /健康(\p{Script=Han}{2,6}?)(?:建设|行动)/gu;
/** Characters at the end of the body read as the signature block when none is given. */
const SIGNATURE_TAIL = 300;
/**
 * Verbs after which a 《…》 in a title is the document itself (关于印发《句容市…方案》的通知); after any other word it
 * is a document cited (关于贯彻落实《国务院关于…》的意见), which names someone else's place.
 */
const ISSUES_QUOTED = /(?:印发|发布|公布|颁布)$/;

/**
 * The place a document is for. Issuer first (江西省人民政府办公厅 → 江西省; 国务院 → 全国), then the title
 * (浙江省精神卫生条例, 中华人民共和国传染病防治法), then the place the body says it fits or builds the health of
 * (结合宁远实际, 推进健康济宁建设), then the signature block, then the body, where the place named
 * most often wins and national bodies count only when no local place is named more. Text inside 《》 that
 * cites another document is ignored everywhere: a city's plan citing 《浙江省人民政府办公厅关于…》 is still the
 * city's.
 */
export function placeOfDocument(input: DocumentPlaceInput): DocumentPlace {
  const g = gazetteer();
  const issuers = [
    input.issuer,
    ...(input.headerFacts ?? []).filter((f) => ISSUER_LABELS.test(f.label)).map((f) => f.value),
  ].filter((t): t is string => Boolean(t?.trim()));
  // Places the body names unambiguously tell apart a shared name in the issuer or title (鼓楼区 of 南京市).
  const body = withoutCitations(input.body);
  const context = findPlaceNames(body, { shortNames: false, english: false })
    .filter((m) => m.candidates.length === 1)
    .flatMap((m) => m.candidates);
  for (const issuer of issuers) {
    const found = placeInName(issuer, g, context);
    if (found) return result(found, `issuer "${issuer}"`, g);
  }
  // A text without a title line is titled by its first words, which are body text, not a name.
  const title = input.title.startsWith(UNTITLED) ? '' : titleWithoutCitations(input.title);
  const fromTitle = placeInName(title, g, context);
  if (fromTitle) return result(fromTitle, `title "${input.title}"`, g);
  // "结合宁远实际，特制定本方案": a local plan names its own place where it says whose circumstances it fits.
  for (const m of body.matchAll(OWN_PLACE)) {
    const own = placeInName(m[1] ?? '', g, context);
    if (own && own.place !== g.national) return result(own, `"${m[0]}"`, g);
  }
  let healthy: { found: Found; said: string } | null = null;
  for (const m of body.matchAll(HEALTHY_PLACE)) {
    const own = placeInName(m[1] ?? '', g, context);
    if (!own || own.place === g.national) continue;
    if (!healthy || g.encloses(healthy.found.place, own.place)) healthy = { found: own, said: m[0] };
  }
  if (healthy) return result(healthy.found, `"${healthy.said}"`, g);
  const given = typeof input.signature === 'string' ? input.signature : (input.signature ?? []).join('\n');
  const signature = given.trim() || input.body.slice(-SIGNATURE_TAIL);
  const fromSignature = placeInText(signature, g, 1);
  if (fromSignature) return result(fromSignature, 'signature block', g);
  const fromBody = placeInText(input.body, g, 2);
  if (fromBody) return result(fromBody, 'body text', g);
  return {
    region: null,
    evidence: 'none',
    warning: 'no place found in issuer, title or text; indexed with place unknown',
  };
}

interface Found {
  place: Place;
  /** Other places the same name could be. */
  alternatives: Place[];
  how: string;
}

function result(found: Found, where: string, g: Gazetteer): DocumentPlace {
  const alt = found.alternatives.filter((p) => p !== found.place);
  return {
    region: g.regionInfo(found.place),
    evidence: `${where} ${found.how}`,
    warning: alt.length
      ? `place "${found.place.name}" is ambiguous (${[found.place, ...alt].map((p) => p.code).join(', ')}); took ${found.place.code}: set "region" in the document's .meta.json if wrong`
      : null,
  };
}

/**
 * The place named in an issuer or a title: the first local place (its province or city written before it is
 * context: 南昌市新建区 → 新建区), else a national body or the 中华人民共和国 of a law.
 */
function placeInName(text: string, g: Gazetteer, context: readonly Place[]): Found | null {
  const mentions = withoutEnclosingMentions(
    narrowCandidates(findPlaceNames(text, { english: false }), g, { context }),
    g,
  );
  const first = mentions[0];
  const place = first?.candidates[0];
  if (first && place) return { place, alternatives: first.candidates, how: `names ${first.text}` };
  const mark = nationalMark(text, g);
  return mark ? { place: g.national, alternatives: [], how: `names ${mark} (national)` } : null;
}

function nationalMark(text: string, g: Gazetteer): string | null {
  const prefix = g.marks.prefixes.find((p) => text.trimStart().startsWith(p));
  return prefix ?? g.marks.bodies.find((b) => nationalBodyAt(text, b).length > 0) ?? null;
}

/** Where a national body's name occurs as a national body (not 市卫生健康委员会, not inside a longer body's name). */
function nationalBodyAt(text: string, body: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(body); i >= 0; i = text.indexOf(body, i + body.length)) {
    if (!LOCAL_BODY_PREFIX.test(text.slice(0, i))) at.push(i);
  }
  return at;
}

/**
 * The place a running text is about: full names only (a bare 上海 in 参照上海经验 is an example, not the place),
 * the one named most often (names inside a cited 《title》 count half). National
 * bodies win when they are named more often than any local place.
 */
function placeInText(text: string, g: Gazetteer, minCount: number): Found | null {
  const mentions = narrowCandidates(findPlaceNames(text, { shortNames: false, english: false }), g);
  const cited = citedRanges(text);
  const counts = new Map<Place, { n: number; first: number }>();
  for (const m of mentions) {
    const weight = cited.some(([s, e]) => m.start >= s && m.end <= e) ? CITED_WEIGHT : 1;
    for (const p of m.candidates) {
      const c = counts.get(p) ?? { n: 0, first: m.start };
      counts.set(p, { n: c.n + weight, first: c.first });
    }
  }
  let best: { place: Place; n: number; first: number } | null = null;
  for (const [place, c] of counts) {
    // On a tie the more specific place wins (南昌市新建区 named as often as 南昌市), then the earlier one.
    const score = c.n;
    if (
      !best ||
      score > best.n ||
      (score === best.n && g.encloses(best.place, place)) ||
      (score === best.n && !g.encloses(place, best.place) && c.first < best.first)
    )
      best = { place, n: score, first: c.first };
  }
  const national = countNational(withoutCitations(text), g);
  if (best && best.n >= minCount && best.n >= national.n) {
    const named = mentions.find((m) => m.candidates.includes(best.place));
    return {
      place: best.place,
      alternatives: named?.candidates ?? [],
      how: `names ${best.place.name} (weight ${best.n})`,
    };
  }
  if (national.n >= minCount && national.mark) {
    return {
      place: g.national,
      alternatives: [],
      how: `names ${national.mark} ${national.n} time(s) (national)`,
    };
  }
  return null;
}

function countNational(text: string, g: Gazetteer): { n: number; mark: string | null } {
  let n = 0;
  let mark: string | null = null;
  // Longest first, each occurrence counted once: 国务院办公厅 is not also 国务院.
  let rest = text;
  for (const b of g.marks.bodies) {
    const found = nationalBodyAt(rest, b);
    if (found.length) {
      n += found.length;
      mark ??= b;
      for (const i of found) rest = rest.slice(0, i) + '\u0000'.repeat(b.length) + rest.slice(i + b.length);
    }
  }
  return { n, mark };
}

/** Where the titles of cited documents (《…》) are. */
function citedRanges(text: string): [number, number][] {
  return [...text.matchAll(/《[^》]*》/g)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length]);
}

/** Text with the titles of cited documents (《…》) blanked out, offsets kept. */
function withoutCitations(text: string): string {
  return text.replace(/《[^》]*》/g, (m) => ' '.repeat(m.length));
}

/** A title with cited documents blanked, but the document a 关于印发《…》 title issues kept. */
function titleWithoutCitations(title: string): string {
  return title.replace(/《([^》]*)》/g, (m, inner: string, at: number) =>
    ISSUES_QUOTED.test(title.slice(0, at)) ? ` ${inner} ` : ' '.repeat(m.length),
  );
}
