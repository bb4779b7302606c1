/**
 * The `lang` of text the page shows (issue 13): Chinese text in the English interface says lang="zh-CN"
 * and English text in the Chinese interface lang="en", so a screen reader reads each in its language and
 * the browser picks a font for it. dom.js applies it to every `text` and string child, so no view can
 * forget it; text that mixes both ("Supported: Jiaxing (嘉兴市)'s target …", "常州市 (Changzhou)") has
 * each stretch in the other language put in a <span lang> of its own.
 */

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
/** An English word: three letters in a row (not a unit such as "km" or a figure such as "3.6"). */
const LATIN_WORD = /[A-Za-z]{3}/;
/** A stretch of Chinese: Han characters with the CJK punctuation and the figures written around them. */
const CHINESE_RUN = /[0-9.%]*(?:[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+[0-9.%]*)+/g;
/** A stretch of English: words with the spaces and punctuation between them. */
const ENGLISH_RUN = /[A-Za-z][A-Za-z0-9'’.,&-]*(?: +[A-Za-z0-9][A-Za-z0-9'’.,&-]*)*/g;

/** The interface's language as the page says it (i18n.js sets <html lang>). */
function pageLang() {
  return document.documentElement.lang || 'en';
}

const isChinese = (lang) => Boolean(lang?.toLowerCase().startsWith('zh'));

/**
 * The lang a whole text needs, or null when it can inherit the page's or is mixed: zh-CN for Chinese text
 * (Han characters and no English word: "78% (重点人群)" is Chinese), en for English text (an English word
 * and no Han character) in the Chinese interface.
 * @param {string} text
 * @returns {'zh-CN' | 'en' | null}
 */
export function langOf(text) {
  const han = HAN.test(text);
  const latin = LATIN_WORD.test(text);
  if (han && !latin) return 'zh-CN';
  if (latin && !han && isChinese(pageLang())) return 'en';
  return null;
}

/**
 * `text` as nodes for a parent whose language is `inherited` (null: not known yet, the page's is
 * assumed): one text node when it is all in that language, else a <span lang> for the whole of it or for
 * each stretch in the other language.
 * @param {string} text
 * @param {string | null} inherited
 * @returns {Node[]}
 */
export function langNodes(text, inherited) {
  const around = inherited ?? pageLang();
  const whole = langOf(text);
  if (whole) return whole === around ? [document.createTextNode(text)] : [span(whole, text)];
  const [run, lang, test] = isChinese(around)
    ? [ENGLISH_RUN, 'en', (s) => LATIN_WORD.test(s)]
    : [CHINESE_RUN, 'zh-CN', (s) => HAN.test(s)];
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(run)) {
    if (!test(match[0])) continue;
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    nodes.push(span(lang, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/**
 * Shows `text` in `node` as langNodes does, putting the lang on `node` itself when the whole text needs
 * one (rather than a span inside it). A lang left from earlier text is removed first.
 * @param {HTMLElement} node
 * @param {string} text
 */
export function setLangText(node, text) {
  node.removeAttribute('lang');
  const inherited = node.parentElement?.closest('[lang]')?.getAttribute('lang') ?? null;
  const whole = langOf(text);
  if (whole && whole !== (inherited ?? pageLang())) {
    node.setAttribute('lang', whole);
    node.textContent = text;
  } else node.replaceChildren(...langNodes(text, inherited));
}

function span(lang, text) {
  const node = document.createElement('span');
  node.setAttribute('lang', lang);
  node.textContent = text;
  return node;
}
