/**
 * The page with bounded responses (issue 12), in Chromium against the real server over seeds/: the source
 * panel fetches a window around a citation and loads earlier and later text with the highlight intact; the
 * Targets view shows a page of rows and "Load more" adds the next ones without duplicates, a new filter
 * starting again; the Documents view, the comparison and related clauses (known by chunk id only) still
 * open their clause highlighted (a table row inside the table it is drawn as).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail, ZhengceService } from '../server/service-types.ts';
import { launchTestBrowser, type TestBrowser } from './support/http-browser.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

const QUESTION = "What is Jiaxing's 2027 family-doctor target?";
const CLAUSE_14 = '家庭医生签约服务覆盖率达到45%以上';
/** The panel's context around a citation (CONTEXT_BEFORE and CONTEXT_AFTER in web/doc-panel.js). */
const CONTEXT_BEFORE = 2_000;
const CONTEXT_AFTER = 4_000;

let server: TestServer;
let service: ZhengceService;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  service = server.service;
  browser = await launchTestBrowser({ locale: 'en-US' });
  page = browser.page;
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function fullText(docId: string): string {
  return (service.getDocument(docId) as DocumentDetail).text;
}

/** What the panel shows: the loaded range (data-start/data-end), its text and the marked text. */
async function panelState() {
  const box = page.locator('#doc-panel-text');
  await box.locator('mark').waitFor();
  return {
    from: Number(await box.getAttribute('data-start')),
    to: Number(await box.getAttribute('data-end')),
    text: (await box.textContent()) ?? '',
    mark: (await box.locator('mark').textContent()) ?? '',
  };
}

async function markIsVisibleInPanel(): Promise<boolean> {
  return page.evaluate(() => {
    const mark = document.querySelector('#doc-panel-text mark');
    const panel = document.getElementById('doc-panel');
    if (!mark || !panel) return false;
    const m = mark.getBoundingClientRect();
    const p = panel.getBoundingClientRect();
    return m.top >= p.top && m.top < Math.min(p.bottom, window.innerHeight) && m.height > 0;
  });
}

/** Where the character at `offset` of the panel's text (counted from what is loaded) sits in the panel. */
async function textTopInPanel(offset: number): Promise<number> {
  return page.evaluate((at) => {
    const box = document.getElementById('doc-panel-text');
    const panel = document.getElementById('doc-panel');
    const node = box?.firstChild;
    if (!box || !panel || !node) return Number.NaN;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    return range.getBoundingClientRect().top - panel.getBoundingClientRect().top;
  }, offset);
}

async function targetRowIds(): Promise<string[]> {
  return page
    .locator('#targets-table tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-target-id') ?? ''));
}

async function waitForRows(count: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('#targets-table tbody tr').length === n, count);
}

