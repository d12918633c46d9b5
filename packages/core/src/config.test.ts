import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: './.cairn',
      host: '127.0.0.1',
      port: 3000,
      embeddingModel: 'local-hash-v1',
      starterCorpus: true,
      retrievalMode: 'hybrid',
      allowPrivateNetworks: false,
    });
  });

  it('names the variable and what it expects when a value is malformed', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(/^PORT: expects a whole number from 0 to 65535 \(got "eighty"\)$/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(/^DATABASE_URL: expects a postgres/);
    expect(() => loadConfig({ CAIRN_STARTER_CORPUS: 'maybe' })).toThrowError(/^CAIRN_STARTER_CORPUS: expects on or off/);
  });

  it('picks OpenAI embeddings when a key is set and refuses a remote model without one', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).embeddingModel).toBe('text-embedding-3-small');
    expect(() => loadConfig({ EMBEDDING_MODEL: 'text-embedding-3-large' })).toThrowError(/^EMBEDDING_MODEL: /);
  });

  it('reads the private-network allowance as a switch or a list', () => {
    expect(loadConfig({ INGEST_ALLOW_PRIVATE_NETWORKS: 'true' }).allowPrivateNetworks).toBe(true);
    expect(loadConfig({ INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1, 10.0.0.0/8' }).allowPrivateNetworks).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });
});
