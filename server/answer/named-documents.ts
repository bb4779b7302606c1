import type { DocumentRecord } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import type { Understanding } from '../query/understand.ts';
import { shortNameRuns, titleNamedBy } from './title-abbreviation.ts';

/**
 * The documents a question names by title or short title ("浙江精神卫生条例要求…", "2017年版母婴法实施办法里…",
 * "合理用药意见里…"): the question asks what that document says, so its answer is looked for there first, and
 * the words of the name are not part of what the sentence must be about (every sentence of the document
 * would match them, and a definition of 精神卫生医疗机构 would outrank the clause asked for).
 */
export interface NamedDocuments {
  docIds: string[];
  /** The name as the question writes it. */
  form: string;
}

/**
 * Shortest name, as a share of the title's own characters, that names a document here: 传染病法 names
 * 传染病防治法 (0.67), while "这个方案" or a place's "西宁方案" (0.2 of a long plan title) is left to the place
 * and topic to decide.
 */
const MIN_NAME_COVERAGE = 0.3;
/** A name shorter than this (form word included) is too loose to pick a document by. */
const MIN_NAME_CHARS = 4;

export function namedDocuments(index: OpenedIndex, u: Understanding): NamedDocuments | null {
  // An English question names a document through the glossary ("vaccine administration law" → 疫苗管理法).
  const question = u.lang === 'zh' ? u.resolvedQuestion : u.expansions.join(' ');
  // Most questions name no title: they cost one pattern match, not one per document.
  const runs = shortNameRuns(question);
  if (!runs.length) return null;
  let best: NamedDocuments | null = null;
  let bestCoverage = 0;
  for (const doc of index.documents) {
    const name = titleNamedBy(question, doc.meta.title, runs);
    if (!name || name.coverage < MIN_NAME_COVERAGE || name.form.length < MIN_NAME_CHARS) continue;
    // The same name for two versions (2017 and 2023 texts of one measures) names both.
    if (best && name.form === best.form) best.docIds.push(doc.meta.docId);
    else if (name.coverage > bestCoverage) {
      best = { docIds: [doc.meta.docId], form: name.form };
      bestCoverage = name.coverage;
    }
  }
  return best;
}

/** The question with the document's name left out of its topic; unchanged when nothing else would be left. */
export function withoutName(u: Understanding, named: NamedDocuments): Understanding {
  const inName = (w: string) => w.length >= 2 && named.form.includes(w);
  const words = u.topic.split(/\s+/).filter((w) => w && !inName(w));
  if (words.length === 0) return u;
  return {
    ...u,
    topic: words.join(' '),
    topicConcepts: u.topicConcepts.filter((alts) => !alts.every(inName)),
  };
}

/** Words that join the documents a question names one after another. */
const JOINED = /和|与|及|以及|、|,|，|\band\b/;

/** The documents the parts of a question name by their short titles, one per part, in the question's order. */
export function documentsNamedApart(index: OpenedIndex, u: Understanding): DocumentRecord[] {
  if (u.lang !== 'zh' || !JOINED.test(u.resolvedQuestion)) return [];
  const out: DocumentRecord[] = [];
  let parts = 0;
  for (const part of u.resolvedQuestion.split(JOINED)) {
    if (part.trim().length < 2) continue;
    // A part naming no title (most parts of most questions) costs one pattern match, not one per document.
    const runs = shortNameRuns(part);
    if (!runs.length) continue;
    const named = namedDocuments(index, { ...u, resolvedQuestion: part });
    // A short form the name finder leaves (献血法 of 中华人民共和国献血法) is matched as an abbreviation.
    const docs = (
      named
        ? named.docIds.map((id) => index.documentById.get(id))
        : index.documents.filter((d) => (titleNamedBy(part, d.meta.title, runs)?.coverage ?? 0) > 0)
    ).filter((d): d is DocumentRecord => d !== undefined && !out.includes(d));
    if (docs.length) parts++;
    out.push(...docs);
  }
  // One name for two texts (the 2017 and 2023 versions of a measures) is one document asked about: the version
  // is chosen by the years and words of the question, not answered twice.
  return parts >= 2 ? out : [];
}
