/**
 * Limiting a question to chosen documents or places (`scope` in the ask request), against a real server on
 * 127.0.0.1 over HTTP and the WebSocket: answers cite only documents in scope, a question whose answer lies
 * outside it is not_found, the scope is echoed in `query.scope`, the answer cache keeps scoped and unscoped
 * answers apart, and malformed or unknown scopes are refused with invalid_request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerResult } from '../server/answer/contract.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';
import { openTestSocket } from './support/http-ws-client.ts';

/** Ids end in a hash of the path; found by their readable part once the server runs. */
let JIAXING_DOC = 'jiaxing-2024-health-modernisation-opinions';
let XINING_DOC = 'xining-2024-health-service-system-plan';
const JIAXING_QUESTION = '嘉兴2027年家庭医生签约覆盖率目标是多少?';
const GENERAL_QUESTION = '家庭医生签约服务覆盖率目标是多少?';

let server: TestServer;
let docIdsOf: Map<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  const { documents } = (await fetch(`${server.url}/api/documents`).then((r) => r.json())) as {
    documents: { docId: string; region: { name: string } | null }[];
  };
  docIdsOf = new Map(documents.map((d) => [d.docId, d.region?.name ?? '']));
  const idOf = (slug: string) => documents.find((d) => d.docId.startsWith(slug))?.docId ?? slug;
  JIAXING_DOC = idOf(JIAXING_DOC);
  XINING_DOC = idOf(XINING_DOC);
  expect(docIdsOf.has(JIAXING_DOC) && docIdsOf.has(XINING_DOC)).toBe(true);
});

afterAll(async () => {
  await server?.close();
});

async function ask(
  body: unknown,
): Promise<{ status: number; body: AnswerResult & { error?: { code: string } } }> {
  const response = await fetch(`${server.url}/api/ask`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('scope in POST /api/ask', () => {
  it('answers from the chosen document only, and says so in query.scope', async () => {
    const { status, body } = await ask({ question: JIAXING_QUESTION, scope: { docIds: [JIAXING_DOC] } });
    expect(status).toBe(200);
    expect(body.status).toBe('answered');
    expect(body.answer).toContain('45%');
    expect(new Set(body.citations.map((c) => c.docId))).toEqual(new Set([JIAXING_DOC]));
    expect(body.query.scope).toEqual({ docIds: [JIAXING_DOC] });
  });

  it('is not_found when the answer lies in a document left out (and the cache does not leak the unscoped answer)', async () => {
    const unscoped = await ask({ question: JIAXING_QUESTION });
    expect(unscoped.body.status).toBe('answered');
    const { body } = await ask({ question: JIAXING_QUESTION, scope: { docIds: [XINING_DOC] } });
    expect(body.status).toBe('not_found');
    expect(body.citations.every((c) => c.docId === XINING_DOC)).toBe(true);
    for (const r of body.related) expect(r.docId).toBe(XINING_DOC);
  });

  it('limits a question that names no place to the chosen places', async () => {
    const { body } = await ask({ question: GENERAL_QUESTION, scope: { regions: ['西宁市'] } });
    expect(body.citations.length).toBeGreaterThan(0);
    for (const c of body.citations) expect(docIdsOf.get(c.docId)).toBe('西宁市');
    for (const r of body.retrieved) expect(docIdsOf.get(r.docId)).toBe('西宁市');
  });

  it('takes documents and places together (either matches); an empty scope limits nothing', async () => {
    const { body } = await ask({
      question: GENERAL_QUESTION,
      scope: { docIds: [JIAXING_DOC], regions: ['西宁市'] },
    });
    for (const r of body.retrieved) expect([JIAXING_DOC, XINING_DOC]).toContain(r.docId);
    const empty = await ask({ question: JIAXING_QUESTION, scope: { docIds: [], regions: [] } });
    expect(empty.body.status).toBe('answered');
    expect(empty.body.query.scope).toBeUndefined();
  });

  it('refuses malformed and unknown scopes with invalid_request', async () => {
    for (const scope of [
      { docIds: ['../etc/passwd'] },
      { docIds: 'jiaxing' },
      { regions: [''] },
      { regions: ['x'.repeat(51)] },
      { docIds: Array.from({ length: 101 }, (_, i) => `doc-${i}`) },
      { places: ['嘉兴市'] },
      { docIds: ['no-such-document'] },
      { regions: ['杭州市'] },
    ]) {
      const { status, body } = await ask({ question: JIAXING_QUESTION, scope });
      expect(status, JSON.stringify(scope).slice(0, 80)).toBe(400);
      expect(body.error?.code).toBe('invalid_request');
    }
  });
});

describe('scope in the WebSocket ask', () => {
  it('is honoured as over HTTP', async () => {
    const socket = await openTestSocket(server.wsUrl);
    try {
      socket.sendJson({ type: 'ask', id: 's1', question: GENERAL_QUESTION, scope: { docIds: [XINING_DOC] } });
      const messages = await socket.untilFinished('s1');
      const done = messages.at(-1) as unknown as { type: string; result: AnswerResult };
      expect(done.type).toBe('done');
      expect(done.result.citations.length).toBeGreaterThan(0);
      for (const c of done.result.citations) expect(c.docId).toBe(XINING_DOC);
      socket.sendJson({ type: 'ask', id: 's2', question: GENERAL_QUESTION, scope: { docIds: ['nope'] } });
      const refused = (await socket.untilFinished('s2')).at(-1);
      expect(refused).toMatchObject({ type: 'error', id: 's2', code: 'invalid_request' });
    } finally {
      socket.ws.close();
    }
  });
});
