/**
 * The officials' chat in a real Chromium against the real service (issue 13 item 3), on a desktop
 * (1280×860) and a phone (390×844): the conversation list (switch, rename, delete; New conversation keeps
 * the old one), citation preview on hover, focus and tap, Stop, Try again after a failure (the question
 * stays in the box), Edit and resend, suggested follow-ups only the documents can answer, 👍/👎 with a note
 * stored with the answer, export as Markdown, "Search in" a chosen document, a link to a document's
 * original page, and the rough edges: the language switch keeps the place, Back closes the panel, the
 * phone panel is a modal dialog, [n] markers are 24×24 px, a Targets failure is styled as an error, the
 * buttons under the title do not wrap on a phone. Screenshots go to test-artifacts/.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, AnswerResult, AskRequest } from '../server/answer/contract.ts';
import type { ZhengceService } from '../server/service-types.ts';
import { launchTestBrowser, type TestBrowser } from './support/http-browser.ts';
import { realServiceFromSeeds, startTestServer, type TestServer } from './support/http-test-server.ts';

const JIAXING = "What is Jiaxing's 2027 family-doctor target?";
const JIAXING_ZH = '嘉兴2027年家庭医生签约覆盖率目标是多少?';
const XINING_2025 = '西宁市2025年家庭医生签约服务覆盖率目标是多少?';
const XINING_2024 = '西宁市2024年家庭医生签约服务覆盖率目标是多少?';
const CLAUSE_14 = '家庭医生签约服务覆盖率达到45%以上';

/** The real service with two switches the tests flip: the next answer fails, or takes its time. */
const control = { failNext: false, slowNextMs: 0 };

function controlledService(real: ZhengceService): ZhengceService {
  return {
    ...real,
    async ask(
      req: AskRequest,
      onEvent?: (e: AnswerEvent) => void,
      signal?: AbortSignal,
    ): Promise<AnswerResult> {
      if (control.failNext) {
        control.failNext = false;
        throw new Error('the answerer broke (test)');
      }
      const wait = control.slowNextMs;
      control.slowNextMs = 0;
      if (wait) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, wait);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
      }
      return real.ask(req, onEvent, signal);
    },
  };
}

let server: TestServer;

beforeAll(async () => {
  const { service } = await realServiceFromSeeds();
  server = await startTestServer({ service: controlledService(service), logError: () => {} });
});

afterAll(async () => {
  await server?.close();
});

interface Key {
  id: string;
  token: string;
}

function currentKey(page: Page): Promise<Key | null> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('zhengce.conversation') ?? 'null'));
}

async function serverTurns(
  key: Key,
): Promise<{ question: string; feedback?: { rating: string; note: string | null } }[]> {
  const response = await fetch(`${server.url}/api/conversations/${key.id}`, {
    headers: { 'X-Conversation-Token': key.token },
  });
  if (response.status !== 200) return [];
  return ((await response.json()) as { turns: never[] }).turns;
}

async function ask(page: Page, question: string): Promise<void> {
  const before = await page.locator('#messages .turn[data-answer-id]').count();
  await page.locator('#question').fill(question);
  await page.locator('#question').press('Enter');
  await page.locator('#messages .turn[data-answer-id]').nth(before).waitFor({ timeout: 60_000 });
}

const lastTurn = (page: Page) => page.locator('#messages .turn').last();

