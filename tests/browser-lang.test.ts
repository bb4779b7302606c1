/**
 * `lang` on Chinese text outside the chat (issue 13 item 3), in a real Chromium with the English interface:
 * in the document list, the source panel, the Targets table, the comparison and a claim check's evidence,
 * no shown element with Chinese text takes lang="en" from the page without a nearer lang="zh-CN" (the eval
 * report is checked in evals-reports.test.ts). With the Chinese interface, the English names the page
 * shows beside Chinese ones say lang="en".
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestBrowser, type TestBrowser } from './support/http-browser.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';
import { textWithoutItsLang } from './support/lang-check.ts';

const FAMILY_DOCTOR = '家庭医生签约服务覆盖率';

let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchTestBrowser({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function settled(statusSelector: string): Promise<void> {
  await page
    .locator(statusSelector)
    .filter({ hasNotText: /Loading|Checking/ })
    .waitFor();
}

describe('lang attributes with the English interface', () => {
  it('marks Chinese text in the document list and the source panel', async () => {
    await page.goto(`${server.url}/#/documents`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.locator('#document-list li.document-card').first().waitFor();
    expect(await textWithoutItsLang(page, '#view-documents')).toEqual([]);

    await page.goto(`${server.url}/#/targets?metric=${encodeURIComponent(FAMILY_DOCTOR)}`);
    await settled('#targets-status');
    await page.locator('#targets-table button.source-link').first().click();
    await page.locator('#doc-highlight').waitFor();
    expect(await textWithoutItsLang(page, '#doc-panel')).toEqual([]);
    await browser.screenshot('lang-01-source-panel');
  });

  it('marks Chinese text in the Targets table and its filters', async () => {
    await page.goto(`${server.url}/#/targets?metric=${encodeURIComponent(FAMILY_DOCTOR)}`);
    await settled('#targets-status');
    expect(await page.locator('#targets-table tbody tr').count()).toBeGreaterThan(0);
    expect(await textWithoutItsLang(page, '#view-targets')).toEqual([]);
  });

  it('marks Chinese text in the comparison table', async () => {
    await page.goto(`${server.url}/#/compare?metric=${encodeURIComponent(FAMILY_DOCTOR)}`);
    await settled('#compare-status');
    await page.locator('#compare-table tbody tr').first().waitFor();
    expect(await textWithoutItsLang(page, '#view-compare')).toEqual([]);
  });

  it('marks Chinese text in a claim check and its evidence', async () => {
    await page.goto(`${server.url}/#/check`);
    await page.locator('#claim').fill("Jiaxing's 2027 family doctor coverage target is 45%");
    await page.locator('#check-form button[type="submit"]').click();
    await page.locator('#check-result .verdict, #check-result [class*="verdict"]').first().waitFor();
    await page.locator('#check-result details').evaluateAll((all) => {
      for (const d of all) (d as HTMLDetailsElement).open = true;
    });
    expect(await textWithoutItsLang(page, '#view-check')).toEqual([]);
    await browser.screenshot('lang-02-claim-check');
  });
});

describe('lang attributes with the Chinese interface', () => {
  it('marks the English names shown beside Chinese ones as English', async () => {
    await page.goto(`${server.url}/#/documents`);
    await page.locator('#lang-toggle').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.locator('#document-list li.document-card').first().waitFor();
    expect(await textWithoutItsLang(page, '#view-documents', 'en')).toEqual([]);
    await page.goto(`${server.url}/#/targets?metric=${encodeURIComponent(FAMILY_DOCTOR)}`);
    await settled('#targets-status');
    expect(await textWithoutItsLang(page, '#view-targets', 'en')).toEqual([]);
    await page.goto(`${server.url}/#/compare?metric=${encodeURIComponent(FAMILY_DOCTOR)}`);
    await settled('#compare-status');
    await page.locator('#compare-table tbody tr').first().waitFor();
    expect(await textWithoutItsLang(page, '#view-compare', 'en')).toEqual([]);
    // And Chinese stays marked as Chinese (the page's own lang now).
    expect(await textWithoutItsLang(page, '#view-compare', 'zh')).toEqual([]);
    await browser.screenshot('lang-03-compare-chinese-interface');
  });
});
