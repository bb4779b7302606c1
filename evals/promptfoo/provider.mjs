/**
 * A promptfoo custom provider that asks a running Zhengce server: POST <server>/api/ask with
 * { question, history }. The answer text is the output; status, citations and retrieved chunks go in
 * metadata so assertions (assertions.mjs) can check quotes against what was cited.
 *
 * Config (promptfooconfig.yaml, providers[].config):
 *   server     base URL; default $ZHENGCE_URL or http://127.0.0.1:3000
 *   timeoutMs  per request; default 120000, because the first question may wait for the index to load
 *
 * The test's `history` var is a JSON string (promptfoo would expand an array var into several tests).
 */

const DEFAULT_SERVER = 'http://127.0.0.1:3000';
const DEFAULT_TIMEOUT_MS = 120_000;

function parseHistory(value) {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value;
  const parsed = JSON.parse(String(value));
  if (!Array.isArray(parsed)) throw new Error('the history var must be a JSON array of { role, content }');
  return parsed;
}

function serverErrorMessage(body) {
  try {
    const json = JSON.parse(body);
    if (json?.error?.message)
      return json.error.code ? `${json.error.code}: ${json.error.message}` : json.error.message;
    if (typeof json?.message === 'string') return json.message;
    if (typeof json?.error === 'string') return json.error;
  } catch {
    // Not JSON: use the text.
  }
  return body.trim().slice(0, 500) || '(empty body)';
}

export default class ZhengceProvider {
  constructor(options = {}) {
    const config = options.config ?? {};
    this.server = String(config.server ?? process.env.ZHENGCE_URL ?? DEFAULT_SERVER).replace(/\/+$/, '');
    this.timeoutMs = Number(config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.providerId = options.id ?? 'zhengce';
  }

  id() {
    return this.providerId;
  }

  async callApi(prompt, context) {
    const url = `${this.server}/api/ask`;
    let history;
    try {
      history = parseHistory(context?.vars?.history);
    } catch (error) {
      return { error: `bad history var: ${error.message}` };
    }
    const started = Date.now();
    let response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ question: prompt, history }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { error: `POST ${url} failed: ${error.cause?.message ?? error.message}` };
    }
    const body = await response.text();
    if (!response.ok)
      return { error: `POST ${url} returned ${response.status}: ${serverErrorMessage(body)}` };
    let result;
    try {
      result = JSON.parse(body);
    } catch {
      return { error: `POST ${url} returned a body that is not JSON` };
    }
    return {
      output: result.answer,
      latencyMs: Date.now() - started,
      metadata: {
        status: result.status,
        citations: result.citations ?? [],
        retrieved: (result.retrieved ?? []).map(({ chunkId, docId, score, text }) => ({
          chunkId,
          docId,
          score,
          text,
        })),
        query: result.query,
      },
    };
  }
}
