/**
 * Checks a claim without a number ("嘉兴要推广三明医改经验", "Jiaxing will build a regional medical
 * centre") against the documents' sentences: supported when one sentence of a retrieved clause, in a
 * document of the claimed place, holds every content word of the claim (or a term documents use for it);
 * otherwise not stated. Strict on purpose: a sentence that lacks one word of the claim (取消, 禁止, a
 * different programme) does not support it, and "not in these documents" is a good answer when true.
 */
import { readFileSync } from 'node:fs';
import type { Chunk, DocumentRecord } from '../../ingest/model.ts';
import { contentWords } from '../../ingest/text/tokenize.ts';
import { candidateSentences } from '../answer/candidate-sentences.ts';
import { toCitation } from '../answer/citations.ts';
import { groupCoverage } from '../answer/topic-match.ts';
import { defaultLexicon } from '../query/lexicon/lexicon.ts';
import type { Understanding } from '../query/understand.ts';
import type { ClaimClause } from '../service-types.ts';

export interface ClaimClauseOptions {
  /**
   * Share of a concept's characters (Han bigrams, Latin words) one sentence must hold for the concept to
   * count as stated: 1 asks for the word itself; lower lets 签约服务 stand for 签约 and loses negations.
   */
  minConceptCoverage: number;
  /** Sentences quoted as evidence at most (the best first). */
  maxClauses: number;
}

export const CLAIM_CLAUSE_OPTIONS: ClaimClauseOptions = { minConceptCoverage: 1, maxClauses: 3 };

/** Framing words (claim-framing-words.txt): who says it, not what is said. */
export const FRAMING_WORDS: ReadonlySet<string> = new Set(
  readFileSync(new URL('./claim-framing-words.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#')),
);

/**
 * The claim's content as concept groups: each word with the standard form of an abbreviation and the terms
 * documents use for it (医保 → 基本医疗保险, 医疗保障). Chinese claims use their own words, not the
 * expanded topic a question searches with: an expansion split into words (城乡 / 居民 / 基本 …) would ask a
 * sentence for words the claim never said. English claims use their glossary and dictionary terms. Places
 * and framing words are not content.
 */
export function claimConcepts(
  claim: string,
  u: Pick<Understanding, 'lang' | 'regions' | 'topicGroups'>,
): string[][] {
  if (u.lang === 'en') return u.topicGroups.filter((group) => group.length > 0).map((group) => [...group]);
  const lexicon = defaultLexicon();
  const isPlace = (word: string) =>
    u.regions.some((region) => region.includes(word) || word.includes(region.replace(/[省市区县]$/u, '')));
  return contentWords(claim.normalize('NFKC'))
    .filter((word) => !FRAMING_WORDS.has(word) && !isPlace(word))
    .map((word) => [...new Set([word, lexicon.expandText(word), ...lexicon.relatedTerms(word)])]);
}

/** Every concept is stated in the sentence (its best alternative fully, by default). */
function statesAll(concepts: readonly string[][], sentence: string, minCoverage: number): boolean {
  return concepts.every((group) => groupCoverage([group], sentence) >= minCoverage);
}

export function clausesStating(
  concepts: readonly string[][],
  hits: readonly { chunk: Chunk; doc: DocumentRecord }[],
  options: ClaimClauseOptions = CLAIM_CLAUSE_OPTIONS,
): ClaimClause[] {
  if (concepts.length === 0) return [];
  const found: ClaimClause[] = [];
  const seen = new Set<string>();
  hits.forEach(({ chunk, doc }, rank) => {
    for (const s of candidateSentences(chunk, rank, doc)) {
      if (found.length >= options.maxClauses) return;
      if (!statesAll(concepts, s.text, options.minConceptCoverage)) continue;
      const key = `${chunk.docId}:${s.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({
        ...toCitation(found.length + 1, chunk, doc),
        sentence: s.text,
        sentenceStart: s.start,
        sentenceEnd: s.end,
      });
    }
  });
  return found;
}
