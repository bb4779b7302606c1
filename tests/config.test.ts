import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadServerConfig, serverEnvSchema } from '../server/config.ts';

describe('configuration', () => {
  it('.env.example documents every setting the server reads', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z_]+)=/gm)].map((m) => m[1]));
    const missing = Object.keys(serverEnvSchema.shape).filter((key) => !documented.has(key));
    expect(missing).toEqual([]);
  });

  it('starts from defaults that work offline', () => {
    const config = loadServerConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      llm: undefined,
      trustProxy: false,
      maxBodyBytes: '32kb',
    });
    expect(config.ingest).toMatchObject({ corpusDir: 'seeds', indexDir: 'data/index' });
    expect(config.ingest.embedder).toMatchObject({
      kind: 'auto',
      transformers: { allowRemoteModels: false },
    });
  });

  it('names every invalid setting in one message', () => {
    expect(() => loadServerConfig({ PORT: 'eighty', EMBEDDER: 'word2vec', MAX_BODY_BYTES: 'lots' })).toThrow(
      /PORT[\s\S]*EMBEDDER[\s\S]*MAX_BODY_BYTES|EMBEDDER[\s\S]*PORT/,
    );
    expect(() => loadServerConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' })).toThrow(
      'LLM_BASE_URL and LLM_MODEL must be set together',
    );
  });
});
