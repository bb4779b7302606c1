/**
 * The claim check as a journalist uses it in Chromium against the real service, on a desktop and a phone:
 * a right value with the wrong year is named as another year's target, a target stated twice is one piece
 * of evidence with a link to its other statement, and a claim without a number shows the sentence that
 * states it, opened highlighted in the source panel.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestBrowser, type TestBrowser } from './support/http-browser.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function checkClaim(page: Page, claim: string) {
  await page.locator('a[data-view="check"]').click();
  await page.locator('#claim').fill(claim);
  await page.locator('#claim').press('Enter');
  const verdict = page.locator('#check-result .verdict');
  await verdict.waitFor();
  return verdict;
}

for (const device of [
  { name: 'desktop', viewport: { width: 1280, height: 860 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
]) {
  describe(`claim checks in Chromium (${device.name})`, () => {
    let browser: TestBrowser;
    let page: Page;
    beforeAll(async () => {
      browser = await launchTestBrowser({ locale: 'en-US', viewport: device.viewport });
      page = browser.page;
      await page.goto(server.url);
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('names the year a right value belongs to', async () => {
      const verdict = await checkClaim(page, 'Jiaxing targets 45% family doctor coverage by 2025');
      expect(await verdict.getAttribute('data-verdict')).toBe('other_year');
      expect(await verdict.textContent()).toBe('Right value, another year');
      expect(await page.locator('#check-result').textContent()).toContain('45% is the 2027 target');
      expect(await page.locator('#check-result .evidence li').count()).toBe(1);
      await browser.screenshot(`claims-${device.name}-other-year`);
    });

    it('shows a target stated in the text and the annex table once, linking both', async () => {
      const verdict = await checkClaim(
        page,
        "Xining's 2025 family doctor coverage target for key groups is 75%",
      );
      expect(await verdict.getAttribute('data-verdict')).toBe('supported');
      const items = page.locator('#check-result .evidence li');
      expect(await items.count()).toBe(1);
      const quote = items.first().locator('blockquote');
      expect(await quote.getAttribute('lang')).toBe('zh-CN');
      expect(await items.first().locator('.also-stated button.source-link').count()).toBe(1);
      await items.first().locator('.also-stated button.source-link').click();
      const mark = page.locator('#doc-panel-text mark');
      await mark.waitFor();
      expect(await mark.textContent()).toContain('75%');
      await page.locator('#doc-panel-close').click();
    });

    it('checks a claim without a number against the clauses and opens the sentence', async () => {
      const verdict = await checkClaim(page, '嘉兴要建立家庭医生对居民首诊制度');
      expect(await verdict.getAttribute('data-verdict')).toBe('supported');
      const clause = page.locator('#check-result .evidence li').first();
      expect(await clause.locator('blockquote').textContent()).toContain('建立健全家庭医生对居民首诊制度');
      await clause.locator('button.source-link').click();
      const mark = page.locator('#doc-panel-text mark');
      await mark.waitFor();
      expect(await mark.textContent()).toContain('建立健全家庭医生对居民首诊制度');
      await browser.screenshot(`claims-${device.name}-clause`);
      await page.locator('#doc-panel-close').click();

      const reversed = await checkClaim(page, '嘉兴取消家庭医生对居民首诊制度');
      await page.locator('#check-result .verdict[data-verdict="not_found"]').waitFor();
      expect(await reversed.textContent()).toBe('Not in these documents');
      expect(await page.locator('#check-result .evidence li').count()).toBe(0);
      expect(browser.problems).toEqual([]);
    });
  });
}
