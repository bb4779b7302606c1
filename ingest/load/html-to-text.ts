import { renderTable } from './html-table.ts';

/**
 * DOM to text the way a reader sees the page, following the loader contract (loader.ts): one block per
 * line, `<br>` ends a line, data tables as Markdown pipe tables. Shared by the HTML and the DOCX loader
 * (mammoth turns a .docx into HTML), so both formats give the parsers the same shapes.
 */

/** Elements whose content is never part of the document text. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'head',
  'title',
  'object',
  'embed',
  'canvas',
  'button',
  'select',
  'input',
  'textarea',
]);

/** Elements that start and end a line (HTML's block-level elements). */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'section',
  'summary',
  'ul',
  // A layout table's rows and cells read as blocks (data tables never get here: see renderTable).
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
]);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/**
 * CJK characters and full-width punctuation: a source line break between two of them is the author's
 * editor wrapping, not a word space (Chinese has no spaces between words).
 */
const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef\\u3000-\\u303f';
const WRAP_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])[ \\t\\f]*[\\r\\n][\\s]*(?=[${CJK}])`, 'g');
/** HTML collapses runs of ASCII white space into one space; &nbsp; and U+3000 are kept (they are typed). */
const HTML_WHITESPACE = /[ \t\n\r\f]+/g;
/** Ends of a line: spaces, &nbsp; and ideographic-space indentation are layout. */
const LINE_EDGES = /^[\s\u00a0\u3000]+|[\s\u00a0\u3000]+$/g;

/** Collects text into lines: inline text joins the current line, blocks and `<br>` end it. */
class LineWriter {
  readonly lines: string[] = [];
  private current = '';

  append(text: string): void {
    this.current += text;
  }

  endLine(): void {
    const line = this.current.replace(LINE_EDGES, '');
    if (line) this.lines.push(line);
    this.current = '';
  }

  /** A finished line (a table row) that must not be merged with surrounding inline text. */
  pushLine(line: string): void {
    this.endLine();
    this.lines.push(line);
  }
}

function collapseText(data: string): string {
  return data.replace(WRAP_BETWEEN_CJK, '').replace(HTML_WHITESPACE, ' ');
}

function walk(node: Node, out: LineWriter): void {
  if (node.nodeType === TEXT_NODE) {
    out.append(collapseText(node.nodeValue ?? ''));
    return;
  }
  if (node.nodeType !== ELEMENT_NODE) {
    for (const child of Array.from(node.childNodes)) walk(child, out);
    return;
  }
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  if (SKIPPED.has(tag) || el.hasAttribute('hidden')) return;
  if (tag === 'br') {
    out.endLine();
    return;
  }
  if (tag === 'pre') {
    out.endLine();
    for (const line of (el.textContent ?? '').split(/\r?\n/)) out.pushLine(line.replace(LINE_EDGES, ''));
    return;
  }
  if (tag === 'table') {
    const rows = renderTable(el, cellText);
    if (rows) {
      for (const row of rows) out.pushLine(row);
      return;
    }
  }
  const block = BLOCKS.has(tag);
  if (block) out.endLine();
  for (const child of Array.from(el.childNodes)) walk(child, out);
  if (block) out.endLine();
}

/** A table cell's text on one line: its own lines joined by a space (the contract allows no line break in a cell). */
function cellText(cell: Element): string {
  const out = new LineWriter();
  for (const child of Array.from(cell.childNodes)) walk(child, out);
  out.endLine();
  return out.lines.filter((l) => l.trim()).join(' ');
}

/** The text of a DOM subtree, one block per line, without blank lines. */
export function domToText(root: Node): string {
  const out = new LineWriter();
  walk(root, out);
  out.endLine();
  return out.lines.filter((l) => l.trim()).join('\n');
}
