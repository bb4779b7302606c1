/**
 * The one place where the validated LLM settings (`loadServerConfig`, or a caller's own) become a provider.
 */
import { type OpenAiCompatibleConfig, OpenAiCompatibleProvider } from './openai-compatible-provider.ts';
import type { LlmProvider } from './provider.ts';

/** LLM settings as validated by `server/config.ts` from the LLM_* variables. */
export interface LlmConfig extends OpenAiCompatibleConfig {
  /** Sources given to the model. Default 6: the answer and its context, within small context windows. */
  maxSources: number;
  /** A ready provider to use instead of one built from the endpoint settings (tests, embedding callers). */
  provider?: LlmProvider;
}

const built = new WeakMap<LlmConfig, LlmProvider>();

export function chooseLlmProvider(config: LlmConfig): LlmProvider {
  if (config.provider) return config.provider;
  let provider = built.get(config);
  if (!provider) {
    provider = new OpenAiCompatibleProvider(config);
    built.set(config, provider);
  }
  return provider;
}
