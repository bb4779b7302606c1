import type { BuildProgress } from '../ingest/build-index.ts';
import type { EmbedderConfig, IngestConfig, StoreConfig } from '../ingest/config.ts';
import { ensureIndex } from '../ingest/ensure-index.ts';
import { type OpenedIndex, openIndex } from '../ingest/store/open-index.ts';
import { warmSegmenter } from '../ingest/text/tokenize.ts';
import { AnswerCache } from './answer/answer-cache.ts';
import { answerQuestion } from './answer/answer-question.ts';
import { toRetrieved } from './answer/citations.ts';
import type { AnswerEvent, AskRequest } from './answer/contract.ts';
import type { LlmConfig } from './answer/llm-answer.ts';
import { MATCHER_WEIGHTS, type MatcherWeights } from './answer/match/weights.ts';
import { loadServerConfig } from './config.ts';
import { dictionaryFor, warmDictionary } from './query/dictionary/dictionary-for-index.ts';
import { regionFinderFor } from './query/find-regions.ts';
import { type Glossary, loadGlossary } from './query/glossary.ts';
import { understand } from './query/understand.ts';
import {
  DEFAULT_RETRIEVAL,
  type RetrievalOptions,
  retrieve,
  vectorWeightFor,
} from './retrieve/hybrid-retriever.ts';
import type { DocumentDetail, HealthInfo, TargetFilter, ZhengceService } from './service-types.ts';
import { checkClaimAgainst } from './targets/check-claim-service.ts';
import { filterTargets } from './targets/filter-targets.ts';
import { mergeSameTargets } from './targets/same-target.ts';

export interface ServiceOptions {
  /** Index folder. Default: INDEX_DIR (data/index). */
  indexDir?: string;
  /** Corpus folder; with `ensure`, the index is rebuilt when it no longer matches. Default: CORPUS_DIR (seeds). */
  corpusDir?: string;
  /** Build the index when missing or stale (true, the default) or only open it (false). */
  ensure?: boolean;
  embedder?: EmbedderConfig;
  /** Where the index is (STORE): the local folder or PostgreSQL. Default: from the environment. */
  store?: StoreConfig;
  /** LLM settings; default from LLM_* variables; `null` forces the extractive answerer. */
  llm?: LlmConfig | null;
  retrieval?: Partial<RetrievalOptions>;
  matcher?: Partial<MatcherWeights>;
  maxQuestionLength?: number;
  /** Answers kept for repeated questions. Default: ANSWER_CACHE_SIZE (1000); 0 turns it off. */
  answerCacheSize?: number;
  onProgress?: (p: BuildProgress) => void;
  log?: (message: string) => void;
}

export interface LoadedService extends ZhengceService {
  readonly index: OpenedIndex;
  /** The ingest settings the index was opened (or built) with; a re-index builds with the same. */
  readonly ingest: IngestConfig;
  readonly glossary: Glossary;
  /**
   * Builds what the first question of a kind would otherwise build while a user waits (the English
   * dictionary of this index, jieba's dictionary); the server calls it before it listens.
   */
  warm(): void;
  /**
   * The same, in slices that let requests in between (the server warms after it listens, so health checks
   * and the first answers never wait the 0.5 s of a whole build).
   */
  warmInSlices(): Promise<void>;
}

