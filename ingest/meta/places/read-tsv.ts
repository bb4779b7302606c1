import { readFileSync } from 'node:fs';

/** The rows of a tab-separated data file, without blank lines and `#` comment lines. */
export function readTsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.split('\t').map((cell) => cell.trim()));
}
