import { extname } from 'node:path';
import { looksPdfExtracted, repairExtractedText } from '../clean/repair-extracted-text.ts';
import { decodeBytes } from './decode.ts';
import type { Loader } from './loader.ts';

const MARKDOWN = new Set(['.md', '.markdown']);

/**
 * Plain text and Markdown. Text that was extracted from a PDF (wrap spaces inside words, sentences broken
 * at page ends; see `looksPdfExtracted` for the measured signs) is repaired into one block per line.
 */
export const textLoader: Loader = {
  format: 'text',
  extensions: ['.txt', '.md', '.markdown'],
  async load(bytes, source) {
    const decoded = decodeBytes(bytes);
    const warnings = [...decoded.warnings];
    let text = decoded.text.replace(/\r\n?/g, '\n');
    const format = MARKDOWN.has(extname(source).toLowerCase()) ? 'markdown' : 'text';
    const signs = looksPdfExtracted(text);
    if (signs.pdfLike) {
      text = repairExtractedText(text);
      warnings.push(
        'text looks extracted from a PDF (line-wrap spaces and broken lines); spaces inside words removed and broken sentences joined',
      );
    }
    return { text, encoding: decoded.encoding, format, title: null, warnings };
  },
};
