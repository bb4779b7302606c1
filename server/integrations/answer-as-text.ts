/**
 * An answer as plain Markdown for clients that show text only (OpenAI-compatible chat clients, MCP tools):
 * the answer with its [n] markers, then each source with its document, number and clause, and the quoted
 * clause, so every number in the answer can be checked against the text beneath it.
 */
import type { AnswerResult, Citation } from '../answer/contract.ts';

/** Longest quote shown per source; the full clause is one click away in the page. */
const MAX_QUOTE_CHARS = 400;

export function sourceLine(c: Citation): string {
  const where = c.clausePath ?? c.headingPath.join(' › ');
  const quote = c.text.length > MAX_QUOTE_CHARS ? `${c.text.slice(0, MAX_QUOTE_CHARS)}…` : c.text;
  return `[${c.n}] ${c.region} · ${c.title}${c.docNumber ? `(${c.docNumber})` : ''}${where ? ` · ${where}` : ''}\n> ${quote.replace(/\n/g, '\n> ')}`;
}

/** The sources block appended to an answer; empty when nothing is cited. */
export function sourcesBlock(result: AnswerResult): string {
  if (result.citations.length === 0) return '';
  return `\n\n${result.citations.map(sourceLine).join('\n\n')}`;
}

export function answerAsText(result: AnswerResult): string {
  return `${result.answer}${sourcesBlock(result)}`;
}
