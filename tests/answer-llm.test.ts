import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { allChunks } from '../ingest/store/open-index.ts';
import type { AnswerEvent, AnswerResult } from '../server/answer/contract.ts';
import { type LlmConfig, llmAnswer } from '../server/answer/llm-answer.ts';
import { LlmError } from '../server/llm/provider.ts';
import { createService, type LoadedService } from '../server/service.ts';
import { type FakeOpenAi, startFakeOpenAi } from './support/fake-openai-server.ts';
import { RecordingLlmProvider, type ScriptedCompletion } from './support/recording-llm-provider.ts';

const SEEDS = new URL('../seeds/', import.meta.url).pathname;
const QUESTION = '嘉兴2027年家庭医生签约服务覆盖率目标是多少?';
const INVENTED = '嘉兴市2027年家庭医生签约服务覆盖率目标为99.5%。[1]';
let dir: string;
let honest: FakeOpenAi;
let inventor: FakeOpenAi;
/** The extractive service over the same index: its chunks feed llmAnswer directly. */
let plain: LoadedService;

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
  inventor = await startFakeOpenAi(() => INVENTED);
  plain = await createService({ corpusDir: join(dir, 'corpus'), indexDir: join(dir, 'index'), llm: null });
});
afterAll(async () => {
  await honest.close();
  await inventor.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const endpoint = (baseUrl: string, model = 'fake-qwen'): LlmConfig => ({
  baseUrl,
  model,
  apiKey: 'test-key',
  timeoutMs: 5000,
  maxSources: 6,
});

const serviceWith = (llm: LlmConfig) =>
  createService({ corpusDir: join(dir, 'corpus'), indexDir: join(dir, 'index'), llm });

const serviceWithDouble = (double: RecordingLlmProvider) =>
  serviceWith({ ...endpoint('http://127.0.0.1:9/v1', double.modelId), provider: double });

async function askCollecting(service: LoadedService, question = QUESTION) {
  const events: AnswerEvent[] = [];
  const result = await service.ask({ question }, (e) => events.push(e));
  const tokens = events.flatMap((e) => (e.type === 'token' ? [e.text] : []));
  return { result, events, tokens };
}

/** The clause stating Jiaxing's family-doctor target, first, then a few unrelated ones. */
function jiaxingSources() {
  const chunks = allChunks(plain.index);
  const target = chunks.filter((c) => c.text.includes('家庭医生签约服务覆盖率达到45%'));
  expect(target.length).toBeGreaterThan(0);
  return [...target, ...chunks.filter((c) => !target.includes(c)).slice(0, 3)];
}

describe('the optional LLM answerer over an OpenAI-compatible endpoint', () => {
  it('sends numbered sources, checks the answer and only then streams it', async () => {
    const service = await serviceWith(endpoint(honest.baseUrl));
    const { result: r, events, tokens } = await askCollecting(service);
    expect(r.fallback).toBeUndefined();
    expect(r.answerer).toBe('llm');
    expect(r.answer).toContain('45%');
    expect(r.citations).toHaveLength(1);
    expect(r.citations[0]?.clausePath).toBe('二(三)14');
    expect(tokens.join('')).toBe(r.answer);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('retrieval');
    expect(types.slice(-2)).toEqual(['citations', 'done']);
    const request = honest.requests.at(-1);
    expect(request?.model).toBe('fake-qwen');
    expect(request?.stream).toBe(true);
    expect(request?.authorization).toBe('Bearer test-key');
    expect(request?.messages.at(-1)?.content).toContain('[1]');
  });

  it('catches an invented number and falls back to the extractive answer with a fixed reason', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const service = await serviceWith(endpoint(inventor.baseUrl));
    const { result: r, tokens } = await askCollecting(service);
    expect(r.answerer).toBe('extractive');
    expect(r.fallback?.reason).toBe(
      'The LLM answer stated a number that is not in its cited sources; showing the extractive answer.',
    );
    expect(r.answer).not.toContain('99.5');
    expect(r.answer).toContain('45%');
    expect(tokens.some((t) => t.includes('99.5'))).toBe(false);
    expect(tokens.join('')).toBe(r.answer);
    // The detail, with the invented number, is for the operator's log.
    expect(warn.mock.calls.flat().join('\n')).toContain('99.5');
  });

  it('falls back when the endpoint cannot be reached', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const service = await serviceWith({ ...endpoint('http://127.0.0.1:9/v1', 'none'), timeoutMs: 2000 });
    const r = await service.ask({ question: QUESTION });
    expect(r.answerer).toBe('extractive');
    expect(r.fallback?.reason).toBe('The LLM could not be reached; showing the extractive answer.');
  });
});