export async function createService(options: ServiceOptions = {}): Promise<LoadedService> {
  const config = loadServerConfig();
  const ingest = {
    ...config.ingest,
    indexDir: options.indexDir ?? config.ingest.indexDir,
    corpusDir: options.corpusDir ?? config.ingest.corpusDir,
    embedder: options.embedder ?? config.ingest.embedder,
    store: options.store ?? config.ingest.store ?? { kind: 'local' },
  };
  let index: OpenedIndex;
  if (ingest.store.kind === 'postgres') {
    // A replica never builds: it serves what the database holds (ingest with STORE=postgres npm run ingest).
    const { openPgIndex } = await import('../ingest/store/postgres/pg-open-index.ts');
    index = await openPgIndex(ingest.store, ingest.embedder, options.log ? { log: options.log } : {});
  } else if (options.ensure ?? true) {
    const ensured = await ensureIndex(ingest, options.onProgress);
    if (ensured.rebuiltBecause) options.log?.(`Built the index because ${ensured.rebuiltBecause}.`);
    // Files that cannot be read never stop a start-up; the operator is told which they are.
    for (const s of ensured.skipped) options.log?.(`Skipped ${s.path}: ${s.reason}`);
    index = ensured.index;
  } else index = await openIndex(ingest.indexDir, ingest.embedder);
  const glossary = loadGlossary();
  const llm = options.llm === null ? undefined : (options.llm ?? config.llm);
  const answerer = {
    index,
    glossary,
    retrieval: {
      ...DEFAULT_RETRIEVAL,
      k: config.retrievalK,
      vectorWeight: vectorWeightFor(index.manifest.embedder.kind),
      ...options.retrieval,
    },
    matcher: { ...MATCHER_WEIGHTS, ...options.matcher },
    maxQuestionLength: options.maxQuestionLength ?? config.maxQuestionLength,
    cache: new AnswerCache(options.answerCacheSize ?? config.answerCacheSize),
    ...(llm ? { llm } : {}),
  };
  const places = regionFinderFor(index);
  const understandClaim = (text: string) => understand(text, [], glossary, places, dictionaryFor(index));
  let warming: Promise<void> | null = null;

  return {
    index,
    ingest,
    glossary,
    warm() {
      dictionaryFor(index)();
      // jieba reads its dictionary on first use.
      understand('预热', [], glossary, places);
    },
    warmInSlices() {
      const run = (async () => {
        await warmSegmenter();
        await warmDictionary(index);
      })();
      // Questions wait for the warming, not for its failure: then they build what they need themselves.
      warming = run.catch(() => {});
      return run;
    },
    async ask(req: AskRequest, onEvent?: (e: AnswerEvent) => void, signal?: AbortSignal) {
      // A question that comes while the server warms waits for it (a few slices) instead of building
      // jieba and the dictionary at once, which would hold every other request for half a second.
      if (warming) await warming;
      return answerQuestion(answerer, req, onEvent, signal);
    },
    async search(query: string, k: number) {
      if (warming) await warming;
      const u = understand(query, [], glossary, places);
      return toRetrieved(index, await retrieve(index, u, { ...answerer.retrieval, k }));
    },
    listDocuments() {
      return index.documents.map((d) => d.meta);
    },
    getDocument(docId: string): DocumentDetail | null {
      const doc = index.documentById.get(docId);
      if (!doc) return null;
      const chunks = index.chunksByDoc.get(docId) ?? [];
      return {
        meta: doc.meta,
        text: doc.text,
        outline: chunks.map((c) => ({
          chunkId: c.id,
          kind: c.kind,
          headingPath: c.headingPath,
          clausePath: c.clausePath,
          start: c.start,
          end: c.end,
        })),
        tables: chunks
          .filter((c) => c.kind === 'table-row')
          .map((c) => ({
            chunkId: c.id,
            headingPath: c.headingPath,
            cells: c.cells ?? [],
            start: c.start,
            end: c.end,
          })),
      };
    },
    health(): HealthInfo {
      const m = index.manifest;
      return {
        ok: true,
        manifest: {
          formatVersion: m.formatVersion,
          embedder: { id: m.embedder.id, dimensions: m.embedder.dimensions },
          corpusHash: m.corpusHash,
          builtAt: m.builtAt,
          counts: m.counts,
        },
        answerer: llm ? 'llm' : 'extractive',
      };
    },
    targets(filter: TargetFilter) {
      return mergeSameTargets(filterTargets(index.allTargets(), filter, glossary, places));
    },
    checkClaim(claim: string) {
      return checkClaimAgainst(claim, {
        index,
        glossary,
        understand: understandClaim,
        retrieve: (u) => retrieve(index, u, answerer.retrieval),
      });
    },
  };
}
