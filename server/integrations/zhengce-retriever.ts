/**
 * Zhengce as a LangChain.js retriever, for people who put it in their own chains:
 *
 *   const retriever = new ZhengceRetriever({ service: await createService(), k: 5 });
 *   const docs = await retriever.invoke('嘉兴2027年家庭医生签约服务覆盖率');
 *
 * Each Document is one clause (`pageContent`) with what a citation needs in `metadata`: document id and
 * title, place, heading path and chunk id (GET /api/documents/:docId shows it in context). Retrieval is ours
 * (place and year filters from the question, BM25 and, with a local model, vectors), not LangChain's.
 */
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { ZhengceService } from '../service-types.ts';

export interface ZhengceRetrieverInput extends BaseRetrieverInput {
  service: ZhengceService;
  /** Clauses per query; default 5. */
  k?: number;
}

export class ZhengceRetriever extends BaseRetriever {
  override lc_namespace = ['zhengce', 'retrievers'];
  private readonly service: ZhengceService;
  private readonly k: number;

  constructor(fields: ZhengceRetrieverInput) {
    super(fields);
    this.service = fields.service;
    this.k = fields.k ?? 5;
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const results = await this.service.search(query, this.k);
    return results.map(
      (r) =>
        new Document({
          pageContent: r.text,
          id: r.chunkId,
          metadata: {
            chunkId: r.chunkId,
            docId: r.docId,
            title: r.title,
            region: r.region,
            headingPath: r.headingPath,
            score: r.score,
          },
        }),
    );
  }
}
