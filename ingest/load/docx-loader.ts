import { parseHTML } from 'linkedom';
import mammoth from 'mammoth';
import { domToText } from './html-to-text.ts';
import { type LoadedText, type Loader, UnreadableFileError } from './loader.ts';
import { sniffContent } from './sniff-content.ts';

/**
 * Word 2007+ files (.docx) as text: mammoth turns the document into semantic HTML (paragraphs, headings,
 * tables with their merged cells as rowspan/colspan, lists), and html-to-text writes it the way the HTML
 * loader does, so tables come out as Markdown pipe tables.
 *
 * Word's automatic numbering is not text: mammoth writes numbered paragraphs as `<ol><li>` without the
 * numbers, so a document whose clauses are numbered by Word (not typed) loses "一、" / "（一）" and the clause
 * parser sees plain paragraphs. The real policy .docx files tried (tests/fixtures/docx) type their numbers
 * (their few w:numPr all have numId 0, i.e. "no numbering"), so nothing is lost there; when a file does use
 * Word numbering the loader says so in a warning rather than invent numerals in a style it cannot see.
 */

/** Title-styled paragraphs become the `<h1>` the title is read from; Word has no other mark for "the title". */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

export async function loadDocx(bytes: Uint8Array, source: string): Promise<LoadedText> {
  // Called directly too (not only through loaderFor), so it checks the bytes itself.
  const sniffed = sniffContent(bytes).kind;
  if (sniffed === 'ole2') {
    throw new UnreadableFileError(
      `"${source}" is an old binary Word file (.doc), which cannot be read: open it in Word or WPS and save it as .docx.`,
    );
  }
  if (sniffed !== 'docx' && sniffed !== 'zip') {
    throw new UnreadableFileError(
      `"${source}" is not a .docx file (it is not a ZIP package): save it as .docx again.`,
    );
  }
  let images = 0;
  let result: Awaited<ReturnType<typeof mammoth.convertToHtml>>;
  try {
    result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      {
        styleMap: STYLE_MAP,
        ignoreEmptyParagraphs: true,
        // Images carry no indexable text; embedding them as data URIs would only cost memory.
        convertImage: mammoth.images.imgElement(async () => {
          images++;
          return { src: '' };
        }),
      },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnreadableFileError(
      `"${source}" could not be read as a .docx (${reason}): save it as .docx again.`,
    );
  }
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${result.value}</body></html>`);
  const body = document.body;
  const warnings: string[] = [];
  const numbered = body.querySelectorAll('ol > li').length;
  if (numbered > 0) {
    warnings.push(
      `${numbered} paragraph(s) use Word automatic numbering; their numbers are not in the text, so clause numbers may be missing.`,
    );
  }
  if (images > 0) warnings.push(`${images} image(s) skipped: text inside images is not indexed.`);
  for (const m of result.messages) if (m.type === 'error') warnings.push(m.message);
  const heading = body.querySelector('h1');
  const title = heading ? (heading.textContent ?? '').replace(/\s+/g, ' ').trim() || null : null;
  return { text: domToText(body), encoding: 'binary', format: 'docx', title, warnings };
}

export const docxLoader: Loader = {
  format: 'docx',
  extensions: ['.docx'],
  load: (bytes, source) => loadDocx(bytes, source),
};