describe('on a desktop', () => {
  let browser: TestBrowser;
  let page: Page;
  const sent: Record<string, unknown>[] = [];

  beforeAll(async () => {
    browser = await launchTestBrowser({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
    page = browser.page;
    page.on('websocket', (ws) => {
      ws.on('framesent', (frame) => sent.push(JSON.parse(String(frame.payload))));
    });
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('previews a citation on hover and on focus without opening the panel; Escape hides it, Enter opens the clause', async () => {
    await ask(page, JIAXING);
    const marker = lastTurn(page).locator('.answer button.cite').first();
    const box = await marker.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(24);
    expect(box?.height).toBeGreaterThanOrEqual(24);

    await marker.hover();
    const preview = page.locator('#cite-preview');
    await preview.waitFor({ state: 'visible' });
    expect(await preview.textContent()).toContain(
      '嘉兴市人民政府办公室关于推进嘉兴市卫生健康现代化建设的实施意见',
    );
    expect(await preview.textContent()).toContain('嘉政办发〔2024〕5号');
    expect(await preview.locator('.preview-text').textContent()).toContain('45%');
    expect(await preview.textContent()).not.toContain('null');
    expect(await page.locator('#doc-panel').isHidden()).toBe(true);
    await browser.screenshot('officials-01-citation-preview-hover');
    await page.mouse.move(5, 5);
    await preview.waitFor({ state: 'hidden' });

    await marker.focus();
    await preview.waitFor({ state: 'visible' });
    expect(await marker.getAttribute('aria-describedby')).toBe('cite-preview');
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'hidden' });
    expect(await marker.getAttribute('aria-describedby')).toBeNull();
    await page.keyboard.press('Enter');
    await page.locator('#doc-panel-text mark').waitFor();
    expect(await page.locator('#doc-panel-text mark').textContent()).toContain(CLAUSE_14);
  });

  it('closes the document panel with Back, staying in the chat', async () => {
    const hash = await page.evaluate(() => location.hash);
    await page.goBack();
    await page.locator('#doc-panel').waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    expect(await page.locator('#view-chat').isVisible()).toBe(true);
    // Closed by its button, the panel leaves no entry behind: Back then goes where it went before.
    await lastTurn(page).locator('.answer button.cite').first().click();
    await page.locator('#doc-panel-text mark').waitFor();
    const length = await page.evaluate(() => history.length);
    await page.locator('#doc-panel-close').click();
    await page.locator('#doc-panel').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !history.state?.zhengcePanel);
    expect(await page.evaluate(() => history.length)).toBe(length);
  });

  it('stores 👎 with a note with the answer, shown as chosen after a reload', async () => {
    const turn = lastTurn(page);
    await turn.locator('button.rate-down').click();
    await page.waitForFunction(
      () =>
        document
          .querySelector('#messages .turn:last-child button.rate-down')
          ?.getAttribute('aria-pressed') === 'true',
    );
    expect(await turn.locator('button.rate-up').getAttribute('aria-pressed')).toBe('false');
    const note = turn.locator('textarea.feedback-note');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('feedback-note'))).toBe(true);
    await note.fill('The key-group target is missing');
    await turn.locator('.feedback-form button[type=submit]').click();
    await turn.locator('.feedback-status', { hasText: 'Thanks' }).waitFor();
    await browser.screenshot('officials-02-feedback');
    const key = (await currentKey(page)) as Key;
    const stored = await serverTurns(key);
    expect(stored.at(-1)?.feedback).toMatchObject({
      rating: 'down',
      note: 'The key-group target is missing',
    });

    await page.reload();
    await page.locator('#messages .turn[data-answer-id]').first().waitFor();
    expect(await lastTurn(page).locator('button.rate-down').getAttribute('aria-pressed')).toBe('true');
    expect(await lastTurn(page).locator('textarea.feedback-note').inputValue()).toBe(
      'The key-group target is missing',
    );
  });

  it('suggests follow-ups the documents answer (another year, another place, the issuer) and asks one', async () => {
    await ask(page, XINING_2025);
    // Chinese text inside the English interface says it is Chinese; the English question does not.
    expect(await lastTurn(page).locator('.msg-text').getAttribute('lang')).toBe('zh-CN');
    expect(await lastTurn(page).locator('.answer').getAttribute('lang')).toBe('zh-CN');
    expect(await lastTurn(page).locator('.cite-text').first().getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#messages .turn .msg-text').first().getAttribute('lang')).toBeNull();
    const followUps = lastTurn(page).locator('.follow-ups button.follow-up');
    await followUps.first().waitFor();
    const texts = await followUps.allTextContents();
    expect(texts).toContain(XINING_2024);
    expect(
      texts.some((q) => /^(嘉兴市|新建区|奉贤区)20\d\d年家庭医生签约服务覆盖率目标是多少\?$/.test(q)),
    ).toBe(true);
    expect(texts.some((q) => q.startsWith('Who issued 《西宁市'))).toBe(true);
    // The Xining plan has no document number, so none is suggested; no suggestion carries a figure.
    expect(texts.some((q) => q.includes('document number'))).toBe(false);
    for (const q of texts) expect(q.replace(/20\d\d/g, '')).not.toMatch(/\d/);
    // Only the newest answer has suggestions.
    expect(await page.locator('#messages .follow-ups').count()).toBe(1);
    await browser.screenshot('officials-03-follow-ups');
    await followUps.filter({ hasText: XINING_2024 }).click();
    await page.locator('#messages .turn[data-answer-id]').nth(2).waitFor({ timeout: 60_000 });
    expect(await lastTurn(page).locator('.answer').textContent()).toContain('60%');
  });

  it('edits and resends the last question, replacing it and its answer in the page and on the server', async () => {
    const before = await page.locator('#messages .turn[data-answer-id]').count();
    const editedId = await lastTurn(page).getAttribute('data-answer-id');
    await lastTurn(page).locator('button.edit-last').click();
    expect(await page.locator('#question').inputValue()).toBe(XINING_2024);
    expect(await page.locator('#edit-note').isVisible()).toBe(true);
    await page.locator('#question').fill('西宁市2024年重点人群家庭医生签约服务覆盖率目标是多少?');
    await page.locator('#question').press('Enter');
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('#messages .turn[data-answer-id]').length === n &&
        document.querySelector('#messages .turn:last-child .msg.user')?.textContent?.includes('重点人群'),
      before,
      { timeout: 60_000 },
    );
    expect(await page.locator('#messages .msg.user', { hasText: XINING_2024 }).count()).toBe(0);
    expect(await lastTurn(page).locator('.answer').textContent()).toContain('70%');
    // Only the last question can be edited.
    expect(await page.locator('#messages .turn:not(:last-child) button.edit-last:visible').count()).toBe(0);
    const asked = sent.at(-1) as { history: { content: string }[]; replacesAnswerId?: string };
    expect(asked.history.map((t) => t.content)).not.toContain(XINING_2024);
    expect(asked.replacesAnswerId).toBe(editedId);

    // The server replaced the turn too: after a reload only the new question is there.
    const key = (await currentKey(page)) as Key;
    const stored = (await serverTurns(key)).map((t) => t.question);
    expect(stored).toHaveLength(before);
    expect(stored).not.toContain(XINING_2024);
    await page.reload();
    await page
      .locator('#messages .turn[data-answer-id]')
      .nth(before - 1)
      .waitFor();
    expect(await page.locator('#messages .turn[data-answer-id]').count()).toBe(before);
    expect(await page.locator('#messages .msg.user', { hasText: XINING_2024 }).count()).toBe(0);
    expect(await lastTurn(page).locator('.msg.user').textContent()).toContain('重点人群');
    await browser.screenshot('officials-03b-edited-after-reload');
  });

  it('stops a streaming answer: a cancel is sent, nothing is stored, the question is back in the box', async () => {
    const key = (await currentKey(page)) as Key;
    const storedBefore = (await serverTurns(key)).length;
    control.slowNextMs = 5000;
    await page.locator('#question').fill(JIAXING_ZH);
    await page.locator('#question').press('Enter');
    const stop = page.locator('#stop');
    await stop.waitFor({ state: 'visible' });
    expect(await page.locator('#send').isHidden()).toBe(true);
    await stop.click();
    await lastTurn(page).locator('.status', { hasText: 'Stopped' }).waitFor();
    expect(sent.at(-1)).toMatchObject({ type: 'cancel' });
    expect(await page.locator('#question').inputValue()).toBe(JIAXING_ZH);
    expect(await page.locator('#send').isVisible()).toBe(true);
    await browser.screenshot('officials-04-stopped');
    await new Promise((r) => setTimeout(r, 300));
    expect((await serverTurns(key)).length).toBe(storedBefore);

    await lastTurn(page).locator('button.retry').click();
    await lastTurn(page).locator('.answer').filter({ hasText: '45%' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#messages .turn.failed').count()).toBe(0);
  });

  it('keeps a failed question in the box and offers Try again', async () => {
    control.failNext = true;
    await page.locator('#question').fill('那西宁呢?');
    await page.locator('#question').press('Enter');
    const failed = page.locator('#messages .turn.failed');
    await failed.waitFor();
    expect(await failed.locator('.status.error').count()).toBe(1);
    expect(await page.locator('#question').inputValue()).toBe('那西宁呢?');
    await browser.screenshot('officials-05-failed');
    await failed.locator('button.retry').click();
    await lastTurn(page).locator('.answer').filter({ hasText: '65%' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#messages .turn.failed').count()).toBe(0);
    expect(await page.locator('#question').inputValue()).toBe('');
  });

  it('exports the conversation as Markdown with each answer and its sources', async () => {
    const download = page.waitForEvent('download');
    await page.locator('#export-conversation').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^zhengce-conversation-\d{4}-\d{2}-\d{2}\.md$/);
    const markdown = await readFile((await file.path()) as string, 'utf8');
    expect(markdown).toMatch(/^# /);
    expect(markdown).toContain(`## 1. ${JIAXING}`);
    expect(markdown).toContain('**Sources**');
    expect(markdown).toContain('嘉政办发〔2024〕5号');
    expect(markdown).toContain('嘉兴市人民政府办公室关于推进嘉兴市卫生健康现代化建设的实施意见');
    expect(markdown).toMatch(/> .*45%以上/);
    expect(markdown).toMatch(/Permalink: <http:\/\/127\.0\.0\.1:\d+\/#\/answer\/[A-Za-z0-9_-]+>/);
    expect(markdown.match(/^## \d+\. /gm)?.length).toBe(
      await page.locator('#messages .turn[data-answer-id]').count(),
    );
  });

  it('keeps the old conversation in the list on New conversation; switches, renames and deletes', async () => {
    const first = (await currentKey(page)) as Key;
    await page.locator('#new-conversation').click();
    expect(await page.locator('#messages .turn').count()).toBe(0);
    await ask(page, JIAXING_ZH);
    const second = (await currentKey(page)) as Key;
    expect(second.id).not.toBe(first.id);

    const list = page.locator('#conversation-list');
    await list.locator('summary').click();
    const items = list.locator('.conversation-item');
    expect(await items.count()).toBe(2);
    expect(await items.first().locator('.conversation-title').textContent()).toBe(JIAXING_ZH);
    expect(await items.nth(1).locator('.conversation-title').textContent()).toBe(JIAXING);
    await browser.screenshot('officials-06-conversation-list');

    await items.nth(1).locator('.conversation-open').click();
    await page.locator('#messages .turn[data-answer-id]').first().waitFor();
    expect(await page.locator('#messages .msg.user').first().textContent()).toContain(JIAXING);
    expect((await currentKey(page))?.id).toBe(first.id);

    const firstItem = list.locator(`[data-conversation-id="${first.id}"]`);
    await firstItem.locator('button', { hasText: 'Rename' }).click();
    await list.locator('.rename-field').fill('Family doctors, Jiaxing and Xining');
    await list.locator('.rename-field').press('Enter');
    expect(await firstItem.locator('.conversation-title').textContent()).toBe(
      'Family doctors, Jiaxing and Xining',
    );
    await page.reload();
    await page.locator('#conversation-list summary').click();
    expect(await page.locator(`[data-conversation-id="${first.id}"] .conversation-title`).textContent()).toBe(
      'Family doctors, Jiaxing and Xining',
    );

    page.once('dialog', (dialog) => dialog.accept());
    await page.locator(`[data-conversation-id="${second.id}"] button`, { hasText: 'Delete' }).click();
    await page.locator(`[data-conversation-id="${second.id}"]`).waitFor({ state: 'detached' });
    const gone = await fetch(`${server.url}/api/conversations/${second.id}`, {
      headers: { 'X-Conversation-Token': second.token },
    });
    expect(gone.status).toBe(404);
    expect((await currentKey(page))?.id).toBe(first.id);
    expect(await page.locator('#conversation-list .conversation-item').count()).toBe(1);
  });

  it('limits a question to a chosen document ("Search in") and says so above the answer', async () => {
    await page.locator('#scope-picker summary').click();
    const xining = page.locator('#scope-picker .scope-documents label', { hasText: '西宁市人民政府办公室' });
    await xining.locator('input').check();
    expect(await page.locator('#scope-picker summary').textContent()).toContain('1 chosen');
    await ask(page, JIAXING_ZH);
    const asked = sent.filter((m) => m.type === 'ask').at(-1) as { scope?: { docIds: string[] } };
    expect(asked.scope?.docIds).toHaveLength(1);
    expect(asked.scope?.docIds[0]).toMatch(/^xining-/);
    expect(await lastTurn(page).locator('.not-found').count()).toBe(1);
    expect(await lastTurn(page).locator('.scope-used').textContent()).toContain('西宁市人民政府办公室');
    await browser.screenshot('officials-07-scoped');
    await page.locator('#scope-picker button', { hasText: 'All documents' }).click();
    expect(await page.locator('#scope-picker summary').textContent()).toContain('all documents');
  });

  it('keeps the scroll position when the language is switched', async () => {
    await page.locator('#scope-picker summary').click();
    await lastTurn(page).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    /** The turn at the top of the screen and where it sits. */
    const topTurn = () =>
      page.evaluate(() => {
        for (const node of document.querySelectorAll('#messages .turn[data-answer-id]')) {
          const rect = node.getBoundingClientRect();
          if (rect.bottom > 0)
            return { id: (node as HTMLElement).dataset.answerId, top: Math.round(rect.top) };
        }
        return null;
      });
    const before = await topTurn();
    // Clicked where it is, as a reader reaching it with the keyboard or a sticky header would: Playwright's
    // own click would first scroll the page to the toggle.
    const toggle = () => page.evaluate(() => document.getElementById('lang-toggle')?.click());
    await toggle();
    await page.waitForTimeout(700);
    const after = await topTurn();
    expect(after?.id).toBe(before?.id);
    expect(Math.abs((after?.top ?? 0) - (before?.top ?? 0))).toBeLessThan(5);
    expect(await page.locator('#export-conversation').textContent()).toBe('导出(Markdown)');

    // In the document panel too: it used to scroll back to the highlight as it redrew.
    await page.locator('#messages .turn[data-answer-id] .answer button.cite').first().click();
    await page.locator('#doc-panel-text mark').waitFor();
    await page.evaluate(() => {
      const panel = document.getElementById('doc-panel') as HTMLElement;
      panel.scrollTop = panel.scrollHeight / 2;
    });
    const panelBefore = await page.evaluate(() => document.getElementById('doc-panel')?.scrollTop ?? 0);
    expect(panelBefore).toBeGreaterThan(100);
    await toggle();
    await page.waitForTimeout(700);
    const panelAfter = await page.evaluate(() => document.getElementById('doc-panel')?.scrollTop ?? 0);
    expect(Math.abs(panelAfter - panelBefore)).toBeLessThan(40);
    expect(await page.locator('#export-conversation').textContent()).toBe('Export (Markdown)');
    await page.keyboard.press('Escape');
  });

  it('links a document to its original page when its metadata has one', async () => {
    await page.route('**/api/documents/jiaxing-*', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.meta.sourceUrl = 'https://www.jiaxing.gov.cn/art/2024/1/5/art_1229.html';
      await route.fulfill({ response, json: body });
    });
    // The page keeps windows it has fetched; a fresh page fetches (and gets the routed metadata).
    await page.reload();
    await page.locator('#messages .turn[data-answer-id]').first().waitFor();
    await page
      .locator('#messages .turn[data-answer-id]')
      .first()
      .locator('.answer button.cite')
      .first()
      .click();
    const link = page.locator('#doc-panel-meta a.source-page');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('https://www.jiaxing.gov.cn/art/2024/1/5/art_1229.html');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await page.unroute('**/api/documents/jiaxing-*');
    await page.keyboard.press('Escape');
    // A document without one (the Xining plan) shows no link.
    await page.locator('#messages .answer button.cite[aria-label*="西宁"]').first().click();
    await page.locator('#doc-panel-title', { hasText: '西宁' }).waitFor();
    expect(await page.locator('#doc-panel-meta a.source-page').count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('styles a failure of the Targets view as an error', async () => {
    await page.route('**/api/targets?*', (route) => route.abort());
    await page.goto(`${server.url}/#/targets`);
    const status = page.locator('#targets-status');
    await status.filter({ hasText: 'Could not load' }).waitFor();
    expect(await status.getAttribute('class')).toContain('error');
    const color = await status.evaluate((node) => getComputedStyle(node).color);
    expect(color).toBe('rgb(179, 38, 30)');
    await browser.screenshot('officials-08-targets-error');
    await page.unroute('**/api/targets?*');
  });

  it('had no script errors or CSP violations', () => {
    expect(browser.problems.filter((p) => !p.includes('net::ERR_FAILED'))).toEqual([]);
  });
});

describe('on a phone (390×844)', () => {
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchTestBrowser({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    page = browser.page;
    await page.goto(server.url);
    await ask(page, JIAXING_ZH);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('keeps the buttons under the title on their own lines, none wrapped or cut', async () => {
    const buttons = page.locator('.head-actions button:visible');
    expect(await buttons.count()).toBeGreaterThanOrEqual(3);
    for (const button of await buttons.all()) {
      const fits = await button.evaluate((node) => {
        const style = getComputedStyle(node);
        const line = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.6;
        const box = node.getBoundingClientRect();
        return {
          oneLine:
            node.clientHeight - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom) <
            line * 1.5,
          inside: box.left >= 0 && box.right <= window.innerWidth,
          uncut: node.scrollWidth <= node.clientWidth + 1,
        };
      });
      expect(fits, (await button.textContent()) ?? '').toEqual({ oneLine: true, inside: true, uncut: true });
    }
    await browser.screenshot('officials-phone-01-head');
  });

  it('gives [n] markers a 24×24 touch target and previews on a tap, opening the clause from the preview', async () => {
    const marker = lastTurn(page).locator('.answer button.cite').first();
    const box = await marker.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(24);
    expect(box?.height).toBeGreaterThanOrEqual(24);
    // A tap: a touch pointerdown, then the click it becomes (no hover in between).
    await marker.dispatchEvent('pointerdown', { pointerType: 'touch', isPrimary: true });
    await marker.dispatchEvent('click');
    const preview = page.locator('#cite-preview');
    await preview.waitFor({ state: 'visible' });
    expect(await page.locator('#doc-panel').isHidden()).toBe(true);
    const previewBox = await preview.boundingBox();
    expect(previewBox && previewBox.x >= 0 && previewBox.x + previewBox.width <= 390).toBe(true);
    await browser.screenshot('officials-phone-02-tap-preview');
    await preview.locator('button.preview-open').click();
    await page.locator('#doc-panel-text mark').waitFor();
  });

  it('shows the panel as a modal dialog: background inert, Tab stays inside, Escape closes and returns focus', async () => {
    const panel = page.locator('#doc-panel');
    expect(await panel.getAttribute('role')).toBe('dialog');
    expect(await panel.getAttribute('aria-modal')).toBe('true');
    expect(await page.locator('#main').getAttribute('inert')).not.toBeNull();
    expect(await page.locator('header.topbar').getAttribute('inert')).not.toBeNull();
    await browser.screenshot('officials-phone-03-modal-panel');
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const outside = await page.evaluate(() => {
        const active = document.activeElement;
        return Boolean(
          active && active !== document.body && !document.getElementById('doc-panel')?.contains(active),
        );
      });
      expect(outside, `Tab ${i + 1} left the dialog`).toBe(false);
    }
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(await page.locator('#main').getAttribute('inert')).toBeNull();
    expect(await panel.getAttribute('role')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('cite'))).toBe(true);
  });

  it('closes the phone panel with Back', async () => {
    await lastTurn(page).locator('.answer button.cite').first().click();
    await page.locator('#doc-panel-text mark').waitFor();
    await page.goBack();
    await page.locator('#doc-panel').waitFor({ state: 'hidden' });
    expect(await page.locator('#main').getAttribute('inert')).toBeNull();
    expect(await page.locator('#view-chat').isVisible()).toBe(true);
  });

  it('rates, lists and exports on the phone too', async () => {
    await lastTurn(page).locator('button.rate-up').click();
    await page.waitForFunction(
      () =>
        document.querySelector('#messages .turn:last-child button.rate-up')?.getAttribute('aria-pressed') ===
        'true',
    );
    await page.locator('#conversation-list summary').click();
    expect(await page.locator('#conversation-list .conversation-item').count()).toBe(1);
    const item = await page.locator('#conversation-list .conversation-item').boundingBox();
    expect(item && item.x + item.width <= 390).toBe(true);
    await browser.screenshot('officials-phone-04-list-and-feedback');
    const download = page.waitForEvent('download');
    await page.locator('#export-conversation').click();
    const markdown = await readFile((await (await download).path()) as string, 'utf8');
    expect(markdown).toContain(`## 1. ${JIAXING_ZH}`);
    expect(markdown).toContain('**来源**');
  });

  it('stops, retries, follows up and searches in a chosen place on the phone, all within its width', async () => {
    const fitsWidth = (selector: string) =>
      page.evaluate((sel) => {
        const nodes = [...document.querySelectorAll(sel)];
        return (
          nodes.length > 0 && nodes.every((n) => n.getBoundingClientRect().right <= window.innerWidth + 0.5)
        );
      }, selector);
    control.slowNextMs = 5000;
    await page.locator('#question').fill(XINING_2025);
    await page.locator('#question').press('Enter');
    await page.locator('#stop').waitFor({ state: 'visible' });
    expect(await fitsWidth('.ask-row button:not([hidden])')).toBe(true);
    await page.locator('#stop').click();
    await lastTurn(page).locator('button.retry').waitFor();
    expect(await page.locator('#question').inputValue()).toBe(XINING_2025);
    await lastTurn(page).locator('button.retry').click();
    await lastTurn(page).locator('.follow-ups button.follow-up').first().waitFor({ timeout: 60_000 });
    expect(await fitsWidth('.follow-ups button.follow-up')).toBe(true);
    expect(await lastTurn(page).locator('.follow-ups button.follow-up').allTextContents()).toContain(
      XINING_2024,
    );
    await browser.screenshot('officials-phone-05-follow-ups');

    await page.locator('#scope-picker summary').click();
    await page.locator('#scope-picker .scope-places label', { hasText: '嘉兴市' }).locator('input').check();
    expect(await fitsWidth('#scope-picker .scope-option')).toBe(true);
    expect(await page.locator('#scope-picker summary').textContent()).toContain('已选 1 项');
    await browser.screenshot('officials-phone-06-search-in');
    await page.locator('#scope-picker summary').click();
    await ask(page, '家庭医生签约服务覆盖率目标是多少?');
    for (const label of await lastTurn(page)
      .locator('.answer button.cite')
      .evaluateAll((n) => n.map((x) => x.getAttribute('aria-label') ?? ''))) {
      expect(label).toContain('嘉兴市');
    }
    expect(await lastTurn(page).locator('.scope-used').textContent()).toContain('嘉兴市');
  });

  it('had no script errors or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
