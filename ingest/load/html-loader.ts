import * as cheerio from 'cheerio';
import { decodeBytes } from './decode.ts';
import type { Loader } from './loader.ts';

/** Elements that end a line when a page is read as text. */
const BLOCKS = 'p,div,br,li,h1,h2,h3,h4,h5,h6,tr,section,article,header,footer,table,blockquote,pre';

/**
 * HTML pages as text: scripts and styles dropped, blocks on their own lines, table cells written as
 * "cell |" like the copied pages in seeds/, so one table parser serves both.
 */
export const htmlLoader: Loader = {
  extensions: ['.html', '.htm'],
  async load(bytes) {
    const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
    const declared = head.match(/<meta[^>]+charset\s*=\s*["']?([\w-]+)/i)?.[1] ?? null;
    const { text: html, encoding } = decodeBytes(bytes, declared);
    const $ = cheerio.load(html);
    $('script,style,noscript,template,iframe,svg').remove();
    $('td,th').each((_, el) => {
      $(el).append(' |\n');
    });
    $(BLOCKS).each((_, el) => {
      $(el).prepend('\n').append('\n');
    });
    const text = $('body').length ? $('body').text() : $.root().text();
    return {
      text: text
        .split('\n')
        .map((l) => l.replace(/[ \t]+/g, ' ').trim())
        .filter(Boolean)
        .join('\n'),
      encoding,
    };
  },
};
