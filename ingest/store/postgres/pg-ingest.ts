/**
 * `STORE=postgres npm run ingest`: the corpus (and added documents) into the PostgreSQL store.
 *
 * - Incremental: each file's rows carry a key of its bytes, override, settings, embedder and the ingest
 *   code (as the local parse cache's key); a file whose key is unchanged is not read again.
 * - Atomic per file: a file's documents, chunks, cells, targets, terms, document frequencies, vocabulary
 *   and vectors are replaced in one transaction, which also bumps `index_state.version`; readers see the
 *   old document or the new one, never half of one. Rows are written in batches.
 * - One at a time: a session advisory lock; a second ingest waits for the first, then finds its files
 *   unchanged.
 *
 * Files the local build would skip (links, unreadable, duplicates, an id taken by another file) are
 * skipped the same way, and the same tokens are indexed (shard.ts: parseFile), so both stores answer alike.
 */

import { createHash } from 'node:crypto';
import { parseCacheKey } from '../../build/parse-cache.ts';
import { parseFile } from '../../build/shard.ts';
import { stageTimer } from '../../build/stage-timer.ts';
import type { BuildProgress, BuildResult, BuildTimedStage, BuildWarning } from '../../build-index.ts';
import { markSuperseded } from '../../build-index.ts';
import type { IngestConfig } from '../../config.ts';
import { addedDirOf, indexSettings, listAllFiles, readRemoved } from '../../corpus-roots.ts';
import { docIdFor } from '../../doc-id.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { embedderForBuild, resolveEmbedderKind } from '../../embed/select-embedder.ts';
import type { DocumentMeta } from '../../model.ts';
import { cedictSubset } from '../../text/cedict.ts';
import { compareCodeUnits } from '../../text/code-unit-order.ts';
import { docIdOfChunk } from '../document-store.ts';
import { FORMAT_VERSION, type IndexManifest } from '../format.ts';
import { checkSchema, hasVectorExtension } from './migrate.ts';
import type { PostgresStoreConfig } from './pg-open-index.ts';
import {
  checkConnection,
  inTransaction,
  type PgClient,
  type PgPool,
  pgPool,
  redactUrl,
  StoreError,
} from './pg-pool.ts';
import { ensureVectorTable, writeVectors } from './pg-vector-store.ts';

/** Lock key of ingest (pg_advisory_lock): one ingest writes at a time, whichever host runs it. */
export const INGEST_LOCK = 0x7a68_696e;
/** Rows per INSERT: large enough to cost few round trips, small enough to keep statements modest. */
const BATCH_ROWS = 5000;
/** Texts embedded per call, as the local build. */
const EMBED_BATCH = 64;

export interface PgIngestOptions {
  onProgress?: (p: BuildProgress) => void;
  /** Called once the advisory lock is held (tests use it to prove two ingests do not overlap). */
  onLocked?: () => void | Promise<void>;
  /** Called just before the advisory lock is released: the other end of the span `onLocked` opens. */
  onUnlocking?: () => void;
  /** Told when another ingest holds the lock and this one waits. */
  log?: (message: string) => void;
}

export function postgresStoreOf(config: IngestConfig): PostgresStoreConfig {
  if (config.store?.kind !== 'postgres')
    throw new Error('STORE=postgres is not set: this ingest writes the local index.');
  return config.store;
}

export async function ingestToPostgres(
  config: IngestConfig,
  options: PgIngestOptions = {},
): Promise<BuildResult> {
  const store = postgresStoreOf(config);
  const onProgress = options.onProgress ?? (() => {});
  const started = Date.now();
  const { stageSeconds, lap } = stageTimer();
  const kind = resolveEmbedderKind(config.embedder);
  if (kind === 'lsa')
    throw new StoreError(
      'store_unsupported',
      'EMBEDDER=lsa is fitted on the whole corpus at once, which a per-document PostgreSQL ingest cannot keep: use EMBEDDER=lexical (or auto) or transformers with STORE=postgres.',
    );
  const pool = pgPool(store.url, store.poolSize);
  await checkConnection(pool, store.url);
  await checkSchema(pool);
  const lockClient = await pool.connect();
  try {
    const got = await lockClient.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
      INGEST_LOCK,
    ]);
    if (!got.rows[0]?.ok) {
      options.log?.('Another ingest is writing to this database; waiting for it to finish.');
      await lockClient.query('SELECT pg_advisory_lock($1)', [INGEST_LOCK]);
    }
    await options.onLocked?.();
    return await ingestLocked(config, store, pool, kind, onProgress, lap, stageSeconds, started);
  } finally {
    options.onUnlocking?.();
    await lockClient.query('SELECT pg_advisory_unlock($1)', [INGEST_LOCK]).catch(() => {});
    lockClient.release();
  }
}

