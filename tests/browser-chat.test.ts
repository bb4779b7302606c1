import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestBrowser, type TestBrowser } from './support/http-browser.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

const QUESTION = "What is Jiaxing's 2027 family-doctor target?";
const CLAUSE_14 = '家庭医生签约服务覆盖率达到45%以上';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** The number of the citation whose clause contains `text`, read from the rendered source list. */
async function citationNumberFor(page: Page, text: string): Promise<string> {
  const item = page.locator('.turn').last().locator('li.citation', { hasText: text }).first();
  await item.waitFor();
  return (await item.getAttribute('data-n')) ?? '';
}

async function highlighted(page: Page): Promise<string> {
  const mark = page.locator('#doc-panel-text mark');
  await mark.waitFor();
  return (await mark.textContent()) ?? '';
}

/** True when the element's box lies inside the panel's visible area. */
async function markIsVisibleInPanel(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const mark = document.querySelector('#doc-panel-text mark');
    const panel = document.getElementById('doc-panel');
    if (!mark || !panel) return false;
    const m = mark.getBoundingClientRect();
    const p = panel.getBoundingClientRect();
    return m.top >= p.top && m.top < Math.min(p.bottom, window.innerHeight) && m.height > 0;
  });
}

describe('the chat page in chromium, against the real service', () => {
  let browser: TestBrowser;
  let page: Page;
  const tokenFrames: string[] = [];

  beforeAll(async () => {
    browser = await launchTestBrowser({ locale: 'en-US' });
    page = browser.page;
    page.on('websocket', (ws) => {
      ws.on('framereceived', (frame) => {
        const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString();
        if (text.includes('"type":"token"')) tokenFrames.push(text);
      });
    });
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('streams the answer to the Jiaxing question with 45%, and its citation opens clause 14 highlighted', async () => {
    await expect(page.locator('#send').textContent()).resolves.toBe('Send');
    await browser.screenshot('browser-01-start');
    await page.locator('#question').fill(QUESTION);
    await page.locator('#question').press('Enter');
    const answer = page.locator('.turn[data-answer-id] .answer').last();
    await answer.waitFor({ timeout: 60_000 });
    expect(await answer.textContent()).toContain('45%');
    expect(tokenFrames.length).toBeGreaterThan(1);

    const n = await citationNumberFor(page, CLAUSE_14);
    await answer.locator(`button.cite[data-n="${n}"]`).first().click();
    expect(await highlighted(page)).toContain(CLAUSE_14);
    expect(await page.locator('#doc-panel-title').textContent()).toContain('嘉兴');
    expect(await page.locator('#doc-panel-clause').textContent()).toContain('14');
    expect(await markIsVisibleInPanel(page)).toBe(true);
    const citation = page.locator(`li.citation[data-n="${n}"]`).last();
    const meta = await citation.locator('.cite-meta').textContent();
    expect(meta).toContain('嘉政办发〔2024〕5号');
    expect(meta).toContain('嘉兴市');
    await browser.screenshot('browser-02-answer-and-clause');
  });

  it('closes the panel with Escape and returns focus to the citation', async () => {
    const button = page.locator('.turn').last().locator('.answer button.cite').first();
    await button.focus();
    await page.keyboard.press('Enter');
    await page.locator('#doc-panel-text mark').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#doc-panel').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('cite'))).toBe(true);
  });

  it('switches the interface to Chinese and keeps the choice after a reload, with the conversation', async () => {
    await page.locator('#lang-toggle').click();
    expect(await page.locator('#send').textContent()).toBe('发送');
    expect(await page.locator('a[data-view="documents"]').textContent()).toBe('文件');
    expect(await page.locator('.turn').last().locator('.sources h3').textContent()).toBe('来源');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await browser.screenshot('browser-03-chinese');

    await page.reload();
    const turn = page.locator('.turn[data-answer-id]');
    await turn.first().waitFor();
    expect(await turn.count()).toBe(1);
    expect(await turn.first().locator('.msg.user').textContent()).toContain(QUESTION);
    expect(await turn.first().locator('.answer').textContent()).toContain('45%');
    expect(await page.locator('#send').textContent()).toBe('发送');
    await browser.screenshot('browser-04-after-reload');
  });

  it('sends the conversation with a follow-up question', async () => {
    const asks: unknown[] = [];
    page.on('websocket', (ws) => {
      ws.on('framesent', (frame) => asks.push(JSON.parse(String(frame.payload))));
    });
    await page.locator('#question').fill('那西宁呢?');
    await page.locator('#question').press('Enter');
    await page.locator('.turn[data-answer-id]').nth(1).waitFor({ timeout: 60_000 });
    const sent = asks.at(-1) as { history: { role: string; content: string }[]; conversationId: string };
    expect(sent.history[0]).toEqual({ role: 'user', content: QUESTION });
    expect(sent.history).toHaveLength(2);
    expect(sent.conversationId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('opens a permalink to an answer', async () => {
    const link = page.locator('.turn[data-answer-id]').first().locator('a.permalink');
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^#\/answer\/[A-Za-z0-9_-]+$/);
    await page.goto(`${server.url}/${href}`);
    const shared = page.locator('#permalink-view .answer');
    await shared.waitFor();
    expect(await shared.textContent()).toContain('45%');
    // Nothing of the rest of the conversation; asking here would start a new one (tests/browser-privacy).
    expect(await page.locator('#permalink-view .turn').count()).toBe(1);
    expect(await page.locator('#messages').isHidden()).toBe(true);
    expect(await page.locator('.permalink-hint').isVisible()).toBe(true);
    await browser.screenshot('browser-05-permalink');
  });

  it('browses the documents and reads one by its outline', async () => {
    await page.locator('a[data-view="documents"]').click();
    const cards = page.locator('.document-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(5);
    const jiaxing = page.locator(
      '.document-card[data-doc-id^="jiaxing-2024-health-modernisation-opinions-"]',
    );
    expect(await jiaxing.textContent()).toContain('嘉政办发〔2024〕5号');
    await jiaxing.locator('button.read').click();
    const entry = page.locator('#doc-panel-outline .outline-entry', { hasText: '家庭医生' }).first();
    await entry.waitFor();
    await entry.click();
    expect(await highlighted(page)).toContain(CLAUSE_14);
    expect(await markIsVisibleInPanel(page)).toBe(true);
    await browser.screenshot('browser-06-documents');
  });

  it('shows targets, the comparison and a claim check, each value linked to its clause', async () => {
    await page.locator('#doc-panel-close').click();
    await page.locator('a[data-view="targets"]').click();
    await page
      .locator('#targets-status')
      .filter({ hasNotText: /加载|Loading/ })
      .waitFor();
    const rows = page.locator('#targets-table tbody tr');
    const rowCount = await rows.count();
    if (rowCount === 0) {
      expect(await page.locator('#targets-status').textContent()).toMatch(/暂无|没有/);
    } else {
      expect(await page.locator('#targets-csv').getAttribute('href')).toContain('format=csv');
      await rows.first().locator('button.source-link').click();
      expect((await highlighted(page)).length).toBeGreaterThan(0);
      await page.locator('#doc-panel-close').click();
    }
    await browser.screenshot('browser-07-targets');

    await page.locator('a[data-view="compare"]').click();
    await page
      .locator('#compare-status')
      .filter({ hasNotText: /加载|Loading/ })
      .waitFor();
    if (rowCount > 0) expect(await page.locator('#compare-table tbody tr').count()).toBeGreaterThan(0);
    await browser.screenshot('browser-08-compare');

    await page.locator('a[data-view="check"]').click();
    await page.locator('#claim').fill('嘉兴2027年家庭医生签约覆盖率目标是50%');
    await page.locator('#claim').press('Enter');
    const verdict = page.locator('#check-result .verdict');
    await verdict.waitFor();
    expect(['supported', 'contradicted', 'not_found']).toContain(await verdict.getAttribute('data-verdict'));
    await browser.screenshot('browser-09-check');
  });

  it('says plainly when the documents do not answer, and offers the related clauses', async () => {
    await page.locator('a[data-view="chat"]').click();
    const question = '杭州2027年家庭医生签约覆盖率目标是多少?';
    await page.locator('#question').fill(question);
    await page.locator('#question').press('Enter');
    // The turn of this question, not the last one already on the page (a race on a loaded machine).
    const bubble = turnFor(page, question).locator('.msg.assistant');
    await bubble.waitFor({ timeout: 60_000 });
    expect(await bubble.getAttribute('data-status')).toBe('not_found');
    expect(await bubble.locator('.not-found').textContent()).toBe('在这些文件中未找到。');
    const related = bubble.locator('.related li');
    expect(await related.count()).toBeGreaterThan(0);
    await related.first().locator('button.cite-open').click();
    expect((await highlighted(page)).length).toBeGreaterThan(0);
    await browser.screenshot('browser-12-not-found');
    await page.locator('#doc-panel-close').click();
  });

  it('shows a question containing markup as text, never as HTML', async () => {
    const question = '<img src=x onerror="window.__xss=1">嘉兴2027年家庭医生签约覆盖率目标是多少?';
    await page.locator('#question').fill(question);
    await page.locator('#question').press('Enter');
    const turn = turnFor(page, question);
    await turn.waitFor({ timeout: 60_000 });
    expect(await turn.locator('.msg.user .msg-text').textContent()).toBe(question);
    expect(await page.locator('#messages img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('copies an answer with its sources and permalink', async () => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const turn = page.locator('.turn[data-answer-id]').first();
    await turn.locator('button.copy').click();
    await page.locator('#toast.visible').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const answerId = await turn.getAttribute('data-answer-id');
    expect(copied).toContain(QUESTION);
    expect(copied).toContain('45%');
    expect(copied).toContain('嘉政办发〔2024〕5号');
    expect(copied).toContain(CLAUSE_14);
    expect(copied).toContain(`${server.url}/#/answer/${answerId}`);
  });

  it('falls back to POST /api/ask when the WebSocket fails', async () => {
    const fallback = await browser.context.newPage();
    await fallback.routeWebSocket(/\/ws$/, (ws) => ws.close());
    const posts: string[] = [];
    fallback.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/ask')) posts.push(request.url());
    });
    await fallback.goto(`${server.url}/#/chat`);
    await fallback.locator('#new-conversation').click();
    await fallback.locator('#question').fill('新建区2025年每千人口托位数目标是多少?');
    await fallback.locator('#question').press('Enter');
    const answer = fallback.locator('.turn[data-answer-id] .answer').last();
    await answer.waitFor({ timeout: 60_000 });
    expect(posts).toHaveLength(1);
    expect(await answer.textContent()).toContain('4.5个');
    await fallback.close();
  });

  it('had no script errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});

describe('keyboard only, and a phone-sized screen', () => {
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchTestBrowser({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    page = browser.page;
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('starts in Chinese when the browser language is Chinese', async () => {
    expect(await page.locator('#send').textContent()).toBe('发送');
  });

  it('reaches the question box with Tab, sends with Enter and opens a citation with the keyboard', async () => {
    let presses = 0;
    while ((await page.evaluate(() => document.activeElement?.id)) !== 'question') {
      await page.keyboard.press('Tab');
      presses += 1;
      expect(presses).toBeLessThan(30);
    }
    const focusRing = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(focusRing).not.toBe('none');
    await page.keyboard.type('嘉兴2027年家庭医生签约覆盖率目标是多少?');
    await page.keyboard.press('Enter');
    const answer = page.locator('.turn[data-answer-id] .answer').last();
    await answer.waitFor({ timeout: 60_000 });
    expect(await answer.textContent()).toContain('45%');

    await page.locator('.turn').last().locator('.answer button.cite').first().focus();
    await page.keyboard.press('Enter');
    await page.locator('#doc-panel-text mark').waitFor();
    const panel = await page.locator('#doc-panel').boundingBox();
    expect(panel).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    expect(await page.locator('#doc-panel-close').isVisible()).toBe(true);
    await browser.screenshot('browser-10-phone-panel');
    await page.keyboard.press('Escape');
    await page.locator('#doc-panel').waitFor({ state: 'hidden' });
  });

  it('has no horizontal scroll at 390×844 on any view', async () => {
    for (const view of ['chat', 'documents', 'targets', 'compare', 'check']) {
      await page.goto(`${server.url}/#/${view}`);
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ view, overflow }).toEqual({ view, overflow: 0 });
      await browser.screenshot(`browser-11-phone-${view}`);
    }
  });

  it('had no script errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});

/** The answered turn whose user message is exactly `question`. */
function turnFor(page: Page, question: string): Locator {
  return page
    .locator('.turn[data-answer-id]')
    .filter({ has: page.locator('.msg.user .msg-text', { hasText: question }) })
    .last();
}
