/**
 * The title of the document a web page carries, not of the site. Government pages put the site in
 * `<title>` ("XX市人民政府门户网站") or join it to the document title ("标题_栏目_网站名"), and readability
 * falls back to that. The document's own heading, a title fact or a `<title>` part that is not the site
 * wins over the banner.
 */

/** Separators gov CMSs put between title, column and site name in `<title>`. */
const TITLE_PARTS = /\s*(?:[_|｜]|--|——|—|\s-\s|\s–\s)\s*/;
/** Endings that mark a site, column or portal name rather than a document ("…门户网站", "中国福建"). */
const SITE_WORDS = /(网站|门户|政府网|官网|首页|主页|频道|栏目|专栏)$|^中国[\u4e00-\u9fff]{2,3}$/;
/** How Chinese official documents end their titles (the document type). */
const DOCUMENT_TITLE_END =
  /(通知|意见|方案|办法|规定|决定|规划|计划|细则|条例|指南|公告|通告|批复|函|纲要|要点|措施|标准|目录|规范|制度|报告|决议|命令|令|法|规则|清单|解读|要求|说明|通报|指引|建议|答复)(?:（[^）]*）|\([^)]*\))?$/;
const MIN_TITLE_CHARS = 6;
const MAX_TITLE_CHARS = 120;

export interface TitleEvidence {
  /** The page's `<title>`. */
  pageTitle: string;
  /** Names the page gives its site (meta SiteName, og:site_name, readability's siteName). */
  siteNames: string[];
  /** Explicit document titles (meta ArticleTitle / og:title, a 标题/信息名称 fact), best first. */
  declared: string[];
  /** Headings (h1–h4 and title-classed elements) in document order. */
  headings: string[];
  /** readability's guess. */
  readabilityTitle: string | null;
}

const tidy = (text: string) => text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();

function isSiteLike(text: string, siteNames: readonly string[]): boolean {
  return SITE_WORDS.test(text) || siteNames.some((s) => s && (text === s || s.includes(text)));
}

function plausible(text: string): boolean {
  return text.length >= MIN_TITLE_CHARS && text.length <= MAX_TITLE_CHARS;
}

/** The `<title>` without its site and column parts; null when only site parts remain. */
export function documentPartOfPageTitle(pageTitle: string, siteNames: readonly string[]): string | null {
  const parts = tidy(pageTitle)
    .split(TITLE_PARTS)
    .map(tidy)
    .filter((p) => p && !isSiteLike(p, siteNames));
  const longest = parts.sort((a, b) => b.length - a.length)[0];
  return longest && plausible(longest) ? longest : null;
}

export function chooseTitle(evidence: TitleEvidence): string | null {
  const { siteNames } = evidence;
  const ok = (t: string | null | undefined): t is string => {
    const text = tidy(t ?? '');
    return plausible(text) && !isSiteLike(text, siteNames);
  };
  const fromTitleTag = documentPartOfPageTitle(evidence.pageTitle, siteNames);
  const headings = evidence.headings.map(tidy).filter(ok);
  const declared = evidence.declared.map(tidy).filter(ok);
  // A heading that the <title> also names is the document heading (not a sidebar or column heading).
  const echoed = fromTitleTag
    ? headings.find((h) => fromTitleTag.includes(h) || h.includes(fromTitleTag))
    : undefined;
  const documentLike = headings.find((h) => DOCUMENT_TITLE_END.test(h));
  const candidates = [
    declared[0],
    echoed,
    documentLike,
    fromTitleTag,
    evidence.readabilityTitle,
    headings[0],
  ];
  const found = candidates.find(ok);
  return found ? tidy(found) : null;
}
