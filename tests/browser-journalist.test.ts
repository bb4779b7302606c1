/**
 * The journalist's views (issue 13) in Chromium against the real service over seeds/, on a desktop and a
 * phone: the metric picker finds metrics by English and Chinese and works from the keyboard; the Targets
 * filters and the compared metric live in the URL (a reload and Back restore them); the comparison is drawn
 * as a chart with one label per place, saved as a real PNG, and its CSV holds exactly the table's rows; the
 * source panel draws an annex table row under its year headers with the cited cell marked, and its search
 * finds every match in the document, loading the rest of it first. Screenshots go to test-artifacts/.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetail, TargetRow, ZhengceService } from '../server/service-types.ts';
import { launchTestBrowser, type TestBrowser } from './support/http-browser.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';
import { parseCsv } from './support/parse-csv.ts';

const FAMILY_DOCTOR = '家庭医生签约服务覆盖率';

let server: TestServer;
let service: ZhengceService;
beforeAll(async () => {
  server = await startTestServer();
  service = server.service;
}, 120_000);
afterAll(async () => {
  await server?.close();
});

/** The options the picker shows (Chinese phrase and English name of each). */
async function pickerOptions(page: Page, listId: string) {
  return page.locator(`#${listId} [role="option"]`).evaluateAll((nodes) =>
    nodes.map((node) => ({
      zh: node.querySelector('.picker-zh')?.textContent ?? '',
      en: node.querySelector('.picker-en')?.textContent ?? '',
      value: node.getAttribute('data-value') ?? '',
    })),
  );
}

/** The comparison table as text: header, then per place its name and each cell's values joined by "; ". */
async function comparisonTableRows(page: Page): Promise<string[][]> {
  return page.locator('#compare-table table').evaluate((table) => {
    const header = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => [
      tr.querySelector('th')?.textContent ?? '',
      ...[...tr.querySelectorAll('td')].map((td) =>
        [...td.querySelectorAll('.cell-value')]
          .map((value) => value.querySelector('button.source-link')?.textContent ?? '')
          .join('; '),
      ),
    ]);
    return [header, ...rows];
  });
}

/** The part of a Chart.js chart the test reads. */
interface DrawnChart {
  data: {
    labels: string[];
    datasets: { data: { x: string; y: number; target: { valueText: string } }[] }[];
  };
}

/** What the range test reads of a chart: its points and its tooltip's line for one. */
interface RangeChart {
  data: { datasets: { label: string; data: { y: number; target: { id: string } }[] }[] };
  options: {
    plugins: { tooltip: { callbacks: { label(item: { dataset: unknown; raw: unknown }): string } } };
  };
}

async function waitForCompare(page: Page) {
  await page
    .locator('#compare-status')
    .filter({ hasNotText: /Loading/ })
    .waitFor();
  await page.locator('#compare-canvas').waitFor();
}

async function waitForTargets(page: Page) {
  await page
    .locator('#targets-status')
    .filter({ hasNotText: /Loading/ })
    .waitFor();
}

/** A target stated in a table row cell whose column is a year (2024年度), with its document. */
function tableRowTarget(): { target: TargetRow; detail: DocumentDetail; header: string } {
  for (const target of service.targets({})) {
    const detail = service.getDocument(target.docId) as DocumentDetail;
    const row = detail.tables.find((r) => r.chunkId === target.chunkId);
    const cell = row?.cells.find((c) => /^\d{4}年度$/.test(c.header) && c.value.includes(target.quote));
    if (cell && target.year !== null && cell.header.startsWith(String(target.year))) {
      return { target, detail, header: cell.header };
    }
  }
  throw new Error('no target is stated in a year column of a table row');
}

