/**
 * Administration, behind `Authorization: Bearer <adminToken>`. Without a configured token these routes do
 * not exist (404), so a forgotten setting never leaves an open admin endpoint.
 *
 *   POST   /api/admin/reingest                 rebuild from the corpus (files unchanged are reused)
 *   POST   /api/admin/documents?name=<file>    body: the file's bytes (application/octet-stream); added and indexed
 *   DELETE /api/admin/documents/:docId         taken out of the index
 *   GET    /api/admin/jobs/current             the running or last job, with its progress
 *
 * One job at a time: while one runs, the others answer 409 `reingest_in_progress` with that job's progress.
 * A job answers when the new index is served (200 with the job and the server's health).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Response, Router } from 'express';
import type { AddedFile, RemovedResult } from '../../../ingest/added-documents.ts';
import type { DocumentMeta } from '../../../ingest/model.ts';
import type { ReindexJob } from '../../live-service.ts';
import type { ZhengceService } from '../../service-types.ts';
import { HttpError } from '../errors.ts';
import { queryString } from '../query-params.ts';
import { DOC_ID_PATTERN } from './documents.ts';

/** What the admin routes can ask of the server (server/reindex/admin-actions.ts implements it). */
export interface AdminActions {
  reingest(): Promise<ReindexJob>;
  /** Stores one uploaded file (its name is only a hint for a safe one) and indexes it. */
  addDocument(name: string, bytes: Uint8Array): Promise<{ job: ReindexJob; added: AddedFile }>;
  removeDocument(docId: string): Promise<{ job: ReindexJob; removed: RemovedResult }>;
  job(): ReindexJob | null;
}

/**
 * Largest upload, 50 MiB: a long PDF of a provincial plan is a few MB; a bigger body is more likely a
 * mistake than a policy document. `maxUploadBytes` overrides it.
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

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

/** The 409 of a second job: the error, plus what the running one is doing. */
function sendBusy(res: Response, job: ReindexJob): void {
  const error = new HttpError('reingest_in_progress');
  res.status(error.status).json({ ...error.toBody(), job });
}

/** Errors of an admin action as HTTP: busy → 409 with the job; the added-documents codes → 4xx. */
function adminError(err: unknown, res: Response): void {
  if (err instanceof Error && err.name === 'ReindexBusyError' && 'job' in err) {
    sendBusy(res, err.job as ReindexJob);
    return;
  }
  if (err instanceof Error && err.name === 'AddedDocumentError' && 'code' in err) {
    if (err.code === 'unsupported_file') throw new HttpError('unsupported_file', err.message);
    if (err.code === 'empty_file') throw new HttpError('upload_empty', err.message);
    if (err.code === 'unknown_document') throw new HttpError('not_found', err.message);
  }
  throw err;
}

export function adminRoutes(options: {
  service: ZhengceService;
  adminToken?: string;
  admin?: AdminActions;
  maxUploadBytes?: number;
}): Router {
  const router = Router();
  const { adminToken, admin, service } = options;
  if (!adminToken) return router;
  const guard = requireAdmin(adminToken);
  const actions = (): AdminActions => {
    if (!admin) throw new HttpError('reingest_unavailable');
    return admin;
  };
  const documentsOf = (path: string): DocumentMeta[] =>
    service.listDocuments().filter((d) => d.source === path);

  router.post('/admin/reingest', guard, async (_req, res) => {
    try {
      const job = await actions().reingest();
      res.json({ ok: true, job, health: service.health() });
    } catch (err) {
      adminError(err, res);
    }
  });

  router.post(
    '/admin/documents',
    guard,
    express.raw({ type: () => true, limit: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES }),
    async (req, res) => {
      const name = queryString(req.query, 'name')?.trim();
      if (!name) throw new HttpError('invalid_parameter', 'Give the file name as ?name=<file name>.');
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError('upload_empty');
      try {
        const { job, added } = await actions().addDocument(name, req.body);
        const documents = documentsOf(added.path);
        const failure = job.summary?.failures.find((f) => f.path === added.path) ?? null;
        res.status(documents.length > 0 ? 201 : 422).json({
          ok: documents.length > 0,
          added,
          documents,
          ...(failure ? new HttpError('not_indexed', failure.error).toBody() : {}),
          job,
        });
      } catch (err) {
        adminError(err, res);
      }
    },
  );

  router.delete('/admin/documents/:docId', guard, async (req, res) => {
    const docId = String(req.params.docId);
    if (!DOC_ID_PATTERN.test(docId)) throw new HttpError('invalid_id');
    try {
      const { job, removed } = await actions().removeDocument(docId);
      res.json({ ok: true, removed, job, health: service.health() });
    } catch (err) {
      adminError(err, res);
    }
  });

  router.get('/admin/jobs/current', guard, (_req, res) => {
    res.json({ job: admin?.job() ?? null });
  });

  return router;
}
