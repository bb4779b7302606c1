/**
 * promptfoo javascript assertions implementing the runner's checks (evals/score-item.ts) for tests
 * converted by jsonl-to-promptfoo.ts. Facts, quotes and the unanswerable flag arrive as JSON-string
 * vars; status and citations come from provider.mjs metadata.
 *
 * Kept in plain JavaScript because promptfoo loads assertion files itself; the matching rule is the
 * runner's: NFKC, whitespace removed, [n] citation markers ignored in the answer.
 */

const WHITESPACE = /\s+/gu;
const CITATION_MARKER = /\[\d+\]/g;

function normalizeForMatch(text) {
  return String(text).normalize('NFKC').replace(WHITESPACE, '');
}

function includesNormalized(haystack, needle) {
  const normalizedNeedle = normalizeForMatch(needle);
  return normalizedNeedle.length > 0 && normalizeForMatch(haystack).includes(normalizedNeedle);
}

function jsonVar(context, name, fallback) {
  const value = context?.vars?.[name];
  if (value === undefined || value === null || value === '') return fallback;
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** Unanswerable: status not_found. Answerable: status answered and every fact in the answer text. */
export function answerCorrect(output, context) {
  const status = context?.providerResponse?.metadata?.status;
  if (jsonVar(context, 'unanswerable', false) === true) {
    const pass = status === 'not_found';
    return {
      pass,
      score: pass ? 1 : 0,
      reason: pass ? 'not_found, as expected' : `expected not_found, got ${status}`,
    };
  }
  if (status !== 'answered') return { pass: false, score: 0, reason: `expected an answer, got ${status}` };
  const facts = jsonVar(context, 'facts', []);
  const answer = String(output ?? '').replace(CITATION_MARKER, '');
  const missed = facts.filter((fact) => !includesNormalized(answer, fact));
  const score = facts.length === 0 ? 1 : (facts.length - missed.length) / facts.length;
  return {
    pass: missed.length === 0,
    score,
    reason: missed.length === 0 ? 'all facts present' : `missing facts: ${missed.join('; ')}`,
  };
}

/** Answerable items with quotes: at least one citation contains a quote; score is citation recall. */
export function quotesCited(_output, context) {
  const quotes = jsonVar(context, 'quotes', []);
  if (jsonVar(context, 'unanswerable', false) === true || quotes.length === 0) {
    return { pass: true, score: 1, reason: 'no quotes to check' };
  }
  const citations = context?.providerResponse?.metadata?.citations ?? [];
  const missed = quotes.filter(
    (quote) => !citations.some((citation) => includesNormalized(citation.text, quote)),
  );
  const covered = quotes.length - missed.length;
  return {
    pass: covered > 0,
    score: covered / quotes.length,
    reason: missed.length === 0 ? 'every quote cited' : `quotes not cited: ${missed.join('; ')}`,
  };
}
