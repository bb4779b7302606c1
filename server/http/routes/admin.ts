/**
 * `POST /api/admin/reingest`, behind `Authorization: Bearer <adminToken>`. Without a configured token the
 * route does not exist (404), so a forgotten setting never leaves an open admin endpoint.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type RequestHandler, Router } from 'express';
import type { ZhengceService } from '../../service-types.ts';
import { HttpError } from '../errors.ts';

function sameToken(given: string, expected: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function requireAdmin(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new HttpError('unauthorized');
    }
    if (!sameToken(match[1], adminToken)) throw new HttpError('forbidden');
    next();
  };
}

export function adminRoutes(options: {
  service: ZhengceService;
  adminToken?: string;
  reingest?: () => Promise<void>;
}): Router {
  const router = Router();
  const { adminToken, reingest } = options;
  if (!adminToken) return router;
  let running = false;

  router.post('/admin/reingest', requireAdmin(adminToken), async (_req, res) => {
    if (!reingest) throw new HttpError('reingest_unavailable');
    if (running) throw new HttpError('reingest_in_progress');
    running = true;
    try {
      await reingest();
    } finally {
      running = false;
    }
    res.json({ ok: true, health: options.service.health() });
  });

  return router;
}
