import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { startFakeOpenAIServer } from '@cairn/testing';
import { openRuntime } from '../src/index.js';

describe('changing EMBEDDING_MODEL', () => {
  it('keeps search on the old model until the new one is built from the stored passages, then switches', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-model-change-'));
    const server = await startFakeOpenAIServer();
    try {
      const first = await openRuntime(loadConfig({ CAIRN_DATA_DIR: dataDir }));
      expect(first.searchEmbedder.model).toBe('local-hash-v1');
      await first.close();

      const second = await openRuntime(loadConfig({ CAIRN_DATA_DIR: dataDir, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url }));
      expect(second.embedder.model).toBe('openai:text-embedding-3-small@1536');
      expect(second.searchEmbedder.model).toBe('local-hash-v1');
      expect(second.reembedding).toBeDefined();
      await second.reembedding;
      expect(second.searchEmbedder.model).toBe('openai:text-embedding-3-small@1536');
      expect((await second.store.embeddings.activeModel())?.id).toBe('openai:text-embedding-3-small@1536');
      await second.close();
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
