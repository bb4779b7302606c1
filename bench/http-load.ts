/**
 * The server as users meet it: started as `npm start` starts it (on a built index), timed to its first
 * /healthz, loaded with autocannon over the question mix at several connection counts, and probed with
 * /healthz while the heaviest question (across all places) runs. Memory is the server process's RSS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ensureServerBundle } from '../scripts/server-bundle.mjs';
import type { BenchQuestion } from './questions.ts';
import { median } from './stats.ts';

export interface LoadResult {
  /** With the answer cache (the mix repeats, as popular questions do) or with ANSWER_CACHE_SIZE=0. */
  cache: boolean;
  connections: number;
  seconds: number;
  answersPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
}

export interface ServerResult {
  startupMs: number[];
  startupMedianMs: number | null;
  /** From spawning the server to its first answer (an English question: the slowest first answer). */
  firstAnswerMs: number[];
  rssReadyMiB: number;
  load: LoadResult[];
  /** Slowest /healthz while one all-places question was answered; null when the mix has none. */
  healthzDuringAllPlacesMs: number | null;
  allPlacesMs: number | null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

interface Started {
  child: ChildProcess;
  url: string;
  ms: number;
}

async function startServer(
  corpusDir: string,
  indexDir: string,
  dataDir: string,
  cache = true,
): Promise<Started> {
  const port = await freePort();
  const started = performance.now();
  // What `npm start` runs (scripts/start.mjs: the bundled server, built before the first start is timed).
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env,
      CORPUS_DIR: corpusDir,
      INDEX_DIR: indexDir,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      // The load is one client at a rate no person types: the per-client limit would only measure itself.
      RATE_LIMIT_PER_MINUTE: '100000000',
      ...(cache ? {} : { ANSWER_CACHE_SIZE: '0' }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`The server exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { child, url, ms: performance.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function load(
  url: string,
  pid: number | undefined,
  questions: readonly BenchQuestion[],
  connections: number,
  seconds: number,
  cache: boolean,
): Promise<LoadResult> {
  const rssBeforeMiB = rssMiB(pid);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: questions.map((q) => ({
      method: 'POST' as const,
      path: '/api/ask',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: q.item.question, history: q.item.history ?? [] }),
    })),
  });
  return {
    cache,
    connections,
    seconds,
    answersPerSecond: Math.round(result.requests.average * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rssBeforeMiB,
    rssAfterMiB: rssMiB(pid),
  };
}

/** One POST /api/ask, read to the end. */
async function askOnce(url: string, question: string): Promise<void> {
  await fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  }).then((r) => r.text());
}

/** One /healthz poller beside one ask: the slowest health answer is how long the loop was held. */
async function healthzDuring(url: string, question: string): Promise<{ healthz: number; ask: number }> {
  let done = false;
  let slowest = 0;
  const poll = (async () => {
    while (!done) {
      const t0 = performance.now();
      await fetch(`${url}/healthz`);
      slowest = Math.max(slowest, performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t0 = performance.now();
  await askOnce(url, question);
  const ask = performance.now() - t0;
  done = true;
  await poll;
  return { healthz: slowest, ask };
}

export async function measureServer(
  corpusDir: string,
  indexDir: string,
  questions: readonly BenchQuestion[],
  options: { startups: number; connections: readonly number[]; seconds: number },
): Promise<ServerResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zhengce-bench-data-'));
  // Built once after a change of the sources, as the first `npm start` after it does; not part of a start-up.
  await ensureServerBundle();
  try {
    const startupMs: number[] = [];
    const firstAnswerMs: number[] = [];
    const english = questions.find((q) => q.kind === 'english')?.item.question ?? 'What is the target?';
    for (let i = 1; i < options.startups; i++) {
      const started = performance.now();
      const s = await startServer(corpusDir, indexDir, dataDir);
      startupMs.push(s.ms);
      await askOnce(s.url, english);
      firstAnswerMs.push(Math.round(performance.now() - started));
      await stop(s.child);
    }
    const server = await startServer(corpusDir, indexDir, dataDir);
    startupMs.push(server.ms);
    try {
      // The server warms its dictionary and jieba after it listens: the load starts on a warm server.
      await askOnce(server.url, english);
      await new Promise((r) => setTimeout(r, 500));
      const rssReadyMiB = rssMiB(server.child.pid);
      const results: LoadResult[] = [];
      for (const c of options.connections)
        results.push(await load(server.url, server.child.pid, questions, c, options.seconds, true));
      const all = questions.find((q) => q.kind === 'all-places');
      // Uncached first: a cached all-places answer would hold nothing.
      await stop(server.child);
      const uncached = await startServer(corpusDir, indexDir, dataDir, false);
      server.child = uncached.child;
      server.url = uncached.url;
      await askOnce(server.url, english);
      const probe = all ? await healthzDuring(server.url, all.item.question) : null;
      for (const c of options.connections)
        results.push(await load(server.url, server.child.pid, questions, c, options.seconds, false));
      return {
        startupMs: startupMs.map((x) => Math.round(x)),
        startupMedianMs: median(startupMs),
        firstAnswerMs,
        rssReadyMiB,
        load: results,
        healthzDuringAllPlacesMs: probe ? Math.round(probe.healthz) : null,
        allPlacesMs: probe ? Math.round(probe.ask) : null,
      };
    } finally {
      await stop(server.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
