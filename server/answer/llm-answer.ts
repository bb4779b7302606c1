/**
 * The optional LLM answerer. It gives the provider numbered sources, collects the whole completion, and
 * checks it: every marker must name a source and every number must occur in a cited source. Nothing of
 * the completion is passed on before the check, so a client never sees a rejected answer. A failure is
 * returned (not thrown) with a fixed sentence for the client, `reason`, that holds no upstream text; the
 * detail goes to the server log. Only the caller's abort is thrown.
 */
import type { Chunk } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import { LlmError, type LlmErrorKind, type LlmProvider } from '../llm/provider.ts';
import { toCitation } from './citations.ts';
import type { Citation } from './contract.ts';
import { danglingMarkers, untraceableNumbers } from './number-check.ts';

export type { LlmConfig } from '../llm/choose-provider.ts';

export type LlmCheckKind = 'empty' | 'no_citation' | 'dangling_marker' | 'untraceable_number';
/** `unexpected`: the provider failed in a way it did not classify. */
export type LlmFailureKind = LlmErrorKind | LlmCheckKind | 'unexpected';

export type LlmOutcome =
  | { ok: true; answer: string; citations: Citation[] }
  | {
      ok: false;
      kind: LlmFailureKind;
      /** Fixed sentence for the client (`fallback.reason`); never upstream text. */
      reason: string;
      /** For the server log only: may quote the model's answer or redacted upstream detail. */
      detail: string;
    };

export interface LlmAnswerOptions {
  /** Sources given to the model (the first ones of `sources`). */
  maxSources: number;
  signal?: AbortSignal;
  /** Where a failure's detail is logged; default console.warn. */
  warn?: (message: string) => void;
}

const SYSTEM_PROMPT = `你是“政策”(Zhengce)助手,只根据给出的政策文件条款回答问题。
规则:
- 只使用编号来源中的信息;每句话后用 [n] 标注来源编号。
- 数字、百分比、年份必须与来源原文完全一致,不得推算或编造。
- 来源不能回答问题时,只回答“文件中没有相关内容”。
- 用提问所用的语言回答(中文问题用中文,英文问题用英文),简短直接,先给出数值。
You are Zhengce. Answer only from the numbered sources, mark every sentence with [n], copy numbers exactly.`;

const SHOWING = 'showing the extractive answer.';

/** The client-facing sentence for each failure kind. Only the HTTP status number is ever interpolated. */
export function fallbackReason(kind: LlmFailureKind, status?: number): string {
  switch (kind) {
    case 'unreachable':
      return `The LLM could not be reached; ${SHOWING}`;
    case 'timeout':
      return `The LLM did not answer in time; ${SHOWING}`;
    case 'http_status': {
      if (!(Number.isInteger(status) && status !== undefined && status >= 100 && status <= 599)) {
        return `The LLM endpoint returned an error; ${SHOWING}`;
      }
      // A category an operator can act on, with the bare status; the body stays in the server log.
      if (status === 401 || status === 403)
        return `The LLM endpoint refused the key (HTTP ${status}); ${SHOWING}`;
      if (status === 429) return `The LLM endpoint is over its rate limit or quota (HTTP 429); ${SHOWING}`;
      return `The LLM endpoint returned an error (HTTP ${status}); ${SHOWING}`;
    }
    case 'bad_response':
      return `The LLM response could not be read; ${SHOWING}`;
    case 'unexpected':
      return `The LLM request failed; ${SHOWING}`;
    case 'empty':
      return `The LLM answer was empty; ${SHOWING}`;
    case 'no_citation':
      return `The LLM answer cited no source; ${SHOWING}`;
    case 'dangling_marker':
      return `The LLM answer cited a source it was not given; ${SHOWING}`;
    case 'untraceable_number':
      return `The LLM answer stated a number that is not in its cited sources; ${SHOWING}`;
  }
}

export function formatSources(index: OpenedIndex, chunks: readonly Chunk[]): string {
  return chunks
    .map((c, i) => {
      const doc = index.documentById.get(c.docId);
      const head = [doc?.meta.region?.name, doc?.meta.title, doc?.meta.docNumber, c.headingPath.join(' › ')]
        .filter(Boolean)
        .join(' | ');
      return `[${i + 1}] ${head}\n${c.text}`;
    })
    .join('\n\n');
}

export async function llmAnswer(
  provider: LlmProvider,
  index: OpenedIndex,
  question: string,
  sources: readonly Chunk[],
  options: LlmAnswerOptions,
): Promise<LlmOutcome> {
  const { signal } = options;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const fail = (kind: LlmFailureKind, detail: string, status?: number): LlmOutcome => {
    warn(`LLM answer from ${provider.modelId} not used (${kind}): ${detail}`);
    return { ok: false, kind, reason: fallbackReason(kind, status), detail };
  };
  const chunks = sources.slice(0, options.maxSources);
  let answer = '';
  try {
    const messages = [
      { role: 'system' as const, content: SYSTEM_PROMPT },
      {
        role: 'user' as const,
        content: `来源 Sources:\n${formatSources(index, chunks)}\n\n问题 Question: ${question}`,
      },
    ];
    for await (const delta of provider.stream(messages, signal)) answer += delta;
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof LlmError) return fail(err.kind, err.message, err.status);
    // Not classified by the provider: its message may hold anything, so only its type is logged.
    return fail('unexpected', err instanceof Error ? err.name : typeof err);
  }
  signal?.throwIfAborted();
  answer = answer.trim();
  const quoted = `answer ${JSON.stringify(answer.slice(0, 500))}`;
  const used = [...new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))].sort(
    (a, b) => a - b,
  );
  const citations = used.flatMap((n) => {
    const chunk = chunks[n - 1];
    return chunk ? [toCitation(n, chunk, index.documentById.get(chunk.docId))] : [];
  });
  if (!answer) return fail('empty', 'the model returned an empty answer');
  if (used.length === 0) return fail('no_citation', `the answer cites no source; ${quoted}`);
  const dangling = danglingMarkers(
    answer,
    citations.map((c) => c.n),
  );
  if (dangling.length) {
    return fail(
      'dangling_marker',
      `markers ${dangling.map((n) => `[${n}]`).join(' ')} name no source; ${quoted}`,
    );
  }
  const invented = untraceableNumbers(
    answer,
    citations.map((c) => c.text),
  );
  if (invented.length) {
    return fail('untraceable_number', `numbers not in the cited sources: ${invented.join(', ')}; ${quoted}`);
  }
  return { ok: true, answer, citations };
}
