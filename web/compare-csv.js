/**
 * The comparison as a CSV file: exactly the table on the screen (a row per place, a column per year, each
 * cell the values stated for it), so what a journalist downloads is what they read. Every target with its
 * source document and clause is in the Targets view's CSV.
 */

/** Cells starting with these are run as formulas by spreadsheets; a leading ' makes them text (as the server's CSV). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value) {
  let text = String(value ?? '');
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * @param {string[]} header the first row (the place column's name, then the years)
 * @param {string[][]} rows the place, then each year's cell text
 * @returns {Blob} UTF-8 with a byte-order mark (so Excel reads the Chinese) and CRLF line ends
 */
export function comparisonCsv(header, rows) {
  const lines = [header, ...rows].map((cells) => cells.map(csvCell).join(','));
  return new Blob([`\uFEFF${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
}
