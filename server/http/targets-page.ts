/**
 * Pages of `GET /api/targets`: a `limit` and an opaque `cursor`, so that no response holds every target of a
 * large corpus. The cursor names the filter it was made for and the last target served (by position and id),
 * so the next page follows on exactly under the same filter, and still follows on after a re-index that kept
 * that target; a cursor for another filter, a forged one or one whose target is gone is refused.
 */
import { createHash } from 'node:crypto';
import type { TargetRecord } from '../../ingest/model.ts';
import type { TargetFilter } from '../service-types.ts';
import { HttpError } from './errors.ts';

/** Rows per page when `limit` is not given: a screenful or two in the page's table. */
export const DEFAULT_TARGETS_LIMIT = 100;
/**
 * Largest page: about 1 MB of JSON (a target is ~0.9 kB of UTF-8 with its quote and other statements),
 * quick to send and parse, and few requests for a client that wants everything (the CSV export is the way
 * to get all of them at once).
 */
export const MAX_TARGETS_LIMIT = 1000;
/** A cursor is ~100 characters; anything much longer was not made by this server. */
const MAX_CURSOR_LENGTH = 512;
const CURSOR_VERSION = 1;

export interface TargetsPage {
  filter: TargetFilter;
  /** Targets matching the filter, over all pages. */
  total: number;
  limit: number;
  targets: TargetRecord[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface CursorBody {
  v: number;
  /** Hash of the filter the cursor was made for. */
  f: string;
  /** Position after the last target served. */
  p: number;
  /** Id of the last target served. */
  id: string;
}

/** The same filter always gives the same key, whatever order its parameters came in. */
function filterKey(filter: TargetFilter): string {
  const canonical = JSON.stringify([
    filter.region ?? null,
    filter.year ?? null,
    filter.metric ?? null,
    filter.q ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

function encodeCursor(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function badCursor(why: string): HttpError {
  return new HttpError('invalid_parameter', `"cursor" ${why}; start again without a cursor.`);
}

function decodeCursor(raw: string): CursorBody {
  if (raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw badCursor('is not a cursor');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('is not a cursor');
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    !('v' in body && body.v === CURSOR_VERSION) ||
    !('f' in body && typeof body.f === 'string') ||
    !('p' in body && Number.isSafeInteger(body.p) && (body.p as number) >= 1) ||
    !('id' in body && typeof body.id === 'string')
  ) {
    throw badCursor('is not a cursor');
  }
  return body as CursorBody;
}

/** Where the page after `cursor` starts in `targets` (the filtered list, in its stable order). */
function resumeAt(targets: readonly TargetRecord[], filter: TargetFilter, raw: string): number {
  const cursor = decodeCursor(raw);
  if (cursor.f !== filterKey(filter)) throw badCursor('was made for other filters');
  if (targets[cursor.p - 1]?.id === cursor.id) return cursor.p;
  // The list changed (a re-index): follow on after the same target if it is still there.
  const moved = targets.findIndex((t) => t.id === cursor.id);
  if (moved >= 0) return moved + 1;
  throw badCursor('names a target that is no longer indexed');
}

/** One page of the filtered targets, from the start or after `cursor`. */
export function pageOfTargets(
  targets: readonly TargetRecord[],
  filter: TargetFilter,
  limit: number,
  cursor: string | undefined,
): TargetsPage {
  const from = cursor === undefined ? 0 : resumeAt(targets, filter, cursor);
  const page = targets.slice(from, from + limit);
  const end = from + page.length;
  const last = page.at(-1);
  const nextCursor =
    end < targets.length && last
      ? encodeCursor({ v: CURSOR_VERSION, f: filterKey(filter), p: end, id: last.id })
      : null;
  return { filter, total: targets.length, limit, targets: page, nextCursor };
}
