/**
 * `npm run ingest -- --add <files|folder>` and `--remove <docId>` as the README shows them: documents are
 * added without touching the corpus folder, only what changed is parsed, a removed corpus document stays
 * out of the index, and mistakes exit 1 with a message.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../ingest/config.ts';
import { openIndex } from '../ingest/store/open-index.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const REAL = join(ROOT, 'tests', 'fixtures', 'real-docs');
let dir: string;
let env: NodeJS.ProcessEnv;

const npm = (args: string[]) =>
  run('npm', ['run', '--silent', 'ingest', '--', ...args], { cwd: ROOT, env, timeout: 120_000 });
/**
 * The entry behind `npm run ingest` (the script is `tsx ingest/cli.ts`), for the repeats and mistakes once
 * each README form has gone through npm above: npm, its shell and the tsx launcher cost three node start-ups
 * per call (about half of each call on a busy 2-core machine).
 */
const ingest = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', ...args], { cwd: ROOT, env, timeout: 120_000 });

async function documents(): Promise<{ docId: string; source: string; title: string }[]> {
  const index = await openIndex(join(dir, 'index'), loadIngestConfig(env).embedder);
  return index.documents.map((d) => d.meta);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-add-'));
  cpSync(join(ROOT, 'seeds'), join(dir, 'corpus'), { recursive: true });
  env = {
    ...process.env,
    CORPUS_DIR: join(dir, 'corpus'),
    INDEX_DIR: join(dir, 'index'),
    EMBEDDER: 'lexical',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run ingest -- --add / --remove', () => {
  it('adds a folder of documents, parsing only the new files, and leaves the corpus folder as it was', async () => {
    const first = (await npm([])).stdout;
    expect(first).toContain('Files: 5 parsed, 0 unchanged');
    const corpusBefore = readdirSync(join(dir, 'corpus')).sort();

    const folder = join(dir, 'to-add');
    for (const name of ['medical-institutions-regulation-2016.md', 'vaccine-administration-law-2019.md'])
      cpSync(join(REAL, name), join(folder, name));
    const { stdout } = await npm(['--add', folder]);
    expect(stdout).toContain(
      'Added: medical-institutions-regulation-2016.md → added/medical-institutions-regulation-2016.md',
    );
    expect(stdout).toMatch(/Indexed 7 document\(s\)/);
    expect(stdout).toContain('Files: 2 parsed, 5 unchanged');
    expect(readdirSync(join(dir, 'corpus')).sort()).toEqual(corpusBefore);
    const titles = (await documents()).map((d) => d.title);
    expect(titles).toContain('医疗机构管理条例');
    expect(titles).toContain('中华人民共和国疫苗管理法');

    // The same files again: nothing new.
    expect((await ingest(['--add', folder])).stdout).toContain(
      'Already there: vaccine-administration-law-2019.md',
    );
  });

  it('removes an added document (its file goes) and a corpus document (listed, its file kept)', async () => {
    const docs = await documents();
    const added = docs.find((d) => d.title === '医疗机构管理条例');
    const seed = docs.find((d) => !d.source.startsWith('added/'));
    if (!added || !seed) throw new Error('expected an added and a corpus document');
    const { stdout } = await npm(['--remove', added.docId, seed.docId]);
    expect(stdout).toContain(`Removed ${added.docId} (deleted ${added.source})`);
    expect(stdout).toContain(`Removed ${seed.docId} (kept out of the index`);
    const after = (await documents()).map((d) => d.docId);
    expect(after).not.toContain(added.docId);
    expect(after).not.toContain(seed.docId);
    expect(after).toHaveLength(5);
    expect(existsSync(join(dir, 'corpus', seed.source))).toBe(true);
    // Rebuilding keeps it out: the removal is part of what the index is built from.
    expect((await ingest([])).stdout).toMatch(/Indexed 5 document\(s\)/);
  });

  it('exits 1 with a message for an unknown document or a missing file', async () => {
    // None of the three changes anything, so they run side by side.
    await Promise.all([
      expect(ingest(['--remove', 'no-such-document-00000000'])).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('The index has no document "no-such-document-00000000"'),
      }),
      expect(ingest(['--add', join(dir, 'missing.md')])).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('does not exist'),
      }),
      expect(ingest(['--add'])).rejects.toMatchObject({ code: 1 }),
    ]);
  });
});
