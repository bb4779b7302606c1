/**
 * The `OpenedIndex` contract over PostgreSQL. Searches (BM25, vectors) run in the database; what the
 * answering code reads synchronously (documents' metadata and text, chunks by id and by document, targets,
 * document frequencies for idf, the vocabulary) is a cache loaded here from one consistent snapshot. The
 * cache is the only state a server keeps: it is rebuilt from the database whenever `index_state.version`
 * moves (server/live-service.ts polls it), so any number of replicas serve the same index.
 *
 * The trade-off, chosen so the answering code stays unchanged: the cache holds the corpus's chunks and
 * text in memory, as the local index's document cache does for the documents in use. A corpus too large
 * for that needs the answering code to read chunks asynchronously first; the searches are already in SQL.
 */
import { createHash } from 'node:crypto';
import type { EmbedderConfig, StoreConfig } from '../../config.ts';
import { embedderForIndex, resolveEmbedderKind } from '../../embed/select-embedder.ts';
import type { Chunk, ChunkKind, DocumentMeta, DocumentRecord, TargetRecord } from '../../model.ts';
import type { CedictSubset } from '../../text/cedict.ts';
import { compareCodeUnits } from '../../text/code-unit-order.ts';
import { tokenize } from '../../text/tokenize.ts';
import type { VocabularyCounts } from '../../text/vocabulary.ts';
import { FORMAT_VERSION, type IndexManifest } from '../format.ts';
import { IndexError, type OpenedIndex } from '../open-index.ts';
import { checkSchema, hasVectorExtension } from './migrate.ts';
import { PgLexicalIndex } from './pg-lexical-index.ts';
import { checkConnection, type PgPool, pgPool, redactUrl } from './pg-pool.ts';
import { PgVectorStore, VECTOR_TABLE, vectorTableDimensions } from './pg-vector-store.ts';

export type PostgresStoreConfig = Extract<StoreConfig, { kind: 'postgres' }>;

export interface PgOpenOptions {
  /** Told once per open when the vector side is off for lack of the extension. */
  log?: (message: string) => void;
}

export interface IndexStateRow {
  version: string;
  embedder_kind: 'lexical' | 'lsa' | 'transformers';
  embedder_id: string;
  dimensions: number;
  settings: unknown;
  built_at: Date | null;
  chunk_count: string;
  dictionary: CedictSubset | null;
}

/** What identifies one state of the database's index: a server reloads when this changes. */
export function pgIndexId(config: PostgresStoreConfig, version: string | number): string {
  return `${redactUrl(config.url)}#v${version}`;
}

/** The database's current index version, for the replica's poll (one tiny query). */
export async function pgIndexVersion(pool: PgPool): Promise<string> {
  const r = await pool.query<{ version: string }>('SELECT version FROM index_state');
  return r.rows[0]?.version ?? '0';
}

