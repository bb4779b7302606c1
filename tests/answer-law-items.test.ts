/**
 * The items of a law's list ("孕妇有下列情形之一的，经治医师应当建议其进行产前诊断：…（五）初产妇年龄超过35周岁的。")
 * answer questions: an item that ends as a clause is content, not a heading, and "多大年龄" asks for a figure.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTypeOf } from '../server/query/answer-type.ts';
import { createService, type LoadedService } from '../server/service.ts';
import { SHARED_REAL_DOCS } from './support/shared-real-docs.ts';

const FILE = 'maternal-infant-health-law-implementing-measures-2023.md';
let dir: string;
let service: LoadedService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-law-items-'));
  mkdirSync(join(dir, 'corpus'));
  cpSync(join(SHARED_REAL_DOCS, FILE), join(dir, 'corpus', FILE));
  service = await createService({ corpusDir: join(dir, 'corpus'), indexDir: join(dir, 'index'), llm: null });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('items of a law article', () => {
  it('"多大年龄", "多高", "几岁" ask for a figure', () => {
    expect(answerTypeOf('初产妇多大年龄要做产前诊断?')).toBe('value');
    expect(answerTypeOf('孩子几岁要接种?')).toBe('value');
    // 在哪/哪里/where ask for a name (a place, a medium), and are not part of the topic.
    expect(answerTypeOf('处方药能在哪做广告?')).toBe('name');
    expect(answerTypeOf('Where can the test be done?')).toBe('name');
    // 几年 asks for a span of years (a time limit), which a sentence without one does not answer.
    expect(answerTypeOf('医疗纠纷条例规定的诉讼时效是几年?')).toBe('duration');
    expect(answerTypeOf('哪几年的目标最高?')).not.toBe('duration');
    // The fine asked for outright, its deadline only the case: a penalty, not a duration.
    expect(
      answerTypeOf("What's the fine for a restaurant that ignores the deadline to set up a smoking area?"),
    ).toBe('penalty');
    expect(answerTypeOf('逾期不改正的罚多少')).toBe('penalty');
    expect(answerTypeOf('罚款要在多少天内缴纳?')).toBe('duration');
  });

  it('an item of the list answers, with its article cited', async () => {
    const r = await service.ask({ question: '孕妇年龄多大以上医生应当建议做产前诊断?' });
    expect(r.status).toBe('answered');
    expect(r.answer).toContain('35周岁');
    expect(r.citations.some((c) => c.text.includes('初产妇年龄超过35周岁'))).toBe(true);
  });
});
