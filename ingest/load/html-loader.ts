import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { decodeBytes } from './decode.ts';
import { domToText } from './html-to-text.ts';
import type { LoadedText, Loader } from './loader.ts';
import { extractPageFacts } from './page-facts.ts';
import { chooseTitle } from './page-title.ts';

/**
 * Saved web pages as text: the page's fact table (索引号, 发文字号 …) first as "label: value" lines, then
 * the main content picked by readability (not rules for one portal), blocks on their own lines and data
 * tables as Markdown pipe tables (html-to-text.ts). The title is the document's, never the site banner.
 */

/** The charset a page declares sits in its first bytes; reading more would only find text that mentions one. */
const CHARSET_SCAN_BYTES = 4096;
/**
 * readability gives up on articles shorter than its default 500 characters; Chinese is dense (a short
 * notice has 300 characters), so it is asked to accept shorter ones.
 */
const READABILITY_CHAR_THRESHOLD = 100;
/** Content shorter than this means readability picked a fragment (a caption, a link list): use the whole page. */
const MIN_ARTICLE_CHARS = 50;
/** The title is added on top unless it already is one of the first lines. */
const TITLE_SEARCH_LINES = 6;

function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, CHARSET_SCAN_BYTES)).toString('latin1');
  return head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i)?.[1] ?? null;
}

/**
 * Valid UTF-8 stays UTF-8 whatever the page declares: pages are often re-saved as UTF-8 with their old
 * `<meta charset=gbk>` kept, and believing the tag turns every character into mojibake.
 */
function decodePage(bytes: Uint8Array): { html: string; encoding: string; warnings: string[] } {
  const declared = declaredCharset(bytes);
  // decodeBytes keeps valid UTF-8 whatever is declared; a page that says otherwise is worth a word.
  const decoded = decodeBytes(bytes, declared);
  const warnings = [...decoded.warnings];
  if (decoded.encoding === 'UTF-8' && declared && !/^utf-?8$/i.test(declared)) {
    warnings.push(`The page declares charset ${declared} but its bytes are UTF-8; it was read as UTF-8.`);
  }
  return { html: decoded.text, encoding: decoded.encoding, warnings };
}

const metaContent = (document: Document, selector: string) =>
  document.querySelector(selector)?.getAttribute('content')?.trim() ?? '';

function headingsOf(document: Document): string[] {
  return Array.from(document.querySelectorAll('h1,h2,h3,h4,[class*="title" i],[id*="title" i]'))
    .filter((el) => !el.closest('a,nav,header,footer,li'))
    .map((el) => el.textContent ?? '');
}

/** linkedom builds a body only when the markup has one; saved fragments and templates often do not. */
function parsePage(html: string): Document {
  const whole = /<body[\s>]/i.test(html)
    ? html
    : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  return parseHTML(whole).document;
}

interface Article {
  content: Node | null;
  title: string | null;
  siteName: string | null;
}

function readArticle(document: Document): Article {
  try {
    const article = new Readability<Node>(document, {
      charThreshold: READABILITY_CHAR_THRESHOLD,
      serializer: (node) => node,
    }).parse();
    return {
      content: article?.content ?? null,
      title: article?.title ?? null,
      siteName: article?.siteName ?? null,
    };
  } catch {
    // readability assumes browser-shaped trees; on a tree it cannot walk, the whole page is read instead.
    return { content: null, title: null, siteName: null };
  }
}

export async function loadHtml(bytes: Uint8Array): Promise<LoadedText> {
  const { html, encoding, warnings } = decodePage(bytes);
  const document = parsePage(html);
  const facts = extractPageFacts(document);
  const siteNames = [
    metaContent(document, 'meta[name="SiteName" i]'),
    metaContent(document, 'meta[property="og:site_name"]'),
  ].filter(Boolean);
  const declaredTitles = [
    ...facts.filter((f) => /^(标题|信息名称|名称|文件名称)$/.test(f.label)).map((f) => f.value),
    metaContent(document, 'meta[name="ArticleTitle" i]'),
    metaContent(document, 'meta[property="og:title"]'),
  ].filter(Boolean);
  const pageTitle = document.querySelector('title')?.textContent ?? '';
  const headings = headingsOf(document);
  const wholePage = document.body ? domToText(document.body) : '';

  // readability rewrites the document it reads, so everything taken from the raw page is taken above.
  const article = readArticle(document);
  const articleText = article.content ? domToText(article.content) : '';
  if (article.siteName) siteNames.push(article.siteName);
  const body = articleText.length >= MIN_ARTICLE_CHARS ? articleText : wholePage;
  if (body === wholePage && wholePage) {
    warnings.push('No main content was found; the whole page was read, navigation included.');
  }

  const title = chooseTitle({
    pageTitle,
    siteNames,
    declared: declaredTitles,
    headings,
    readabilityTitle: article.title,
  });
  const lines = body.split('\n');
  if (
    title &&
    !lines.slice(0, TITLE_SEARCH_LINES).some((l) => l.replace(/\s+/g, '') === title.replace(/\s+/g, ''))
  ) {
    lines.unshift(title);
  }
  const factLines = facts.map((f) => `${f.label}: ${f.value}`);
  return {
    text: [...factLines, ...lines].join('\n'),
    encoding,
    format: 'html',
    title,
    warnings,
  };
}

export const htmlLoader: Loader = {
  format: 'html',
  extensions: ['.html', '.htm'],
  load: (bytes) => loadHtml(bytes),
};
