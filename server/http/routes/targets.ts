/**
 * `GET /api/targets` (JSON pages or a streamed CSV download), `GET /api/targets/facets` (the values to filter
 * by) and `POST /api/check` (claim check). All read the targets the service extracted at ingest; every row
 * carries its docId and offsets so clients can show the clause.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { charCount } from '../../answer/answer-error.ts';
import { loadGlossary } from '../../query/glossary.ts';
import type { TargetFilter, ZhengceService } from '../../service-types.ts';
import { parseClaim } from '../ask-input.ts';
import { HttpError } from '../errors.ts';
import { queryInt, queryString } from '../query-params.ts';
import { targetFacets } from '../target-facets.ts';
import { targetsCsvPieces } from '../targets-csv.ts';
import { DEFAULT_TARGETS_LIMIT, MAX_TARGETS_LIMIT, pageOfTargets } from '../targets-page.ts';

/** Filter text longer than this cannot match a metric or region name. */
const MAX_FILTER_LENGTH = 200;

function filterText(query: Record<string, unknown>, name: string): string | undefined {
  const value = queryString(query, name)?.trim();
  if (!value) return undefined;
  if (charCount(value) > MAX_FILTER_LENGTH) {
    throw new HttpError('invalid_parameter', `"${name}" is longer than ${MAX_FILTER_LENGTH} characters.`);
  }
  return value;
}

export function targetRoutes(options: { service: ZhengceService; maxClaimLength: number }): Router {
  const { service } = options;
  const router = Router();

  router.get('/targets', async (req, res) => {
    const filter: TargetFilter = {};
    const region = filterText(req.query, 'region');
    const metric = filterText(req.query, 'metric');
    const q = filterText(req.query, 'q');
    const year = queryInt(req.query, 'year', { min: 1900, max: 2200 });
    if (region) filter.region = region;
    if (metric) filter.metric = metric;
    if (q) filter.q = q;
    if (year !== undefined) filter.year = year;
    const format = queryString(req.query, 'format') ?? 'json';
    if (format !== 'json' && format !== 'csv') {
      throw new HttpError('invalid_parameter', '"format" must be json or csv.');
    }
    const limit = queryInt(req.query, 'limit', { min: 1, max: MAX_TARGETS_LIMIT });
    const cursor = queryString(req.query, 'cursor');
    if (format === 'json') {
      const targets = service.targets(filter);
      res.json(pageOfTargets(targets, filter, limit ?? DEFAULT_TARGETS_LIMIT, cursor || undefined));
      return;
    }
    if (limit !== undefined || cursor !== undefined) {
      // A CSV is a whole export; a client that asks for part of one would silently get all of it otherwise.
      throw new HttpError(
        'invalid_parameter',
        'The CSV holds every matching target: leave out "limit" and "cursor".',
      );
    }
    const targets = service.targets(filter);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="zhengce-targets.csv"',
    });
    try {
      await pipeline(Readable.from(targetsCsvPieces(targets, service.listDocuments())), res);
    } catch (err) {
      // A client that goes away mid-download is not a server error.
      if (req.destroyed || res.destroyed) return;
      throw err;
    }
  });

  // The glossary the answerer uses (read once and cached by loadGlossary), for the metrics' English names.
  const glossary = loadGlossary();
  router.get('/targets/facets', (_req, res) => {
    res.json(targetFacets(service.targets({}), (zh) => glossary.englishLabel(zh)));
  });

  router.post('/check', async (req, res) => {
    if (req.body === undefined) throw new HttpError('unsupported_media_type');
    res.json(await service.checkClaim(parseClaim(req.body, options.maxClaimLength)));
  });

  return router;
}
