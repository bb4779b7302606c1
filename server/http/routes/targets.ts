/**
 * `GET /api/targets` (JSON or CSV download) and `POST /api/check` (claim check). Both read the targets the
 * service extracted at ingest; every row carries its docId and offsets so clients can show the clause.
 */
import { Router } from 'express';
import { charCount } from '../../answer/answer-error.ts';
import type { TargetFilter, ZhengceService } from '../../service-types.ts';
import { parseClaim } from '../ask-input.ts';
import { HttpError } from '../errors.ts';
import { queryInt, queryString } from '../query-params.ts';
import { targetsToCsv } from '../targets-csv.ts';

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

  router.get('/targets', (req, res) => {
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
    const targets = service.targets(filter);
    if (format === 'json') {
      res.json({ filter, targets });
      return;
    }
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="zhengce-targets.csv"',
    });
    res.send(targetsToCsv(targets, service.listDocuments()));
  });

  router.post('/check', async (req, res) => {
    if (req.body === undefined) throw new HttpError('unsupported_media_type');
    res.json(await service.checkClaim(parseClaim(req.body, options.maxClaimLength)));
  });

  return router;
}
