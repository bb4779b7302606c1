/**
 * Bounded responses (issue 12): `/api/targets` in pages with an opaque cursor and a streamed CSV of the same
 * set, `/api/documents/:id` as a window of the text with its table of sections. Against a real server on
 * 127.0.0.1 over the index built from seeds/, plus one synthetic document of several megabytes (the seeds'
 * longest text repeated) to show that a response stays small whatever the document's size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetRecord } from '../ingest/model.ts';
import { MAX_SECTIONS, MAX_WINDOW_LENGTH } from '../server/http/document-window.ts';
import type { DocumentDetail, TargetFilter, ZhengceService } from '../server/service-types.ts';
import { realServiceFromSeeds, startTestServer, type TestServer } from './support/http-test-server.ts';
import { parseCsv } from './support/parse-csv.ts';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  bytes: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly and assert on each one.
  json: () => any;
}

async function call(base: string, path: string): Promise<Reply> {
  const response = await fetch(`${base}${path}`);
  const buffer = Buffer.from(await response.arrayBuffer());
  const text = buffer.toString('utf8');
  return {
    status: response.status,
    headers: response.headers,
    text,
    bytes: buffer.byteLength,
    json: () => JSON.parse(text),
  };
}

function expectError(reply: Reply, status: number, code: string) {
  expect({ status: reply.status, code: reply.json().error?.code }).toEqual({ status, code });
}

function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
}

/** Every page of a filter, following nextCursor; fails if a page is over the limit or the walk runs away. */
async function allPages(base: string, filter: Record<string, string | number>, limit: number) {
  const pages: { targets: TargetRecord[]; total: number; nextCursor: string | null }[] = [];
  let cursor: string | undefined;
  do {
    const reply = await call(base, `/api/targets?${query({ ...filter, limit, cursor })}`);
    expect(reply.status).toBe(200);
    const page = reply.json();
    expect(page.targets.length).toBeLessThanOrEqual(limit);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    expect(pages.length).toBeLessThan(1000);
  } while (cursor);
  return pages;
}

const HUGE_ID = 'huge-synthetic-document';
/** Copies of the longest seed text in the synthetic document: ~4.6 million code units, ~13 MB of UTF-8. */
const HUGE_COPIES = 300;
/** Where a surrogate pair (an emoji) sits in the synthetic text: across the first full window's end. */
const PAIR_AT = MAX_WINDOW_LENGTH - 1;
/** What any window response may weigh: 20,000 code units of text, 500 sections and the metadata. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/** The real service plus one very long document made of a seed document repeated, with an emoji in it. */
function withHugeDocument(service: ZhengceService, base: DocumentDetail): ZhengceService {
  const length = base.text.length;
  const shift = (offset: number) => (offset > PAIR_AT ? offset + 2 : offset);
  const repeated = base.text.repeat(HUGE_COPIES);
  const text = `${repeated.slice(0, PAIR_AT)}😀${repeated.slice(PAIR_AT)}`;
  const copies = Array.from({ length: HUGE_COPIES }, (_, k) => k * length);
  const detail: DocumentDetail = {
    meta: { ...base.meta, docId: HUGE_ID },
    text,
    outline: copies.flatMap((at, k) =>
      base.outline.map((s) => ({
        ...s,
        chunkId: `${s.chunkId}-copy${k}`,
        start: shift(s.start + at),
        end: shift(s.end + at),
      })),
    ),
    tables: copies.flatMap((at, k) =>
      base.tables.map((r) => ({
        ...r,
        chunkId: `${r.chunkId}-copy${k}`,
        start: shift(r.start + at),
        end: shift(r.end + at),
      })),
    ),
  };
  return {
    ...service,
    listDocuments: () => [...service.listDocuments(), detail.meta],
    getDocument: (docId) => (docId === HUGE_ID ? detail : service.getDocument(docId)),
  };
}

let server: TestServer;
let service: ZhengceService;
let base: string;
let huge: DocumentDetail;

beforeAll(async () => {
  const real = (await realServiceFromSeeds()).service;
  const longest = real
    .listDocuments()
    .map((d) => real.getDocument(d.docId) as DocumentDetail)
    .sort((a, b) => b.text.length - a.text.length)[0] as DocumentDetail;
  service = withHugeDocument(real, longest);
  huge = service.getDocument(HUGE_ID) as DocumentDetail;
  server = await startTestServer({ service });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
});

