import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPromptfooTests } from '../evals/promptfoo/jsonl-to-promptfoo.ts';
import { scoreItem } from '../evals/score-item.ts';
import { type EvalItem, parseSet } from '../evals/set-format.ts';
import { answerResult, type CannedAnswer } from './evals-fixtures.ts';

interface GradingResult {
  pass: boolean;
  score: number;
  reason: string;
}
interface AssertionContext {
  vars: Record<string, string>;
  providerResponse: { output?: string; metadata?: unknown };
}
type Assertion = (output: string, context: AssertionContext) => GradingResult;
interface ProviderResponse {
  output?: string;
  error?: string;
  metadata?: { status: string; citations: { text: string }[] };
}
interface ProviderInstance {
  id(): string;
  callApi(prompt: string, context?: { vars: Record<string, string> }): Promise<ProviderResponse>;
}

// promptfoo loads these files itself; they are plain JavaScript without type declarations.
const assertions = (await import(new URL('../evals/promptfoo/assertions.mjs', import.meta.url).href)) as {
  answerCorrect: Assertion;
  quotesCited: Assertion;
};
const { default: ZhengceProvider } = (await import(
  new URL('../evals/promptfoo/provider.mjs', import.meta.url).href
)) as {
  default: new (options?: { id?: string; config?: Record<string, unknown> }) => ProviderInstance;
};

const QUOTE = '到2027年，全市每千人口执业（助理）医师数达到3.6人';

const set = parseSet(
  [
    { id: 'doctors', question: '嘉兴医师数?', facts: ['3.6人'], quotes: [QUOTE], tags: ['jiaxing'] },
    {
      id: 'xining',
      question: '那西宁呢?',
      facts: ['3.2人'],
      quotes: ['3.2人'],
      history: [{ role: 'user', content: '嘉兴医师数?' }],
    },
    { id: 'hangzhou', question: '杭州?', facts: [], quotes: [], unanswerable: true },
  ]
    .map((item) => JSON.stringify(item))
    .join('\n'),
).items;

describe('jsonl-to-promptfoo', () => {
  it('turns every list into a JSON string so promptfoo does not expand it into several tests', () => {
    const tests = toPromptfooTests(set);
    expect(tests).toHaveLength(3);
    for (const test of tests) {
      for (const value of Object.values(test.vars)) expect(typeof value).toBe('string');
    }
    expect(tests[1]?.vars).toEqual({
      question: '那西宁呢?',
      history: '[{"role":"user","content":"嘉兴医师数?"}]',
      facts: '["3.2人"]',
      quotes: '["3.2人"]',
      unanswerable: 'false',
    });
    expect(tests[2]?.vars.unanswerable).toBe('true');
  });
});

describe('promptfoo assertions agree with the runner', () => {
  const cases: [EvalItem, CannedAnswer][] = [
    [set[0]!, { answer: '达到３.６人。[1]', cited: [QUOTE] }],
    [set[0]!, { answer: '达到3.5人。[1]', cited: [QUOTE] }],
    [set[0]!, { answer: '达到3.6人。[1]', cited: ['无关条款'] }],
    [set[0]!, { status: 'not_found' }],
    [set[2]!, { status: 'not_found' }],
    [set[2]!, { answer: '杭州……', cited: [QUOTE] }],
  ];

  it.each(cases.map((entry, index) => [index, ...entry] as const))('case %i', (_index, item, canned) => {
    const result = answerResult(canned);
    const vars = toPromptfooTests([item])[0]!.vars;
    const context = {
      vars,
      providerResponse: {
        output: result.answer,
        metadata: { status: result.status, citations: result.citations },
      },
    };
    const score = scoreItem(item, result, 0);
    const correct = assertions.answerCorrect(result.answer, context);
    const cited = assertions.quotesCited(result.answer, context);
    expect(correct.pass).toBe(score.answerCorrect);
    expect(correct.pass && cited.pass).toBe(score.passed);
  });

  it('names the missed facts and quotes', () => {
    const result = answerResult({ answer: '达到3.5人。[1]', cited: ['无关条款'] });
    const context = {
      vars: toPromptfooTests([set[0]!])[0]!.vars,
      providerResponse: { metadata: { status: result.status, citations: result.citations } },
    };
    expect(assertions.answerCorrect(result.answer, context).reason).toBe('missing facts: 3.6人');
    expect(assertions.quotesCited(result.answer, context).reason).toBe(`quotes not cited: ${QUOTE}`);
  });
});

describe('promptfoo provider against a server on 127.0.0.1', () => {
  let server: Server;
  let url: string;
  const received: unknown[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const request = JSON.parse(body) as { question: string };
        received.push(request);
        if (request.question === '坏问题') {
          res
            .writeHead(400, { 'content-type': 'application/json' })
            .end('{"error":{"code":"bad_request","message":"问题为空"}}');
          return;
        }
        const result = answerResult({ answer: '达到3.6人。[1]', cited: [QUOTE], retrieved: [QUOTE] });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns the answer as output and status and citations as metadata, sending the history', async () => {
    const provider = new ZhengceProvider({ id: 'zhengce', config: { server: `${url}/` } });
    const vars = toPromptfooTests([set[1]!])[0]!.vars;
    const response = await provider.callApi('那西宁呢?', { vars });
    expect(response.error).toBeUndefined();
    expect(response.output).toBe('达到3.6人。[1]');
    expect(response.metadata?.status).toBe('answered');
    expect(response.metadata?.citations[0]?.text).toBe(QUOTE);
    expect(received.at(-1)).toEqual({
      question: '那西宁呢?',
      history: [{ role: 'user', content: '嘉兴医师数?' }],
    });
  });

  it("returns the server's error message instead of throwing", async () => {
    const provider = new ZhengceProvider({ config: { server: url } });
    const response = await provider.callApi('坏问题', { vars: {} });
    expect(response.error).toBe(`POST ${url}/api/ask returned 400: bad_request: 问题为空`);
  });
});
