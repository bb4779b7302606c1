/**
 * The CURRENT pointer layout of INDEX_DIR: an index of the layout before it is still served and moved on
 * at the next build; leftovers of builds from before the pointer are removed at start-up, those of a
 * running builder are not; a pointer that names anything but a build folder is not followed.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../ingest/build-index.ts';
import { loadIngestConfig } from '../ingest/config.ts';
import { ensureIndex } from '../ingest/ensure-index.ts';
import { CURRENT_FILE, currentIndexDir } from '../ingest/store/index-location.ts';

let dir: string;

/** A pid that was just in use and is not any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-location-'));
  cpSync(join(import.meta.dirname, '..', 'seeds'), join(dir, 'corpus'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('INDEX_DIR with a CURRENT pointer', () => {
  it('serves an index of the old layout in place, and moves it to the pointer layout at the next build', async () => {
    const config = loadIngestConfig({ CORPUS_DIR: join(dir, 'corpus'), INDEX_DIR: join(dir, 'old') });
    await buildIndex(config);
    // Make it the old layout: the index files directly in INDEX_DIR, no pointer.
    const build = currentIndexDir(config.indexDir);
    for (const name of readdirSync(build)) renameSync(join(build, name), join(config.indexDir, name));
    rmSync(build, { recursive: true });
    rmSync(join(config.indexDir, CURRENT_FILE));

    const reused = await ensureIndex(config);
    expect(reused.rebuiltBecause).toBeNull();
    expect(reused.index.dir).toBe(config.indexDir);
    expect(reused.index.manifest.counts.documents).toBe(5);

    await buildIndex(config);
    expect(currentIndexDir(config.indexDir)).not.toBe(config.indexDir);
    expect(existsSync(join(config.indexDir, 'manifest.json'))).toBe(false);
    expect(existsSync(join(config.indexDir, 'documents.bin'))).toBe(false);
    const reopened = await ensureIndex(config);
    expect(reopened.index.manifest.counts.documents).toBe(5);
  });

  it("removes the old layout's crash leftovers at start-up, but not a running builder's", async () => {
    const config = loadIngestConfig({ CORPUS_DIR: join(dir, 'corpus'), INDEX_DIR: join(dir, 'index') });
    await buildIndex(config);
    const dead = deadPid();
    const crashed = join(dir, `index.tmp-${dead}-1700000000000`);
    const halfSwapped = join(dir, `index.old-${dead}-1700000000000`);
    const running = join(dir, `index.tmp-${process.pid}-1700000000000`);
    const unfinished = join(config.indexDir, `build-20260101T000000000Z-${dead}`);
    for (const folder of [crashed, halfSwapped, running, unfinished]) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'documents.bin'), 'x'.repeat(1000));
    }
    writeFileSync(join(config.indexDir, `${CURRENT_FILE}.next-${dead}`), 'build-x\n');

    const ensured = await ensureIndex(config);
    expect(ensured.index.manifest.counts.documents).toBe(5);
    expect(existsSync(crashed)).toBe(false);
    expect(existsSync(halfSwapped)).toBe(false);
    expect(existsSync(unfinished)).toBe(false);
    expect(existsSync(join(config.indexDir, `${CURRENT_FILE}.next-${dead}`))).toBe(false);
    expect(existsSync(running)).toBe(true);
    rmSync(running, { recursive: true });
  });

  it('does not follow a pointer to anything but a build folder inside INDEX_DIR', async () => {
    const config = loadIngestConfig({ CORPUS_DIR: join(dir, 'corpus'), INDEX_DIR: join(dir, 'pointed') });
    await buildIndex(config);
    const served = currentIndexDir(config.indexDir);
    for (const target of ['../index', '/etc', 'build-x/../../index', 'cache']) {
      writeFileSync(join(config.indexDir, CURRENT_FILE), `${target}\n`);
      expect(currentIndexDir(config.indexDir), target).toBe(config.indexDir);
    }
    writeFileSync(join(config.indexDir, CURRENT_FILE), `${served.split('/').pop()}\n`);
    expect(currentIndexDir(config.indexDir)).toBe(served);
  });
});
