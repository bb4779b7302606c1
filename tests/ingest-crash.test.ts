/**
 * `kill -9` of `npm run ingest` at random moments (reading, parsing and writing the cache, writing the
 * build folder, publishing it), 24 times: every time, the server starts on a complete index (the previous
 * one, or the new one when the kill came after it was published), answers as before, and no folder or
 * file of the killed build remains once it has started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_FOLDER, currentIndexDir } from '../ingest/store/index-location.ts';
import { createService } from '../server/service.ts';

const ROOT = join(import.meta.dirname, '..');
const KILLS = 24;
/** Fixed so a failure can be replayed: the kill times are drawn from this seed. */
const SEED = 20261202;
const QUESTION = '新建区计划到2025年家庭医生签约服务覆盖率达到多少?';

let dir: string;
let env: NodeJS.ProcessEnv;

function ingest(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts'], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Deterministic uniform numbers in [0, 1) (a 32-bit LCG). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** What must not be left once a server has started: unpublished builds, pointer and cache temp files. */
function leftovers(indexDir: string): string[] {
  const current = currentIndexDir(indexDir);
  const builds = readdirSync(indexDir).filter((n) => n.startsWith('build-'));
  const unfinished = builds.filter((n) => !existsSync(join(indexDir, n, 'manifest.json')));
  const extraBuilds = builds.filter((n) => join(indexDir, n) !== current).slice(1);
  const pointers = readdirSync(indexDir).filter((n) => n.startsWith('CURRENT.'));
  const cacheDir = join(indexDir, CACHE_FOLDER);
  const cacheTemps = existsSync(cacheDir) ? readdirSync(cacheDir).filter((n) => n.includes('.tmp-')) : [];
  const siblings = readdirSync(dir).filter((n) => n.startsWith('index.'));
  return [...unfinished, ...extraBuilds, ...pointers, ...cacheTemps, ...siblings];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-crash-'));
  const corpus = join(dir, 'corpus');
  cpSync(join(ROOT, 'seeds'), corpus, { recursive: true });
  // Real documents of other forms make the parse and write phases long enough to be hit.
  cpSync(join(ROOT, 'tests', 'fixtures', 'real-docs'), join(corpus, 'real'), { recursive: true });
  env = {
    ...process.env,
    CORPUS_DIR: corpus,
    INDEX_DIR: join(dir, 'index'),
    INGEST_WORKERS: '0',
  };
  expect(await exited(ingest())).toBe(0);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest killed at random points', () => {
  it(`leaves a servable index and, after the next start, no leftovers (${KILLS} kills)`, async () => {
    const indexDir = join(dir, 'index');
    const expected = await createService({
      indexDir,
      corpusDir: env.CORPUS_DIR,
      llm: null,
      answerCacheSize: 0,
    });
    const answer = (await expected.ask({ question: QUESTION, history: [] })).answer;
    expect(answer).toContain('55%');

    // How long a whole run takes, with the parse cache cold and warm: kill times are spread over it.
    rmSync(join(indexDir, CACHE_FOLDER), { recursive: true, force: true });
    let started = performance.now();
    expect(await exited(ingest())).toBe(0);
    const coldMs = performance.now() - started;
    started = performance.now();
    expect(await exited(ingest())).toBe(0);
    const warmMs = performance.now() - started;

    const next = random(SEED);
    const killedAfter: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      // Half the runs parse everything again (kills land in parsing and cache writes), half reuse the cache.
      const cold = i % 2 === 0;
      if (cold) rmSync(join(indexDir, CACHE_FOLDER), { recursive: true, force: true });
      const delay = Math.round(next() * (cold ? coldMs : warmMs));
      const child = ingest();
      const exit = exited(child);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exit;
      killedAfter.push(delay);

      // What `npm start` does: clean up, check staleness (rebuilding only if the corpus changed), open.
      const service = await createService({
        indexDir,
        corpusDir: env.CORPUS_DIR,
        llm: null,
        answerCacheSize: 0,
      });
      expect(service.index.manifest.counts.documents, `kill ${i} after ${delay} ms`).toBe(
        expected.index.manifest.counts.documents,
      );
      expect((await service.ask({ question: QUESTION, history: [] })).answer, `kill ${i}`).toBe(answer);
      expect(leftovers(indexDir), `kill ${i} after ${delay} ms`).toEqual([]);
    }
    console.log(
      `runs: cold ${Math.round(coldMs)} ms, warm ${Math.round(warmMs)} ms; killed after ${killedAfter.join(', ')} ms`,
    );

    // And the real server starts on what the last kill left, and answers over HTTP.
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dir, 'data') },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const onData = (d: Buffer) => {
          output += d.toString();
          const m = output.match(/listening on (http:\/\/[^\s]+)/);
          if (m?.[1]) resolve(m[1]);
        };
        server.stdout?.on('data', onData);
        server.stderr?.on('data', onData);
        server.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
      });
      const res = await fetch(`${url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: QUESTION }),
      });
      expect(((await res.json()) as { answer: string }).answer).toBe(answer);
    } finally {
      server.kill('SIGTERM');
    }
  });
});
