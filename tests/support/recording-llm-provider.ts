import type { LlmMessage, LlmProvider } from '../../server/llm/provider.ts';

/**
 * A test double of LlmProvider: records every call's messages and replays scripted completions in order.
 * A script entry is the completion text (streamed in pieces of `pieceLength` characters), an explicit list
 * of deltas, an Error to throw (after `deltasBeforeError` of the text, if any), or a function of the
 * messages returning one of those. When the script runs out, the last entry is used again.
 */
export type ScriptedCompletion =
  | string
  | { deltas: string[] }
  | { error: unknown; deltasBefore?: string[] }
  | ((messages: LlmMessage[]) => string | { deltas: string[] } | { error: unknown });

export interface RecordedCall {
  method: 'generate' | 'stream';
  messages: LlmMessage[];
  signal: AbortSignal | undefined;
}

export class RecordingLlmProvider implements LlmProvider {
  readonly calls: RecordedCall[] = [];
  readonly #script: ScriptedCompletion[];
  readonly #pieceLength: number;

  constructor(
    script: ScriptedCompletion[],
    readonly modelId = 'recording-double',
    options: { pieceLength?: number } = {},
  ) {
    if (script.length === 0) throw new Error('RecordingLlmProvider needs at least one scripted completion');
    this.#script = script;
    this.#pieceLength = options.pieceLength ?? 5;
  }

  /** The user message of the last call (the numbered sources and the question). */
  get lastPrompt(): string {
    return this.calls.at(-1)?.messages.find((m) => m.role === 'user')?.content ?? '';
  }

  async generate(messages: LlmMessage[], signal?: AbortSignal): Promise<string> {
    const step = this.#next('generate', messages, signal);
    if ('error' in step) throw step.error;
    return step.deltas.join('');
  }

  async *stream(messages: LlmMessage[], signal?: AbortSignal): AsyncIterable<string> {
    const step = this.#next('stream', messages, signal);
    for (const delta of 'error' in step ? (step.deltasBefore ?? []) : step.deltas) {
      signal?.throwIfAborted();
      await Promise.resolve();
      yield delta;
    }
    if ('error' in step) throw step.error;
  }

  #next(
    method: RecordedCall['method'],
    messages: LlmMessage[],
    signal: AbortSignal | undefined,
  ): { deltas: string[] } | { error: unknown; deltasBefore?: string[] } {
    const index = Math.min(this.calls.length, this.#script.length - 1);
    this.calls.push({ method, messages: structuredClone(messages), signal });
    let entry = this.#script[index]!;
    if (typeof entry === 'function') entry = entry(messages);
    if (typeof entry === 'string') {
      const deltas: string[] = [];
      for (let i = 0; i < entry.length; i += this.#pieceLength)
        deltas.push(entry.slice(i, i + this.#pieceLength));
      return { deltas };
    }
    return entry;
  }
}
