/**
 * A shared permalink in a real Chromium, against the real service: user A asks in one browser and sends the
 * link; someone in a fresh browser (own profile, own storage) sees that answer with its citations and
 * nothing else of A's conversation, and what they ask there does not land in A's conversation. Then A
 * deletes the conversation from the page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestBrowser, type TestBrowser } from './support/http-browser.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

const SHARED_QUESTION = "What is Jiaxing's 2027 family-doctor target?";
const CLAUSE_14 = '家庭医生签约服务覆盖率达到45%以上';
const PRIVATE_QUESTION = '我母亲住在嘉兴,2027年家庭医生签约覆盖率要达到多少?';
const VISITOR_QUESTION = '那西宁呢?';

interface ConversationKey {
  id: string;
  token: string;
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

async function askInPage(page: Page, question: string, turnsBefore: number): Promise<void> {
  await page.locator('#question').fill(question);
  await page.locator('#question').press('Enter');
  await page.locator('#messages .turn[data-answer-id]').nth(turnsBefore).waitFor({ timeout: 60_000 });
}

function storedKey(page: Page): Promise<ConversationKey | null> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('zhengce.conversation') ?? 'null'));
}

/** A's conversation as the server has it, read with A's token from outside any browser. */
async function questionsOf(key: ConversationKey): Promise<{ status: number; questions: string[] }> {
  const response = await fetch(`${server.url}/api/conversations/${key.id}`, {
    headers: { 'X-Conversation-Token': key.token },
  });
  if (response.status !== 200) return { status: response.status, questions: [] };
  const body = (await response.json()) as { turns: { question: string }[] };
  return { status: 200, questions: body.turns.map((t) => t.question) };
}

