import type { DocumentRecord } from '../../ingest/model.ts';
import type { Understanding } from '../query/understand.ts';
import { retrieve } from '../retrieve/hybrid-retriever.ts';
import { CitationList } from './citations.ts';
import type { AnswerContext, Draft } from './extractive-answer.ts';
import { notFoundMessage } from './not-found.ts';

/**
 * Questions about a document itself (issuer, number, dates, period) are answered from its metadata and
 * cite its header chunk, where those facts stand in the cleaned text.
 */
export async function answerMetadata(ctx: AnswerContext, u: Understanding): Promise<Draft> {
  const retrieved = await retrieve(ctx.index, u, ctx.retrieval);
  if (u.unknownRegions.length && !u.regions.length) {
    return {
      status: 'not_found',
      answer: notFoundMessage({ kind: 'unknown-region', names: u.unknownRegions }, u),
      citations: [],
      related: retrieved.slice(0, 3),
      retrieved,
    };
  }
  const docs = pickDocuments(
    ctx,
    u,
    retrieved.map((r) => r.chunk.docId),
  );
  const citations = new CitationList(ctx.index);
  const lines: string[] = [];
  for (const doc of docs) {
    const header = ctx.index.chunks.find((c) => c.docId === doc.meta.docId && c.kind === 'header');
    if (!header) continue;
    const line = describe(doc, u);
    if (!line) continue;
    // Horizon years are stated in the body ("到2027年"), not in the header: cite the clause that states them.
    const support = [...new Set(line.match(/(?:19|20)\d{2}/g) ?? [])]
      .filter((y) => !header.text.includes(y))
      .map((y) => ctx.index.chunks.find((c) => c.docId === doc.meta.docId && c.text.includes(`${y}年`)))
      .filter((c) => c !== undefined);
    lines.push(`${line} ${citations.cite(header)}${support.map((c) => citations.cite(c)).join('')}`);
  }
  if (!lines.length) {
    return {
      status: 'not_found',
      answer: notFoundMessage({ kind: 'no-match' }, u),
      citations: [],
      related: retrieved.slice(0, 3),
      retrieved,
    };
  }
  return {
    status: 'answered',
    answer: lines.join('\n'),
    citations: citations.citations,
    related: [],
    retrieved,
  };
}

function pickDocuments(
  ctx: AnswerContext,
  u: Understanding,
  rankedDocIds: readonly string[],
): DocumentRecord[] {
  if (u.regions.length)
    return ctx.index.documents.filter((d) => u.regions.includes(d.meta.region.name)).slice(0, 3);
  const top = rankedDocIds[0];
  const doc = top ? ctx.index.documentById.get(top) : undefined;
  return doc ? [doc] : [];
}

/** One line about one document, or null when the document does not say (e.g. it has no number): "not found". */
function describe(doc: DocumentRecord, u: Understanding): string | null {
  const m = doc.meta;
  const en = u.lang === 'en';
  const name = en ? `${m.region.english} (${m.region.name}): 《${m.title}》` : `《${m.title}》`;
  switch (u.metadataField) {
    case 'issuer':
      if (!m.issuer) return null;
      return en ? `${name} was issued by ${m.issuer}.` : `${name}由${m.issuer}发布。`;
    case 'title':
      return en ? `The document's title is ${name}.` : `文件标题是${name}。`;
    case 'indexNumber': {
      const value = m.headerFacts.find((f) => f.label === '索引号')?.value;
      if (!value) return null;
      return en ? `${name} has the index number ${value}.` : `${name}的索引号是${value}。`;
    }
    case 'docNumber':
      if (!m.docNumber) return null;
      return en ? `${name} has the document number ${m.docNumber}.` : `${name}的文号是${m.docNumber}。`;
    case 'date': {
      const parts: string[] = [];
      if (m.issuedDate) parts.push(en ? `dated ${m.issuedDate}` : `成文日期${m.issuedDate}`);
      if (m.publishedDate) parts.push(en ? `published ${m.publishedDate}` : `发布日期${m.publishedDate}`);
      if (!parts.length) return null;
      return en ? `${name}: ${parts.join(', ')}.` : `${name}:${parts.join(',')}。`;
    }
    case 'period': {
      const p = m.period;
      const span = p ? (p.start === p.end ? `${p.start}` : `${p.start}–${p.end}`) : null;
      const horizon = m.horizonYears.join(', ');
      if (en)
        return `${name} covers ${span ?? 'no stated period'}${horizon ? `; its targets are for ${horizon}` : ''}.`;
      return `${name}${span ? `的规划期为${span}年` : '未写明规划期'}${horizon ? `,目标年份为${m.horizonYears.map((y) => `${y}年`).join('、')}` : ''}。`;
    }
    default:
      return null;
  }
}
