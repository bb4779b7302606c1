/**
 * What the answerer needs from a chat model, and nothing more: a whole completion or its text deltas. One
 * file per implementation beside this one; `choose-provider.ts` picks the implementation from the config.
 */
export interface LlmProvider {
  readonly modelId: string;
  /** Whole completion. */
  generate(messages: LlmMessage[], signal?: AbortSignal): Promise<string>;
  /** Completion as text deltas. */
  stream(messages: LlmMessage[], signal?: AbortSignal): AsyncIterable<string>;
}

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * How a provider call failed. The answerer turns each kind into a fixed sentence for the client; the
 * message is for the server log only and must already have any API key removed.
 */
export type LlmErrorKind = 'unreachable' | 'timeout' | 'http_status' | 'bad_response';

export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    /** Detail for the server log (no key). Never sent to clients. */
    message: string,
    /** The upstream's HTTP status, for kind 'http_status'. */
    readonly status?: number,
  ) {
    super(message);
  }
}