describe('a permalink shared from one browser and opened in another', () => {
  let userA: TestBrowser;
  let visitor: TestBrowser;
  let keyA: ConversationKey;
  let permalinkUrl: string;
  /** Everything the visitor's browser received from the API and sent over the WebSocket. */
  const visitorSaw: string[] = [];
  const visitorSent: Record<string, unknown>[] = [];

  beforeAll(async () => {
    userA = await launchTestBrowser({ locale: 'en-US' });
    visitor = await launchTestBrowser({ locale: 'en-US' });
    visitor.page.on('response', async (response) => {
      if (!response.url().includes('/api/')) return;
      visitorSaw.push(await response.text().catch(() => ''));
    });
    visitor.page.on('websocket', (ws) => {
      ws.on('framereceived', (frame) => visitorSaw.push(String(frame.payload)));
      ws.on('framesent', (frame) => visitorSent.push(JSON.parse(String(frame.payload))));
    });
  });

  afterAll(async () => {
    await userA?.close();
    await visitor?.close();
  });

  it('user A asks twice in one conversation and copies the permalink of the first answer', async () => {
    await userA.page.goto(server.url);
    await askInPage(userA.page, SHARED_QUESTION, 0);
    await askInPage(userA.page, PRIVATE_QUESTION, 1);
    const key = await storedKey(userA.page);
    expect(key?.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(key?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    keyA = key as ConversationKey;
    expect(await questionsOf(keyA)).toEqual({ status: 200, questions: [SHARED_QUESTION, PRIVATE_QUESTION] });

    await userA.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const first = userA.page.locator('#messages .turn[data-answer-id]').first();
    await first.locator('button.copy').click();
    await userA.page.locator('#toast.visible').waitFor();
    const copied = await userA.page.evaluate(() => navigator.clipboard.readText());
    permalinkUrl = copied.split('\n').at(-1) ?? '';
    expect(permalinkUrl).toBe(`${server.url}/#/answer/${await first.getAttribute('data-answer-id')}`);
    expect(permalinkUrl).not.toContain(keyA.id);
    expect(permalinkUrl).not.toContain(keyA.token);
  });

  it('the visitor sees that answer and its citations, and nothing of A’s other turn', async () => {
    const page = visitor.page;
    await page.goto(permalinkUrl);
    const shared = page.locator('#permalink-view .answer');
    await shared.waitFor();
    expect(await shared.textContent()).toContain('45%');
    expect(await page.locator('#permalink-view .msg.user').textContent()).toContain(SHARED_QUESTION);
    const citation = page.locator('#permalink-view li.citation', { hasText: CLAUSE_14 }).first();
    await citation.waitFor();
    expect(await citation.locator('.cite-meta').textContent()).toContain('嘉政办发〔2024〕5号');
    expect(await page.locator('#permalink-view .turn').count()).toBe(1);
    expect(await page.locator('#messages .turn').count()).toBe(0);
    expect(await page.locator('#delete-conversation').isHidden()).toBe(true);
    expect(await page.locator('.permalink-hint').isVisible()).toBe(true);
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toContain(PRIVATE_QUESTION);
    // Nothing that reached the visitor's browser names A's conversation, its token or A's other question.
    const received = visitorSaw.join('\n');
    expect(received).toContain(CLAUSE_14);
    expect(received).not.toContain(keyA.id);
    expect(received).not.toContain(keyA.token);
    expect(received).not.toContain(PRIVATE_QUESTION);
    await visitor.screenshot('browser-privacy-01-visitor-permalink');
  });

  it('asking from the permalink starts the visitor’s own conversation and leaves A’s untouched', async () => {
    const page = visitor.page;
    await page.locator('#question').fill(VISITOR_QUESTION);
    await page.locator('#question').press('Enter');
    const turn = page.locator('#messages .turn[data-answer-id]').first();
    await turn.waitFor({ timeout: 60_000 });
    expect(await turn.locator('.msg.user').textContent()).toContain(VISITOR_QUESTION);
    expect(await page.locator('#permalink-view').isHidden()).toBe(true);
    expect(await page.locator('#messages .turn').count()).toBe(1);

    const asked = visitorSent.filter((m) => m.type === 'ask');
    expect(asked).toHaveLength(1);
    expect(asked[0]).not.toHaveProperty('conversationId');
    expect(asked[0]?.history).toEqual([]);
    const visitorKey = await storedKey(page);
    expect(visitorKey?.id).toBeTruthy();
    expect(visitorKey?.id).not.toBe(keyA.id);
    expect(visitorKey?.token).not.toBe(keyA.token);

    expect(await questionsOf(keyA)).toEqual({ status: 200, questions: [SHARED_QUESTION, PRIVATE_QUESTION] });
    expect(await questionsOf(visitorKey as ConversationKey)).toEqual({
      status: 200,
      questions: [VISITOR_QUESTION],
    });
    await visitor.screenshot('browser-privacy-02-visitor-own-conversation');
  });

  it('user A deletes the conversation from the page after confirming; its permalinks then answer 404', async () => {
    const page = userA.page;
    const button = page.locator('#delete-conversation');
    expect(await button.textContent()).toBe('Delete conversation');
    page.once('dialog', (dialog) => dialog.dismiss());
    await button.click();
    expect(await questionsOf(keyA)).toEqual({ status: 200, questions: [SHARED_QUESTION, PRIVATE_QUESTION] });

    const messages: string[] = [];
    page.once('dialog', (dialog) => {
      messages.push(dialog.message());
      dialog.accept();
    });
    await button.click();
    await page.locator('#toast.visible', { hasText: 'deleted' }).waitFor();
    expect(messages[0]).toContain('Delete this conversation');
    expect(await page.locator('#messages .turn').count()).toBe(0);
    expect(await button.isHidden()).toBe(true);
    expect(await storedKey(page)).toBeNull();
    expect((await questionsOf(keyA)).status).toBe(404);
    const permalink = await fetch(`${server.url}/api/answers/${permalinkUrl.split('/').at(-1)}`);
    expect(permalink.status).toBe(404);

    await page.reload();
    await page.locator('#examples').waitFor();
    expect(await page.locator('#messages .turn').count()).toBe(0);
  });

  it('shows the delete button and its confirmation in Chinese', async () => {
    const page = userA.page;
    await page.locator('#lang-toggle').click();
    await askInPage(page, '嘉兴2027年家庭医生签约覆盖率目标是多少?', 0);
    const button = page.locator('#delete-conversation');
    expect(await button.textContent()).toBe('删除对话');
    const messages: string[] = [];
    page.once('dialog', (dialog) => {
      messages.push(dialog.message());
      dialog.dismiss();
    });
    await button.click();
    expect(messages[0]).toContain('删除此对话');
  });

  it('had no script errors or CSP violations in either browser', () => {
    expect(userA.problems).toEqual([]);
    expect(visitor.problems).toEqual([]);
  });
});
