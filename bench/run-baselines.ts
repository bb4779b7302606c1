/**
 * Child process of `npm run bench`: the same questions against our retrieval and two baselines built on
 * the same corpus, in one process: MiniSearch over our chunks with our Chinese tokenizer (a plain
 * full-text library), and the naive LangChain.js recipe (RecursiveCharacterTextSplitter, then the HNSWLib
 * vector store of @langchain/community over the offline LSA embedder, the one embedder this machine has).
 * Reports build time, query latency, hit@5 and MRR (a hit: a returned passage holds one of the item's quotes).
 * Usage: run-baselines.ts <indexDir> <items.json> <withLangchain: yes|no>
 */
import { readFileSync } from 'node:fs';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import MiniSearch from 'minisearch';
import { includesNormalized } from '../evals/normalize.ts';
import type { EvalItem } from '../evals/set-format.ts';
import { fitLsaEmbedder } from '../ingest/embed/lsa-embedder.ts';
import { allChunks } from '../ingest/store/open-index.ts';
import { tokenize } from '../ingest/text/tokenize.ts';
import { createService } from '../server/service.ts';
import { latency } from './stats.ts';

const [indexDir, itemsFile, withLangchain] = process.argv.slice(2);
if (!indexDir || !itemsFile) throw new Error('usage: run-baselines.ts <indexDir> <items.json> <yes|no>');
const items = (JSON.parse(readFileSync(itemsFile, 'utf8')) as EvalItem[]).filter(
  (i) => !i.unanswerable && i.quotes.length > 0 && !i.history?.length,
);

interface Side {
  buildSeconds: number | null;
  query: ReturnType<typeof latency>;
  hitAt5: number;
  mrr: number;
  note?: string;
}

async function measure(search: (q: string) => Promise<string[]>): Promise<Omit<Side, 'buildSeconds'>> {
  const times: number[] = [];
  let hits = 0;
  let reciprocal = 0;
  for (const item of items) {
    const t0 = performance.now();
    const texts = await search(item.question);
    times.push(performance.now() - t0);
    const rank = texts.slice(0, 5).findIndex((t) => item.quotes.some((q) => includesNormalized(t, q)));
    if (rank >= 0) {
      hits++;
      reciprocal += 1 / (rank + 1);
    }
  }
  const n = Math.max(1, items.length);
  return { query: latency(times), hitAt5: hits / n, mrr: reciprocal / n };
}

const service = await createService({ indexDir, ensure: false, llm: null, answerCacheSize: 0 });
const { index } = service;
const chunks = allChunks(index);
const ours: Side = {
  buildSeconds: index.manifest.buildSeconds,
  ...(await measure(async (q) => (await service.search(q, 5)).map((r) => r.text))),
};

// MiniSearch indexes what our lexical index indexes: place and title, heading path, text.
const miniStarted = performance.now();
const mini = new MiniSearch<{ id: number; text: string }>({
  fields: ['text'],
  storeFields: [],
  tokenize: (text) => tokenize(text),
  processTerm: (term) => term,
});
const contextOf = (docId: string) => {
  const meta = index.documentById.get(docId)?.meta;
  return `${meta?.region?.name ?? ''} ${meta?.title ?? ''}`;
};
mini.addAll(
  chunks.map((c, id) => ({
    id,
    text: `${contextOf(c.docId)}\n${c.headingPath.join(' › ')}\n${c.text}`,
  })),
);
const minisearch: Side = {
  buildSeconds: (performance.now() - miniStarted) / 1000,
  ...(await measure(async (q) =>
    mini
      .search(q)
      .slice(0, 5)
      .map((r) => chunks[r.id as number]?.text ?? ''),
  )),
};

let langchain: Side;
if (withLangchain === 'yes') {
  const lcStarted = performance.now();
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 500, chunkOverlap: 50 });
  const docs = await splitter.splitDocuments(
    index.documents.map((d) => new Document({ pageContent: d.text, metadata: { docId: d.meta.docId } })),
  );
  const lsa = fitLsaEmbedder(
    docs.map((d) => d.pageContent),
    tokenize,
  );
  class LsaEmbeddings extends Embeddings {
    async embedDocuments(texts: string[]): Promise<number[][]> {
      return (await lsa.embedDocuments(texts)).map((v) => [...v]);
    }
    async embedQuery(text: string): Promise<number[]> {
      return [...(await lsa.embedQuery(text))];
    }
  }
  const store = await HNSWLib.fromDocuments(docs, new LsaEmbeddings({}));
  const buildSeconds = (performance.now() - lcStarted) / 1000;
  langchain = {
    buildSeconds,
    ...(await measure(async (q) => (await store.similaritySearch(q, 5)).map((d) => d.pageContent))),
  };
} else {
  langchain = {
    buildSeconds: null,
    query: latency([]),
    hitAt5: Number.NaN,
    mrr: Number.NaN,
    note: 'not run at this size (--langchain-max-chunks)',
  };
}

console.log(JSON.stringify({ items: items.length, ours, minisearch, langchain }));
