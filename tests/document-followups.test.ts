/**
 * A follow-up asking a field of the document the conversation was about ("who issued it?"), over two real texts
 * of unseen places and forms: the earlier question's words, rendered from English, name the document loosely.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type LoadedService } from '../server/service.ts';

const HOLDOUT13 = new URL('../evals/corpora/holdout13/', import.meta.url).pathname;
const FILES = [
  'moh-physician-periodic-assessment-measures-2007.txt',
  'jining-health-action-opinion-excerpt.txt',
];

let dir = '';
let service: LoadedService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-doc-followups-'));
  const corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  for (const file of FILES) cpSync(join(HOLDOUT13, file), join(corpus, file));
  service = await createService({ corpusDir: corpus, indexDir: join(dir, 'index'), llm: null });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('document follow-ups', () => {
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
});