for (const device of [
  { name: 'desktop', viewport: { width: 1280, height: 860 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
]) {
  describe(`journalist views in Chromium (${device.name})`, () => {
    let browser: TestBrowser;
    let page: Page;
    beforeAll(async () => {
      browser = await launchTestBrowser({ locale: 'en-US', viewport: device.viewport });
      page = browser.page;
      await page.goto(`${server.url}/#/targets`);
      await waitForTargets(page);
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('finds metrics by English and by Chinese and picks one from the keyboard', async () => {
      const input = page.locator('#filter-metric-input');
      await input.fill('family doctor');
      expect(await input.getAttribute('aria-expanded')).toBe('true');
      const english = await pickerOptions(page, 'filter-metric-list');
      // Exactly the metrics whose English name (from the facets, the server's glossary) has a "family …"
      // and a "doctor …" word.
      const facets = (await (await fetch(`${server.url}/api/targets/facets`)).json()) as {
        metrics: { value: string; english: string | null }[];
      };
      expect(facets.metrics.find((m) => m.value === FAMILY_DOCTOR)?.english).toBe(
        'family doctor contract service coverage',
      );
      const expected = facets.metrics
        .filter((m) => /\bfamily/i.test(m.english ?? '') && /\bdoctor/i.test(m.english ?? ''))
        .map((m) => m.value);
      expect(english.length).toBeGreaterThan(0);
      expect(english.map((o) => o.value).sort()).toEqual(expected.sort());
      for (const option of english) expect(option.en.toLowerCase()).toMatch(/family.*doctor/);
      expect(english.map((o) => o.value)).toContain(FAMILY_DOCTOR);
      await browser.screenshot(`journalist-${device.name}-picker-english`);

      // Down to the family-doctor coverage metric, Enter picks it: the URL and the table follow.
      const index = english.findIndex((o) => o.value === FAMILY_DOCTOR);
      // Typing made the first match active (Enter would pick it); each ↓ moves one down.
      expect(await input.getAttribute('aria-activedescendant')).toBe('filter-metric-list-0');
      for (let i = 0; i < index; i++) await input.press('ArrowDown');
      expect(await input.getAttribute('aria-activedescendant')).toBe(`filter-metric-list-${index}`);
      await input.press('Enter');
      expect(await input.getAttribute('aria-expanded')).toBe('false');
      expect(await input.inputValue()).toBe(FAMILY_DOCTOR);
      await page.waitForFunction(() => location.hash.includes('metric='));
      expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('metric')).toBe(FAMILY_DOCTOR);
      await waitForTargets(page);
      const n = service.targets({ metric: FAMILY_DOCTOR }).length;
      expect(await page.locator('#targets-table tbody tr').count()).toBe(n);

      await input.fill('托位');
      const chinese = await pickerOptions(page, 'filter-metric-list');
      expect(chinese.length).toBeGreaterThan(0);
      for (const option of chinese) expect(option.zh).toContain('托位');
      expect(chinese.map((o) => o.value).sort()).toEqual(
        [...new Set(service.targets({}).map((t) => t.metric))].filter((m) => m.includes('托位')).sort(),
      );
      await browser.screenshot(`journalist-${device.name}-picker-chinese`);
      // Escape closes the list and puts back the metric picked before.
      await input.press('Escape');
      expect(await input.getAttribute('aria-expanded')).toBe('false');
      expect(await input.inputValue()).toBe(FAMILY_DOCTOR);
    });

    it('keeps the Targets filters in the URL: a reload and Back restore them', async () => {
      const regionOf = (name: string) => service.targets({ region: name, metric: FAMILY_DOCTOR }).length;
      await page.locator('#filter-region').selectOption('西宁市');
      await page.waitForFunction(() => location.hash.includes('region='));
      await waitForTargets(page);
      const url = page.url();
      expect(await page.locator('#targets-table tbody tr').count()).toBe(regionOf('西宁市'));

      await page.reload();
      await waitForTargets(page);
      expect(page.url()).toBe(url);
      expect(await page.locator('#filter-region').inputValue()).toBe('西宁市');
      expect(await page.locator('#filter-metric-input').inputValue()).toBe(FAMILY_DOCTOR);
      await page.waitForFunction(
        (n) => document.querySelectorAll('#targets-table tbody tr').length === n,
        regionOf('西宁市'),
      );
      await browser.screenshot(`journalist-${device.name}-targets-from-url`);

      await page.locator('#filter-region').selectOption('嘉兴市');
      await page.waitForFunction(() => decodeURIComponent(location.hash).includes('嘉兴市'));
      await page.waitForFunction(
        (n) => document.querySelectorAll('#targets-table tbody tr').length === n,
        regionOf('嘉兴市'),
      );
      await page.goBack();
      await page.waitForFunction((u) => location.href === u, url);
      await page.waitForFunction(
        (n) => document.querySelectorAll('#targets-table tbody tr').length === n,
        regionOf('西宁市'),
      );
      expect(await page.locator('#filter-region').inputValue()).toBe('西宁市');
      expect(await page.locator('#filter-metric-input').inputValue()).toBe(FAMILY_DOCTOR);
    });

    it('draws the comparison as a chart of every place, exports it as PNG and the table as CSV', async () => {
      const targets = service.targets({}).filter((t) => t.metricGroup === FAMILY_DOCTOR);
      const places = [...new Set(targets.map((t) => t.region))].sort((a, b) => a.localeCompare(b, 'zh'));
      await page.goto(`${server.url}/#/compare?metric=${encodeURIComponent(FAMILY_DOCTOR)}`);
      await waitForCompare(page);
      expect(await page.locator('#compare-metric').inputValue()).toBe(FAMILY_DOCTOR);
      expect(await page.locator('#compare-table tbody tr').count()).toBe(places.length);

      const drawn = await page.locator('#compare-canvas').evaluate((canvas: HTMLCanvasElement) => {
        const chart = (
          window as unknown as { Chart: { getChart(c: HTMLCanvasElement): DrawnChart } }
        ).Chart.getChart(canvas);
        const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        let inked = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          if ((pixels[i] ?? 255) < 200 || (pixels[i + 1] ?? 255) < 200 || (pixels[i + 2] ?? 255) < 200)
            inked++;
        }
        return {
          labels: chart.data.labels as string[],
          points: chart.data.datasets.reduce((n: number, d: { data: unknown[] }) => n + d.data.length, 0),
          values: chart.data.datasets.flatMap(
            (d: { data: { x: string; y: number; target: { valueText: string } }[] }) =>
              d.data.map((p) => `${p.x} ${p.y} ${p.target.valueText}`),
          ),
          inked,
          width: canvas.width,
          height: canvas.height,
        };
      });
      expect(drawn.labels).toEqual(places);
      expect(drawn.points).toBe(targets.length);
      // Each dot is a stated value at its lower bound (45%以上 at 45), never a made-up one.
      expect(drawn.values.sort()).toEqual(targets.map((t) => `${t.region} ${t.value} ${t.valueText}`).sort());
      expect(drawn.inked).toBeGreaterThan(500);
      await page.locator('#compare-canvas').scrollIntoViewIfNeeded();
      await browser.screenshot(`journalist-${device.name}-compare-chart`);

      const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#compare-png').click()]);
      expect(png.suggestedFilename()).toMatch(/\.png$/);
      const image = await readFile((await png.path()) as string);
      expect([...image.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // The IHDR chunk gives the image's size: the canvas's pixels.
      expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([drawn.width, drawn.height]);

      const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#compare-csv').click()]);
      expect(csv.suggestedFilename()).toMatch(/\.csv$/);
      const text = await readFile((await csv.path()) as string, 'utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const rows = parseCsv(text.slice(1));
      const table = await comparisonTableRows(page);
      expect(rows).toEqual(table);
      expect(rows.length).toBe(places.length + 1);
    });

    it('keeps the compared metric in the URL: Back returns to the metric before', async () => {
      const before = page.url();
      const input = page.locator('#compare-metric');
      await input.fill('托位');
      const options = await pickerOptions(page, 'compare-metric-list');
      expect(options.length).toBeGreaterThan(0);
      for (const option of options) expect(`${option.zh}`).toContain('托位');
      await input.press('Enter');
      await page.waitForFunction((u) => location.href !== u, before);
      await waitForCompare(page);
      const picked = options[0]?.value ?? '';
      expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('metric')).toBe(picked);
      await browser.screenshot(`journalist-${device.name}-compare-nursery`);

      await page.goBack();
      await page.waitForFunction((u) => location.href === u, before);
      await page.waitForFunction(
        (m) => (document.getElementById('compare-metric') as HTMLInputElement).value === m,
        FAMILY_DOCTOR,
      );
      await waitForCompare(page);
      expect(await page.locator('#compare-table tbody tr').count()).toBe(
        new Set(
          service
            .targets({})
            .filter((t) => t.metricGroup === FAMILY_DOCTOR)
            .map((t) => t.region),
        ).size,
      );
    });

    it('draws a range at its lower bound and quotes it as written', async () => {
      const range = service.targets({}).find((t) => t.valueMax !== null);
      if (!range) throw new Error('no target states a range');
      await page.goto(`${server.url}/#/compare?metric=${encodeURIComponent(range.metricGroup)}`);
      await waitForCompare(page);
      const point = await page
        .locator('#compare-canvas')
        .evaluate((canvas: HTMLCanvasElement, id: string) => {
          const chart = (
            window as unknown as { Chart: { getChart(c: HTMLCanvasElement): RangeChart } }
          ).Chart.getChart(canvas);
          for (const dataset of chart.data.datasets) {
            const raw = dataset.data.find((p) => p.target.id === id);
            if (raw)
              return { y: raw.y, label: chart.options.plugins.tooltip.callbacks.label({ dataset, raw }) };
          }
          return null;
        }, range.id);
      expect(point?.y).toBe(range.value);
      expect(point?.label).toContain(range.valueText);
      expect(point?.label).toContain('lower bound');
      expect(await page.locator('#compare-chart-note').textContent()).toContain('lower bound');
    });

    it('draws a table row under its year headers with the cited cell marked, and searches the document', async () => {
      const { target, detail, header } = tableRowTarget();
      await page.goto(
        `${server.url}/#/targets?${new URLSearchParams({ region: target.region, metric: target.metric })}`,
      );
      await waitForTargets(page);
      const row = page.locator(`#targets-table tr[data-target-id="${target.id}"]`);
      await row.locator('button.source-link').click();
      const mark = page.locator('#doc-highlight');
      await mark.waitFor();
      expect(await mark.textContent()).toBe(detail.text.slice(target.start, target.end));
      const table = page.locator('#doc-panel-text table.doc-table', { has: mark });
      const headers = await table.locator('thead th').allTextContents();
      expect(headers).toContain('2024年度');
      expect(headers).toContain('2025年度');
      // The mark sits in the cell under its year's header, in the row marked as cited.
      expect(await mark.evaluate((m) => m.closest('td')?.getAttribute('data-header'))).toBe(header);
      expect(await mark.evaluate((m) => m.closest('td')?.classList.contains('cited-cell'))).toBe(true);
      expect(await mark.evaluate((m) => m.closest('tr')?.classList.contains('cited-row'))).toBe(true);
      // Cells are drawn without the text's " |" separators, and the header line is not repeated as text.
      expect(await table.locator('td').first().textContent()).not.toMatch(/\|\s*$/);
      expect(await table.textContent()).not.toContain(' |');
      await mark.scrollIntoViewIfNeeded();
      await browser.screenshot(`journalist-${device.name}-panel-table`);

      const from = Number(await page.locator('#doc-panel-text').getAttribute('data-start'));
      const to = Number(await page.locator('#doc-panel-text').getAttribute('data-end'));
      expect(from > 0 || to < detail.text.length).toBe(true);
      const query = '家庭医生';
      const expected = detail.text.split(query).length - 1;
      expect(expected).toBeGreaterThan(1);
      await page.locator('#doc-panel-search-input').fill(query);
      await page.locator('#doc-panel-search-input').press('Enter');
      await page
        .locator('#doc-panel-search-status')
        .filter({ hasText: `Match 1 of ${expected}` })
        .waitFor();
      // The whole document was loaded to search it, and every match is marked.
      expect(await page.locator('#doc-panel-text').getAttribute('data-start')).toBe('0');
      expect(await page.locator('#doc-panel-text').getAttribute('data-end')).toBe(String(detail.text.length));
      const hits = page.locator('#doc-panel-text mark.search-hit');
      expect(await hits.count()).toBe(expected);
      for (const text of await hits.allTextContents()) expect(text).toBe(query);
      const active = page.locator('#doc-panel-text mark.search-hit.active');
      expect(await active.getAttribute('data-hit')).toBe('0');
      expect(await active.isVisible()).toBe(true);
      await page.locator('#doc-panel-search-input').press('Enter');
      await page
        .locator('#doc-panel-search-status')
        .filter({ hasText: `Match 2 of ${expected}` })
        .waitFor();
      expect(await active.getAttribute('data-hit')).toBe('1');
      await browser.screenshot(`journalist-${device.name}-panel-search`);
      await page.locator('#doc-panel-close').click();
    });

    it('had no script errors or CSP violations', () => {
      expect(browser.problems).toEqual([]);
    });
  });
}
