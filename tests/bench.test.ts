import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../bench/results.ts';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'zhengce-bench-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench (the README command, on the seeds, short)', () => {
  it('measures ingest, questions, the server under load, the baselines and the PostgreSQL store, and writes both reports', async () => {
    await run(
      'npm',
      [
        'run',
        'bench',
        '--',
        '--corpora',
        'seeds',
        '--reps',
        '1',
        '--http-seconds',
        '1',
        '--startups',
        '1',
        '--connections',
        '10',
        '--stores',
        'local,postgres',
        '--out',
        out,
      ],
      { maxBuffer: 1 << 26, env: { ...process.env, ZHENGCE_BENCH_WORK: join(out, 'work') } },
    );
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
    const [seeds] = results.corpora;
    expect(seeds?.name).toBe('seeds');
    expect(seeds?.ingest.counts.documents).toBe(5);
    expect(Object.keys(seeds?.ingest.stageSeconds ?? {})).toEqual(
      expect.arrayContaining(['read', 'parse', 'lexical', 'write']),
    );
    // The rewritten gold questions are answered right, as the gold set is.
    expect(seeds?.queries.overall.correct).toBeGreaterThan(0.85 * (seeds?.queries.overall.questions ?? 0));
    expect(seeds?.queries.kinds['all-places']?.correct).toBe(1);
    expect(seeds?.server.load.map((l) => [l.connections, l.cache])).toEqual([
      [10, true],
      [10, false],
    ]);
    expect(seeds?.server.load.every((l) => l.errors === 0 && l.non2xx === 0 && l.answersPerSecond > 0)).toBe(
      true,
    );
    expect(seeds?.baselines.ours.hitAt5).toBeGreaterThan(seeds?.baselines.minisearch.hitAt5 ?? 1);
    expect(seeds?.baselines.langchain.hitAt5).toBeGreaterThan(0);
    // The PostgreSQL store's rows (PGlite + pgvector over TCP): the same corpus ingested, the same
    // questions answered alike, recall@10 of the HNSW index against exact search.
    const pg = seeds?.postgres;
    expect(pg?.engine).toContain('PGlite + pgvector');
    expect(pg?.ingest.counts).toEqual(seeds?.ingest.counts);
    expect(pg?.ingest.reingestReused).toBe(5);
    expect(pg?.answers.questions).toBe(seeds?.queries.overall.questions);
    expect(pg?.answers.sameAnswers).toBe(pg?.answers.questions);
    expect(pg?.answers.postgres.n).toBe(pg?.answers.questions);
    expect(pg?.recall.vectors).toBe(seeds?.ingest.counts.chunks);
    expect(pg?.recall.queries).toBeGreaterThan(100);
    expect(pg?.recall.recallAtK).toBeGreaterThan(0.9);
    expect(pg?.recall.plans.exactUsesIndex).toBe(false);
    const markdown = readFileSync(join(out, 'RESULTS.md'), 'utf8');
    expect(markdown).toContain('## Bars (issue 11)');
    expect(markdown).toContain(`${seeds?.queries.overall.questions}`);
    expect(markdown).toContain('### The PostgreSQL store (issue 14), on PGlite + pgvector');
    expect(markdown).toContain(`recall@10 ${pg?.recall.recallAtK.toFixed(3)}`);
  }, 420_000);
});
