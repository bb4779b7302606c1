import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareToBaseline, readBaseline } from '../evals/baseline.ts';
import { escapeHtml, writeReportHtml } from '../evals/report-html.ts';
import { buildReport, type EvalReport, writeReportJson } from '../evals/report-json.ts';
import { writeReportMarkdown } from '../evals/report-markdown.ts';
import { runSet } from '../evals/run-set.ts';
import type { EvalItem } from '../evals/set-format.ts';
import { answerResult, type CannedAnswer } from './evals-fixtures.ts';
import { textWithoutItsLang } from './support/lang-check.ts';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUOTE = '到2027年，全市每千人口执业（助理）医师数达到3.6人';
const INJECTED = '<script>window.__pwned = 1</script>';

const items: EvalItem[] = [
  {
    id: 'doctors',
    question: '嘉兴每千人口医师数目标?',
    facts: ['3.6人'],
    quotes: [QUOTE],
    tags: ['jiaxing'],
  },
  { id: 'script', question: '回答里有 <b>标签</b>?', facts: ['3.6人'], quotes: [QUOTE], tags: ['security'] },
  { id: 'hangzhou', question: '杭州的目标?', facts: [], quotes: [], unanswerable: true, tags: ['refusal'] },
];

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'zhengce-evals-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function reportFor(canned: Record<string, CannedAnswer>): Promise<EvalReport> {
  const scores = await runSet(items, async (req) => answerResult(canned[req.question]!));
  return buildReport({
    setName: 'smoke',
    setPath: 'evals/sets/smoke.jsonl',
    problems: [{ line: 4, message: 'not valid JSON: <oops>' }],
    target: 'in-process (data/index)',
    startedAt: new Date('2025-01-01T00:00:00Z'),
    finishedAt: new Date('2025-01-01T00:00:05Z'),
    scores,
  });
}

const allGood: Record<string, CannedAnswer> = {
  '嘉兴每千人口医师数目标?': {
    answer: '每千人口执业（助理）医师数达到3.6人。[1]',
    cited: [QUOTE],
    retrieved: [QUOTE],
  },
  '回答里有 <b>标签</b>?': {
    answer: `达到3.6人。[1]${INJECTED}`,
    cited: [`${QUOTE}${INJECTED}`],
    retrieved: [QUOTE],
  },
  '杭州的目标?': { status: 'not_found' },
};

describe('escapeHtml', () => {
  it('escapes markup and both quote characters', () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;',
    );
  });
});

