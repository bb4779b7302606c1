/**
 * Validation of what a client sends to ask a question or check a claim, shared by `POST /api/ask`,
 * `POST /api/check` and the WebSocket `ask` message so that both give the same error codes.
 */
import { z } from 'zod';
import { charCount } from '../answer/answer-error.ts';
import type { AskScope, ChatTurn } from '../answer/contract.ts';
import { STORED_ID_PATTERN } from '../history/history-store.ts';
import { HttpError } from './errors.ts';

/** Default for `maxQuestionLength`: long enough for any real question, short enough to bound retrieval. */
export const DEFAULT_MAX_QUESTION_LENGTH = 500;
/** Follow-ups need the last few turns only; more is ignored rather than refused. */
export const MAX_HISTORY_TURNS = 20;
/** An assistant turn quotes clauses, so it may be much longer than a question. */
const MAX_TURN_LENGTH = 20_000;
/** Document ids as DOC_ID_PATTERN in routes/documents.ts (which imports this file, so it is not imported). */
const DOC_ID_SHAPE = /^[a-z0-9][a-z0-9-]{0,127}$/;
/** Documents or places one question may be limited to: more than anyone ticks, few enough to check cheaply. */
export const MAX_SCOPE_ENTRIES = 100;
/** The longest place names (autonomous prefectures) are under 20 characters. */
const MAX_REGION_LENGTH = 50;
/** Tokens are 43 characters; anything far longer is not one, and is not worth hashing. */
const MAX_TOKEN_LENGTH = 256;

export interface AskInput {
  question: string;
  /** Absent when the client sent none (the stored conversation is used then). */
  history?: ChatTurn[];
  conversationId?: string;
  /** Needed to continue `conversationId`; without the right one a new conversation is started. */
  conversationToken?: string;
  /** Documents and places to answer from; checked against the corpus in answer-and-record.ts. */
  scope?: AskScope;
  /**
   * Edit and resend: the answer of `conversationId` this question replaces; it and the turns after it are
   * left out of the history and deleted when the new answer is stored (RecordAnswerInput.replacesAnswerId).
   */
  replacesAnswerId?: string;
}

const turnSchema = z.object({
  role: z.enum(['user', 'assistant']),
  // Counted in code points like every other length here (zod's max counts UTF-16 units).
  content: z
    .string()
    .refine((text) => charCount(text) <= MAX_TURN_LENGTH, `At most ${MAX_TURN_LENGTH} characters`),
});

const askSchema = z.object({
  question: z.string(),
  history: z.array(turnSchema).optional(),
  conversationId: z.string().regex(STORED_ID_PATTERN).optional(),
  // Any text: a malformed token is just a wrong one, and must not be told apart from it.
  conversationToken: z.string().max(MAX_TOKEN_LENGTH).optional(),
  replacesAnswerId: z.string().regex(STORED_ID_PATTERN).optional(),
  scope: z
    .object({
      docIds: z.array(z.string().regex(DOC_ID_SHAPE)).max(MAX_SCOPE_ENTRIES).optional(),
      regions: z
        .array(
          z
            .string()
            .min(1)
            .refine((r) => charCount(r) <= MAX_REGION_LENGTH, 'not a place name'),
        )
        .max(MAX_SCOPE_ENTRIES)
        .optional(),
    })
    .strict()
    .optional(),
});

const claimSchema = z.object({ claim: z.string() });

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

/** Checks a trimmed text against the length limit, throwing the given empty/too-long codes. */
function checkText(
  text: string,
  maxLength: number,
  codes: {
    empty: 'question_empty' | 'claim_empty' | 'query_empty';
    tooLong: 'question_too_long' | 'claim_too_long' | 'query_too_long';
  },
): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new HttpError(codes.empty);
  const length = charCount(trimmed);
  if (length > maxLength) {
    throw new HttpError(codes.tooLong, `The text has ${length} characters; the limit is ${maxLength}.`);
  }
  return trimmed;
}

export function parseAskInput(body: unknown, maxQuestionLength: number): AskInput {
  const parsed = askSchema.safeParse(body);
  if (!parsed.success) throw new HttpError('invalid_request', describeIssues(parsed.error));
  const question = checkText(parsed.data.question, maxQuestionLength, {
    empty: 'question_empty',
    tooLong: 'question_too_long',
  });
  const input: AskInput = { question };
  if (parsed.data.history) input.history = parsed.data.history.slice(-MAX_HISTORY_TURNS);
  if (parsed.data.conversationId) input.conversationId = parsed.data.conversationId;
  if (parsed.data.conversationToken) input.conversationToken = parsed.data.conversationToken;
  if (parsed.data.replacesAnswerId) input.replacesAnswerId = parsed.data.replacesAnswerId;
  const scope = parsed.data.scope;
  // An empty scope limits nothing: the same as none, rather than a question no document may answer.
  if (scope?.docIds?.length || scope?.regions?.length) {
    input.scope = {
      ...(scope.docIds?.length ? { docIds: [...new Set(scope.docIds)] } : {}),
      ...(scope.regions?.length ? { regions: [...new Set(scope.regions)] } : {}),
    };
  }
  return input;
}

export function parseClaim(body: unknown, maxLength: number): string {
  const parsed = claimSchema.safeParse(body);
  if (!parsed.success) throw new HttpError('invalid_request', describeIssues(parsed.error));
  return checkText(parsed.data.claim, maxLength, { empty: 'claim_empty', tooLong: 'claim_too_long' });
}

export function parseSearchQuery(q: unknown, maxLength: number): string {
  if (q === undefined) throw new HttpError('query_empty');
  // ?q=a&q=b (an array) or ?q[x]=a (an object): which one was meant cannot be told.
  if (typeof q !== 'string') throw new HttpError('invalid_parameter', 'Give "q" once, as text.');
  return checkText(q, maxLength, { empty: 'query_empty', tooLong: 'query_too_long' });
}
