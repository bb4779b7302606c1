/**
 * Every error the HTTP API and the WebSocket send, as a table of stable codes. Clients branch on `code`;
 * `message` is for people and may be reworded. The body is always `{ "error": { "code", "message" } }`
 * (WebSocket: `{ "type": "error", "id", "code", "message" }`).
 */

import { AnswerError } from '../answer/answer-error.ts';

export const ERROR_TABLE = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_request: { status: 400, message: 'The request does not have the expected shape.' },
  invalid_parameter: { status: 400, message: 'A query parameter is missing or out of range.' },
  invalid_id: { status: 400, message: 'The id is not well formed.' },
  question_empty: { status: 400, message: 'The question is empty.' },
  question_too_long: { status: 400, message: 'The question is too long.' },
  claim_empty: { status: 400, message: 'The claim is empty.' },
  claim_too_long: { status: 400, message: 'The claim is too long.' },
  query_empty: { status: 400, message: 'The search query is empty.' },
  query_too_long: { status: 400, message: 'The search query is too long.' },
  unauthorized: {
    status: 401,
    message: 'An administrator token is required (Authorization: Bearer <token>).',
  },
  forbidden: { status: 403, message: 'The administrator token is not valid.' },
  host_not_allowed: {
    status: 403,
    message: 'This server does not answer to that host name (Host header); see ALLOWED_HOSTS.',
  },
  not_found: { status: 404, message: 'Not found.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed here; see the Allow header.' },
  reingest_in_progress: {
    status: 409,
    message: 'A re-index is already running; the response carries its progress. Try again when it is done.',
  },
  upload_empty: { status: 400, message: 'The uploaded file is empty.' },
  unsupported_file: {
    status: 415,
    message: 'Only documents ingest reads can be added: HTML, Markdown, text, DOCX or PDF.',
  },
  not_indexed: { status: 422, message: 'The file was stored but no document could be read from it.' },
  body_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json (UTF-8).' },
  rate_limited: { status: 429, message: 'Too many requests; wait a minute and try again.' },
  internal_error: { status: 500, message: 'The server could not answer; the error has been logged.' },
  reingest_unavailable: { status: 501, message: 'Re-ingest is not configured on this server.' },
  answer_timeout: {
    status: 503,
    message:
      'The answer took longer than this server allows; ask a narrower question (name a place, a year or a document).',
  },
  // WebSocket-only codes (no HTTP status is ever sent with them).
  invalid_message: { status: 400, message: 'The message is not a JSON object of a known type.' },
  binary_not_supported: { status: 400, message: 'Binary frames are not supported; send JSON text.' },
  frame_too_large: { status: 413, message: 'The message is too large.' },
  busy: { status: 429, message: 'An answer is already being produced on this connection; wait for it.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** An error that becomes a JSON response with its table status; `message` overrides the table's text. */
export class HttpError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message?: string) {
    super(message ?? ERROR_TABLE[code].message);
    this.name = 'HttpError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Errors thrown by express.json (body-parser) carry a `type`; map the ones a client can cause. */
const BODY_PARSER_TYPES: Record<string, ErrorCode> = {
  'entity.parse.failed': 'invalid_json',
  'entity.too.large': 'body_too_large',
  'charset.unsupported': 'unsupported_media_type',
  'encoding.unsupported': 'unsupported_media_type',
  'request.size.invalid': 'invalid_request',
  'request.aborted': 'invalid_request',
};

/** Other client errors raised by Express itself (e.g. a malformed path in express.static), by status. */
const CLIENT_STATUSES: Record<number, ErrorCode> = {
  403: 'not_found',
  404: 'not_found',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

/** Turns anything thrown in a handler into an HttpError; unknown errors become internal_error. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // The answerer validates its input too (for the CLI and evals); its refusals are client errors here.
  if (err instanceof AnswerError) return new HttpError(err.code, err.message);
  if (typeof err !== 'object' || err === null) return new HttpError('internal_error');
  if ('type' in err && typeof err.type === 'string') {
    const code = BODY_PARSER_TYPES[err.type];
    if (code) return new HttpError(code);
  }
  const status = 'status' in err && typeof err.status === 'number' ? err.status : 0;
  if (status >= 400 && status < 500) return new HttpError(CLIENT_STATUSES[status] ?? 'invalid_request');
  return new HttpError('internal_error');
}
