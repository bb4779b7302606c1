/**
 * A question that asks two things in one line ("病历至少保存多少年？登记资料又要保存几年", "什么时候施行的？同时
 * 废止了哪个老条例？", "How long …? And does the appraisal count?"): each part is answered on its own, a later
 * part as a follow-up of the earlier ones (so "同时废止了哪个" keeps the document of the first part), and the
 * answers are joined, every line with its own citations, numbered anew.
 */
import { contentWords } from '../../ingest/text/tokenize.ts';
import { withoutQuestionWords } from '../query/understand.ts';
import type { ChatTurn } from './contract.ts';
import type { Draft } from './draft.ts';

/** Words that make a stretch of Chinese a question: 几, 多少, 哪, 谁, 啥, 什么, 怎么, 如何, 吗, 呢, 是否. */
const ASKS = /几|多少|哪|谁|啥|什么|怎么|如何|吗|呢|是否|能否|多久|多长/u;

/**
 * Chinese typed with spaces for punctuation ("一张处方最多开几天的极量 处方留存几年"): each stretch that asks
 * something ends a part; a stretch that asks nothing ("长护险B类上门护理") belongs to the part after it.
 */
function spacedParts(piece: string): string[] {
  const stretches = piece.split(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/u);
  if (stretches.length < 2) return [piece];
  const parts: string[] = [];
  let pending = '';
  for (const stretch of stretches) {
    pending = pending ? `${pending} ${stretch}` : stretch;
    if (ASKS.test(stretch)) {
      parts.push(pending);
      pending = '';
    }
  }
  if (pending) {
    if (parts.length) parts[parts.length - 1] = `${parts.at(-1)} ${pending}`;
    else parts.push(pending);
  }
  return parts;
}

/** A later part that only names a further thing ("县级市呢", "护士呢") is read with the first part, not apart. */
const FURTHER_ONLY = /^(?:那么|那|还有|以及)?\p{Script=Han}{1,5}?的?呢$/u;

/** Content words (Chinese) or words (English) a part needs to be a question of its own ("是吗" has none). */
const MIN_CONTENT_WORDS = 1;
const MIN_ENGLISH_WORDS = 3;

/** The parts of a question asking several things, in order; [] when it asks one. */
export function questionParts(question: string): string[] {
  const parts = question
    .normalize('NFKC')
    .split(/[?;]+/)
    .flatMap(spacedParts)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2) return [];
  // "999又是干啥的" asks about the number it names: a figure of three digits or more is what it is about.
  const ownQuestion = (p: string) =>
    topicWords(p).length >= MIN_CONTENT_WORDS ||
    /\d{3,}/.test(p) ||
    (p.match(/[A-Za-z]+/g)?.length ?? 0) >= MIN_ENGLISH_WORDS;
  if (!parts.every(ownQuestion)) return [];
  if (parts.slice(1).some((p) => FURTHER_ONLY.test(p))) return [];
  return parts;
}

/**
 * The answer of the whole question with what its parts add: each part is answered in turn, the conversation
 * growing by each part and its answer, and a part's line is added when the answer neither shows its quote nor
 * holds half of the part's topic words. The first part is a question of its own; a later part is read in the context of the earlier ones, so
 * its line counts only from a document already cited ("同时废止了哪个老条例" is the same regulation's): a clause
 * of another document is a follow-up gone astray ("通知里怎么说的" is no question about ICD codes). Null when
 * the parts add nothing.
 */
export async function withParts(
  whole: Draft,
  parts: readonly string[],
  history: readonly ChatTurn[],
  answerPart: (part: string, history: readonly ChatTurn[]) => Promise<Draft>,
): Promise<Draft | null> {
  const kept: Draft[] = whole.status === 'answered' ? [whole] : [];
  const docs = new Set(kept.flatMap((d) => d.citations.map((c) => c.docId)));
  let turns = [...history];
  let added = false;
  for (const [i, part] of parts.entries()) {
    const draft = await answerPart(part, turns);
    turns = [...turns, { role: 'user', content: part }, { role: 'assistant', content: draft.answer }];
    if (draft.status !== 'answered') continue;
    const shown = kept.map((d) => d.answer.normalize('NFKC')).join('\n');
    // "…能延长吗" after "尸检…多久" is answered by the clause already quoted ("可以延长至7日").
    if (answered(shown, part)) continue;
    const cites = (line: string) => draft.citations.filter((c) => line.includes(`[${c.n}]`));
    const lines = draft.answer.split('\n').filter((line) => {
      const cited = cites(line);
      return (
        cited.length > 0 &&
        !shown.includes(quoteOf(line)) &&
        (i === 0 || cited.every((c) => docs.has(c.docId)))
      );
    });
    if (!lines.length) continue;
    const used = new Set(lines.flatMap((line) => cites(line).map((c) => c.n)));
    kept.push({
      ...draft,
      answer: lines.join('\n'),
      citations: draft.citations.filter((c) => used.has(c.n)),
    });
    for (const c of draft.citations) if (used.has(c.n)) docs.add(c.docId);
    added = true;
  }
  return added ? joinDrafts(kept) : null;
}

/**
 * Share of a part's content words an answer must hold to have answered that part too: with half, "处方留存几年"
 * was taken as answered by a quote that shares only 处方 with it.
 */
const COVERED = 0.67;

/** Whether `text` already answers `part`: it holds most of the part's content words. */
function answered(text: string, part: string): boolean {
  const words = topicWords(part);
  return words.length > 0 && words.filter((w) => text.includes(w)).length / words.length >= COVERED;
}

/** What a part asks about: its content words, question words left out. */
function topicWords(part: string): string[] {
  return contentWords(withoutQuestionWords(part));
}

/** A line without its markers and quote marks: what must not be shown twice. */
function quoteOf(line: string): string {
  return line
    .normalize('NFKC')
    .replace(/\s*(?:\[\d+\])+\s*$/, '')
    .replace(/^原文:“|”$/g, '');
}

/** The drafts' lines in order, each line once, with one citation list (a clause cited twice keeps one number). */
function joinDrafts(drafts: readonly Draft[]): Draft {
  const citations: Draft['citations'] = [];
  const numberOf = new Map<string, number>();
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const draft of drafts) {
    const renumber = new Map<number, number>();
    for (const c of draft.citations) {
      let n = numberOf.get(c.chunkId);
      if (n === undefined) {
        n = citations.length + 1;
        numberOf.set(c.chunkId, n);
        citations.push({ ...c, n });
      }
      renumber.set(c.n, n);
    }
    for (const line of draft.answer.split('\n')) {
      const text = line.replace(/\s*(?:\[\d+\])+\s*$/, '');
      if (seen.has(text)) continue;
      seen.add(text);
      lines.push(
        line.replace(/\[(\d+)\]/g, (marker, d: string) => {
          const n = renumber.get(Number(d));
          return n === undefined ? marker : `[${n}]`;
        }),
      );
    }
  }
  const retrieved = [...new Map(drafts.flatMap((d) => d.retrieved).map((r) => [r.chunk.id, r])).values()];
  return { status: 'answered', answer: lines.join('\n'), lead: null, citations, related: [], retrieved };
}
