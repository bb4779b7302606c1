/**
 * Zhengce as an OpenAI-compatible chat model, so chat clients (Open WebUI, Chatbox, Cherry Studio, the
 * `openai` library) can use it as a model called `zhengce`:
 *
 *   GET  /v1/models             { object: 'list', data: [{ id: 'zhengce', … }] }
 *   POST /v1/chat/completions   { model, messages, stream? } → chat.completion, or chat.completion.chunk events
 *
 * The last user message is the question and the earlier user/assistant messages its history (follow-ups
 * work as in the page). The reply is the answer with its sources written out (answer-as-text.ts), so a
 * client that shows text only still shows where every number comes from; the same citations are also in a
 * `citations` field, as Perplexity-style APIs do. System messages are ignored: the answer comes from the
 * documents, whatever a prompt asks. Errors use OpenAI's shape `{ error: { message, type, code } }` with
 * the codes of errors.ts.
 */
import { randomBytes } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AnswerEvent, AnswerResult, ChatTurn } from '../answer/contract.ts';
import { DEFAULT_ANSWER_TIMEOUT_MS } from '../http/answer-and-record.ts';
import { MAX_HISTORY_TURNS, parseAskInput } from '../http/ask-input.ts';
import { HttpError, toHttpError } from '../http/errors.ts';
import type { ZhengceService } from '../service-types.ts';
import { sourcesBlock } from './answer-as-text.ts';

export const MODEL_ID = 'zhengce';

const contentSchema = z.union([
  z.string(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()),
  z.null(),
]);

const requestSchema = z
  .object({
    model: z.string().optional(),
    messages: z.array(z.object({ role: z.string(), content: contentSchema.optional() }).passthrough()).min(1),
    stream: z.boolean().optional(),
  })
  .passthrough();

function textOf(content: z.infer<typeof contentSchema> | undefined): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content
    .filter((part) => part.type === 'text')
    .map((part) => part.text ?? '')
    .join('\n');
}

/** The question (the last message, from the user) and the user/assistant turns before it. */
function toAsk(body: unknown, maxQuestionLength: number): { question: string; history: ChatTurn[] } {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    throw new HttpError('invalid_request', 'Send { model, messages: [{ role, content }, …] }.');
  }
  const messages = parsed.data.messages;
  const last = messages.at(-1);
  if (last?.role !== 'user')
    throw new HttpError('invalid_request', 'The last message must be from the user.');
  const history: ChatTurn[] = messages
    .slice(0, -1)
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => ({ role: m.role as ChatTurn['role'], content: textOf(m.content) }))
    .slice(-MAX_HISTORY_TURNS);
  // The same checks as POST /api/ask (lengths in characters, stable error codes).
  const input = parseAskInput({ question: textOf(last.content), history }, maxQuestionLength);
  return { question: input.question, history: input.history ?? [] };
}

function openAiError(res: Response, err: unknown): void {
  const error = toHttpError(err);
  res.status(error.status).json({
    error: {
      message: error.message,
      type: error.status >= 500 ? 'server_error' : 'invalid_request_error',
      code: error.code,
    },
  });
}

export function openAiChatRoutes(options: {
  service: ZhengceService;
  maxQuestionLength: number;
  answerTimeoutMs?: number;
  logError?: (err: unknown) => void;
}): Router {
  const router = Router();
  const created = Math.floor(Date.now() / 1000);

  router.get('/models', (_req, res) => {
    res.json({ object: 'list', data: [{ id: MODEL_ID, object: 'model', created, owned_by: 'zhengce' }] });
  });

  router.post('/chat/completions', async (req: Request, res: Response) => {
    let ask: { question: string; history: ChatTurn[] };
    try {
      if (req.body === undefined) throw new HttpError('unsupported_media_type');
      ask = toAsk(req.body, options.maxQuestionLength);
    } catch (err) {
      openAiError(res, err);
      return;
    }
    const id = `chatcmpl-${randomBytes(12).toString('base64url')}`;
    const now = Math.floor(Date.now() / 1000);
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const signal = AbortSignal.any([
      controller.signal,
      AbortSignal.timeout(options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS),
    ]);
    const chunk = (
      delta: Record<string, unknown>,
      finishReason: 'stop' | null = null,
      extra: Record<string, unknown> = {},
    ) =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created: now,
        model: MODEL_ID,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
        ...extra,
      })}\n\n`;

    if (req.body.stream !== true) {
      let result: AnswerResult;
      try {
        result = await options.service.ask(ask, undefined, signal);
      } catch (err) {
        if (controller.signal.aborted) return;
        if (signal.aborted) openAiError(res, new HttpError('answer_timeout'));
        else {
          options.logError?.(err);
          openAiError(res, err);
        }
        return;
      }
      res.json({
        id,
        object: 'chat.completion',
        created: now,
        model: MODEL_ID,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: `${result.answer}${sourcesBlock(result)}` },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        citations: result.citations,
      });
      return;
    }

    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    res.write(chunk({ role: 'assistant', content: '' }));
    let streamed = '';
    const onEvent = (event: AnswerEvent) => {
      if (event.type !== 'token' || signal.aborted) return;
      streamed += event.text;
      res.write(chunk({ content: event.text }));
    };
    try {
      const result = await options.service.ask(ask, onEvent, signal);
      // Whatever of the answer was not streamed as tokens, then the sources.
      const rest = result.answer.startsWith(streamed) ? result.answer.slice(streamed.length) : '';
      const tail = `${rest}${sourcesBlock(result)}`;
      if (tail) res.write(chunk({ content: tail }));
      res.write(chunk({}, 'stop', { citations: result.citations }));
      res.end('data: [DONE]\n\n');
    } catch (err) {
      if (controller.signal.aborted) return;
      const error = signal.aborted ? new HttpError('answer_timeout') : toHttpError(err);
      if (error.code === 'internal_error') options.logError?.(err);
      res.end(
        `data: ${JSON.stringify({ error: { message: error.message, type: 'server_error', code: error.code } })}\n\n`,
      );
    }
  });

  return router;
}
