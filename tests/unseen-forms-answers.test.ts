/**
 * Answers over real texts of places and forms the team tuned on last (holdout13 and holdout14 files): a follow-up
 * asking a field of the document the conversation was about ("who issued it?"), an untitled city excerpt, and a
 * target set against a benchmark rather than a figure (达到全国平均水平).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type LoadedService } from '../server/service.ts';

const CORPORA = new URL('../evals/corpora/', import.meta.url).pathname;
const FILES = [
  'holdout13/moh-physician-periodic-assessment-measures-2007.txt',
  'holdout13/jining-health-action-opinion-excerpt.txt',
  'holdout14/hebei-health-action-plan-2023-2027-excerpt.txt',
  'holdout14/henan-health-action-plan-2023-2025-page-excerpt.txt',
];

let dir = '';
let service: LoadedService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-unseen-forms-'));
  const corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  for (const file of FILES) cpSync(join(CORPORA, file), join(corpus, file.split('/')[1] ?? file));
  service = await createService({ corpusDir: corpus, indexDir: join(dir, 'index'), llm: null });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('answers over unseen forms', () => {
  it("'who issued it?' after an English question on a ministry's measures names the ministry", async () => {
    const r = await service.ask({
      question: 'who issued it?',
      history: [
        {
          role: 'user',
          content: 'How often do doctors have to go through the periodic assessment under the 2007 measures?',
        },
        { role: 'assistant', content: 'Every two years.' },
      ],
    });
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('卫生部');
  });

  it('an untitled city excerpt is still found by its city, and its 2030 figure answered', async () => {
    const r = await service.ask({ question: '济宁到2030年人均预期寿命奔多少', history: [] });
    expect(r.answer).toContain('81岁左右');
  });

  it('"要达到什么水平" is answered by a benchmark the plan sets instead of a figure', async () => {
    const r = await service.ask({ question: '河北人均预期寿命 23年和25年分别要达到什么水平', history: [] });
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('达到全国平均水平');
    expect(r.answer).toContain('优于全国平均水平');
  });

  it('"两个行动方案各管到哪年" gives each named province\'s plan period', async () => {
    const r = await service.ask({ question: '健康河北和健康河南这两个行动方案各管到哪年', history: [] });
    expect(r.status).toBe('answered');
    const [hebei, henan] = r.answer.split('\n');
    expect(hebei).toContain('健康河北');
    expect(hebei).toContain('2027');
    expect(henan).toContain('健康河南');
    expect(henan).toContain('2025');
  });
});
