import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CairnError, type EmbeddingVector } from '@cairn/core';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@cairn/testing';
import { OpenAIEmbedder, embedWithCache, type EmbeddingCache } from '../src/index.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(async () => server?.close());
beforeEach(() => {
  server.requests.length = 0;
});

const embeddingRequests = () => server.requests.filter((request) => request.path === '/v1/embeddings');

describe('OpenAIEmbedder against an OpenAI-compatible server', () => {
  it('sends at most 2,048 inputs a request', async () => {
    const embedder = await OpenAIEmbedder.create({
      apiKey: 'sk-test',
      baseUrl: server.url,
      model: 'text-embedding-3-small',
      maxRetries: 0,
    });
    const texts = Array.from({ length: 5000 }, (_, index) => `passage number ${index}`);
    const vectors = await embedder.embedDocuments(texts);
    expect(vectors).toHaveLength(5000);
    const sizes = embeddingRequests().map((request) => (request.body as { input: string[] }).input.length);
    expect(sizes).toEqual([2048, 2048, 904]);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('splits requests so that none exceeds the token limit', async () => {
    const embedder = await OpenAIEmbedder.create({
      apiKey: 'sk-test',
      baseUrl: server.url,
      model: 'text-embedding-3-small',
      maxRetries: 0,
    });
    const long = Array.from({ length: 4000 }, (_, index) => `word${index % 10}`).join(' ');
    await embedder.embedDocuments(Array.from({ length: 100 }, () => long));
    const requests = embeddingRequests();
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) {
      const words = (request.body as { input: string[] }).input.join(' ').split(' ').length;
      expect(words).toBeLessThanOrEqual(300_000);
    }
  });

  it('retries a failed request within its bound, then reports embedding_failed', async () => {
    const embedder = await OpenAIEmbedder.create({
      apiKey: 'sk-test',
      baseUrl: server.url,
      model: 'text-embedding-3-small',
      maxRetries: 1,
    });
    server.failNext(1, 500);
    expect(await embedder.embedDocuments(['recovered'])).toHaveLength(1);
    server.failNext(10, 500);
    const failure = await embedder.embedDocuments(['lost']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CairnError);
    expect((failure as CairnError).code).toBe('embedding_failed');
    server.failNext(0);
  });

  it('measures the size of an unknown model once', async () => {
    const embedder = await OpenAIEmbedder.create({ apiKey: 'sk-test', baseUrl: server.url, model: 'nomic-embed-text', maxRetries: 0 });
    expect(embedder.dimensions).toBe(64);
    expect(embedder.model).toBe('openai:nomic-embed-text@64');
  });

  it('embeds only what the cache lacks, once per distinct text', async () => {
    const embedder = await OpenAIEmbedder.create({
      apiKey: 'sk-test',
      baseUrl: server.url,
      model: 'text-embedding-3-small',
      maxRetries: 0,
    });
    const stored = new Map<string, EmbeddingVector>();
    const cache: EmbeddingCache = {
      async findCached(model, hashes) {
        expect(model).toBe(embedder.model);
        return new Map(hashes.filter((hash) => stored.has(hash)).map((hash) => [hash, stored.get(hash)!]));
      },
    };
    const items = [
      { contentHash: 'a', text: 'alpha text' },
      { contentHash: 'b', text: 'beta text' },
      { contentHash: 'a', text: 'alpha text' },
    ];
    const first = await embedWithCache(embedder, cache, items);
    expect(first.embeddedTexts).toBe(2);
    for (const [hash, vector] of first.computed) stored.set(hash, vector);
    const second = await embedWithCache(embedder, cache, items);
    expect(second.embeddedTexts).toBe(0);
    expect(second.vectors.get('b')).toEqual(first.vectors.get('b'));
    expect(embeddingRequests()).toHaveLength(1);
  });
});
