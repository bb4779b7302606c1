import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../server/answer/contract.ts';
import { createService } from '../server/service.ts';
import { type FakeOpenAi, startFakeOpenAi } from './support/fake-openai-server.ts';

const SEEDS = new URL('../seeds/', import.meta.url).pathname;
let dir: string;
let honest: FakeOpenAi;
let inventor: FakeOpenAi;

/** An honest model: finds the source that states the coverage target and quotes its value with its number. */
const honestReply = (prompt: string) => {
  for (const m of prompt.matchAll(/\[(\d+)\][^\n]*\n([^\n]*)/g)) {
    const value = m[2]?.match(/家庭医生签约服务覆盖率达到(\d+%)/)?.[1];
    if (value) return `家庭医生签约服务覆盖率目标为${value}以上。[${m[1]}]`;
  }
  return '文件中没有相关内容。';
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-llm-'));
  cpSync(SEEDS, join(dir, 'corpus'), { recursive: true });
  honest = await startFakeOpenAi(honestReply);
  inventor = await startFakeOpenAi(() => '嘉兴市2027年家庭医生签约服务覆盖率目标为99.5%。[1]');
});
afterAll(async () => {
  await honest.close();
  await inventor.close();
  rmSync(dir, { recursive: true, force: true });
});

const serviceWith = (llm: FakeOpenAi) =>
  createService({
    corpusDir: join(dir, 'corpus'),
    indexDir: join(dir, 'index'),
    llm: { baseUrl: llm.baseUrl, model: 'fake-qwen', apiKey: 'test-key', timeoutMs: 5000, maxSources: 6 },
  });

describe('the optional LLM answerer', () => {
  it('streams a checked answer from an OpenAI-compatible endpoint with numbered sources', async () => {
    const service = await serviceWith(honest);
    const events: AnswerEvent[] = [];
    const r = await service.ask({ question: '嘉兴2027年家庭医生签约服务覆盖率目标是多少?' }, (e) =>
      events.push(e),
    );
    expect(r.fallback).toBeUndefined();
    expect(r.answerer).toBe('llm');
    expect(r.answer).toContain('45%');
    expect(r.citations).toHaveLength(1);
    expect(r.citations[0]?.clausePath).toBe('二(三)14');
    expect(events.filter((e) => e.type === 'token').length).toBeGreaterThan(1);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['retrieval', 'token', 'citations', 'done']),
    );
    const request = honest.requests.at(-1);
    expect(request?.model).toBe('fake-qwen');
    expect(request?.stream).toBe(true);
    expect(request?.messages.at(-1)?.content).toContain('[1]');
  });

  it('catches an invented number and falls back to the extractive answer, saying so', async () => {
    const service = await serviceWith(inventor);
    const r = await service.ask({ question: '嘉兴2027年家庭医生签约服务覆盖率目标是多少?' });
    expect(r.answerer).toBe('extractive');
    expect(r.fallback?.reason).toContain('99.5');
    expect(r.answer).not.toContain('99.5');
    expect(r.answer).toContain('45%');
  });

  it('falls back when the endpoint cannot be reached', async () => {
    const service = await createService({
      corpusDir: join(dir, 'corpus'),
      indexDir: join(dir, 'index'),
      llm: { baseUrl: 'http://127.0.0.1:9/v1', model: 'none', apiKey: 'x', timeoutMs: 2000, maxSources: 6 },
    });
    const r = await service.ask({ question: '嘉兴2027年家庭医生签约服务覆盖率目标是多少?' });
    expect(r.answerer).toBe('extractive');
    expect(r.fallback?.reason).toMatch(/could not be reached/);
  });
});
