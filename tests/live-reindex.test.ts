/**
 * Re-indexing a running server, through its admin API, with the build in a child process: one job at a
 * time (409 with progress), the switch without a restart, uploads stored under safe names and indexed,
 * removals, a build published by another process picked up, and asks that keep being answered, right and
 * about as fast, while the index is rebuilt and swapped.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDocumentPaths } from '../ingest/added-documents.ts';
import { buildIndex } from '../ingest/build-index.ts';
import { currentIndexDir } from '../ingest/store/index-location.ts';
import { createLiveService, type LiveService } from '../server/live-service.ts';
import { adminActionsFor } from '../server/reindex/admin-actions.ts';
import { launchTestBrowser } from './support/http-browser.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

const ADMIN_TOKEN = 'live-reindex-test-token-0123456789';
const SEEDS = join(import.meta.dirname, '..', 'seeds');
/** A real document none of the seeds is about (a national regulation), to add and remove. */
const EXTRA = join(import.meta.dirname, 'fixtures', 'real-docs');

let dir: string;
let live: LiveService;
let server: TestServer;

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

async function ask(question: string): Promise<{ status: number; answer: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/ask`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  const body = await json(res);
  return { status: res.status, answer: String(body.answer ?? ''), ms: performance.now() - started };
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-live-'));
  cpSync(SEEDS, join(dir, 'corpus'), { recursive: true });
  live = await createLiveService({
    corpusDir: join(dir, 'corpus'),
    indexDir: join(dir, 'index'),
    llm: null,
    // Every ask does the whole work, so the latency comparison measures answering, not a cache.
    answerCacheSize: 0,
    watchIntervalMs: 200,
  });
  server = await startTestServer({
    service: live.service,
    adminToken: ADMIN_TOKEN,
    admin: adminActionsFor(live),
    maxUploadBytes: 2 * 1024 * 1024,
  });
});

afterAll(async () => {
  live.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('re-indexing a running server', () => {
  it('runs one job at a time: a second request gets 409 with the running job, then the new index is served', async () => {
    const before = live.current().index.dir;
    const first = fetch(`${server.url}/api/admin/reingest`, { method: 'POST', headers: auth });
    // The job starts synchronously on the first request; give the request a moment to arrive.
    let second: Response | null = null;
    for (let i = 0; i < 50 && live.job()?.state !== 'running'; i++)
      await new Promise((r) => setTimeout(r, 20));
    second = await fetch(`${server.url}/api/admin/reingest`, { method: 'POST', headers: auth });
    expect(second.status).toBe(409);
    const busy = await json(second);
    expect((busy.error as { code: string }).code).toBe('reingest_in_progress');
    expect((busy.job as { state: string; kind: string }).state).toBe('running');
    const status = await json(await fetch(`${server.url}/api/admin/jobs/current`, { headers: auth }));
    expect((status.job as { state: string }).state).toBe('running');

    const done = await first;
    expect(done.status).toBe(200);
    const body = await json(done);
    const job = body.job as {
      state: string;
      summary: { files: { parsed: number; reused: number; embeddedChunks: number } };
    };
    expect(job.state).toBe('done');
    // Nothing changed in the corpus: every file comes from the parse cache.
    expect(job.summary.files).toEqual({ parsed: 0, reused: 5, embeddedChunks: 0 });
    expect(live.current().index.dir).not.toBe(before);
    expect(live.current().index.dir).toBe(currentIndexDir(join(dir, 'index')));
    // The build folder of the previous index is kept for requests still on it; nothing else is left.
    const builds = readdirSync(join(dir, 'index')).filter((n) => n.startsWith('build-'));
    expect(builds.length).toBeLessThanOrEqual(2);
  });

  it('keeps answering while it re-indexes: no error, the same answers, many answers during the rebuild', async () => {
    const questions = [
      '新建区计划到2025年家庭医生签约服务覆盖率达到多少?',
      '新建区2023年计划新增多少个社区托育中心?',
      'How many childcare places per 1,000 people does Xinjian plan for 2024?',
      '新建区到2025年孕产妇死亡率要控制在多少以下?',
    ];
    const expected = new Map<string, string>();
    for (const q of questions) expected.set(q, (await ask(q)).answer);
    const load = async (until: () => boolean) => {
      const results: { status: number; answer: string; ms: number; question: string }[] = [];
      await Promise.all(
        [0, 1, 2].map(async (worker) => {
          for (let i = worker; !until(); i++) {
            const question = questions[i % questions.length] ?? '';
            results.push({ ...(await ask(question)), question });
          }
        }),
      );
      return results;
    };
    const normalEnds = performance.now() + 2500;
    const normal = await load(() => performance.now() > normalEnds);
    let finished = false;
    const job = fetch(`${server.url}/api/admin/reingest`, { method: 'POST', headers: auth }).then(
      async (res) => {
        // A little after the switch too: the first answers on the new index are part of the swap.
        await new Promise((r) => setTimeout(r, 300));
        finished = true;
        return res;
      },
    );
    const during = await load(() => finished);
    expect((await job).status).toBe(200);

    for (const r of [...normal, ...during]) {
      expect(r.status).toBe(200);
      expect(r.answer, r.question).toBe(expected.get(r.question));
    }
    expect(during.length).toBeGreaterThan(20);
    const ratio = p95(during.map((r) => r.ms)) / p95(normal.map((r) => r.ms));
    console.log(
      `asks: normal p95 ${p95(normal.map((r) => r.ms)).toFixed(1)} ms (${normal.length}), during re-index p95 ${p95(during.map((r) => r.ms)).toFixed(1)} ms (${during.length}), ratio ${ratio.toFixed(2)}`,
    );
    // The latency ratio is printed, not asserted: on a shared 2-core machine it swings with other load
    // (1.2× to 2.6× in one afternoon), and time figures belong in `npm run bench`, not in a pass/fail test.
  });

  it('adds an uploaded document under a safe name and answers from it; removes it again', async () => {
    const name = '../../../etc/疫苗管理法.md';
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(join(EXTRA, 'beijing-npc-standing-committee-covid19-decision-2020.md'));
    const res = await fetch(`${server.url}/api/admin/documents?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    const added = body.added as { path: string };
    expect(added.path).toBe('added/疫苗管理法.md');
    expect(existsSync(join(dir, 'index', 'added', '疫苗管理法.md'))).toBe(true);
    expect(existsSync('/etc/疫苗管理法.md')).toBe(false);
    const docs = body.documents as { docId: string; source: string }[];
    expect(docs.length).toBe(1);
    const listed = (await json(await fetch(`${server.url}/api/documents`))).documents as { docId: string }[];
    expect(listed.map((d) => d.docId)).toContain(docs[0]?.docId);
    const question = '北京市人大常委会关于依法防控新型冠状病毒感染肺炎疫情的决定是哪天通过的?';
    const answered = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question }),
    });
    const result = (await answered.json()) as { answer: string; citations: { docId: string }[] };
    expect(
      result.citations.map((c) => c.docId),
      result.answer,
    ).toContain(docs[0]?.docId);
    expect(result.answer).toContain('2020年2月7日');

    const removed = await fetch(`${server.url}/api/admin/documents/${docs[0]?.docId}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(removed.status).toBe(200);
    const after = (await json(await fetch(`${server.url}/api/documents`))).documents as { docId: string }[];
    expect(after.map((d) => d.docId)).not.toContain(docs[0]?.docId);
    expect(existsSync(join(dir, 'index', 'added', '疫苗管理法.md'))).toBe(false);
  });

  it('refuses uploads it cannot index, too large or without a token, and loses nothing', async () => {
    const upload = (name: string, body: Uint8Array, headers: Record<string, string> = auth) =>
      fetch(`${server.url}/api/admin/documents?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/octet-stream' },
        body: new Uint8Array(body),
      });
    const count = live.current().listDocuments().length;
    const exe = await upload('tool.exe', Buffer.from([0x4d, 0x5a, 0, 0]));
    expect(exe.status).toBe(415);
    expect(((await json(exe)).error as { code: string }).code).toBe('unsupported_file');
    const empty = await upload('empty.txt', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const huge = await upload('huge.txt', Buffer.alloc(3 * 1024 * 1024, 0x41));
    expect(huge.status).toBe(413);
    const anonymous = await upload('note.txt', Buffer.from('关于印发的通知'), {});
    expect(anonymous.status).toBe(401);
    expect(live.current().listDocuments().length).toBe(count);
    expect(readdirSync(join(dir, 'index', 'added')).filter((n) => !n.endsWith('.json'))).toEqual([]);
  });

  it('lets an administrator add and remove a document in the page', async () => {
    const browser = await launchTestBrowser({ locale: 'en-US' });
    try {
      const { page } = browser;
      await page.goto(`${server.url}/#/documents`);
      await page.locator('#admin-documents summary').click();
      await page.locator('#admin-token').fill(ADMIN_TOKEN);
      await page
        .locator('#upload-files')
        .setInputFiles(join(EXTRA, 'medical-institutions-regulation-2016.md'));
      await page.getByRole('button', { name: 'Add and index' }).click();
      const done = page.locator('#upload-status .status.ok');
      await done.waitFor({ timeout: 60_000 });
      expect(await done.textContent()).toContain('医疗机构管理条例');
      await page.locator('.document-card h2', { hasText: '医疗机构管理条例' }).first().waitFor();

      const option = page.locator('#remove-doc option', { hasText: '医疗机构管理条例' }).first();
      await page.locator('#remove-doc').selectOption((await option.getAttribute('value')) ?? '');
      await page.getByRole('button', { name: 'Remove from the index' }).click();
      await page.locator('#upload-status .status.ok', { hasText: 'Removed' }).waitFor({ timeout: 60_000 });
      expect(await page.locator('.document-card h2', { hasText: '医疗机构管理条例' }).count()).toBe(0);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('switches to an index another process published (npm run ingest beside the server)', async () => {
    const before = live.current().listDocuments().length;
    const config = live.current().ingest;
    addDocumentPaths(config, [EXTRA]);
    await buildIndex(config);
    for (let i = 0; i < 50 && live.current().listDocuments().length === before; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(live.current().listDocuments().length).toBeGreaterThan(before);
    const health = (await json(await fetch(`${server.url}/healthz`))) as {
      manifest: { counts: { documents: number } };
    };
    expect(health.manifest.counts.documents).toBe(live.current().listDocuments().length);
  });
});
