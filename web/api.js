/**
 * Calls to the HTTP API. Errors come back as ApiError with the server's stable code, so the page can show a
 * message in the interface language.
 */

export class ApiError extends Error {
  /** @param {string} code @param {string} message @param {number} status */
  constructor(code, message, status) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

async function parse(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // A proxy error page or an empty body: report it by status below.
  }
  if (response.ok) return body;
  const error = body?.error;
  throw new ApiError(
    error?.code ?? 'http_error',
    error?.message ?? `HTTP ${response.status}`,
    response.status,
  );
}

/** GET a JSON resource; `params` become the query string (empty values are left out). */
export async function getJson(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const search = query.toString();
  const url = search ? `${path}?${search}` : path;
  try {
    return await parse(await fetch(url, { headers: { Accept: 'application/json' } }));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('network_error', String(err), 0);
  }
}

/** The code of the error a request stopped by its AbortSignal rejects with (Stop in the chat). */
export const CANCELLED = 'cancelled';

/**
 * POST a JSON body. `signal` stops the request: the promise then rejects with ApiError code CANCELLED
 * (the server drops an answer whose client went away, and stores nothing).
 * @param {string} path @param {unknown} body @param {{ signal?: AbortSignal }} [options]
 */
export async function postJson(path, body, options = {}) {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal: options.signal,
    });
    return await parse(response);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (options.signal?.aborted) throw new ApiError(CANCELLED, 'Stopped.', 0);
    throw new ApiError('network_error', String(err), 0);
  }
}

/**
 * Windows of documents already fetched, by URL: documents rarely change while the page is open, and going
 * back to a citation should not fetch it again. A few dozen windows are at most a couple of megabytes.
 */
const DOCUMENT_CACHE_SIZE = 40;
const documentCache = new Map();

/**
 * A window of a document (GET /api/documents/:id): its metadata, sections and part of its text.
 * @param {string} docId
 * @param {{ start?: number, length?: number, section?: number, clause?: string, chunk?: string }} [window]
 */
export function getDocument(docId, window = {}) {
  const path = `/api/documents/${encodeURIComponent(docId)}`;
  const key = `${path}?${new URLSearchParams(Object.entries(window).map(([k, v]) => [k, String(v)]))}`;
  if (!documentCache.has(key)) {
    const request = getJson(path, window);
    request.catch(() => documentCache.delete(key));
    documentCache.set(key, request);
    if (documentCache.size > DOCUMENT_CACHE_SIZE) documentCache.delete(documentCache.keys().next().value);
  }
  return documentCache.get(key);
}

let documentList = null;

/** After documents were added or removed: the next calls fetch them again. */
export function forgetDocuments() {
  documentList = null;
  documentCache.clear();
}

export function listDocuments() {
  if (!documentList) {
    documentList = getJson('/api/documents').then((body) => body.documents);
    documentList.catch(() => {
      documentList = null;
    });
  }
  return documentList;
}
