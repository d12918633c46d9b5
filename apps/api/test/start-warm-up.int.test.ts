import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@cairn/testing';
import { startServer } from '../src/server.js';

// The API's start warms the conversation policy and, with a local embedding model, one
// search (server.ts): with a remote model it must not embed anything, since every call is paid.
describe('the start-up warm-up', () => {
  let openai: FakeOpenAIServer;
  let dataDir: string;

  beforeAll(async () => {
    openai = await startFakeOpenAIServer();
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-warm-up-'));
  });

  afterAll(async () => {
    await openai?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('calls no remote model when the embedding model is OpenAI’s, and still answers', async () => {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      EMBEDDING_MODEL: 'text-embedding-3-small',
      CAIRN_ANSWER_MODE: 'extractive',
      CAIRN_STARTER_CORPUS: 'off',
      CAIRN_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const server = await startServer(config);
    try {
      // Time for an unawaited warm-up to have sent its request, had there been one.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(openai.requests.filter((request) => request.path === '/v1/embeddings')).toEqual([]);
      const response = await fetch(`${server.url}/v1/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'feedback', k: 1 }),
      });
      expect(response.status).toBe(200);
      // A real search embeds its query with the configured model: the warm-up was the one left out.
      expect(openai.requests.filter((request) => request.path === '/v1/embeddings').length).toBe(1);
    } finally {
      await server.close();
    }
  }, 60_000);
});
