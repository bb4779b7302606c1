import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import type { Chunk } from '../../ingest/model.ts';
import type { OpenedIndex } from '../../ingest/store/open-index.ts';
import { toCitation } from './citations.ts';
import type { Citation } from './contract.ts';
import { danglingMarkers, untraceableNumbers } from './number-check.ts';

/**
 * The optional LLM answerer: any OpenAI-compatible chat endpoint (Qwen, DeepSeek, GLM, Ollama, vLLM …)
 * through LangChain. It gets numbered sources, streams its answer, and the answer is then checked: every
 * marker must name a source and every number must occur in a cited source. A failed check is reported
 * to the caller, who falls back to the extractive answer.
 */
export interface LlmConfig {
  baseUrl: string;
  model: string;
  apiKey: string;
  /** Milliseconds before the request is abandoned. Default 60 000. */
  timeoutMs: number;
  /** Sources given to the model. Default 6: the answer and its context, within small context windows. */
  maxSources: number;
}

export interface LlmOutcome {
  ok: boolean;
  answer: string;
  citations: Citation[];
  /** Why the answer was rejected, when ok is false. */
  problem?: string;
}

const SYSTEM_PROMPT = `你是“政策”(Zhengce)助手,只根据给出的政策文件条款回答问题。
规则:
- 只使用编号来源中的信息;每句话后用 [n] 标注来源编号。
- 数字、百分比、年份必须与来源原文完全一致,不得推算或编造。
- 来源不能回答问题时,只回答“文件中没有相关内容”。
- 用提问所用的语言回答(中文问题用中文,英文问题用英文),简短直接,先给出数值。
You are Zhengce. Answer only from the numbered sources, mark every sentence with [n], copy numbers exactly.`;

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
  config: LlmConfig,
  index: OpenedIndex,
  question: string,
  sources: readonly Chunk[],
  onToken: (text: string) => void,
  signal?: AbortSignal,
): Promise<LlmOutcome> {
  const chunks = sources.slice(0, config.maxSources);
  const model = new ChatOpenAI({
    model: config.model,
    apiKey: config.apiKey,
    configuration: { baseURL: config.baseUrl },
    temperature: 0,
    streaming: true,
    timeout: config.timeoutMs,
    maxRetries: 0,
  });
  let answer = '';
  const stream = await model.stream(
    [
      new SystemMessage(SYSTEM_PROMPT),
      new HumanMessage(`来源 Sources:\n${formatSources(index, chunks)}\n\n问题 Question: ${question}`),
    ],
    signal ? { signal } : {},
  );
  for await (const part of stream) {
    const text = typeof part.content === 'string' ? part.content : '';
    if (text) {
      answer += text;
      onToken(text);
    }
  }
  answer = answer.trim();
  const used = [...new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))].sort(
    (a, b) => a - b,
  );
  const citations = used.flatMap((n) => {
    const chunk = chunks[n - 1];
    return chunk ? [toCitation(n, chunk, index.documentById.get(chunk.docId))] : [];
  });
  const dangling = danglingMarkers(
    answer,
    citations.map((c) => c.n),
  );
  if (!answer) return { ok: false, answer, citations, problem: 'the model returned an empty answer' };
  if (used.length === 0) return { ok: false, answer, citations, problem: 'the answer cites no source' };
  if (dangling.length)
    return {
      ok: false,
      answer,
      citations,
      problem: `markers ${dangling.map((n) => `[${n}]`).join(' ')} name no source`,
    };
  const invented = untraceableNumbers(
    answer,
    citations.map((c) => c.text),
  );
  if (invented.length) {
    return {
      ok: false,
      answer,
      citations,
      problem: `numbers not in the cited sources: ${invented.join(', ')}`,
    };
  }
  return { ok: true, answer, citations };
}
