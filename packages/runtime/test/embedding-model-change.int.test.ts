import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { createTestDatabase, startFakeOpenAIServer, testRedisUrl } from '@cairn/testing';
import { ingestQueueName, startIngestWorker } from '@cairn/ingest/queue';
import { openRuntime } from '../src/index.js';

describe('changing EMBEDDING_MODEL', () => {
  it('keeps search on the old model until the new one is built from the stored passages, then switches', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-model-change-'));
    const server = await startFakeOpenAIServer();
    try {
      const first = await openRuntime(loadConfig({ CAIRN_DATA_DIR: dataDir }));
      expect(first.searchEmbedder.model).toBe('local-semantic-v2');
      await first.close();

      const second = await openRuntime(loadConfig({ CAIRN_DATA_DIR: dataDir, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url }));
      expect(second.embedder.model).toBe('openai:text-embedding-3-small@1536');
      expect(second.searchEmbedder.model).toBe('local-semantic-v2');
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

  it('with a queue, hands the re-embedding to the workers (a reembed job) and switches when they finish', async () => {
    const database = await createTestDatabase();
    const server = await startFakeOpenAIServer();
    const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;
    const queued = { DATABASE_URL: database.url, REDIS_URL: testRedisUrl(), CAIRN_QUEUE_PREFIX: prefix };
    const openai = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url };
    try {
      const first = await openRuntime(loadConfig(queued));
      await first.close();

      const config = loadConfig({ ...queued, ...openai });
      const api = await openRuntime(config);
      expect(api.searchEmbedder.model).toBe('local-semantic-v2');
      const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix });
      expect((await queue.getJobs(['wait'])).map((job) => job.name)).toEqual(['reembed']);
      // Nothing is embedded in the API process: the passages wait for a worker.
      expect(server.requests).toEqual([]);
      const workerRuntime = await openRuntime(config, { loadStarter: false });
      const worker = startIngestWorker({ ...workerRuntime }, { redisUrl: testRedisUrl(), prefix });
      try {
        await api.reembedding;
        expect(api.searchEmbedder.model).toBe('openai:text-embedding-3-small@1536');
        expect(await api.store.embeddings.missing('openai:text-embedding-3-small@1536', 5)).toEqual([]);
      } finally {
        await worker.close();
        await workerRuntime.close();
        await queue.obliterate({ force: true });
        await queue.close();
        await api.close();
      }
    } finally {
      await server.close();
      await database.drop();
    }
  }, 90_000);
});
