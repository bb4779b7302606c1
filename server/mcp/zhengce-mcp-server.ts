/**
 * Zhengce's tools for MCP clients (Claude Desktop, Cursor, Cherry Studio, any agent using the MCP SDK):
 * `ask` (an answer with its cited clauses), `search` (the best-matching clauses), `targets` (numeric
 * targets by place, year and metric) and `check_claim` (a claim against the documents' targets). Each
 * tool returns text for the model to read and the same data as structured content. The transports are
 * stdio (`npm run mcp`, mcp-stdio.ts) and Streamable HTTP at `/mcp` on the server (mcp-http-route.ts).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { parseAskInput, parseClaim, parseSearchQuery } from '../http/ask-input.ts';
import { answerAsText } from '../integrations/answer-as-text.ts';
import type { ZhengceService } from '../service-types.ts';

/** Clauses a search returns by default, and at most. */
const DEFAULT_K = 5;
const MAX_K = 20;
/** Targets listed in one tool result: enough for a comparison, small enough for a model's context. */
const MAX_TARGETS = 50;

export const MCP_SERVER_INFO = { name: 'zhengce', version: '0.1.0' };

export function createZhengceMcpServer(service: ZhengceService, maxQuestionLength: number): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, { capabilities: { tools: {} } });
  // Lengths are checked by the same functions as the HTTP API (characters as code points, the same error
  // messages); a thrown error reaches the client as a tool error with that message.
  const text = (value: string) => z.string().describe(value);

  server.registerTool(
    'ask',
    {
      title: 'Ask the policy documents',
      description:
        'Answers a question about the loaded Chinese health-policy documents (Chinese or English) with the clauses it rests on; says when the documents do not say.',
      inputSchema: {
        question: text(
          'The question as a user types it, in Chinese or English (a place, a year, what is asked)',
        ),
      },
    },
    async (args) => {
      const { question } = parseAskInput({ question: args.question }, maxQuestionLength);
      const result = await service.ask({ question, history: [] });
      return {
        content: [{ type: 'text', text: answerAsText(result) }],
        structuredContent: { status: result.status, answer: result.answer, citations: result.citations },
      };
    },
  );

  server.registerTool(
    'search',
    {
      title: 'Search clauses',
      description: 'The clauses that best match a query, with document, place and clause path.',
      inputSchema: {
        query: text('Words to look for'),
        k: z.number().int().min(1).max(MAX_K).optional().describe(`How many clauses (default ${DEFAULT_K})`),
      },
    },
    async (args) => {
      const query = parseSearchQuery(args.query, maxQuestionLength);
      const results = await service.search(query, args.k ?? DEFAULT_K);
      const lines = results.map(
        (r, i) => `${i + 1}. ${r.region} · ${r.title} · ${r.headingPath.join(' › ')}\n${r.text}`,
      );
      return {
        content: [{ type: 'text', text: lines.join('\n\n') || 'No clause matches.' }],
        structuredContent: { results },
      };
    },
  );

  server.registerTool(
    'targets',
    {
      title: 'Numeric targets',
      description:
        'Quantitative targets the documents set (a rate, a count, a ratio for a year), each with its quote and document.',
      inputSchema: {
        region: z
          .string()
          .max(100)
          .optional()
          .describe('A place of the loaded documents, in Chinese or English'),
        year: z.number().int().min(1900).max(2200).optional(),
        metric: z
          .string()
          .max(200)
          .optional()
          .describe('A metric as the documents write it (Chinese), or its group'),
        q: z.string().max(200).optional().describe('Free text, Chinese or English'),
      },
    },
    async (filter) => {
      const all = service.targets(filter);
      const targets = all.slice(0, MAX_TARGETS);
      const lines = targets.map(
        (t) => `${t.region} ${t.year ?? ''} ${t.metric}: ${t.valueText} — ${t.quote}`,
      );
      const more =
        all.length > targets.length ? `\n(${all.length - targets.length} more; narrow the filter)` : '';
      return {
        content: [{ type: 'text', text: (lines.join('\n') || 'No target matches.') + more }],
        structuredContent: { total: all.length, targets },
      };
    },
  );

  server.registerTool(
    'check_claim',
    {
      title: 'Check a claim',
      description:
        "Checks a statement (a place's target for a year, or what a document says) against the documents' targets, or without a number against their clauses: supported, contradicted, other_year (right value, other year) or not_found.",
      inputSchema: { claim: text('The statement to check') },
    },
    async (args) => {
      const check = await service.checkClaim(parseClaim({ claim: args.claim }, maxQuestionLength));
      const evidence = [
        ...check.evidence.map((t) => `- ${t.region} ${t.year ?? ''}: ${t.quote}`),
        ...check.clauses.map((c) => `- ${c.region} · ${c.title} · ${c.clausePath ?? ''}: ${c.sentence}`),
      ].join('\n');
      return {
        content: [
          { type: 'text', text: `${check.verdict}: ${check.message}${evidence ? `\n${evidence}` : ''}` },
        ],
        structuredContent: { ...check },
      };
    },
  );

  return server;
}
