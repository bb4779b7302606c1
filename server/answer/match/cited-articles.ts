import type { Chunk } from '../../../ingest/model.ts';
import type { OpenedIndex } from '../../../ingest/store/open-index.ts';
import type { ScoredChunk } from '../../retrieve/hybrid-retriever.ts';

/**
 * Laws punish a breach by pointing at the article that sets the duty: "违反本条例第二十八条第一款规定，…处5000元
 * 以上3万元以下罚款". A question asked in the duty's words ("救护车被拿去干别的事罚多少") retrieves the duty
 * (第二十八条), not the sanction. So for a penalty question the sanction articles that cite a retrieved article
 * are candidates too, and a sanction sentence is read with the articles it cites.
 */

/** A citation of an article of the same text: 本条例第二十八条, 本法第三十条第二款, 本办法第十条. */
const CITES = /本(?:条例|法|办法|规定|细则|决定|规则)第([一二三四五六七八九十百零〇]+)条/g;
/** The article a chunk is, by the end of its clause path (第三章 › 第二十八条). */
const ARTICLE = /第([一二三四五六七八九十百零〇]+)条$/;
/** Retrieved chunks whose citing sanctions are looked for: the first few are what the question is about. */
const CITED_FROM_TOP = 5;

interface DocArticles {
  /** Article label (二十八) → its chunks. */
  byLabel: Map<string, Chunk[]>;
  /** Article label → the chunks that cite it. */
  citedBy: Map<string, Chunk[]>;
}

const perIndex = new WeakMap<OpenedIndex, Map<string, DocArticles>>();

function articlesOf(index: OpenedIndex, docId: string): DocArticles {
  let docs = perIndex.get(index);
  if (!docs) {
    docs = new Map();
    perIndex.set(index, docs);
  }
  const known = docs.get(docId);
  if (known) return known;
  const byLabel = new Map<string, Chunk[]>();
  const citedBy = new Map<string, Chunk[]>();
  for (const chunk of index.chunksByDoc.get(docId) ?? []) {
    const own = articleLabel(chunk);
    if (own) byLabel.set(own, [...(byLabel.get(own) ?? []), chunk]);
    for (const label of citedLabels(chunk.text)) {
      if (label === own) continue;
      const list = citedBy.get(label) ?? [];
      if (!list.includes(chunk)) citedBy.set(label, [...list, chunk]);
    }
  }
  const articles = { byLabel, citedBy };
  docs.set(docId, articles);
  return articles;
}

/**
 * The retrieved chunks with, right after each of the first few, the chunks `related` gives for it (with its
 * score); a chunk already in the list is not repeated.
 */
function withRelated(retrieved: readonly ScoredChunk[], related: (chunk: Chunk) => Chunk[]): ScoredChunk[] {
  const seen = new Set(retrieved.map((r) => r.chunk.id));
  const out: ScoredChunk[] = [];
  retrieved.forEach((r, rank) => {
    out.push(r);
    if (rank >= CITED_FROM_TOP) return;
    for (const chunk of related(r.chunk)) {
      if (seen.has(chunk.id)) continue;
      seen.add(chunk.id);
      out.push({ ...r, chunk });
    }
  });
  return out;
}

/** The chunks that cite one of the first retrieved articles and punish (`sanction` holds for them). */
export function withCitingSanctions(
  index: OpenedIndex,
  retrieved: readonly ScoredChunk[],
  sanction: RegExp,
): ScoredChunk[] {
  return withRelated(retrieved, (chunk) => {
    const label = articleLabel(chunk);
    const citing = label ? (articlesOf(index, chunk.docId).citedBy.get(label) ?? []) : [];
    return citing.filter((c) => sanction.test(c.text));
  });
}

/**
 * The articles the first retrieved chunks cite: "发现医师出现本办法第四十六条规定情形的，应当责令…取消医师处方权"
 * points at the article that lists those cases, which a list question asks for.
 */
export function withCitedArticles(index: OpenedIndex, retrieved: readonly ScoredChunk[]): ScoredChunk[] {
  return withRelated(retrieved, (chunk) => citedArticles(index, chunk.docId, chunk.text));
}

/** The articles of its own document that `text` cites ("违反本条例第二十八条…"), in the order it cites them. */
function citedArticles(index: OpenedIndex, docId: string, text: string): Chunk[] {
  const { byLabel } = articlesOf(index, docId);
  return citedLabels(text).flatMap((label) => byLabel.get(label) ?? []);
}

/** The texts of the articles of its own document that `text` cites. */
export function citedArticleTexts(index: OpenedIndex, docId: string, text: string): string[] {
  return citedArticles(index, docId, text).map((c) => c.text);
}

/** The article labels a text cites of its own document (本办法第四十六条 → 四十六). */
export function citedLabels(text: string): string[] {
  return [...new Set([...text.matchAll(CITES)].map((m) => m[1] ?? ''))];
}

/** The article a chunk is (第四十六条 → 四十六), or null. */
export function articleLabel(chunk: Chunk): string | null {
  return ARTICLE.exec(chunk.clausePath ?? '')?.[1] ?? null;
}
