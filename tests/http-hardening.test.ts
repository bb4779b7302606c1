import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetRecord } from '../ingest/model.ts';
import { loadServerConfig } from '../server/config.ts';
import { targetsToCsv } from '../server/http/targets-csv.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';
import { openTestSocket, type TestSocket } from './support/http-ws-client.ts';
import { parseCsv } from './support/parse-csv.ts';

/**
 * Issue 12, findings 3 and 8, against a real server on 127.0.0.1: astral-character questions, one
 * rate-limit budget for HTTP and WebSocket, TRUST_PROXY and ADMIN_TOKEN validation, Host checks against
 * DNS rebinding, connect-src 'self', 405 with Allow, ?q=a&q=b, and the CSV formula guard.
 */
const ADMIN_TOKEN = 'hardening-admin-token-0123456789';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request with headers fetch will not send (Host), exactly as written. */
function rawRequest(
  base: string,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<RawReply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A WebSocket upgrade with the given Host and Origin: the status the server answered (101 when accepted). */
function rawUpgrade(base: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: '/ws',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function askHttp(
  base: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function askWs(socket: TestSocket, id: string, question: string) {
  socket.sendJson({ type: 'ask', id, question });
  return (await socket.untilFinished(id)).at(-1);
}

const errorCode = (json: Record<string, unknown>) => (json.error as { code?: string } | undefined)?.code;

describe('hardened HTTP and WebSocket', () => {
  let server: TestServer;
  let base: string;
  let port: string;

  beforeAll(async () => {
    server = await startTestServer({ adminToken: ADMIN_TOKEN });
    base = server.url;
    port = new URL(base).port;
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('questions of astral characters (emoji, CJK Extension B) count in code points everywhere', () => {
    // 300 characters, 600 UTF-16 units: within the 500-character limit that the API counts in code points.
    const emoji = '😷'.repeat(300);
    const extB = `𠀀𠀁𠀂${'𪚥'.repeat(297)}`;

    it('answers 300 of them over HTTP (was 500 internal_error) and refuses 501 with question_too_long', async () => {
      for (const question of [emoji, extB]) {
        const reply = await askHttp(base, { question });
        expect(reply.status).toBe(200);
        expect(typeof reply.json.answer).toBe('string');
      }
      const tooLong = await askHttp(base, { question: '😷'.repeat(501) });
      expect(tooLong.status).toBe(400);
      expect(errorCode(tooLong.json)).toBe('question_too_long');
      const exactly = await askHttp(base, { question: '𪚥'.repeat(500) });
      expect(exactly.status).toBe(200);
    });

    it('answers them over the WebSocket (was an internal_error message)', async () => {
      const socket = await openTestSocket(server.wsUrl);
      const done = await askWs(socket, 'emoji', emoji);
      expect(done?.type).toBe('done');
      const tooLong = await askWs(socket, 'long', '😷'.repeat(501));
      expect(tooLong).toMatchObject({ type: 'error', code: 'question_too_long' });
      socket.ws.close();
    });

    it('counts a WebSocket ask id in code points: 128 emoji are a valid id', async () => {
      const socket = await openTestSocket(server.wsUrl);
      const id = '😷'.repeat(128);
      expect((await askWs(socket, id, '托育'))?.type).toBe('done');
      socket.sendJson({ type: 'ask', id: '😷'.repeat(129), question: '托育' });
      expect(await socket.next()).toMatchObject({ type: 'error', id: null, code: 'invalid_message' });
      socket.ws.close();
    });

    it('counts history turns in code points too (12,000 emoji are 24,000 UTF-16 units, within 20,000 characters)', async () => {
      const socket = await openTestSocket(server.wsUrl);
      socket.sendJson({
        type: 'ask',
        id: 'h',
        question: '嘉兴呢?',
        history: [{ role: 'assistant', content: '😷'.repeat(12_000) }],
      });
      expect((await socket.untilFinished('h')).at(-1)?.type).toBe('done');
      socket.ws.close();
    });
  });

  describe('one rate-limit budget per client for HTTP and WebSocket', () => {
    const LIMIT = 3;

    it('a client that used its budget over HTTP gets rate_limited on a WebSocket ask', async () => {
      const limited = await startTestServer({ rateLimit: { windowMs: 60_000, limit: LIMIT } });
      try {
        for (let i = 0; i < LIMIT; i++)
          expect((await fetch(`${limited.url}/api/documents`)).status).toBe(200);
        expect((await fetch(`${limited.url}/api/documents`)).status).toBe(429);
        const socket = await openTestSocket(limited.wsUrl);
        expect(await askWs(socket, 'q', '嘉兴2027年家庭医生签约服务覆盖率目标是多少?')).toMatchObject({
          type: 'error',
          code: 'rate_limited',
        });
        socket.ws.close();
      } finally {
        await limited.close();
      }
    });

    it('behind a trusted proxy, both transports charge the forwarded client address', async () => {
      // One proxy hop: the peer (127.0.0.1) is the proxy, X-Forwarded-For names the client.
      const proxied = await startTestServer({ rateLimit: { windowMs: 60_000, limit: LIMIT }, trustProxy: 1 });
      try {
        const client = { 'X-Forwarded-For': '203.0.113.7' };
        for (let i = 0; i < LIMIT; i++) {
          expect((await fetch(`${proxied.url}/api/documents`, { headers: client })).status).toBe(200);
        }
        const same = await openTestSocket(proxied.wsUrl, client);
        expect(await askWs(same, 'q', '托育')).toMatchObject({ type: 'error', code: 'rate_limited' });
        same.ws.close();
        const other = await openTestSocket(proxied.wsUrl, { 'X-Forwarded-For': '198.51.100.2' });
        expect((await askWs(other, 'q', '托育'))?.type).toBe('done');
        other.ws.close();
      } finally {
        await proxied.close();
      }
    });

    it('a client that used its budget on WebSocket asks gets 429 over HTTP', async () => {
      const limited = await startTestServer({ rateLimit: { windowMs: 60_000, limit: LIMIT } });
      try {
        const socket = await openTestSocket(limited.wsUrl);
        for (let i = 0; i < LIMIT; i++) {
          expect((await askWs(socket, `q${i}`, '嘉兴2027年家庭医生签约服务覆盖率目标是多少?'))?.type).toBe(
            'done',
          );
        }
        expect(await askWs(socket, 'over', '托育')).toMatchObject({ type: 'error', code: 'rate_limited' });
        socket.ws.close();
        const reply = await fetch(`${limited.url}/api/documents`);
        expect(reply.status).toBe(429);
        expect(errorCode((await reply.json()) as Record<string, unknown>)).toBe('rate_limited');
      } finally {
        await limited.close();
      }
    });
  });

  describe('Host and Origin checks (DNS rebinding)', () => {
    it('refuses an upgrade whose Host is not a loopback name, even when Origin matches it', async () => {
      // The rebinding case: the page's own origin and Host both name the attacker's domain.
      expect(
        await rawUpgrade(base, { Host: 'rebind.attacker.example', Origin: 'http://rebind.attacker.example' }),
      ).toBe(403);
      expect(await rawUpgrade(base, { Host: `rebind.attacker.example:${port}` })).toBe(403);
      expect(await rawUpgrade(base, { Host: `localhost:${port}`, Origin: 'http://attacker.example' })).toBe(
        403,
      );
    });

    it('accepts upgrades for localhost, 127.0.0.1 and [::1] on any port, with a matching Origin', async () => {
      for (const host of [
        `localhost:${port}`,
        `127.0.0.1:${port}`,
        `[::1]:${port}`,
        'localhost',
        'LOCALHOST:1',
      ]) {
        expect(await rawUpgrade(base, { Host: host, Origin: `http://${host}` }), host).toBe(101);
      }
      expect(await rawUpgrade(base, { Host: `127.0.0.1:${port}` })).toBe(101);
    });

    it('refuses API and page requests for another Host with 403 host_not_allowed; /healthz stays open', async () => {
      for (const path of ['/api/documents', '/api/targets', '/', '/api/answers/x']) {
        const reply = await rawRequest(base, { path, headers: { Host: `attacker.example:${port}` } });
        expect(reply.status, path).toBe(403);
        expect(JSON.parse(reply.text).error.code).toBe('host_not_allowed');
      }
      expect(
        (await rawRequest(base, { path: '/api/documents', headers: { Host: 'localhost:9' } })).status,
      ).toBe(200);
      expect(
        (await rawRequest(base, { path: '/healthz', headers: { Host: 'attacker.example' } })).status,
      ).toBe(200);
    });

    it('takes ALLOWED_HOSTS names in addition to the loopback ones', async () => {
      const named = await startTestServer({ allowedHosts: ['zhengce.example.org'] });
      try {
        const ok = await rawRequest(named.url, {
          path: '/api/documents',
          headers: { Host: 'zhengce.example.org' },
        });
        expect(ok.status).toBe(200);
        expect(await rawUpgrade(named.url, { Host: 'zhengce.example.org:443' })).toBe(101);
        const other = await rawRequest(named.url, {
          path: '/api/documents',
          headers: { Host: 'evil.example.org' },
        });
        expect(other.status).toBe(403);
        expect(await rawUpgrade(named.url, { Host: 'evil.example.org' })).toBe(403);
        expect(await rawUpgrade(named.url, { Host: `localhost:${new URL(named.url).port}` })).toBe(101);
      } finally {
        await named.close();
      }
    });
  });

  it("sends connect-src 'self' and no ws:/wss: wildcard", async () => {
    const csp = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
    const connect = csp.split(';').find((d) => d.trim().startsWith('connect-src'));
    expect(connect?.trim()).toBe("connect-src 'self'");
  });

  describe('405 with Allow for a known path under another method', () => {
    it.each([
      ['GET', '/api/ask', 'POST'],
      ['DELETE', '/api/targets', 'GET, HEAD'],
      ['PUT', '/api/documents/some-doc', 'GET, HEAD'],
      ['POST', '/api/documents', 'GET, HEAD'],
      ['GET', '/api/check', 'POST'],
      ['GET', '/api/admin/reingest', 'POST'],
      ['PUT', '/api/admin/documents', 'POST'],
    ])('%s %s → 405, Allow: %s', async (method, path, allow) => {
      const reply = await rawRequest(base, { method, path, headers: { 'content-type': 'application/json' } });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe(`${allow}, OPTIONS`);
      expect(JSON.parse(reply.text).error.code).toBe('method_not_allowed');
    });

    it('covers every route, including ones added later (conversations: Allow lists GET and whatever else)', async () => {
      const reply = await rawRequest(base, { method: 'PATCH', path: '/api/conversations/abc' });
      expect(reply.status).toBe(405);
      expect(String(reply.headers.allow)).toContain('GET');
    });

    it('applies outside /api too (/healthz), and keeps 404 for the page and unknown paths there', async () => {
      const health = await rawRequest(base, { method: 'POST', path: '/healthz' });
      expect(health.status).toBe(405);
      expect(health.headers.allow).toBe('GET, HEAD, OPTIONS');
      for (const [method, path] of [
        ['DELETE', '/'],
        ['POST', '/app.js'],
        ['GET', '/no-such-page'],
      ] as const) {
        expect((await rawRequest(base, { method, path })).status, `${method} ${path}`).toBe(404);
      }
    });

    it('keeps 404 for unknown paths and answers OPTIONS with Allow', async () => {
      for (const [method, path] of [
        ['GET', '/api/nothing-here'],
        ['DELETE', '/api/nothing/here'],
        ['POST', '/api/answers'],
      ] as const) {
        const reply = await rawRequest(base, { method, path });
        expect(reply.status, `${method} ${path}`).toBe(404);
        expect(JSON.parse(reply.text).error.code).toBe('not_found');
      }
      const options = await rawRequest(base, { method: 'OPTIONS', path: '/api/ask' });
      expect(options.status).toBeLessThan(300);
      expect(String(options.headers.allow)).toContain('POST');
    });
  });

  it('?q=a&q=b is invalid_parameter ("give q once"), a missing q stays query_empty', async () => {
    const repeated = await fetch(`${base}/api/search?q=a&q=b`);
    expect(repeated.status).toBe(400);
    const body = (await repeated.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toContain('once');
    const missing = (await (await fetch(`${base}/api/search`)).json()) as { error: { code: string } };
    expect(missing.error.code).toBe('query_empty');
  });

  it('exports comparators as words in the CSV download, never as a formula', async () => {
    const response = await fetch(`${base}/api/targets?format=csv`);
    const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ''));
    const column = rows[0]?.indexOf('comparator') ?? -1;
    expect(column).toBeGreaterThan(-1);
    const values = new Set(rows.slice(1).map((row) => row[column]));
    expect(values.size).toBeGreaterThan(0);
    for (const value of values) expect(['at least', 'at most', 'about', 'equal', 'range']).toContain(value);
  });
});

describe('CSV formula guard', () => {
  const target = (quote: string, comparator: TargetRecord['comparator']): TargetRecord => ({
    id: 't',
    region: quote,
    docId: 'd',
    chunkId: 'c',
    headingPath: [quote],
    metric: quote,
    metricGroup: 'g',
    qualifier: quote,
    value: -5,
    valueMax: null,
    valueText: quote,
    unit: '%',
    comparator,
    year: 2027,
    yearSource: 'sentence',
    quote,
    start: 0,
    end: 1,
  });

  it.each([
    ['=1+1'],
    [' =HYPERLINK("http://x")'],
    ['\u3000=cmd|"/c calc"!A1'],
    ['\u0000=1+1'],
    ['\u00a0+1'],
    ['\u200b@SUM(A1)'],
    ['\uFEFF-1+1'],
    ['\t=1'],
    ['\r\n=1'],
    ['＝1+1'],
    ['\tplain'],
  ])('makes %j inert in every text column, and reads back as written after the apostrophe', (text) => {
    const rows = parseCsv(targetsToCsv([target(text, '=')], []).replace(/^\uFEFF/, ''));
    const header = rows[0] ?? [];
    const row = rows[1] ?? [];
    for (const name of ['region', 'metric', 'qualifier', 'value_text', 'heading_path', 'quote']) {
      expect(row[header.indexOf(name)], name).toBe(`'${text}`);
    }
    // Numbers stay numbers; the comparator is a word.
    expect(row[header.indexOf('value')]).toBe('-5');
    expect(row[header.indexOf('comparator')]).toBe('equal');
  });

  it('leaves ordinary text alone and writes every comparator as a word', () => {
    const words = (['≥', '≤', '≈', '=', 'range'] as const).map((comparator) => {
      const rows = parseCsv(
        targetsToCsv([target('覆盖率达到45%以上, a=b', comparator)], []).replace(/^\uFEFF/, ''),
      );
      const header = rows[0] ?? [];
      expect(rows[1]?.[header.indexOf('quote')]).toBe('覆盖率达到45%以上, a=b');
      return rows[1]?.[header.indexOf('comparator')];
    });
    expect(words).toEqual(['at least', 'at most', 'about', 'equal', 'range']);
  });
});

describe('configuration refuses unsafe settings', () => {
  it('refuses TRUST_PROXY=true, asking for a hop count or the proxies', () => {
    expect(() => loadServerConfig({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY=true[\s\S]*number of proxies/,
    );
    expect(() => loadServerConfig({ TRUST_PROXY: 'TRUE' })).toThrow(/TRUST_PROXY/);
    expect(loadServerConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadServerConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(loadServerConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('refuses a blank, space-padded or mostly-space ADMIN_TOKEN', () => {
    for (const token of [
      ' '.repeat(32),
      '\t'.repeat(20),
      ` ${'a'.repeat(20)}`,
      `${'a'.repeat(20)} `,
      'a b c d e f g h i j k l m n o',
    ]) {
      expect(() => loadServerConfig({ ADMIN_TOKEN: token }), JSON.stringify(token)).toThrow(/ADMIN_TOKEN/);
    }
    expect(loadServerConfig({ ADMIN_TOKEN: 'k'.repeat(16) }).adminToken).toBe('k'.repeat(16));
  });

  it('reads ALLOWED_HOSTS as host names without port, or * for any', () => {
    expect(
      loadServerConfig({ ALLOWED_HOSTS: 'Zhengce.Example.org, 10.0.0.5,[fd00::1]' }).allowedHosts,
    ).toEqual(['zhengce.example.org', '10.0.0.5', 'fd00::1']);
    expect(loadServerConfig({ ALLOWED_HOSTS: '*' }).allowedHosts).toBe('any');
    expect(loadServerConfig({}).allowedHosts).toBeUndefined();
    for (const bad of ['zhengce.example.org:3000', 'http://x.org', 'a b', 'x,,y']) {
      expect(() => loadServerConfig({ ALLOWED_HOSTS: bad }), bad).toThrow(/ALLOWED_HOSTS/);
    }
  });
});
