import { readFileSync } from 'node:fs';
import { defaultLexicon } from '../../query/lexicon/lexicon.ts';

/**
 * Populations a metric is set apart for (populations.tsv): a question naming one asks that population's figure,
 * which a sentence stating the metric for everyone does not give.
 */
let populations: string[] | null = null;

function shippedPopulations(): string[] {
  if (populations) return populations;
  const text = readFileSync(new URL('../../query/lexicon/populations.tsv', import.meta.url), 'utf8');
  populations = text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.split('\t')[0]!.trim());
  return populations;
}

/** True when the question names a population that the text names in none of its forms. */
export function populationUnnamed(question: string, text: string): boolean {
  const lexicon = defaultLexicon();
  return shippedPopulations().some(
    (p) => question.includes(p) && ![p, ...lexicon.relatedTerms(p)].some((form) => text.includes(form)),
  );
}