export async function openPgIndex(
  config: PostgresStoreConfig,
  embedderConfig: EmbedderConfig,
  options: PgOpenOptions = {},
): Promise<OpenedIndex> {
  const pool = pgPool(config.url, config.poolSize);
  await checkConnection(pool, config.url);
  await checkSchema(pool);
  const vectorExtension = await hasVectorExtension(pool);
  const client = await pool.connect();
  try {
    // One snapshot: a document committed meanwhile is either wholly in the cache or not at all.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const state = (await client.query<IndexStateRow>('SELECT * FROM index_state')).rows[0];
    if (!state) throw new IndexError('index_corrupt', 'index_state has no row: run `npm run migrate`.');
    const docRows = (
      await client.query<{
        doc_id: string;
        meta: DocumentMeta;
        text: string;
        clause_years: number[];
        chunk_count: number;
      }>(
        `SELECT d.doc_id, d.meta, d.text, d.clause_years, d.chunk_count
         FROM documents d JOIN sources s ON s.path = d.source ORDER BY s.file_pos, d.part`,
      )
    ).rows;
    if (docRows.length === 0)
      throw new IndexError(
        'index_missing',
        `The database at ${redactUrl(config.url)} holds no documents: run \`STORE=postgres npm run ingest\`.`,
      );
    const chunkRows = (
      await client.query<{
        id: string;
        chunk_id: string;
        doc_id: string;
        kind: ChunkKind;
        heading_path: string[];
        clause_path: string | null;
        text: string;
        start_offset: number;
        end_offset: number;
        years: number[];
        part_index: number | null;
        part_of: number | null;
        cells: { header: string; value: string }[] | null;
      }>(
        `SELECT c.id, c.chunk_id, c.doc_id, c.kind, c.heading_path, c.clause_path, c.text, c.start_offset,
           c.end_offset, c.years, c.part_index, c.part_of,
           (SELECT json_agg(json_build_object('header', t.header, 'value', t.value) ORDER BY t.position)
            FROM table_cells t WHERE t.chunk = c.id) AS cells
         FROM chunks c ORDER BY c.doc_id, c.ordinal`,
      )
    ).rows;
    const targetRows = (await client.query<TargetRow>('SELECT * FROM targets ORDER BY doc_id, position'))
      .rows;
    const dfRows = (await client.query<{ term: string; df: number }>('SELECT term, df FROM term_stats')).rows;
    const vocabularyRows = (
      await client.query<{ word: string; n: number }>(
        'SELECT word, sum(chunks)::integer AS n FROM vocabulary GROUP BY word',
      )
    ).rows;
    const vectorDimensions = vectorExtension ? await vectorTableDimensions(client) : null;
    const vectorCount =
      vectorDimensions === null
        ? 0
        : Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${VECTOR_TABLE}`)).rows[0]?.n);
    const sources = (
      await client.query<{
        path: string;
        sha256: string;
        bytes: string;
        encoding: string | null;
        error: string | null;
        content_key: string;
      }>('SELECT path, sha256, bytes, encoding, error, content_key FROM sources ORDER BY file_pos')
    ).rows;
    await client.query('COMMIT');

    // Vectors are served only when the database has them and they were made by the configured embedder.
    const wanted = resolveEmbedderKind(embedderConfig);
    let embedderKind = state.embedder_kind;
    if (!vectorExtension) {
      if (wanted !== 'lexical')
        options.log?.(
          `Vector search unavailable: the database at ${redactUrl(config.url)} has no \`vector\` extension; retrieval is lexical only.`,
        );
      embedderKind = 'lexical';
    } else if (wanted !== state.embedder_kind) {
      throw new IndexError(
        'embedder_mismatch',
        `The database's index was built with the ${state.embedder_kind} embedder (${state.embedder_id}) but the server is configured for ${wanted}: run \`STORE=postgres npm run ingest\` or change EMBEDDER.`,
      );
    }
    const embedder =
      embedderKind === 'lexical' ? null : await embedderForIndex(embedderKind, embedderConfig, null);
    if (embedder && (embedder.id !== state.embedder_id || embedder.dimensions !== state.dimensions))
      throw new IndexError(
        'embedder_mismatch',
        `The database's vectors were made by ${state.embedder_id} (${state.dimensions} dimensions); the configured embedder is ${embedder.id} (${embedder.dimensions}): run \`STORE=postgres npm run ingest\`.`,
      );

    const chunksByDoc = new Map<string, Chunk[]>();
    const chunkById = new Map<string, Chunk>();
    for (const r of chunkRows) {
      const chunk: Chunk = {
        id: r.chunk_id,
        docId: r.doc_id,
        kind: r.kind,
        headingPath: r.heading_path,
        clausePath: r.clause_path,
        text: r.text,
        start: r.start_offset,
        end: r.end_offset,
        years: r.years,
        ...(r.cells ? { cells: r.cells } : {}),
        ...(r.part_index !== null && r.part_of !== null
          ? { part: { index: r.part_index, of: r.part_of } }
          : {}),
      };
      chunkById.set(chunk.id, chunk);
      const list = chunksByDoc.get(chunk.docId);
      if (list) list.push(chunk);
      else chunksByDoc.set(chunk.docId, [chunk]);
    }
    const targetsByDoc = new Map<string, TargetRecord[]>();
    const targetsByChunk = new Map<string, TargetRecord[]>();
    for (const row of targetRows) {
      const t = targetOf(row);
      const byDoc = targetsByDoc.get(t.docId);
      if (byDoc) byDoc.push(t);
      else targetsByDoc.set(t.docId, [t]);
      const byChunk = targetsByChunk.get(t.chunkId);
      if (byChunk) byChunk.push(t);
      else targetsByChunk.set(t.chunkId, [t]);
    }
    const documents: DocumentRecord[] = docRows.map((d) => ({ meta: d.meta, text: d.text }));
    // Targets in document order, as the local index lists them.
    const allTargets = docRows.flatMap((d) => targetsByDoc.get(d.doc_id) ?? []);
    const vocabulary: VocabularyCounts = Object.fromEntries(
      vocabularyRows.map((r) => [r.word, r.n] as const).sort((a, b) => compareCodeUnits(a[0], b[0])),
    );
    const chunkCount = chunkRows.length;
    const manifest: IndexManifest = {
      formatVersion: FORMAT_VERSION,
      builtAt: (state.built_at ?? new Date(0)).toISOString(),
      corpusHash: createHash('sha256')
        .update(sources.map((s) => `${s.path}\0${s.content_key}`).join('\n'))
        .digest('hex'),
      embedder: embedder
        ? { kind: embedderKind, id: embedder.id, dimensions: embedder.dimensions }
        : { kind: 'lexical', id: 'none', dimensions: 0 },
      counts: {
        documents: documents.length,
        chunks: chunkCount,
        tableRows: chunkRows.filter((c) => c.kind === 'table-row').length,
        targets: allTargets.length,
      },
      sources: sources.map((s) => ({
        path: s.path,
        sha256: s.sha256,
        bytes: Number(s.bytes),
        ...(s.encoding ? { encoding: s.encoding } : {}),
        ...(s.error ? { error: s.error } : {}),
      })),
      settings: state.settings,
      stamps: [],
      buildSeconds: 0,
    };
    const docChunks = (docId: string) => chunksByDoc.get(docId)?.length ?? 0;
    return {
      dir: pgIndexId(config, state.version),
      manifest,
      documents,
      documentById: new Map(documents.map((d) => [d.meta.docId, d])),
      documentFacts: new Map(
        docRows.map((d) => [d.doc_id, { clauseYears: d.clause_years, chunks: docChunks(d.doc_id) }]),
      ),
      chunkCount,
      chunkById,
      chunksByDoc,
      targetsByChunk,
      allTargets: () => allTargets,
      lexical: new PgLexicalIndex(pool, tokenize, chunkCount, new Map(dfRows.map((r) => [r.term, r.df]))),
      vectors:
        embedder && vectorDimensions !== null ? new PgVectorStore(pool, vectorDimensions, vectorCount) : null,
      embedder,
      vocabulary,
      dictionary: state.dictionary ?? { date: '', lines: 0, entries: {}, lexicon: [] },
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

interface TargetRow {
  doc_id: string;
  position: number;
  target_id: string;
  chunk_id: string;
  region: string;
  heading_path: string[];
  metric: string;
  metric_group: string;
  qualifier: string | null;
  value: number;
  value_max: number | null;
  value_text: string;
  unit: string;
  comparator: TargetRecord['comparator'];
  kind: TargetRecord['kind'] | null;
  year: number | null;
  year_source: TargetRecord['yearSource'];
  quote: string;
  start_offset: number;
  end_offset: number;
}

function targetOf(r: TargetRow): TargetRecord {
  return {
    id: r.target_id,
    region: r.region,
    docId: r.doc_id,
    chunkId: r.chunk_id,
    headingPath: r.heading_path,
    metric: r.metric,
    metricGroup: r.metric_group,
    qualifier: r.qualifier,
    value: r.value,
    valueMax: r.value_max,
    valueText: r.value_text,
    unit: r.unit,
    comparator: r.comparator,
    ...(r.kind ? { kind: r.kind } : {}),
    year: r.year,
    yearSource: r.year_source,
    quote: r.quote,
    start: r.start_offset,
    end: r.end_offset,
  };
}
