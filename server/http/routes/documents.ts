/**
 * `GET /api/documents`, `GET /api/documents/:id` (a window of the text with the table of sections, see
 * document-window.ts) and `GET /api/search`. A document id is matched against the service's own list, never
 * used to build a path, so `../` in an id cannot reach a file.
 */
import { Router } from 'express';
import type { ZhengceService } from '../../service-types.ts';
import { parseSearchQuery } from '../ask-input.ts';
import { documentWindow, parseWindowRequest } from '../document-window.ts';
import { HttpError } from '../errors.ts';
import { queryInt } from '../query-params.ts';

export const DOC_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,127}$/;
/** Search results when `k` is not given: what fits on one screen. */
export const DEFAULT_SEARCH_K = 5;
/** Upper bound for `k`: enough for any review, small enough to keep responses quick. */
export const MAX_SEARCH_K = 50;

export function documentRoutes(options: { service: ZhengceService; maxQueryLength: number }): Router {
  const { service } = options;
  const router = Router();

  router.get('/documents', (_req, res) => {
    res.json({ documents: service.listDocuments() });
  });

  router.get('/documents/:id', (req, res) => {
    const id = req.params.id;
    if (!DOC_ID_PATTERN.test(id))
      throw new HttpError('invalid_id', 'A document id is lower-case letters, digits and hyphens.');
    const request = parseWindowRequest(req.query);
    const known = service.listDocuments().some((doc) => doc.docId === id);
    const detail = known ? service.getDocument(id) : null;
    if (!detail) throw new HttpError('not_found', `No document with id "${id}".`);
    res.json(documentWindow(detail, request));
  });

  router.get('/search', async (req, res) => {
    const q = parseSearchQuery(req.query.q, options.maxQueryLength);
    const k =
      queryInt(req.query, 'k', { min: 1, max: MAX_SEARCH_K, fallback: DEFAULT_SEARCH_K }) ?? DEFAULT_SEARCH_K;
    res.json({ query: q, k, results: await service.search(q, k) });
  });

  return router;
}
