/**
 * Claim checks as a journalist meets them over `POST /api/check` on a real server (seeds index, the
 * service's own query understanding): qualifiers in English, a right value with a wrong year, evidence once
 * per target, English messages with English names, and claims without a number checked against clauses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimCheck, TargetRow } from '../server/service-types.ts';
import { startTestServer, type TestServer } from './support/http-test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function check(claim: string): Promise<ClaimCheck> {
  const response = await fetch(`${server.url}/api/check`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ claim }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ClaimCheck;
}

describe('POST /api/check', () => {
  it('respects the population an English claim names ("key groups" → 重点人群)', async () => {
    const r = await check("Xining's 2025 family doctor coverage target for key groups is 75%");
    expect(r.verdict).toBe('supported');
    expect(r.evidence.map((t) => [t.qualifier, t.valueText, t.year])).toEqual([
      ['重点人群', '75%以上', 2025],
    ]);
    // The target is in clause 9 and in the annex table: one piece of evidence naming both.
    expect(r.evidence[0]?.alsoStatedIn).toHaveLength(1);
    expect(r.message).toMatch(
      /^Supported: Xining \(西宁市\)'s target for .+ for 2025 is 75% or more \(75%以上\)\.$/,
    );
    const headline = await check("Xining's 2025 family doctor coverage target is 75%");
    expect(headline.verdict).toBe('contradicted');
    expect(headline.documentValue).toBe('65%以上');
  });

  it('says "that is the 2027 target" for a right value with a wrong year', async () => {
    const r = await check('Jiaxing targets 45% family doctor coverage by 2025');
    expect(r.verdict).toBe('other_year');
    expect(r.documentYear).toBe(2027);
    expect(r.message).toMatch(/^45% is the 2027 target, not the 2025 one: Jiaxing \(嘉兴市\)/);
    expect(r.evidence).toHaveLength(1);
    expect(r.evidence[0]?.quote).toContain('45%以上');
    const zh = await check('嘉兴2025年家庭医生签约服务覆盖率要达到45%');
    expect(zh.verdict).toBe('other_year');
    expect(zh.message).toMatch(/^45%是2027年的目标/);
  });

  it('checks a claim without a number against the clauses: the sentence that states it, or not stated', async () => {
    const stated = await check('嘉兴要建立家庭医生对居民首诊制度');
    expect(stated.verdict).toBe('supported');
    expect(stated.clauses[0]?.sentence).toContain('建立健全家庭医生对居民首诊制度');
    expect(stated.clauses[0]?.clausePath).toBe('二(三)14');
    const clause = stated.clauses[0];
    // The sentence is where the response says it is in the document.
    const start = clause?.sentenceStart ?? 0;
    const length = (clause?.sentenceEnd ?? 0) - start;
    const window = await (
      await fetch(`${server.url}/api/documents/${clause?.docId}?start=${start}&length=${length}`)
    ).json();
    expect(window.text).toBe(clause?.sentence);

    // The same words with their force changed are not what the document says.
    const reversed = await check('嘉兴取消家庭医生对居民首诊制度');
    expect(reversed.verdict).toBe('not_found');
    expect(reversed.clauses).toEqual([]);
    // Said of another place that has documents: not stated there.
    expect((await check('西宁要建立家庭医生对居民首诊制度')).verdict).toBe('not_found');

    const english = await check('Jiaxing will build a regional medical center');
    expect(english.verdict).toBe('supported');
    expect(english.clauses[0]?.sentence).toContain('区域医疗中心');
    expect(english.message).toMatch(/^Supported: the documents state it/);
  });

  it('a place no document covers gets not found, never another place', async () => {
    const r = await check('绵阳市2025年家庭医生签约服务覆盖率达到65%');
    expect(r.verdict).toBe('not_found');
    expect(r.evidence).toEqual([]);
    expect(r.clauses).toEqual([]);
  });
});

describe('GET /api/targets', () => {
  it('lists a target stated in the text and in the annex table once, with both statements', async () => {
    const response = await fetch(
      `${server.url}/api/targets?region=${encodeURIComponent('西宁')}&year=2025&limit=1000`,
    );
    const { targets } = (await response.json()) as { targets: TargetRow[] };
    const keyGroups = targets.filter((t) => t.qualifier === '重点人群' && t.metric.includes('家庭医生签约'));
    expect(keyGroups.map((t) => t.valueText)).toEqual(['75%以上']);
    const statements = [keyGroups[0]?.quote, ...(keyGroups[0]?.alsoStatedIn.map((s) => s.quote) ?? [])];
    expect(statements).toHaveLength(2);
    expect(new Set(keyGroups[0]?.alsoStatedIn.map((s) => s.chunkId)).has(keyGroups[0]?.chunkId ?? '')).toBe(
      false,
    );
    // No two rows are the same target.
    const keys = targets.map((t) =>
      [t.docId, t.year, t.qualifier, t.metricGroup, t.value, t.valueMax, t.unit].join('|'),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});