describe('llmAnswer with a recording provider', () => {
  const run = (script: ScriptedCompletion[], options: { signal?: AbortSignal } = {}) => {
    const double = new RecordingLlmProvider(script);
    const warnings: string[] = [];
    const outcome = llmAnswer(double, plain.index, QUESTION, jiaxingSources(), {
      maxSources: 2,
      warn: (m) => warnings.push(m),
      ...options,
    });
    return { double, warnings, outcome };
  };

  it('gives the provider a system prompt and at most maxSources numbered sources, then accepts a checked answer', async () => {
    const { double, outcome, warnings } = run([
      (messages) => honestReply(messages.map((m) => m.content).join('\n')),
    ]);
    const o = await outcome;
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.answer).toBe('家庭医生签约服务覆盖率目标为45%以上。[1]');
    expect(o.citations.map((c) => c.n)).toEqual([1]);
    expect(warnings).toEqual([]);
    expect(double.calls).toHaveLength(1);
    const [system, user] = double.calls[0]!.messages;
    expect(system?.role).toBe('system');
    expect(user?.role).toBe('user');
    expect(user?.content).toContain('[1] ');
    expect(user?.content).toContain('[2] ');
    expect(user?.content).not.toContain('[3] ');
    expect(user?.content).toContain(`问题 Question: ${QUESTION}`);
  });

  it('rejects an invented number with a fixed reason and logs the detail', async () => {
    const o = await run([INVENTED]).outcome;
    expect(o).toMatchObject({ ok: false, kind: 'untraceable_number' });
    if (o.ok) return;
    expect(o.reason).not.toContain('99.5');
    expect(o.detail).toContain('99.5');
  });

  it.each([
    ['   ', 'empty', 'The LLM answer was empty; showing the extractive answer.'],
    [
      '覆盖率目标为45%以上。',
      'no_citation',
      'The LLM answer cited no source; showing the extractive answer.',
    ],
    [
      '覆盖率目标为45%以上。[1][7]',
      'dangling_marker',
      'The LLM answer cited a source it was not given; showing the extractive answer.',
    ],
  ])('rejects %j as %s', async (text, kind, reason) => {
    const o = await run([text]).outcome;
    expect(o).toEqual({ ok: false, kind, reason, detail: expect.any(String) });
  });

  it('turns a provider error into its fixed sentence: the upstream message is only logged', async () => {
    const upstream = new LlmError(
      'http_status',
      'HTTP 401 from http://llm.internal/v1/chat/completions: {"error":"bad key sk-[redacted]"}',
      401,
    );
    const { outcome, warnings } = run([{ error: upstream, deltasBefore: ['嘉兴市', '99.5%'] }]);
    const o = await outcome;
    expect(o).toMatchObject({
      ok: false,
      kind: 'http_status',
      reason: 'The LLM endpoint refused the key (HTTP 401); showing the extractive answer.',
    });
    expect(warnings.join('\n')).toContain('llm.internal');
  });

  it('does not even log the message of an error the provider did not classify', async () => {
    const { outcome, warnings } = run([{ error: new Error('Traceback at 10.0.0.7: key sk-live-abcdef123') }]);
    const o = await outcome;
    expect(o).toMatchObject({
      ok: false,
      kind: 'unexpected',
      reason: 'The LLM request failed; showing the extractive answer.',
    });
    expect(warnings.join('\n')).not.toContain('sk-live');
  });

  it('passes the caller abort on instead of falling back', async () => {
    const controller = new AbortController();
    controller.abort();
    const { outcome, double } = run([INVENTED], { signal: controller.signal });
    await expect(outcome).rejects.toThrow();
    expect(double.calls[0]?.signal).toBe(controller.signal);
  });
});

describe('answerQuestion with a recording provider', () => {
  const expectStreamedAnswer = (tokens: string[], r: AnswerResult) => {
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.join('')).toBe(r.answer);
  };

  it('streams the accepted LLM answer only after the check, as the whole answer', async () => {
    const double = new RecordingLlmProvider([
      (messages) => `${honestReply(messages.map((m) => m.content).join('\n'))}\n第二行。[1]`,
    ]);
    const service = await serviceWithDouble(double);
    const { result: r, tokens, events } = await askCollecting(service);
    expect(r.answerer).toBe('llm');
    expect(r.fallback).toBeUndefined();
    expect(r.lead).toBe(r.answer.split('\n')[0]);
    expectStreamedAnswer(tokens, r);
    expect(tokens).toHaveLength(2);
    expect(events.findIndex((e) => e.type === 'token')).toBeGreaterThan(
      events.findIndex((e) => e.type === 'retrieval'),
    );
    expect(double.calls).toHaveLength(1);
    expect(double.calls[0]?.method).toBe('stream');
    expect(double.lastPrompt).toContain('家庭医生签约服务覆盖率达到45%');
  });

  it('never emits a token of a rejected answer: an invented number, then a throwing provider', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const double = new RecordingLlmProvider([
      { deltas: ['嘉兴市2027年', '家庭医生签约服务覆盖率', '目标为99.5%。[1]'] },
      { error: new LlmError('timeout', 'no complete answer from http://llm.internal in 5 ms') },
    ]);
    const service = await serviceWithDouble(double);
    for (const reason of [
      'The LLM answer stated a number that is not in its cited sources; showing the extractive answer.',
      'The LLM did not answer in time; showing the extractive answer.',
    ]) {
      const { result: r, tokens } = await askCollecting(service);
      expect(r.answerer).toBe('extractive');
      expect(r.fallback?.reason).toBe(reason);
      expect(tokens.some((t) => t.includes('99.5'))).toBe(false);
      expectStreamedAnswer(tokens, r);
      expect(r.answer).toContain('45%');
    }
    expect(double.calls).toHaveLength(2);
  });

  it('does not ask the LLM when the extractive answerer found nothing', async () => {
    const double = new RecordingLlmProvider([INVENTED]);
    const service = await serviceWithDouble(double);
    const r = await service.ask({ question: '火星2099年殖民地人口目标是多少?' });
    expect(r.status).toBe('not_found');
    expect(double.calls).toHaveLength(0);
  });
});
