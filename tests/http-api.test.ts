import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerResult } from '../server/answer/contract.ts';
import { STORED_ID_PATTERN } from '../server/history/history-store.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

// Values that must never reach a client, set before the service reads its configuration.
const SECRET_API_KEY = 'sk-zhengce-test-secret-7f3a9c1e5b';
const ADMIN_TOKEN = 'admin-token-for-tests-4d8e2b6f1a';
const keyBefore = process.env.LLM_API_KEY;
process.env.LLM_API_KEY = SECRET_API_KEY;
// Test files share a process (vitest.config.ts: isolate false): the key must not reach the next file.
afterAll(() => {
  if (keyBefore === undefined) delete process.env.LLM_API_KEY;
  else process.env.LLM_API_KEY = keyBefore;
});

type Recorded = AnswerResult & { answerId: string; conversationId: string; conversationToken: string };

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly and assert on each one.
  json: () => any;
}

/** Every response body and header seen in this file, checked at the end for leaked secrets. */
const seen: string[] = [];

async function call(base: string, path: string, init?: RequestInit): Promise<Reply> {
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  seen.push(text, JSON.stringify([...response.headers]));
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

function postJson(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return call(base, path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A request whose path is sent exactly as written (fetch would normalise `../`). */
function rawGet(base: string, path: string): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        seen.push(text);
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function expectError(reply: Reply, status: number, code: string) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  const body = reply.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
}

describe('HTTP API over a real server with the service built from seeds/', () => {
  let server: TestServer;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({ adminToken: ADMIN_TOKEN });
    base = server.url;
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('POST /api/ask', () => {
    let first: Recorded;

    it('answers the Jiaxing 2027 family-doctor question with 45% and the clause that says so', async () => {
      const reply = await postJson(base, '/api/ask', {
        question: "What is Jiaxing's 2027 family-doctor target?",
      });
      expect(reply.status).toBe(200);
      first = reply.json();
      expect(first.status).toBe('answered');
      expect(first.answer).toContain('45%');
      expect(first.answer).toMatch(/\[\d+\]/);
      expect(first.answerId).toMatch(STORED_ID_PATTERN);
      expect(first.conversationId).toMatch(STORED_ID_PATTERN);
      const cited = first.citations.find((c) => c.text.includes('家庭医生签约服务覆盖率达到45%以上'));
      expect(cited?.docId).toMatch(/^jiaxing-2024-health-modernisation-opinions-[0-9a-f]{8}$/);
      expect(cited?.region).toBe('嘉兴市');
      expect(first.retrieved.length).toBeGreaterThan(0);
      expect(first.query.lang).toBe('en');
      expect(['extractive', 'llm']).toContain(first.answerer);
      expect(typeof first.timings.retrieveMs).toBe('number');
    });

    it('keeps the answer under its id for the permalink', async () => {
      const reply = await call(base, `/api/answers/${first.answerId}`);
      expect(reply.status).toBe(200);
      const stored = reply.json();
      expect(stored.question).toBe("What is Jiaxing's 2027 family-doctor target?");
      expect(stored.result.answer).toBe(first.answer);
      expect(stored).not.toHaveProperty('conversationId');
    });

    it('answers a follow-up sent with only the conversation and its token, using the stored turns as history', async () => {
      const reply = await postJson(base, '/api/ask', {
        question: '那西宁呢?',
        conversationId: first.conversationId,
        conversationToken: first.conversationToken,
      });
      expect(reply.status).toBe(200);
      const followUp: Recorded = reply.json();
      expect(followUp.conversationId).toBe(first.conversationId);
      expect(followUp.query.regions).toContain('西宁市');
      const conversation = (
        await call(base, `/api/conversations/${first.conversationId}`, {
          headers: { 'X-Conversation-Token': first.conversationToken },
        })
      ).json();
      expect(conversation.turns.map((t: { question: string }) => t.question)).toEqual([
        "What is Jiaxing's 2027 family-doctor target?",
        '那西宁呢?',
      ]);
    });

    it('replaces an edited question (replacesAnswerId): answered without the replaced turn, stored in its place', async () => {
      const key = { 'X-Conversation-Token': first.conversationToken };
      const before = (
        await call(base, `/api/conversations/${first.conversationId}`, { headers: key })
      ).json();
      const replaced = before.turns.at(-1) as { answerId: string; question: string };
      expect(replaced.question).toBe('那西宁呢?');
      const reply = await postJson(base, '/api/ask', {
        question: '那2025年呢?',
        conversationId: first.conversationId,
        conversationToken: first.conversationToken,
        replacesAnswerId: replaced.answerId,
      });
      expect(reply.status).toBe(200);
      // The follow-up is read against the Jiaxing question, not the Xining one it replaces.
      expect(reply.json().query.regions).toEqual(['嘉兴市']);
      const after = (await call(base, `/api/conversations/${first.conversationId}`, { headers: key })).json();
      expect(after.turns.map((t: { question: string }) => t.question)).toEqual([
        "What is Jiaxing's 2027 family-doctor target?",
        '那2025年呢?',
      ]);
      expect((await call(base, `/api/answers/${replaced.answerId}`)).status).toBe(404);
      expectError(
        await postJson(base, '/api/ask', { question: 'q', replacesAnswerId: 'not an id!' }),
        400,
        'invalid_request',
      );
    });

    it('refuses an empty question with 400 question_empty', async () => {
      expectError(await postJson(base, '/api/ask', { question: '   ' }), 400, 'question_empty');
    });

    it('refuses a question over 500 characters with 400 question_too_long', async () => {
      const reply = await postJson(base, '/api/ask', { question: '家'.repeat(501) });
      expectError(reply, 400, 'question_too_long');
      expect(reply.json().error.message).toBe('The text has 501 characters; the limit is 500.');
    });

    it('refuses invalid JSON with 400 invalid_json', async () => {
      expectError(await postJson(base, '/api/ask', '{"question": "嘉兴'), 400, 'invalid_json');
    });

    it('refuses a 10 MB body with 413 body_too_large', async () => {
      const huge = JSON.stringify({ question: 'x'.repeat(10 * 1024 * 1024) });
      expectError(await postJson(base, '/api/ask', huge), 413, 'body_too_large');
    });

    it('refuses a body that is not JSON with 415, and a wrongly shaped one with 400 invalid_request', async () => {
      const form = await call(base, '/api/ask', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'question=hi',
      });
      expectError(form, 415, 'unsupported_media_type');
      expectError(await postJson(base, '/api/ask', { question: 42 }), 400, 'invalid_request');
      expectError(
        await postJson(base, '/api/ask', { question: '嘉兴?', history: [{ role: 'system', content: 'x' }] }),
        400,
        'invalid_request',
      );
    });
  });

  describe('GET /api/search', () => {
    it('returns at most k passages for a query, 5 by default', async () => {
      const three = (await call(base, `/api/search?q=${encodeURIComponent('家庭医生签约')}&k=3`)).json();
      expect(three.results.length).toBeGreaterThan(0);
      expect(three.results.length).toBeLessThanOrEqual(3);
      expect(three.results.some((r: { text: string }) => r.text.includes('家庭医生'))).toBe(true);
      const fallback = (await call(base, `/api/search?q=${encodeURIComponent('托育')}`)).json();
      expect(fallback.k).toBe(5);
      expect(fallback.results.length).toBeLessThanOrEqual(5);
    });

    it('refuses k above 50, a missing query and a repeated parameter', async () => {
      expectError(await call(base, '/api/search?q=x&k=51'), 400, 'invalid_parameter');
      expectError(await call(base, '/api/search?q=x&k=abc'), 400, 'invalid_parameter');
      expectError(await call(base, '/api/search'), 400, 'query_empty');
      expectError(await call(base, '/api/search?q=a&q=b'), 400, 'invalid_parameter');
    });
  });

  describe('documents', () => {
    it('lists the five seed documents with their metadata', async () => {
      const { documents } = (await call(base, '/api/documents')).json();
      expect(documents).toHaveLength(5);
      const jiaxing = documents.find((d: { docId: string }) =>
        d.docId.startsWith('jiaxing-2024-health-modernisation-opinions-'),
      );
      expect(jiaxing.docNumber).toBe('嘉政办发〔2024〕5号');
      expect(jiaxing.region.name).toBe('嘉兴市');
    });

    it('returns a window of its cleaned text (all of a short one) and sections whose offsets fall inside it', async () => {
      const { documents } = (await call(base, '/api/documents')).json();
      const id = documents.find(
        (d: { docNumber: string | null }) => d.docNumber === '嘉政办发〔2024〕5号',
      ).docId;
      const detail = (await call(base, `/api/documents/${encodeURIComponent(id)}`)).json();
      expect(detail.text).toContain('家庭医生签约服务覆盖率达到45%以上');
      expect(detail.window).toEqual({ start: 0, end: detail.textLength });
      expect(detail.sections.length).toBeGreaterThan(10);
      for (const entry of detail.sections) {
        expect(entry.start).toBeGreaterThanOrEqual(0);
        expect(entry.end).toBeLessThanOrEqual(detail.textLength);
      }
    });

    it('answers 404 not_found for an unknown id and 400 invalid_id for a malformed one', async () => {
      expectError(await call(base, '/api/documents/no-such-document'), 404, 'not_found');
      expectError(await call(base, '/api/documents/Jiaxing_2024'), 400, 'invalid_id');
    });

    it('never serves a file for ../ in a document id, encoded or not', async () => {
      const encoded = await call(base, '/api/documents/..%2F..%2Fpackage.json');
      expectError(encoded, 400, 'invalid_id');
      for (const path of [
        '/api/documents/../../package.json',
        '/api/documents/%2e%2e',
        '/..%2Fpackage.json',
        '/%2e%2e/package.json',
        '/../server/http/app.ts',
      ]) {
        const reply = await rawGet(base, path);
        expect([400, 404]).toContain(reply.status);
        expect(reply.text).not.toContain('devDependencies');
        expect(reply.text).not.toContain('createApp');
        expect(JSON.parse(reply.text).error.code).toMatch(/^(invalid_id|not_found)$/);
      }
    });
  });

  describe('targets and claims', () => {
    it('gives the same targets as JSON and as a CSV download with a BOM and a header row', async () => {
      const json = (await call(base, '/api/targets')).json();
      expect(Array.isArray(json.targets)).toBe(true);
      const response = await fetch(`${base}/api/targets?format=csv`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="zhengce-targets.csv"');
      const text = new TextDecoder().decode(bytes.slice(3));
      const lines = text.trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^region,year,metric,/);
      // A quoted cell may span lines, so there are at least as many lines as targets.
      expect(lines.length - 1).toBeGreaterThanOrEqual(json.targets.length);
      for (const target of json.targets.slice(0, 5)) expect(text).toContain(target.valueText);
    });

    it('filters targets by region and year, and refuses a bad year or format', async () => {
      const { targets } = (
        await call(base, `/api/targets?region=${encodeURIComponent('嘉兴市')}&year=2027`)
      ).json();
      for (const target of targets) {
        expect(target.region).toBe('嘉兴市');
        expect(target.year).toBe(2027);
      }
      expectError(await call(base, '/api/targets?year=twenty'), 400, 'invalid_parameter');
      expectError(await call(base, '/api/targets?format=xml'), 400, 'invalid_parameter');
    });

    it('checks a claim and refuses an empty one', async () => {
      const reply = await postJson(base, '/api/check', { claim: '嘉兴2027年家庭医生签约覆盖率目标是50%' });
      expect(reply.status).toBe(200);
      const check = reply.json();
      expect(['supported', 'contradicted', 'not_found']).toContain(check.verdict);
      expect(check.claim).toBe('嘉兴2027年家庭医生签约覆盖率目标是50%');
      expectError(await postJson(base, '/api/check', { claim: '' }), 400, 'claim_empty');
    });
  });

  describe('stored answers and conversations', () => {
    it('answers 404 for an unknown answer or conversation and 400 for a malformed id', async () => {
      expectError(await call(base, '/api/answers/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'not_found');
      expectError(await call(base, '/api/conversations/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'not_found');
      expectError(await call(base, '/api/answers/..%2F..'), 400, 'invalid_id');
    });
  });

  describe('health, admin and headers', () => {
    it('reports health with the index manifest', async () => {
      const health = (await call(base, '/healthz')).json();
      expect(health.ok).toBe(true);
      expect(health.manifest.counts.documents).toBe(5);
      expect(health.answerer).toBe('extractive');
    });

    it('refuses re-ingest without a token (401) and with a wrong one (403)', async () => {
      const none = await call(base, '/api/admin/reingest', { method: 'POST' });
      expectError(none, 401, 'unauthorized');
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const wrong = await call(base, '/api/admin/reingest', {
        method: 'POST',
        headers: { Authorization: 'Bearer nope' },
      });
      expectError(wrong, 403, 'forbidden');
      const noReingest = await call(base, '/api/admin/reingest', {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expectError(noReingest, 501, 'reingest_unavailable');
    });

    it('sends a strict CSP and the usual security headers, on the page and on the API', async () => {
      for (const path of ['/', '/api/documents']) {
        const { headers } = await call(base, path);
        const csp = headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("connect-src 'self';");
        expect(csp).not.toContain('unsafe-inline');
        expect(csp).not.toContain('unsafe-eval');
        expect(headers.get('x-content-type-options')).toBe('nosniff');
        expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(headers.get('x-powered-by')).toBeNull();
      }
    });

    it('serves the page with external scripts and styles only', async () => {
      const page = await call(base, '/');
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(page.text).not.toMatch(/<style/i);
      expect(page.text).not.toMatch(/\son[a-z]+=/i);
      expect(page.text).not.toMatch(/\sstyle=/i);
      const script = await call(base, '/app.js');
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      expect((await call(base, '/style.css')).status).toBe(200);
    });

    it('answers unknown routes with JSON 404', async () => {
      expectError(await call(base, '/api/nothing-here'), 404, 'not_found');
      expectError(await call(base, '/nothing-here.html'), 404, 'not_found');
    });
  });

  describe('after a restart on the same history file', () => {
    it('still serves the permalink and the conversation', async () => {
      const before = await startTestServer({ service: server.service });
      const asked: Recorded = (
        await postJson(before.url, '/api/ask', { question: '嘉兴2027年家庭医生签约覆盖率目标是多少?' })
      ).json();
      await before.close({ keepData: true });
      const after = await startTestServer({ service: server.service, historyPath: before.historyPath });
      try {
        const stored = (await call(after.url, `/api/answers/${asked.answerId}`)).json();
        expect(stored.result.answer).toBe(asked.answer);
        const conversation = (
          await call(after.url, `/api/conversations/${asked.conversationId}`, {
            headers: { 'X-Conversation-Token': asked.conversationToken },
          })
        ).json();
        expect(conversation.turns).toHaveLength(1);
      } finally {
        await after.close();
        const { rm } = await import('node:fs/promises');
        await rm(before.dataDir, { recursive: true, force: true });
      }
    });
  });

  it('never sends a secret from the environment in any response', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) {
      expect(text).not.toContain(SECRET_API_KEY);
      expect(text).not.toContain(ADMIN_TOKEN);
    }
  });
});

describe('rate limit and admin configuration', () => {
  it('answers 429 rate_limited with Retry-After once an IP exceeds the limit; /healthz is not limited', async () => {
    const server = await startTestServer({ rateLimit: { windowMs: 60_000, limit: 3 } });
    try {
      for (let i = 0; i < 3; i += 1) expect((await call(server.url, '/api/documents')).status).toBe(200);
      const limited = await call(server.url, '/api/documents');
      expectError(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call(server.url, '/healthz')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('has no admin route when no token is configured (404)', async () => {
    const open = await startTestServer();
    try {
      const missing = await call(open.url, '/api/admin/reingest', {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expectError(missing, 404, 'not_found');
    } finally {
      await open.close();
    }
  });
});