describe('bounded documents and targets in the page', () => {
  it('opens a citation highlighted in a window around it, then loads earlier and later text', async () => {
    const expected = (await service.ask({ question: QUESTION })).citations.find((c) =>
      c.text.includes(CLAUSE_14),
    );
    if (!expected) throw new Error('the extractive answer no longer cites clause 14');
    const text = fullText(expected.docId);
    const from = Math.max(0, expected.start - CONTEXT_BEFORE);
    const to = Math.min(text.length, expected.end + CONTEXT_AFTER);
    // The clause sits far enough into the document that the first window is only part of it.
    expect(from).toBeGreaterThan(0);
    expect(to).toBeLessThan(text.length);

    await page.locator('#question').fill(QUESTION);
    await page.locator('#question').press('Enter');
    const answer = page.locator('.turn[data-answer-id] .answer').last();
    await answer.waitFor({ timeout: 60_000 });
    const item = page.locator('.turn').last().locator('li.citation', { hasText: CLAUSE_14 }).first();
    const n = await item.getAttribute('data-n');
    await answer.locator(`button.cite[data-n="${n}"]`).first().click();

    const first = await panelState();
    expect(first).toEqual({
      from,
      to,
      text: text.slice(from, to),
      mark: text.slice(expected.start, expected.end),
    });
    expect(first.mark).toContain(CLAUSE_14);
    expect(await markIsVisibleInPanel()).toBe(true);
    expect(await page.locator('#doc-panel-clause').textContent()).toContain('14');

    const before = page.locator('#doc-panel-before');
    await before.scrollIntoViewIfNeeded();
    const topBefore = await textTopInPanel(0);
    await before.click();
    await page.waitForFunction(() => document.getElementById('doc-panel-text')?.dataset.start === '0');
    const earlier = await panelState();
    expect(earlier).toEqual({ from: 0, to, text: text.slice(0, to), mark: first.mark });
    expect(await before.isHidden()).toBe(true);
    // The text the reader was looking at stays where it was; the earlier text is above it.
    expect(Math.abs((await textTopInPanel(from)) - topBefore)).toBeLessThan(3);

    await page.locator('#doc-panel-after').click();
    await page.waitForFunction(
      (end) => document.getElementById('doc-panel-text')?.dataset.end === String(end),
      text.length,
    );
    const later = await panelState();
    expect(later).toEqual({ from: 0, to: text.length, text, mark: first.mark });
    expect(await page.locator('#doc-panel-after').isHidden()).toBe(true);
    await browser.screenshot('bounded-01-citation-window');
    await page.locator('#doc-panel-close').click();
  });

  it('shows 100 targets, adds the next ones with Load more (never twice) and starts again on a new filter', async () => {
    const all = service.targets({}).map((t) => t.id);
    expect(all.length).toBeGreaterThan(100);
    await page.locator('a[data-view="targets"]').click();
    await waitForRows(100);
    expect(await targetRowIds()).toEqual(all.slice(0, 100));
    expect(await page.locator('#targets-status').textContent()).toBe(`100 of ${all.length} targets`);

    const more = page.locator('#targets-more');
    let shown = 100;
    while (shown < all.length) {
      await more.click();
      shown = Math.min(all.length, shown + 100);
      await waitForRows(shown);
    }
    const ids = await targetRowIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(all);
    expect(await more.isHidden()).toBe(true);
    expect(await page.locator('#targets-status').textContent()).toBe(`${all.length} targets`);
    await browser.screenshot('bounded-02-targets-all');

    // The region with the most targets: a filter with more than one page, if the seeds have one.
    const counts = new Map<string, number>();
    for (const t of service.targets({})) counts.set(t.region, (counts.get(t.region) ?? 0) + 1);
    const region = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const ofRegion = service.targets({ region }).map((t) => t.id);
    await page.locator('#filter-region').selectOption(region);
    await waitForRows(Math.min(100, ofRegion.length));
    expect(await targetRowIds()).toEqual(ofRegion.slice(0, 100));
    if (ofRegion.length > 100) {
      await more.click();
      await waitForRows(Math.min(200, ofRegion.length));
      expect(await targetRowIds()).toEqual(ofRegion.slice(0, 200));
    }
    await page.locator('#filter-region').selectOption('');
    await waitForRows(100);
    expect(await targetRowIds()).toEqual(all.slice(0, 100));
  });

  it('opens a target stated in a table row with exactly that row highlighted', async () => {
    const all = service.targets({});
    const found = service
      .listDocuments()
      .map((d) => service.getDocument(d.docId) as DocumentDetail)
      .flatMap((detail) => {
        const rows = new Set(detail.tables.map((r) => r.chunkId));
        return all
          .filter((t) => t.docId === detail.meta.docId && rows.has(t.chunkId))
          .map((t) => ({ t, detail }));
      })[0];
    if (!found) throw new Error('no target comes from a table row');
    const { t: target, detail } = found;
    const row = page.locator(`#targets-table tr[data-target-id="${target.id}"]`);
    while ((await row.count()) === 0) await page.locator('#targets-more').click();
    await row.locator('button.source-link').click();
    const state = await panelState();
    expect(state.mark).toBe(detail.text.slice(target.start, target.end));
    // The row is drawn as a table row (browser-journalist.test.ts checks its headers), the cited one marked.
    expect(await page.locator('#doc-highlight').evaluate((m) => m.closest('tr')?.dataset.chunkId)).toBe(
      target.chunkId,
    );
    expect(await markIsVisibleInPanel()).toBe(true);
    await page.locator('#doc-panel-close').click();
  });

  it('still reads a document by its outline, compares a metric and opens a related clause', async () => {
    await page.locator('a[data-view="documents"]').click();
    const jiaxing = page.locator(
      '.document-card[data-doc-id^="jiaxing-2024-health-modernisation-opinions-"]',
    );
    await jiaxing.locator('button.read').click();
    const entry = page.locator('#doc-panel-outline .outline-entry', { hasText: '家庭医生' }).first();
    await entry.waitFor();
    await entry.click();
    const read = await panelState();
    expect(read.mark).toContain(CLAUSE_14);
    const jiaxingId = (await jiaxing.getAttribute('data-doc-id')) ?? '';
    expect(read.to).toBeGreaterThan(read.from);
    expect(read.text).toBe(fullText(jiaxingId).slice(read.from, read.to));
    await page.locator('#doc-panel-close').click();

    await page.locator('a[data-view="compare"]').click();
    await page
      .locator('#compare-status')
      .filter({ hasNotText: /Loading/ })
      .waitFor();
    expect(await page.locator('#compare-table tbody tr').count()).toBeGreaterThan(0);
    await page.locator('#compare-table button.source-link').first().click();
    expect((await panelState()).mark.length).toBeGreaterThan(0);
    await page.locator('#doc-panel-close').click();

    await page.locator('a[data-view="chat"]').click();
    await page.locator('#question').fill('杭州2027年家庭医生签约覆盖率目标是多少?');
    await page.locator('#question').press('Enter');
    const related = page.locator('.turn[data-answer-id]').last().locator('.related li button.cite-open');
    await related.first().waitFor({ timeout: 60_000 });
    await related.first().click();
    // A related clause is known by its chunk id only: the panel finds its offsets from the sections.
    const state = await panelState();
    const docId = (await page.locator('#doc-panel').getAttribute('data-doc-id')) ?? '';
    expect(state.mark.length).toBeGreaterThan(0);
    expect(state.to).toBeGreaterThan(state.from);
    expect(state.text).toBe(fullText(docId).slice(state.from, state.to));
    await page.locator('#doc-panel-close').click();
  });

  it('had no script errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
