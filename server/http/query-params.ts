/**
 * Reading single query-string values strictly: a repeated parameter (`?k=1&k=2`) or a nested one is a
 * client error, not something to guess about.
 */
import { HttpError } from './errors.ts';

/** The value of a query parameter when given once; undefined when absent. */
export function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HttpError('invalid_parameter', `Give "${name}" once, as text.`);
  return value;
}

/** An integer query parameter within [min, max]; `fallback` when absent or empty. */
export function queryInt(
  query: Record<string, unknown>,
  name: string,
  range: { min: number; max: number; fallback?: number },
): number | undefined {
  const raw = queryString(query, name);
  if (raw === undefined || raw.trim() === '') return range.fallback;
  if (!/^\d{1,9}$/.test(raw.trim())) {
    throw new HttpError('invalid_parameter', `"${name}" must be a whole number.`);
  }
  const value = Number(raw.trim());
  if (value < range.min || value > range.max) {
    throw new HttpError('invalid_parameter', `"${name}" must be between ${range.min} and ${range.max}.`);
  }
  return value;
}