async function ingestLocked(
  config: IngestConfig,
  store: PostgresStoreConfig,
  pool: PgPool,
  kind: 'lexical' | 'transformers',
  onProgress: (p: BuildProgress) => void,
  lap: (stage: BuildTimedStage) => void,
  stageSeconds: Record<BuildTimedStage, number>,
  started: number,
): Promise<BuildResult> {
  const listing = listAllFiles(config);
  const removed = readRemoved(addedDirOf(config));
  const failures: { path: string; error: string }[] = listing.skipped.map((s) => ({
    path: s.path,
    error: s.reason,
  }));
  const warnings: BuildWarning[] = [];
  let embedder: Embedder | null = null;
  if (kind === 'transformers') {
    if (await hasVectorExtension(pool)) embedder = (await embedderForBuild(config.embedder, [])).embedder;
    else
      warnings.push({
        path: redactUrl(store.url),
        docId: null,
        message:
          'vector search unavailable: the database has no `vector` extension; chunks are indexed by words only',
      });
  }
  const embedderTag = embedder ? `${embedder.id}:${embedder.dimensions}` : 'none';
  if (embedder) await ensureVectorTable(pool, embedder.dimensions);
  const settings = indexSettings(config);
  const known = new Map(
    (
      await pool.query<{ path: string; content_key: string; file_pos: number }>(
        'SELECT path, content_key, file_pos FROM sources',
      )
    ).rows.map((r) => [r.path, r] as const),
  );
  lap('read');
  const fileOfFileId = new Map<string, string>();
  const fileOfContent = new Map<string, string>();
  let parsed = 0;
  let reused = 0;
  let embeddedChunks = 0;
  let changed = false;
  const positions: { path: string; pos: number }[] = [];
  let done = 0;
  for (const [pos, file] of listing.files.entries()) {
    onProgress({ stage: 'load', done, total: listing.files.length, detail: file.path });
    positions.push({ path: file.path, pos });
    let error: string | null = null;
    const fileId = docIdFor(file.path);
    const idHolder = fileOfFileId.get(fileId);
    const twin = fileOfContent.get(file.sha256);
    if (idHolder) {
      error = `its document id "${fileId}" is already taken by ${idHolder}: rename one of the two files`;
      failures.push({ path: file.path, error });
    } else {
      fileOfFileId.set(fileId, file.path);
      if (twin) {
        error = `duplicate of ${twin} (same content); not indexed twice`;
        warnings.push({ path: file.path, docId: null, message: error });
      } else fileOfContent.set(file.sha256, file.path);
    }
    const excludeDocIds = removed.filter((r) => r.sha256 === file.sha256).map((r) => r.docId);
    const contentKey = createHash('sha256')
      .update(
        parseCacheKey({
          path: file.path,
          sha256: file.sha256,
          override: file.override,
          settings: {
            chunk: config.chunk,
            excludeDocIds,
            embedder: embedderTag,
            error,
            format: FORMAT_VERSION,
          },
        }),
      )
      .digest('hex');
    if (known.get(file.path)?.content_key === contentKey) {
      reused++;
      onProgress({ stage: 'load', done: ++done, total: listing.files.length, detail: file.path });
      continue;
    }
    let docs: Awaited<ReturnType<typeof parseFile>> | null = null;
    let encoding: string | null = null;
    if (!error) {
      try {
        docs = await parseFile(
          { path: file.path, bytes: file.bytes, override: file.override },
          { chunk: config.chunk, keepIndexText: embedder !== null },
        );
        encoding = docs.encoding;
        parsed++;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        failures.push({ path: file.path, error });
      }
    }
    lap('parse');
    // The file's vectors, computed before its transaction so the transaction stays short.
    const vectors: { id: string; vector: Float32Array }[] = [];
    if (docs && embedder) {
      for (const [d, doc] of docs.docs.entries()) {
        if (excludeDocIds.includes(doc.record.meta.docId)) continue;
        const texts = doc.indexTexts ?? [];
        try {
          for (let i = 0; i < texts.length; i += EMBED_BATCH) {
            const batch = await embedder.embedDocuments(texts.slice(i, i + EMBED_BATCH));
            batch.forEach((vector, j) => {
              const chunk = docs?.docs[d]?.chunks[i + j];
              if (chunk) vectors.push({ id: chunk.id, vector });
            });
          }
          embeddedChunks += texts.length;
        } catch (err) {
          warnings.push({
            path: file.path,
            docId: doc.record.meta.docId,
            message: `its chunks could not be embedded (${err instanceof Error ? err.message : String(err)}); found by words only`,
          });
        }
      }
    }
    lap('embed');
    await inTransaction(pool, async (client) => {
      const docIds = docs ? docs.docs.map((d) => d.record.meta.docId) : [];
      await removeDocuments(client, `d.source = $1 OR d.doc_id = ANY($2::text[])`, [file.path, docIds]);
      await client.query('DELETE FROM sources WHERE path = $1', [file.path]);
      await client.query(
        `INSERT INTO sources (path, sha256, content_key, bytes, encoding, error, file_pos) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [file.path, file.sha256, contentKey, file.bytes.length, encoding, error, pos],
      );
      if (docs) {
        let at = 0;
        for (const [part, doc] of docs.docs.entries()) {
          const tokens = docs.tokens.slice(at, at + doc.chunks.length);
          const words = docs.words.slice(at, at + doc.chunks.length);
          at += doc.chunks.length;
          if (excludeDocIds.includes(doc.record.meta.docId)) continue;
          for (const w of doc.warnings)
            warnings.push({ path: file.path, docId: doc.record.meta.docId, message: w });
          await insertDocument(client, file.path, part, doc, tokens, words);
        }
        for (const w of docs.loadWarnings)
          warnings.push({ path: file.path, docId: docs.docs[0]?.record.meta.docId ?? null, message: w });
        const ids = new Set(
          docs.docs.map((d) => d.record.meta.docId).filter((id) => !excludeDocIds.includes(id)),
        );
        await writeVectors(
          client,
          vectors.filter((v) => ids.has(docIdOfChunk(v.id))),
        );
      }
      await client.query('UPDATE index_state SET version = version + 1');
    });
    changed = true;
    lap('write');
    onProgress({ stage: 'load', done: ++done, total: listing.files.length, detail: file.path });
  }
  // Files gone from the corpus: their rows go, one transaction each.
  const listed = new Set(listing.files.map((f) => f.path));
  for (const path of known.keys()) {
    if (listed.has(path)) continue;
    await inTransaction(pool, async (client) => {
      await removeDocuments(client, 'd.source = $1', [path]);
      await client.query('DELETE FROM sources WHERE path = $1', [path]);
      await client.query('UPDATE index_state SET version = version + 1');
    });
    changed = true;
  }
  lap('write');
  const moved = positions.some((p) => known.has(p.path) && known.get(p.path)?.file_pos !== p.pos);
  const state = await pool.query<{ embedder_id: string; settings: unknown }>(
    'SELECT embedder_id, settings FROM index_state',
  );
  const stateChanged =
    state.rows[0]?.embedder_id !== (embedder?.id ?? 'none') ||
    JSON.stringify(state.rows[0]?.settings) !== JSON.stringify(settings);
  if (changed || moved || stateChanged) {
    await finishCorpus(pool, config, embedder, settings, positions, lap);
    // Fresh statistics at once rather than at autovacuum's leisure: without them the planner joins the
    // terms table blindly and a BM25 query on a freshly ingested database takes 100 ms instead of 1.
    await pool.query('ANALYZE index_state, sources, documents, chunks, terms, term_stats');
  }
  const documents = Number(
    (await pool.query<{ n: string }>('SELECT count(*) AS n FROM documents')).rows[0]?.n ?? 0,
  );
  if (documents === 0)
    throw new Error(
      `No document in "${config.corpusDir}" could be indexed${failures.length ? `: ${failures.map((f) => `${f.path}: ${f.error}`).join('; ')}` : ' (the folder has no documents of a format ingest reads)'}.`,
    );
  const manifest = await manifestOf(pool, store, embedder, settings, listing, (Date.now() - started) / 1000);
  onProgress({ stage: 'write', done: 1, total: 1 });
  return { manifest, failures, warnings, stageSeconds, files: { parsed, reused, embeddedChunks } };
}

/**
 * Deletes documents matching `where` (over `documents d`) with everything that hangs off them, first
 * taking their terms out of the document frequencies and their chunks out of BM25's totals.
 */
async function removeDocuments(client: PgClient, where: string, params: unknown[]): Promise<void> {
  await client.query(
    `WITH gone AS (
       SELECT t.term, count(*)::integer AS n FROM terms t
       JOIN chunks c ON c.id = t.chunk JOIN documents d ON d.doc_id = c.doc_id
       WHERE ${where} GROUP BY t.term
     ) UPDATE term_stats s SET df = s.df - gone.n FROM gone WHERE s.term = gone.term`,
    params,
  );
  await client.query('DELETE FROM term_stats WHERE df <= 0');
  await client.query(
    `WITH gone AS (
       SELECT count(*) AS n, coalesce(sum(c.length), 0) AS len FROM chunks c JOIN documents d ON d.doc_id = c.doc_id
       WHERE ${where}
     ) UPDATE index_state SET chunk_count = chunk_count - gone.n, total_length = total_length - gone.len FROM gone`,
    params,
  );
  await client.query(`DELETE FROM documents d WHERE ${where}`, params);
}

type ParsedDoc = Awaited<ReturnType<typeof parseFile>>['docs'][number];

async function insertDocument(
  client: PgClient,
  source: string,
  part: number,
  doc: ParsedDoc,
  tokens: readonly string[][],
  words: readonly string[][],
): Promise<void> {
  const m = doc.record.meta;
  const clauseYears = [
    ...new Set(doc.chunks.filter((c) => c.kind !== 'header').flatMap((c) => c.years)),
  ].sort((a, b) => a - b);
  await client.query(
    `INSERT INTO documents (doc_id, source, part, title, doc_number, issuer, doc_type, region_name, region_code,
       region_level, issued_date, published_date, horizon_years, clause_years, chunk_count, meta, text)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
      m.docId,
      source,
      part,
      m.title,
      m.docNumber,
      m.issuer,
      m.docType,
      m.region?.name ?? null,
      m.region?.code ?? null,
      m.region?.level ?? null,
      m.issuedDate,
      m.publishedDate,
      m.horizonYears,
      clauseYears,
      doc.chunks.length,
      JSON.stringify(m),
      doc.record.text,
    ],
  );
  const chunkKeys = new Map<string, string>();
  for (let i = 0; i < doc.chunks.length; i += BATCH_ROWS) {
    const batch = doc.chunks.slice(i, i + BATCH_ROWS);
    const r = await client.query<{ id: string; chunk_id: string }>(
      // Heading paths and years are ragged arrays, which unnest cannot take as text[][]: one JSON array each.
      `INSERT INTO chunks (chunk_id, doc_id, ordinal, kind, heading_path, clause_path, text, start_offset, end_offset,
         years, part_index, part_of, length)
       SELECT chunk_id, doc_id, ordinal, kind, ARRAY(SELECT json_array_elements_text(hp)), clause_path, text, s, e,
         ARRAY(SELECT json_array_elements_text(ys)::integer), pi, po, length
       FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::json[], $6::text[], $7::text[],
         $8::integer[], $9::integer[], $10::json[], $11::integer[], $12::integer[], $13::integer[])
         AS c(chunk_id, doc_id, ordinal, kind, hp, clause_path, text, s, e, ys, pi, po, length)
       RETURNING id, chunk_id`,
      [
        batch.map((c) => c.id),
        batch.map((c) => c.docId),
        batch.map((_, j) => i + j),
        batch.map((c) => c.kind),
        batch.map((c) => JSON.stringify(c.headingPath)),
        batch.map((c) => c.clausePath),
        batch.map((c) => c.text),
        batch.map((c) => c.start),
        batch.map((c) => c.end),
        batch.map((c) => JSON.stringify(c.years)),
        batch.map((c) => c.part?.index ?? null),
        batch.map((c) => c.part?.of ?? null),
        batch.map((_, j) => tokens[i + j]?.length ?? 0),
      ],
    );
    for (const row of r.rows) chunkKeys.set(row.chunk_id, row.id);
  }
  // Table cells, one row each.
  const cells = doc.chunks.flatMap((c) =>
    (c.cells ?? []).map((cell, position) => ({ chunk: chunkKeys.get(c.id), position, ...cell })),
  );
  for (let i = 0; i < cells.length; i += BATCH_ROWS) {
    const batch = cells.slice(i, i + BATCH_ROWS);
    await client.query(
      `INSERT INTO table_cells (chunk, position, header, value)
       SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[])`,
      [
        batch.map((c) => c.chunk),
        batch.map((c) => c.position),
        batch.map((c) => c.header),
        batch.map((c) => c.value),
      ],
    );
  }
  await insertTargets(client, doc);
  // Terms: tf per (term, chunk), and each term's new chunks added to its document frequency.
  const termRows: { term: string; chunk: string; tf: number }[] = [];
  const dfAdd = new Map<string, number>();
  doc.chunks.forEach((c, j) => {
    const tf = new Map<string, number>();
    for (const t of tokens[j] ?? []) tf.set(t, (tf.get(t) ?? 0) + 1);
    const chunk = chunkKeys.get(c.id) ?? '';
    // The local index caps a term frequency at 65535 (Uint16Array): the same cap keeps scores equal.
    for (const [term, n] of tf) termRows.push({ term, chunk, tf: Math.min(65535, n) });
    for (const term of tf.keys()) dfAdd.set(term, (dfAdd.get(term) ?? 0) + 1);
  });
  for (let i = 0; i < termRows.length; i += BATCH_ROWS) {
    const batch = termRows.slice(i, i + BATCH_ROWS);
    await client.query(
      'INSERT INTO terms (term, chunk, tf) SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[])',
      [batch.map((t) => t.term), batch.map((t) => t.chunk), batch.map((t) => t.tf)],
    );
  }
  // Sorted, so two transactions touching the same terms lock them in one order (no deadlock).
  const dfs = [...dfAdd].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 0; i < dfs.length; i += BATCH_ROWS) {
    const batch = dfs.slice(i, i + BATCH_ROWS);
    await client.query(
      `INSERT INTO term_stats (term, df) SELECT * FROM unnest($1::text[], $2::integer[])
       ON CONFLICT (term) DO UPDATE SET df = term_stats.df + EXCLUDED.df`,
      [batch.map((d) => d[0]), batch.map((d) => d[1])],
    );
  }
  const vocabulary = new Map<string, number>();
  for (const list of words) for (const w of list) vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
  const vocab = [...vocabulary];
  for (let i = 0; i < vocab.length; i += BATCH_ROWS) {
    const batch = vocab.slice(i, i + BATCH_ROWS);
    await client.query(
      `INSERT INTO vocabulary (doc_id, word, chunks) SELECT $1, * FROM unnest($2::text[], $3::integer[])`,
      [m.docId, batch.map((v) => v[0]), batch.map((v) => v[1])],
    );
  }
  const length = tokens.reduce((n, t) => n + t.length, 0);
  await client.query(
    'UPDATE index_state SET chunk_count = chunk_count + $1, total_length = total_length + $2',
    [doc.chunks.length, length],
  );
}

async function insertTargets(client: PgClient, doc: ParsedDoc): Promise<void> {
  const t = doc.targets;
  for (let i = 0; i < t.length; i += BATCH_ROWS) {
    const b = t.slice(i, i + BATCH_ROWS);
    await client.query(
      `INSERT INTO targets (doc_id, position, target_id, chunk_id, region, heading_path, metric, metric_group, qualifier,
         value, value_max, value_text, unit, comparator, kind, year, year_source, quote, start_offset, end_offset)
       SELECT doc_id, position, target_id, chunk_id, region, ARRAY(SELECT json_array_elements_text(hp)), metric,
         metric_group, qualifier, value, value_max, value_text, unit, comparator, kind, year, year_source, quote, s, e
       FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::json[], $7::text[], $8::text[],
         $9::text[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::text[], $15::text[], $16::integer[],
         $17::text[], $18::text[], $19::integer[], $20::integer[])
         AS x(doc_id, position, target_id, chunk_id, region, hp, metric, metric_group, qualifier, value, value_max,
           value_text, unit, comparator, kind, year, year_source, quote, s, e)`,
      [
        b.map((x) => x.docId),
        b.map((_, j) => i + j),
        b.map((x) => x.id),
        b.map((x) => x.chunkId),
        b.map((x) => x.region),
        b.map((x) => JSON.stringify(x.headingPath)),
        b.map((x) => x.metric),
        b.map((x) => x.metricGroup),
        b.map((x) => x.qualifier),
        b.map((x) => x.value),
        b.map((x) => x.valueMax),
        b.map((x) => x.valueText),
        b.map((x) => x.unit),
        b.map((x) => x.comparator),
        b.map((x) => x.kind ?? null),
        b.map((x) => x.year),
        b.map((x) => x.yearSource),
        b.map((x) => x.quote),
        b.map((x) => x.start),
        b.map((x) => x.end),
      ],
    );
  }
}

/**
 * What depends on the whole corpus, in one transaction after the files: file order, which text of a
 * regulation is current (supersededBy), the CC-CEDICT subset of the vocabulary, the embedder and settings.
 */
async function finishCorpus(
  pool: PgPool,
  config: IngestConfig,
  embedder: Embedder | null,
  settings: unknown,
  positions: readonly { path: string; pos: number }[],
  lap: (stage: BuildTimedStage) => void,
): Promise<void> {
  const words = (await pool.query<{ word: string }>('SELECT DISTINCT word FROM vocabulary')).rows
    .map((r) => r.word)
    .sort(compareCodeUnits);
  const dictionary = cedictSubset(words);
  lap('dictionary');
  await inTransaction(pool, async (client) => {
    await client.query(
      'UPDATE sources s SET file_pos = p.pos FROM unnest($1::text[], $2::integer[]) AS p(path, pos) WHERE s.path = p.path',
      [positions.map((p) => p.path), positions.map((p) => p.pos)],
    );
    const docs = (
      await client.query<{ doc_id: string; meta: DocumentMeta }>(
        'SELECT d.doc_id, d.meta FROM documents d JOIN sources s ON s.path = d.source ORDER BY s.file_pos, d.part',
      )
    ).rows;
    const metas = docs.map((d) => ({ ...d.meta, supersededBy: null }));
    markSuperseded(metas);
    const changed = metas.filter((m, i) => m.supersededBy !== (docs[i]?.meta.supersededBy ?? null));
    for (const m of changed)
      await client.query('UPDATE documents SET meta = $2 WHERE doc_id = $1', [m.docId, JSON.stringify(m)]);
    await client.query(
      `UPDATE index_state SET version = version + 1, embedder_kind = $1, embedder_id = $2, dimensions = $3,
         settings = $4, built_at = now(), dictionary = $5`,
      [
        embedder ? resolveEmbedderKind(config.embedder) : 'lexical',
        embedder?.id ?? 'none',
        embedder?.dimensions ?? 0,
        JSON.stringify(settings),
        JSON.stringify(dictionary),
      ],
    );
  });
  lap('write');
}

async function manifestOf(
  pool: PgPool,
  store: PostgresStoreConfig,
  embedder: Embedder | null,
  settings: unknown,
  listing: ReturnType<typeof listAllFiles>,
  seconds: number,
): Promise<IndexManifest> {
  const r = (
    await pool.query<{
      documents: string;
      chunks: string;
      rows: string;
      targets: string;
      built_at: Date | null;
    }>(
      `SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM chunks) AS chunks,
         (SELECT count(*) FROM chunks WHERE kind = 'table-row') AS rows, (SELECT count(*) FROM targets) AS targets,
         (SELECT built_at FROM index_state) AS built_at`,
    )
  ).rows[0];
  const sources = (
    await pool.query<{
      path: string;
      sha256: string;
      bytes: string;
      encoding: string | null;
      error: string | null;
    }>('SELECT path, sha256, bytes, encoding, error FROM sources ORDER BY file_pos')
  ).rows;
  return {
    formatVersion: FORMAT_VERSION,
    builtAt: (r?.built_at ?? new Date()).toISOString(),
    corpusHash: redactUrl(store.url),
    embedder: embedder
      ? { kind: 'transformers', id: embedder.id, dimensions: embedder.dimensions }
      : { kind: 'lexical', id: 'none', dimensions: 0 },
    counts: {
      documents: Number(r?.documents ?? 0),
      chunks: Number(r?.chunks ?? 0),
      tableRows: Number(r?.rows ?? 0),
      targets: Number(r?.targets ?? 0),
    },
    sources: sources.map((s) => ({
      path: s.path,
      sha256: s.sha256,
      bytes: Number(s.bytes),
      ...(s.encoding ? { encoding: s.encoding } : {}),
      ...(s.error ? { error: s.error } : {}),
    })),
    settings,
    stamps: listing.stamps,
    skipped: listing.skipped,
    buildSeconds: Math.round(seconds * 10) / 10,
  };
}
