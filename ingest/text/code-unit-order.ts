/**
 * Code-unit order for strings: the same in every process, thread and locale (localeCompare is not), so
 * term lists, vocabularies and dictionary subsets are written byte for byte the same on every build.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
