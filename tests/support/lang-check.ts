/**
 * The `lang` rule of issue 13, checked in a real page: every shown element whose own text (its direct text
 * nodes) holds Chinese characters has a nearer `lang="zh…"` than any `lang="en"`, so a screen reader reads
 * it as Chinese and the browser picks a CJK font for it; and in the Chinese interface, English text has
 * a nearer `lang="en"`.
 */
import type { Page } from 'playwright-core';

/** What breaks the rule: the element's tag, its nearest lang (or none) and the start of its text. */
export interface LangProblem {
  tag: string;
  lang: string | null;
  text: string;
}

/**
 * Elements under `selector` (the whole page by default) showing Chinese text without a Chinese `lang`, or
 * with `language: 'en'`, English text (an English word and no Chinese) without an English one. Hidden
 * elements are skipped (what is not shown is not read), except the options of a shown <select>.
 */
export function textWithoutItsLang(
  page: Page,
  selector = 'html',
  language: 'zh' | 'en' = 'zh',
): Promise<LangProblem[]> {
  return page.evaluate(
    ([rootSelector, wanted]) => {
      const HAN = /\p{Script=Han}/u;
      const WORD = /[A-Za-z]{3}/;
      const isText = (text: string) =>
        wanted === 'zh' ? HAN.test(text) : WORD.test(text) && !HAN.test(text);
      const problems: { tag: string; lang: string | null; text: string }[] = [];
      const root = document.querySelector(rootSelector);
      if (!root) throw new Error(`nothing matches ${rootSelector}`);
      for (const element of [root, ...root.querySelectorAll('*')]) {
        if (element.closest('script, style, head')) continue;
        const shown =
          element instanceof HTMLOptionElement
            ? (element.parentElement?.closest('select')?.checkVisibility() ?? false)
            : element.checkVisibility();
        if (!shown) continue;
        const own = [...element.childNodes]
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent ?? '')
          .join('');
        const text = own.trim();
        if (!isText(text)) continue;
        const lang = element.closest('[lang]')?.getAttribute('lang') ?? null;
        if (!lang?.toLowerCase().startsWith(wanted))
          problems.push({ tag: element.tagName.toLowerCase(), lang, text: text.slice(0, 60) });
      }
      return problems;
    },
    [selector, language] as const,
  );
}