describe('reports', () => {
  it('writes report.json, report.md and report.html with the run metrics and every item', async () => {
    const report = await reportFor({
      ...allGood,
      '嘉兴每千人口医师数目标?': {
        answer: '每千人口医师数达到3.5人 | 见附表。[1]',
        cited: [QUOTE],
        retrieved: [QUOTE],
      },
    });
    const dir = join(tmp, 'plain');
    await writeReportJson(dir, report);
    await writeReportMarkdown(dir, report);
    await writeReportHtml(dir, report);

    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(json.metrics.answerAccuracy).toBe(2 / 3);
    expect(json.items[0]).toMatchObject({
      id: 'doctors',
      status: 'answered',
      passed: false,
      missedFacts: ['3.6人'],
      missedQuotes: [],
      retrievalRank: 1,
      citations: [{ n: 1, docId: 'jiaxing-2024-health-modernisation-opinions', text: QUOTE }],
    });
    expect(json.items[0].citations[0].headingPath).toEqual(['二、主要任务', '(一)提升医疗服务能力']);

    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('| Answer accuracy | 66.7% |');
    expect(md).toContain('## Metrics per tag');
    // Pass rate, answer accuracy, lead accuracy (no lead line: —), citation precision, hit@5.
    expect(md).toMatch(/\| jiaxing \| 1 \| 0\.0% \| 0\.0% \| — \| 100\.0% \| 100\.0% \|/);
    expect(md).toContain('## Failures (1)');
    expect(md).toContain(
      '| doctors | 嘉兴每千人口医师数目标? | answered | 3.6人 |  | 每千人口医师数达到3.5人 \\| 见附表。[1] |',
    );
    expect(md).toContain('| 4 | not valid JSON: &lt;oops&gt; |');
  });

  it('HTML-escapes answers, citations and questions', async () => {
    const report = await reportFor(allGood);
    const written = await readFile(await writeReportHtml(join(tmp, 'escape'), report), 'utf8');
    // Chinese stretches are wrapped in <span lang="zh-CN"> (textHtml); the escaping is read without them.
    expect(written).toContain('<span lang="zh-CN">达到3.6人。</span>');
    const html = written.replace(/<span lang="zh-CN">|<\/span>/g, '');
    expect(html).toContain('达到3.6人。[1]&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(html).toContain('回答里有 &lt;b&gt;标签&lt;/b&gt;?');
    expect(html).not.toContain(INJECTED);
    expect(html).not.toContain('<b>标签');
    // Exactly one script element: the page's own filter script.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('lists regressions first against a baseline, with fixes and metric deltas', async () => {
    const before = await reportFor({ ...allGood, '杭州的目标?': { answer: '杭州……', cited: [QUOTE] } });
    const baselinePath = await writeReportJson(join(tmp, 'before'), before);
    const after = await reportFor({
      ...allGood,
      '回答里有 <b>标签</b>?': { status: 'not_found', retrieved: [QUOTE] },
    });
    after.baseline = compareToBaseline(after, await readBaseline(baselinePath), baselinePath);

    expect(after.baseline.regressions.map((item) => item.id)).toEqual(['script']);
    expect(after.baseline.fixes.map((item) => item.id)).toEqual(['hangzhou']);
    const refusal = after.baseline.deltas.find((delta) => delta.key === 'refusalAccuracy');
    expect(refusal).toMatchObject({ baseline: 0, current: 1, delta: 1, improved: true });
    const falseRefusal = after.baseline.deltas.find((delta) => delta.key === 'falseRefusalRate');
    expect(falseRefusal).toMatchObject({ baseline: 0, current: 0.5, improved: false });

    const html = await readFile(await writeReportHtml(join(tmp, 'after'), after), 'utf8');
    const rowOf = (id: string) => html.indexOf(`id="item-${id}"`);
    expect(rowOf('script')).toBeGreaterThan(-1);
    expect(rowOf('script')).toBeLessThan(rowOf('doctors'));
    expect(html).toContain('REGRESSION');
    const md = await readFile(await writeReportMarkdown(join(tmp, 'after'), after), 'utf8');
    expect(md).toContain('### Regressions');
    expect(md).toContain('| Refusal accuracy | 100.0% | 0.0% | +100.0 pt |');
  });

  it('rejects a baseline that is not a report.json', async () => {
    const path = join(tmp, 'not-a-report.json');
    await writeFile(path, JSON.stringify({ hello: 'world' }));
    await expect(readBaseline(path)).rejects.toThrow(/is not an evaluation report\.json \(metrics: /);
  });

  it('opens in a browser, runs no injected script, and filters by outcome and tag', async () => {
    const report = await reportFor({
      ...allGood,
      '嘉兴每千人口医师数目标?': { answer: '没有数字。', cited: [], retrieved: [] },
    });
    const path = await writeReportHtml(join(tmp, 'browser'), report);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(path).href);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await expect(page.locator('tr.item[data-outcome] .answer').nth(1).textContent()).resolves.toContain(
        INJECTED,
      );
      await expect(page.locator('#filter-count').textContent()).resolves.toBe('3 of 3 items');
      // The report is in English; every question, answer, quote and clause shown in it is marked Chinese.
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await page.locator('details').evaluateAll((all) => {
        for (const d of all) (d as HTMLDetailsElement).open = true;
      });
      expect(await page.locator('body [lang="zh-CN"]').count()).toBeGreaterThan(0);
      expect(await textWithoutItsLang(page)).toEqual([]);

      await page.selectOption('#filter-outcome', 'fail');
      await expect(page.locator('tr.item:visible').count()).resolves.toBe(1);
      await expect(page.locator('tr.item:visible').getAttribute('id')).resolves.toBe('item-doctors');

      await page.selectOption('#filter-outcome', 'all');
      await page.selectOption('#filter-tag', 'refusal');
      await expect(page.locator('tr.item:visible').getAttribute('id')).resolves.toBe('item-hangzhou');
      expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});

describe('npm run eval (CLI) against a server on 127.0.0.1', () => {
  /** What the fake server answers, by question; a number is an error status. */
  let answers: Record<string, CannedAnswer | number>;
  const received: unknown[] = [];
  let server: Server;
  let serverUrl: string;
  let setPath: string;

  const setLines = [
    JSON.stringify({
      id: 'doctors',
      question: '嘉兴每千人口医师数目标?',
      facts: ['3.6人'],
      quotes: [QUOTE],
      tags: ['jiaxing'],
    }),
    JSON.stringify({
      id: 'xining',
      question: '那西宁呢?',
      facts: ['3.2人'],
      quotes: ['3.2人'],
      history: [{ role: 'user', content: '嘉兴每千人口医师数目标?' }],
    }),
    JSON.stringify({ id: 'hangzhou', question: '杭州的目标?', facts: [], quotes: [], unanswerable: true }),
  ];

  const good: Record<string, CannedAnswer> = {
    '嘉兴每千人口医师数目标?': {
      answer: '达到3.6人。[1]',
      lead: '达到3.6人。[1]',
      cited: [QUOTE],
      retrieved: [QUOTE],
    },
    '那西宁呢?': {
      answer: '西宁达到3.2人。[1]',
      cited: ['每千人口执业（助理）医师数3.2人'],
      retrieved: ['每千人口执业（助理）医师数3.2人'],
    },
    '杭州的目标?': { status: 'not_found' },
  };

  function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      // The entry behind `npm run eval` (tests/cli.test.ts runs it through npm): one node process instead of
      // npx's and tsx's launchers on top, which took about half of each of these runs.
      const child = spawn(process.execPath, ['--import', 'tsx', 'evals/cli.ts', ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/api/ask') {
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end('{"error":{"code":"not_found","message":"no route"}}');
          return;
        }
        const request = JSON.parse(body) as { question: string };
        received.push(request);
        const canned = answers[request.question];
        if (typeof canned === 'number' || canned === undefined) {
          res
            .writeHead(canned ?? 400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 'index_missing', message: '索引未加载' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answerResult(canned)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    setPath = join(tmp, 'cli-set.jsonl');
    await writeFile(setPath, `${setLines.join('\n')}\n`);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('exits 0, prints the summary and writes the three reports', async () => {
    answers = { ...good };
    received.length = 0;
    const out = join(tmp, 'cli-run1');
    const { code, stdout, stderr } = await runCli(['--set', setPath, '--server', serverUrl, '--out', out]);

    expect(stderr).toContain('eval: 3/3 items, 3 passed');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Answer accuracy\s+100\.0%/);
    expect(stdout).toMatch(/hit@5\s+100\.0%/);
    expect(stdout).toMatch(/Lead accuracy\s+100\.0%/);
    expect(stdout).toMatch(/Citation precision\s+100\.0%/);
    // The per-tag table: answer accuracy, lead accuracy, citation precision, refusals, wrong refusals.
    expect(stdout).toMatch(/^Tag\s+Items\s+Answer\s+Lead\s+Cit\.prec\s+Refused\s+Wrong ref\.$/m);
    expect(stdout).toMatch(/^jiaxing\s+1\s+100\.0%\s+100\.0%\s+100\.0%\s+—\s+0\.0%$/m);
    expect(stdout).toContain('report.html');
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(json.target).toBe(serverUrl);
    expect(json.items.map((item: { passed: boolean }) => item.passed)).toEqual([true, true, true]);
    await expect(readFile(join(out, 'report.md'), 'utf8')).resolves.toContain('## Failures (0)');
    expect(received).toContainEqual({
      question: '那西宁呢?',
      history: [{ role: 'user', content: '嘉兴每千人口医师数目标?' }],
    });
  });

  it('exits 1 and names the threshold when a minimum is not met', async () => {
    answers = { ...good, '那西宁呢?': { answer: '西宁达到3.0人。', cited: [], retrieved: [] } };
    const { code, stderr } = await runCli([
      '--set',
      setPath,
      '--server',
      serverUrl,
      '--out',
      join(tmp, 'cli-threshold'),
      '--min-answer-accuracy',
      '0.9',
      '--min-hit-at-5',
      '0.4',
      '--min-refusal-accuracy',
      '1',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('eval: FAIL: Answer accuracy 66.7% is below the minimum 90.0%');
    expect(stderr).not.toContain('hit@5');
    expect(stderr).not.toContain('Refusal accuracy');
  });

  it('exits 0 with a failing item when no gate is asked for', async () => {
    answers = { ...good, '那西宁呢?': { answer: '西宁达到3.0人。', cited: [], retrieved: [] } };
    const { code } = await runCli([
      '--set',
      setPath,
      '--server',
      serverUrl,
      '--out',
      join(tmp, 'cli-nogate'),
    ]);
    expect(code).toBe(0);
  });

  it('exits 1 with --fail-on-regression and prints which items regressed', async () => {
    answers = { ...good, '杭州的目标?': { answer: '杭州达到3.6人。', cited: [QUOTE] } };
    const baseline = join(tmp, 'cli-run1', 'report.json');
    const out = join(tmp, 'cli-regression');
    const { code, stdout, stderr } = await runCli([
      '--set',
      setPath,
      '--server',
      serverUrl,
      '--out',
      out,
      '--baseline',
      baseline,
      '--fail-on-regression',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('regressed: hangzhou  杭州的目标?');
    expect(stderr).toContain('eval: FAIL: 1 regression(s) against the baseline: hangzhou');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html.indexOf('id="item-hangzhou"')).toBeLessThan(html.indexOf('id="item-doctors"'));
  });

  it('exits 1 and reports the server error message when the server answers 500', async () => {
    answers = { ...good, '那西宁呢?': 500 };
    const out = join(tmp, 'cli-500');
    const { code, stderr } = await runCli(['--set', setPath, '--server', serverUrl, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `1 item(s) failed with an error: xining (first: POST ${serverUrl}/api/ask returned 500: index_missing: 索引未加载)`,
    );
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(json.items[1].error).toContain('索引未加载');
  });

  it('exits 2 on usage errors and unreadable sets, and skips bad lines with their numbers', async () => {
    const onlyBad = join(tmp, 'only-bad.jsonl');
    await writeFile(onlyBad, 'not json\n{"id":"x"}\n');
    const mixed = join(tmp, 'mixed.jsonl');
    await writeFile(mixed, `${setLines[0]}\n{"id": 1}\n`);
    answers = { ...good };
    const [noSet, badFraction, unknown, missing, allBad, noBaseline, ok] = await Promise.all([
      runCli(['--server', serverUrl]),
      runCli(['--set', setPath, '--server', serverUrl, '--min-hit-at-5', '1.5']),
      runCli(['--set', setPath, '--bogus']),
      runCli(['--set', join(tmp, 'missing.jsonl'), '--server', serverUrl]),
      runCli(['--set', onlyBad, '--server', serverUrl]),
      runCli(['--set', setPath, '--server', serverUrl, '--fail-on-regression']),
      runCli(['--set', mixed, '--server', serverUrl, '--out', join(tmp, 'cli-mixed')]),
    ]);
    expect([noSet.code, badFraction.code, unknown.code, missing.code, allBad.code, noBaseline.code]).toEqual([
      2, 2, 2, 2, 2, 2,
    ]);
    expect(noSet.stderr).toContain('eval: --set <file.jsonl> is required');
    expect(noSet.stderr).toContain('Usage: npm run eval -- --set <file.jsonl>');
    expect(badFraction.stderr).toContain('--min-hit-at-5 must be a number from 0 to 1, got "1.5"');
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    expect(missing.stderr).toContain(`eval: cannot read set ${join(tmp, 'missing.jsonl')}`);
    expect(allBad.stderr).toContain(`${onlyBad}:1: skipped: not valid JSON`);
    expect(allBad.stderr).toContain(`eval: ${onlyBad} has no valid items`);
    expect(noBaseline.stderr).toContain('--fail-on-regression needs --baseline <report.json>');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`${mixed}:2: skipped: id: `);
  });
});
