import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
let dir: string;
let env: NodeJS.ProcessEnv;
/** What `npm run ingest` printed: the index it built is the one the other commands read. */
let ingested: string;

const npm = (args: string[]) =>
  run('npm', ['run', '--silent', ...args], { cwd: ROOT, env, timeout: 120_000 });
/**
 * The entry behind an npm script (`tsx <entry>`), for the second and third call of a command once the README
 * form has gone through npm: npm, its shell and the tsx launcher cost three node start-ups per call.
 */
const entry = (script: string, args: string[]) =>
  run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, timeout: 120_000 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhengce-cli-'));
  cpSync(join(ROOT, 'seeds'), join(dir, 'corpus'), { recursive: true });
  env = { ...process.env, CORPUS_DIR: join(dir, 'corpus'), INDEX_DIR: join(dir, 'index'), EMBEDDER: 'lsa' };
  ingested = (await npm(['ingest'])).stdout;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each command only reads the index built above (eval builds its own), so they run side by side: each is a
// process of its own, mostly starting up, and the two cores are not both busy with one.
describe.concurrent('the README commands', () => {
  it('npm run ingest prints a summary', ({ expect }) => {
    const stdout = ingested;
    expect(stdout).toMatch(/Indexed 5 document\(s\): \d+ chunks \(55 table rows\), \d+ targets/);
  });

  it('npm run search prints the top chunks with region, document and heading path', async ({ expect }) => {
    const [{ stdout }, asJson] = await Promise.all([
      npm(['search', '--', '家庭医生签约服务覆盖率', '-k', '3']),
      entry('server/cli/search.ts', ['西宁 2024年度 家庭医生签约', '--json']),
    ]);
    expect(stdout).toContain('1. [');
    expect(stdout).toContain('签约服务覆盖率');
    const json = JSON.parse(asJson.stdout);
    expect(json[0]).toHaveProperty('headingPath');
  });

  it('npm run ask --json returns the answering contract', async ({ expect }) => {
    const { stdout } = await npm(['ask', '--', "What is Jiaxing's 2027 family-doctor target?", '--json']);
    const result = JSON.parse(stdout);
    expect(result.status).toBe('answered');
    expect(result.answer).toContain('45%');
    expect(result.citations[0]).toMatchObject({ n: 1, docNumber: '嘉政办发〔2024〕5号' });
    expect(result.timings).toHaveProperty('retrieveMs');
  });

  it('npm run targets lists targets with their clause, and exits 2 on a bad year', async ({ expect }) => {
    const [{ stdout }, { stdout: compared }] = await Promise.all([
      npm(['targets', '--', '--region', '嘉兴', '--year', '2027']),
      entry('server/cli/targets.ts', ['--compare', '签约服务覆盖率']),
      expect(entry('server/cli/targets.ts', ['--year', 'soon'])).rejects.toMatchObject({ code: 2 }),
    ]);
    expect(stdout).toContain('45%以上');
    expect(compared).toContain('嘉兴市  2027');
    expect(compared).toContain('西宁市  2024');
    expect(compared).toMatch(/\d+ value\(s\) for 家庭医生签约服务覆盖率/);
  });

  it('npm run eval --index --corpus scores a set over another folder of documents, without touching the default index', async ({
    expect,
  }) => {
    const corpus = join(dir, 'laws');
    cpSync(
      join(ROOT, 'tests/fixtures/real-docs/zhejiang-mental-health-regulation-2019.md'),
      join(corpus, 'zhejiang.md'),
    );
    const set = join(dir, 'laws.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      set,
      `${JSON.stringify({ id: 'zj-1', question: '浙江省精神卫生条例哪天起施行?', facts: ['2019年12月1日'], quotes: ['本条例自2019年12月1日起施行'], clause: '第三十条' })}\n`,
    );
    const { stdout } = await npm([
      'eval',
      '--',
      '--set',
      set,
      '--index',
      join(dir, 'laws-index'),
      '--corpus',
      corpus,
      '--out',
      join(dir, 'laws-out'),
    ]);
    expect(stdout).toMatch(/1 items .*1 passed/);
    expect(stdout).toMatch(/Clause cited\s+100\.0%/);
  });
});
