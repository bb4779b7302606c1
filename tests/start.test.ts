import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNpmStart, stopNpmStart } from './support/npm-start.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'zhengce-start-'));
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) await stopNpmStart(child);
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `npm start` and resolves with the URL it prints, or rejects with its output. */
function start(env: NodeJS.ProcessEnv): Promise<{ url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawnNpmStart({ cwd: ROOT, env: { ...process.env, ...env } });
    children.push(child);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = output.match(/listening on (http:\/\/[^\s]+)/);
      if (m?.[1]) resolve({ url: m[1], output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

describe('npm start', () => {
  it('builds the index from the corpus, says which embedder, and serves the API and the page', async () => {
    cpSync(join(ROOT, 'seeds'), join(dir, 'corpus'), { recursive: true });
    const { url, output } = await start({
      CORPUS_DIR: join(dir, 'corpus'),
      INDEX_DIR: join(dir, 'index'),
      DATA_DIR: join(dir, 'data'),
      PORT: '0',
      HOST: '127.0.0.1',
    });
    expect(output()).toContain('Embedder: none: lexical retrieval only');
    expect(output()).toContain('Built the index because there is no index yet.');
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health.manifest.counts.documents).toBe(5);
    const page = await fetch(`${url}/`);
    expect(await page.text()).toContain('<html');
    const ask = await fetch(`${url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: '嘉兴2027年家庭医生签约覆盖率目标是多少?' }),
    });
    expect((await ask.json()).answer).toContain('45%');
  });

  it('stops with a message naming an invalid setting', async () => {
    await expect(start({ PORT: 'eighty', INDEX_DIR: join(dir, 'other') })).rejects.toThrow(/PORT/);
  });
});
