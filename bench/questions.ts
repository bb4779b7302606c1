/**
 * The benchmark's question mix for a corpus, with checkable answers: the base set's questions (the gold set
 * of the seeds) rewritten for a few copies spread over the corpus, so they name synthetic places, plus one
 * question across all places per language built from the metric most base documents set a target for.
 */
import type { EvalItem } from '../evals/set-format.ts';
import type { DocumentRecord, TargetRecord } from '../ingest/model.ts';
import { rewriteItem, type SyntheticCorpus } from './synthetic-corpus.ts';

export type QuestionKind = 'value' | 'english' | 'comparison' | 'all-places' | 'metadata' | 'not-found';

export const QUESTION_KINDS: readonly QuestionKind[] = [
  'value',
  'english',
  'comparison',
  'all-places',
  'metadata',
  'not-found',
];

export interface BenchQuestion {
  kind: QuestionKind;
  item: EvalItem;
  /** For all-places questions: how many documents set the metric, which an answer should all list. */
  expectedDocuments?: number;
}

function kindOf(item: EvalItem): QuestionKind | null {
  const tags = item.tags ?? [];
  if (item.history?.length) return null;
  if (item.unanswerable) return 'not-found';
  if (tags.includes('comparison')) return 'comparison';
  if (tags.includes('metadata')) return 'metadata';
  if (tags.includes('en')) return 'english';
  return 'value';
}

/** Region tags of the base set (region:<english id>) name the base documents by their English place name. */
function regionsOf(item: EvalItem): string[] {
  return (item.tags ?? []).filter((t) => t.startsWith('region:')).map((t) => t.slice('region:'.length));
}

/** Copies asked about: the first, the middle and the last whose places are their own. */
function sampledCopies(corpus: SyntheticCorpus, docId: string): number[] {
  const own = corpus.copies.filter((c) => c.unique.has(docId)).map((c) => c.copy);
  const picks = [own[0], own[Math.floor(own.length / 2)], own.at(-1)];
  return [...new Set(picks.filter((c): c is number => c !== undefined))];
}

export function benchQuestions(
  base: readonly EvalItem[],
  baseDocs: readonly DocumentRecord[],
  baseTargets: readonly TargetRecord[],
  corpus: SyntheticCorpus,
  perKind: number,
): BenchQuestion[] {
  const docOfRegion = new Map<string, DocumentRecord>();
  for (const d of baseDocs) {
    const english = d.meta.region?.english.toLowerCase();
    if (english) docOfRegion.set(english, d);
  }
  const out: BenchQuestion[] = [];
  const counts = new Map<QuestionKind, number>();
  const push = (q: BenchQuestion) => {
    const n = counts.get(q.kind) ?? 0;
    if (n >= perKind) return;
    counts.set(q.kind, n + 1);
    out.push(q);
  };
  // Round-robin over the copies so every kind samples the whole corpus, not the first copy only.
  for (let round = 0; round < 3; round++) {
    for (const item of base) {
      const kind = kindOf(item);
      if (!kind) continue;
      if (kind === 'not-found') {
        if (round === 0) push({ kind, item });
        continue;
      }
      const regions = regionsOf(item);
      if (regions.length !== 1 && kind !== 'comparison') continue;
      const docs = regions.map((r) => docOfRegion.get(r));
      if (docs.some((d) => !d)) continue;
      // A comparison is rewritten one region at a time, each for its own copy of that round.
      let rewritten = item;
      let ok = true;
      for (const doc of docs) {
        if (!doc?.meta.region) continue;
        const copy = sampledCopies(corpus, doc.meta.docId)[round];
        const stand = copy === undefined ? undefined : corpus.copies[copy]?.places.get(doc.meta.docId);
        if (copy === undefined || !stand) {
          ok = false;
          break;
        }
        rewritten = { ...rewriteItem(rewritten, doc.meta.region, stand, copy), id: `${item.id}@${round}` };
      }
      if (ok) push({ kind, item: rewritten });
    }
  }
  // One question across all places per language, on the metric the most base documents set.
  const docsPerGroup = new Map<string, Set<string>>();
  const metricOf = new Map<string, string>();
  for (const t of baseTargets) {
    if ((t.kind ?? 'target') !== 'target') continue;
    docsPerGroup.set(t.metricGroup, (docsPerGroup.get(t.metricGroup) ?? new Set()).add(t.docId));
    if (!metricOf.has(t.metricGroup) || t.metric.length > (metricOf.get(t.metricGroup)?.length ?? 0))
      metricOf.set(t.metricGroup, t.metric);
  }
  const [group, docs] = [...docsPerGroup].sort((a, b) => b[1].size - a[1].size)[0] ?? [];
  const metric = group ? metricOf.get(group) : undefined;
  if (metric && docs) {
    const documentsWithMetric = docs.size * corpus.copies.length;
    push({
      kind: 'all-places',
      item: { id: 'all-places-zh', question: `哪些地方设定了${metric}目标?`, facts: [], quotes: [metric] },
      expectedDocuments: documentsWithMetric,
    });
  }
  return out;
}
