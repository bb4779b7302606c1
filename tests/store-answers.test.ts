/**
 * The same questions get the same answers whichever store serves the index: every item of the gold set
 * (evals/gold/seeds.jsonl, follow-ups with their earlier turns) asked through the service over the local
 * index and over the PostgreSQL store (Debian PostgreSQL 15 over TCP), compared whole: status, answer,
 * lead, citations, related and retrieved chunks; only the timings may differ.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIngestConfig } from '../ingest/config.ts';
import { migrate } from '../ingest/store/postgres/migrate.ts';
import { ingestToPostgres } from '../ingest/store/postgres/pg-ingest.ts';
import { closePgPools, pgPool } from '../ingest/store/postgres/pg-pool.ts';
import type { ChatTurn } from '../server/answer/contract.ts';
import { createService, type LoadedService } from '../server/service.ts';
import { startPostgresCluster, type TestDatabase } from './support/pg-servers.ts';
import { SEEDS_DIR, sharedSeedsIndexDir } from './support/seeds-index.ts';

interface GoldItem {
  id: string;
  question: string;
  history?: ChatTurn[];
}

const GOLD: GoldItem[] = readFileSync(new URL('../evals/gold/seeds.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as GoldItem);

let db: TestDatabase;
let indexDir: string;
let local: LoadedService;
let postgres: LoadedService;

beforeAll(async () => {
  db = await startPostgresCluster();
  indexDir = mkdtempSync(join(tmpdir(), 'zhengce-answers-idx-'));
  const config = loadIngestConfig({
    CORPUS_DIR: SEEDS_DIR,
    INDEX_DIR: indexDir,
    STORE: 'postgres',
    DATABASE_URL: db.url,
  });
  await migrate(pgPool(db.url, 10));
  await ingestToPostgres(config);
  local = await createService({
    indexDir: sharedSeedsIndexDir(),
    corpusDir: SEEDS_DIR,
    llm: null,
    ensure: false,
  });
  postgres = await createService({
    corpusDir: SEEDS_DIR,
    llm: null,
    ...(config.store ? { store: config.store } : {}),
  });
});

afterAll(async () => {
  await closePgPools();
  await db?.stop();
  if (indexDir) rmSync(indexDir, { recursive: true, force: true });
});

describe('the same answers from the local and the PostgreSQL store', () => {
  it(`answers all ${GOLD.length} gold-set questions identically`, async () => {
    const differ: string[] = [];
    let answered = 0;
    for (const item of GOLD) {
      const req = { question: item.question, ...(item.history ? { history: item.history } : {}) };
      const { timings: _a, ...want } = await local.ask(req);
      const { timings: _b, ...got } = await postgres.ask(req);
      if (JSON.stringify(got) !== JSON.stringify(want)) differ.push(item.id);
      expect(got, item.id).toEqual(want);
      if (want.status === 'answered') answered++;
    }
    expect(differ).toEqual([]);
    // Not a vacuous comparison: most of the gold set is answered.
    expect(answered).toBeGreaterThan(GOLD.length / 2);
  });

  it('lists the same documents, targets and document windows, and reports the same counts', () => {
    expect(postgres.listDocuments()).toEqual(local.listDocuments());
    expect(postgres.targets({})).toEqual(local.targets({}));
    expect(postgres.targets({ region: '嘉兴', year: 2027 })).toEqual(
      local.targets({ region: '嘉兴', year: 2027 }),
    );
    for (const d of local.listDocuments())
      expect(postgres.getDocument(d.docId)).toEqual(local.getDocument(d.docId));
    expect(postgres.health().manifest.counts).toEqual(local.health().manifest.counts);
  });

  it('checks claims the same way', async () => {
    for (const claim of [
      '嘉兴2027年家庭医生签约服务覆盖率目标是45%',
      '嘉兴2027年家庭医生签约服务覆盖率目标是40%',
    ]) {
      expect(await postgres.checkClaim(claim)).toEqual(await local.checkClaim(claim));
    }
  });
});
