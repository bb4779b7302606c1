/**
 * Any OpenAI-compatible chat endpoint (Qwen, DeepSeek, GLM, Ollama, vLLM …) over plain fetch:
 * `POST {baseUrl}/chat/completions`, streamed as server-sent events. No SDK: the wire format is small, and
 * the endpoint's error bodies never leave this file except as redacted log detail inside an LlmError.
 */
import { LlmError, type LlmMessage, type LlmProvider } from './provider.ts';

export interface OpenAiCompatibleConfig {
  /** e.g. `http://127.0.0.1:11434/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when not empty. */
  apiKey: string;
  /** Milliseconds for the whole exchange, first byte to last delta. */
  timeoutMs: number;
}

/** How much of an upstream error body is kept for the log. */
const MAX_LOGGED_BODY_CHARS = 300;

export class OpenAiCompatibleProvider implements LlmProvider {
  readonly modelId: string;
  readonly #config: OpenAiCompatibleConfig;
  readonly #url: string;

  constructor(config: OpenAiCompatibleConfig) {
    this.#config = config;
    this.modelId = config.model;
    this.#url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async generate(messages: LlmMessage[], signal?: AbortSignal): Promise<string> {
    const call = this.#deadline(signal);
    let responded = false;
    try {
      const response = await this.#post(messages, false, call.signal);
      responded = true;
      return messageContent(await readJson(response));
    } catch (err) {
      throw this.#translate(err, call.timedOut(), signal, responded);
    } finally {
      call.clear();
    }
  }

  async *stream(messages: LlmMessage[], signal?: AbortSignal): AsyncIterable<string> {
    const call = this.#deadline(signal);
    let responded = false;
    try {
      const response = await this.#post(messages, true, call.signal);
      responded = true;
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) {
        // Some servers ignore `stream: true` and answer in one JSON body.
        const text = messageContent(await readJson(response));
        if (text) yield text;
        return;
      }
      for await (const data of serverSentData(response.body)) {
        if (data === '[DONE]') return;
        const delta = this.#deltaContent(data);
        if (delta) yield delta;
      }
    } catch (err) {
      throw this.#translate(err, call.timedOut(), signal, responded);
    } finally {
      call.clear();
    }
  }

  async #post(messages: LlmMessage[], stream: boolean, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (stream) headers.accept = 'text/event-stream';
    if (this.#config.apiKey) headers.authorization = `Bearer ${this.#config.apiKey}`;
    const response = await fetch(this.#url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: this.#config.model, messages, temperature: 0, stream }),
      signal,
    });
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new LlmError(
        'http_status',
        `HTTP ${response.status} from ${this.#where()}: ${this.#redact(body.slice(0, MAX_LOGGED_BODY_CHARS))}`,
        response.status,
      );
    }
    return response;
  }

  #deltaContent(data: string): string {
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      throw new LlmError('bad_response', `a stream event from ${this.#where()} is not JSON`);
    }
    const e = event as { error?: unknown; choices?: { delta?: { content?: unknown } }[] };
    if (e.error !== undefined) {
      const detail = JSON.stringify(e.error).slice(0, MAX_LOGGED_BODY_CHARS);
      throw new LlmError('bad_response', `error event from ${this.#where()}: ${this.#redact(detail)}`);
    }
    const content = e.choices?.[0]?.delta?.content;
    return typeof content === 'string' ? content : '';
  }

  #deadline(signal: AbortSignal | undefined) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.#config.timeoutMs);
    return {
      signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal,
      timedOut: () => timeout.signal.aborted,
      clear: () => clearTimeout(timer),
    };
  }

  /** Every failure becomes an LlmError, except the caller's own abort, which is passed on as it came. */
  #translate(err: unknown, timedOut: boolean, signal: AbortSignal | undefined, responded: boolean): unknown {
    if (signal?.aborted) return err;
    if (err instanceof LlmError) return err;
    if (timedOut) {
      return new LlmError(
        'timeout',
        `no complete answer from ${this.#where()} in ${this.#config.timeoutMs} ms`,
      );
    }
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const detail = this.#redact(
      `${err instanceof Error ? err.message : String(err)}${cause ? ` (${code ?? cause.message})` : ''}`,
    );
    return responded
      ? new LlmError('bad_response', `reading the answer from ${this.#where()} failed: ${detail}`)
      : new LlmError('unreachable', `${this.#where()} could not be reached: ${detail}`);
  }

  /** The endpoint without query string or credentials, for log lines. */
  #where(): string {
    try {
      const url = new URL(this.#url);
      return `${url.origin}${url.pathname}`;
    } catch {
      return 'the LLM endpoint';
    }
  }

  #redact(text: string): string {
    const key = this.#config.apiKey;
    let out = key.length >= 4 ? text.split(key).join('[redacted]') : text;
    out = out.replace(/\bsk-[A-Za-z0-9_-]{4,}/g, 'sk-[redacted]');
    return out.replace(/\bBearer\s+\S+/gi, 'Bearer [redacted]');
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new LlmError('bad_response', 'the completion is not JSON');
  }
}

function messageContent(body: unknown): string {
  const content = (body as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message
    ?.content;
  if (typeof content !== 'string')
    throw new LlmError('bad_response', 'the completion has no message content');
  return content;
}

/** The `data` of each server-sent event, in order (multi-line data joined with \n). */
async function* serverSentData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let finished = false;
  try {
    while (!finished) {
      const chunk = await reader.read();
      if (chunk.done) {
        buffer += decoder.decode();
        finished = true;
      } else buffer += decoder.decode(chunk.value, { stream: true });
      for (;;) {
        const end = /\r\n|\n|\r/.exec(buffer);
        // A lone \r at the end may be the first half of \r\n.
        if (!end || (end[0] === '\r' && end.index === buffer.length - 1 && !finished)) break;
        const line = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end[0].length);
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        // Other fields (event:, id:, retry:) and comments (:) carry nothing the answerer needs.
      }
    }
    if (buffer.startsWith('data:')) data.push(buffer.slice(buffer.startsWith('data: ') ? 6 : 5));
    if (data.length) yield data.join('\n');
  } finally {
    if (finished) reader.releaseLock();
    else await reader.cancel().catch(() => {});
  }
}