describe('GET /api/targets in pages', () => {
  const filters: Record<string, string | number>[] = [
    {},
    { region: '西宁市' },
    { q: '覆盖率' },
    { year: 2025 },
  ];

  it('covers the whole filtered set exactly once and in order, for several filters and page sizes', async () => {
    for (const filter of filters) {
      const expected = service.targets(filter as TargetFilter).map((t) => t.id);
      expect(expected.length).toBeGreaterThan(0);
      for (const limit of [1, 7, 100, 1000]) {
        const pages = await allPages(base, filter, limit);
        const ids = pages.flatMap((p) => p.targets.map((t) => t.id));
        expect({ filter, limit, ids }).toEqual({ filter, limit, ids: expected });
        for (const page of pages) expect(page.total).toBe(expected.length);
        expect(pages.at(-1)?.nextCursor).toBeNull();
        // Every page but the last is full.
        for (const page of pages.slice(0, -1)) expect(page.targets).toHaveLength(limit);
      }
    }
  });

  it('sends 100 targets by default with total and nextCursor, never the whole corpus', async () => {
    const all = service.targets({});
    expect(all.length).toBeGreaterThan(100);
    const page = (await call(base, '/api/targets')).json();
    expect(page.targets).toHaveLength(100);
    expect(page.total).toBe(all.length);
    expect(page.limit).toBe(100);
    expect(typeof page.nextCursor).toBe('string');
    expect(page.targets.map((t: TargetRecord) => t.id)).toEqual(all.slice(0, 100).map((t) => t.id));
  });

  it('refuses a limit outside 1–1000 or not a whole number with 400 invalid_parameter', async () => {
    for (const limit of ['0', '1001', '-1', '1.5', 'abc', '99999999999']) {
      expectError(await call(base, `/api/targets?limit=${limit}`), 400, 'invalid_parameter');
    }
    expectError(await call(base, '/api/targets?limit=5&limit=6'), 400, 'invalid_parameter');
    const thousand = (await call(base, '/api/targets?limit=1000')).json();
    expect(thousand.targets).toHaveLength(service.targets({}).length);
    expect(thousand.nextCursor).toBeNull();
  });

  it('gives the same next page for the same cursor, and refuses bad cursors with 400 invalid_parameter', async () => {
    const first = (await call(base, `/api/targets?${query({ region: '西宁市', limit: 10 })}`)).json();
    const cursor: string = first.nextCursor;
    const again = (await call(base, `/api/targets?${query({ region: '西宁市', limit: 10, cursor })}`)).json();
    const twice = (await call(base, `/api/targets?${query({ region: '西宁市', limit: 10, cursor })}`)).json();
    expect(twice).toEqual(again);
    expect(again.targets[0].id).not.toBe(first.targets[0].id);

    const forged = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    for (const bad of [
      'not a cursor!',
      'AAAA',
      'x'.repeat(600),
      forged({ hello: 'world' }),
      forged({ ...decoded, p: 0 }),
      forged({ ...decoded, p: 1.5 }),
      forged({ ...decoded, id: 'no-such-target' }),
    ]) {
      const reply = await call(base, `/api/targets?${query({ region: '西宁市', limit: 10, cursor: bad })}`);
      expectError(reply, 400, 'invalid_parameter');
    }
    // A cursor belongs to its filter.
    expectError(
      await call(base, `/api/targets?${query({ region: '嘉兴市', cursor })}`),
      400,
      'invalid_parameter',
    );
    expectError(await call(base, `/api/targets?${query({ cursor })}&cursor=x`), 400, 'invalid_parameter');
  });

  it('streams the CSV of a filter (chunked, no Content-Length) with exactly the rows of its JSON pages', async () => {
    for (const filter of filters) {
      const pages = await allPages(base, filter, 50);
      const targets = pages.flatMap((p) => p.targets);
      const response = await fetch(`${base}/api/targets?${query({ ...filter, format: 'csv' })}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBeNull();
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      const text = await response.text();
      const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
      const col = (name: string) => header?.indexOf(name) ?? -1;
      const key = (r: string[]) =>
        [r[col('doc_id')], r[col('chunk_id')], r[col('start')], r[col('end')]].join('|');
      expect(rows.map(key)).toEqual(targets.map((t) => [t.docId, t.chunkId, t.start, t.end].join('|')));
      expect(rows.map((r) => r[col('value_text')])).toEqual(targets.map((t) => t.valueText));
    }
  });

  it('refuses limit or cursor on the CSV, which is always the whole filtered set', async () => {
    expectError(await call(base, '/api/targets?format=csv&limit=10'), 400, 'invalid_parameter');
    const { nextCursor } = (await call(base, '/api/targets?limit=10')).json();
    expectError(
      await call(base, `/api/targets?${query({ format: 'csv', cursor: nextCursor })}`),
      400,
      'invalid_parameter',
    );
  });

  it('lists the values to filter by with their counts (GET /api/targets/facets)', async () => {
    const all = service.targets({});
    const facets = (await call(base, '/api/targets/facets')).json();
    const sum = (list: { count: number }[]) => list.reduce((n, x) => n + x.count, 0);
    expect(facets.total).toBe(all.length);
    expect(sum(facets.regions)).toBe(all.length);
    expect(sum(facets.metricGroups)).toBe(all.length);
    expect(sum(facets.years)).toBe(all.filter((t) => t.year !== null).length);
    expect(facets.regions.map((r: { value: string }) => r.value).sort()).toEqual(
      [...new Set(all.map((t) => t.region))].sort(),
    );
    expect(facets.truncated).toBe(false);
    // English names from the glossary, for the page's metric picker ("family doctor" finds 家庭医生…).
    const group = facets.metricGroups.find((g: { key: string }) => g.key === '家庭医生签约服务覆盖率');
    expect(group?.english).toBe('family doctor contract service coverage');
    expect(
      facets.metrics.every((m: { english: unknown }) => m.english === null || typeof m.english === 'string'),
    ).toBe(true);
  });

  it('serves the chart library from node_modules under /vendor, and nothing else of node_modules', async () => {
    const chart = await call(base, '/vendor/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toMatch(/javascript/);
    expect(chart.text).toContain('window.Chart=');
    expect((await call(base, '/vendor/chart.js')).status).toBe(404);
    expect((await call(base, '/vendor/%2e%2e/package.json')).status).toBe(404);
    expect((await call(base, '/node_modules/chart.js/dist/chart.umd.min.js')).status).toBe(404);
  });
});

describe('GET /api/documents/:id as a window', () => {
  /** Every window of `length` from the start, following on where the last one ended. */
  async function walk(docId: string, length: number): Promise<{ text: string; replies: Reply[] }> {
    const replies: Reply[] = [];
    let text = '';
    let start = 0;
    for (;;) {
      const reply = await call(base, `/api/documents/${docId}?start=${start}&length=${length}`);
      expect(reply.status).toBe(200);
      const body = reply.json();
      expect(body.window.start).toBe(start);
      expect(body.text.length).toBe(body.window.end - body.window.start);
      replies.push(reply);
      text += body.text;
      if (body.window.end >= body.textLength) return { text, replies };
      expect(body.window.end).toBeGreaterThan(start);
      start = body.window.end;
    }
  }

  it('serves metadata, the table of sections and a window of the text, not the whole text', async () => {
    const id = service.listDocuments().find((d) => d.docNumber === '嘉政办发〔2024〕5号')?.docId ?? '';
    const full = service.getDocument(id) as DocumentDetail;
    const reply = await call(base, `/api/documents/${id}?start=0&length=1000`);
    const body = reply.json();
    expect(body.meta.docId).toBe(id);
    expect(body.textLength).toBe(full.text.length);
    expect(body.window).toEqual({ start: 0, end: 1000 });
    expect(body.text).toBe(full.text.slice(0, 1000));
    expect(body.sectionCount).toBe(full.outline.length);
    expect(body.sections.map((s: { index: number }) => s.index)).toEqual(full.outline.map((_, i) => i));
    for (const s of body.sections) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(full.text.length);
      expect(Array.isArray(s.headingPath)).toBe(true);
    }
    expect(reply.bytes).toBeLessThan(Buffer.byteLength(JSON.stringify(full)));
    expect(body).not.toHaveProperty('outline');
  });

  it('has windows that join up to the full text, for every seed document', async () => {
    for (const doc of service.listDocuments().filter((d) => d.docId !== HUGE_ID)) {
      const full = (service.getDocument(doc.docId) as DocumentDetail).text;
      expect((await walk(doc.docId, 997)).text).toBe(full);
    }
  });

  it('keeps every response under 256 KB for a 13 MB document, whose windows still join up exactly', async () => {
    expect(Buffer.byteLength(huge.text)).toBeGreaterThan(10_000_000);
    const first = await call(base, `/api/documents/${HUGE_ID}`);
    expect(first.bytes).toBeLessThan(MAX_RESPONSE_BYTES);
    const body = first.json();
    expect(body.window).toEqual({ start: 0, end: 10_000 });
    expect(body.textLength).toBe(huge.text.length);
    expect(body.sectionCount).toBe(huge.outline.length);
    expect(body.sections.length).toBe(MAX_SECTIONS);

    const { text, replies } = await walk(HUGE_ID, MAX_WINDOW_LENGTH);
    expect(text === huge.text).toBe(true);
    expect(Math.max(...replies.map((r) => r.bytes))).toBeLessThan(MAX_RESPONSE_BYTES);
    // The first full window ends before the emoji, not between its halves.
    expect(replies[0]?.json().window).toEqual({ start: 0, end: PAIR_AT });
  });

  it('never splits a surrogate pair, and says which window it served', async () => {
    const inside = (await call(base, `/api/documents/${HUGE_ID}?start=${PAIR_AT + 1}&length=10`)).json();
    // The start moves back to the pair's first half; the end stays where start + length put it.
    expect(inside.window).toEqual({ start: PAIR_AT, end: PAIR_AT + 11 });
    expect(inside.text.startsWith('😀')).toBe(true);
    const around = (await call(base, `/api/documents/${HUGE_ID}?start=${PAIR_AT - 3}&length=4`)).json();
    expect(around.window).toEqual({ start: PAIR_AT - 3, end: PAIR_AT });
  });

  it('lists the sections around the window of a document with more than 500', async () => {
    const index = huge.outline.length - 10;
    const reply = await call(base, `/api/documents/${HUGE_ID}?section=${index}`);
    expect(reply.bytes).toBeLessThan(MAX_RESPONSE_BYTES);
    const body = reply.json();
    const section = huge.outline[index];
    expect(body.window).toEqual({ start: section?.start, end: section?.end });
    expect(body.text).toBe(huge.text.slice(section?.start, section?.end));
    const indexes = body.sections.map((s: { index: number }) => s.index);
    expect(indexes).toContain(index);
    expect(indexes).toHaveLength(MAX_SECTIONS);
    expect(indexes.at(-1)).toBe(huge.outline.length - 1);
  });

  it('serves a section by index, clause path or chunk id, table rows with their cells', async () => {
    const id = service.listDocuments().find((d) => d.docNumber === '嘉政办发〔2024〕5号')?.docId ?? '';
    const full = service.getDocument(id) as DocumentDetail;
    const byClause = (
      await call(base, `/api/documents/${id}?clause=${encodeURIComponent('二(三)14')}`)
    ).json();
    expect(byClause.text).toContain('家庭医生签约服务覆盖率达到45%以上');
    expect(byClause.text).toBe(full.text.slice(byClause.window.start, byClause.window.end));

    const withTables = service
      .listDocuments()
      .map((d) => service.getDocument(d.docId) as DocumentDetail)
      .find((d) => d.tables.length > 0 && d.meta.docId !== HUGE_ID) as DocumentDetail;
    const row = withTables.tables[0];
    const index = withTables.outline.findIndex((s) => s.chunkId === row?.chunkId);
    const bySection = (await call(base, `/api/documents/${withTables.meta.docId}?section=${index}`)).json();
    expect(bySection.window).toEqual({ start: row?.start, end: row?.end });
    expect(bySection.text).toBe(withTables.text.slice(row?.start, row?.end));
    expect(bySection.tables.map((r: { chunkId: string }) => r.chunkId)).toContain(row?.chunkId);
    expect(bySection.tables.find((r: { chunkId: string }) => r.chunkId === row?.chunkId).cells).toEqual(
      row?.cells,
    );
    const byChunk = (
      await call(
        base,
        `/api/documents/${withTables.meta.docId}?chunk=${encodeURIComponent(row?.chunkId ?? '')}`,
      )
    ).json();
    expect(byChunk.window).toEqual(bySection.window);
  });

  it('refuses bad windows: length over 20,000, start past the end, a section with a range, unknown clauses', async () => {
    const id = service.listDocuments()[0]?.docId ?? '';
    const length = (service.getDocument(id) as DocumentDetail).text.length;
    for (const params of [
      `length=${MAX_WINDOW_LENGTH + 1}`,
      'length=-1',
      'start=abc',
      `start=${length + 1}`,
      'section=99999',
      'section=1&start=0',
      'section=1&clause=一',
      'start=1&start=2',
    ]) {
      expectError(await call(base, `/api/documents/${id}?${params}`), 400, 'invalid_parameter');
    }
    expectError(await call(base, `/api/documents/${id}?clause=no-such-clause`), 404, 'not_found');
    expectError(await call(base, `/api/documents/${id}?chunk=no-such-chunk`), 404, 'not_found');
    const end = (await call(base, `/api/documents/${id}?start=${length}`)).json();
    expect(end.window).toEqual({ start: length, end: length });
    expect(end.text).toBe('');
  });
});
