/**
 * Years a sentence names as the time a target is due: 到2025年, 2024年底, 2024 年底前, and lists such as
 * 2023年、2024年、2025年 that a later 分别 distributes over several values.
 */

/** Earliest and latest year accepted as a target year; other four-digit numbers are not years. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;

export interface YearMarker {
  year: number;
  /** Offsets of the whole marker (including 到 / 底 / 前) in the sentence. */
  start: number;
  end: number;
}

/**
 * A year followed by 年 but not by 度 (table headers), 月 (dates), a range dash (2023-2025年 is a period)
 * and not itself the end of a period (2023—2025年).
 */
const YEAR_MARKER =
  /(?:到|至|截至|截止|力争|于)?\s*(?<!\d\s*[-—–~～至]\s*)(?<![\d.])(\d{4})\s*年(?!度|\s*\d{1,2}\s*月|\s*[-—–~～至]\s*\d)(?:年底|底前|底|末|前|内|上半年|下半年)?/g;

/** True when `index` lies inside a 《title》 or a （parenthesised）period note. */
function insideTitle(sentence: string, index: number): boolean {
  const open = sentence.lastIndexOf('《', index);
  if (open === -1) return false;
  const close = sentence.indexOf('》', open);
  return close === -1 || close > index;
}

export function findYearMarkers(sentence: string): YearMarker[] {
  const markers: YearMarker[] = [];
  for (const match of sentence.matchAll(YEAR_MARKER)) {
    const year = Number(match[1]);
    if (year < MIN_YEAR || year > MAX_YEAR) continue;
    const start = match.index;
    if (insideTitle(sentence, start)) continue;
    markers.push({ year, start, end: start + match[0].length });
  }
  return markers;
}

/** Removes year markers (and the comma after them) from a metric phrase. */
export function stripYearMarkers(text: string): string {
  return text.replace(
    /(?:到|至|截至|截止|力争|于)?\s*\d{4}\s*年(?:年底|底前|底|末|前|内|上半年|下半年)?[,,、]?/g,
    '',
  );
}

/**
 * Groups of two or more consecutive markers joined by 、/和/及 (2023年、2024年、2025年). Each group is
 * returned as its markers in order; single markers are not groups.
 */
export function findYearLists(sentence: string, markers: readonly YearMarker[]): YearMarker[][] {
  const groups: YearMarker[][] = [];
  let current: YearMarker[] = [];
  for (const marker of markers) {
    const previous = current[current.length - 1];
    if (previous && /^\s*[、和及]\s*$/.test(sentence.slice(previous.end, marker.start))) {
      current.push(marker);
      continue;
    }
    if (current.length > 1) groups.push(current);
    current = [marker];
  }
  if (current.length > 1) groups.push(current);
  return groups;
}
