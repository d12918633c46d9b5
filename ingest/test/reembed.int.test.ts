import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHashEmbedder, LocalSemanticEmbedder, OpenAIEmbedder } from '@cairn/embed';
import { isSparseEmbedding } from '@cairn/core';
import { Store } from '@cairn/store';
import { startFakeOpenAIServer, testRuntimes, type FakeOpenAIServer } from '@cairn/testing';
import { bylineOf, embeddingInput, loadStarterCorpus, reembedChunks } from '../src/index.js';

describe.each(testRuntimes)('re-embedding the stored passages on $name', (runtime) => {
  let store: Store;
  let drop: () => Promise<void>;
  let server: FakeOpenAIServer;

  beforeAll(async () => {
    server = await startFakeOpenAIServer();
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
    await loadStarterCorpus(store, new LocalHashEmbedder());
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await drop?.();
    await server?.close();
  });

  it('builds the new model beside the old, and switches search only when it is complete', async () => {
    const next = await OpenAIEmbedder.create({ apiKey: 'sk-test', baseUrl: server.url, model: 'text-embedding-3-small', maxRetries: 0 });
    const { chunks } = await store.documents.countActive();

    // Interrupted half way: the new model stays building and search keeps the old one.
    server.requests.length = 0;
    let batches = 0;
    await expect(
      reembedChunks(store, next, {
        batchSize: 40,
        onProgress: () => {
          batches += 1;
          if (batches === 2) server.failNext(5, 500);
        },
      }),
    ).rejects.toThrow(/embedding request failed/);
    expect((await store.embeddings.activeModel())?.id).toBe('local-hash-v1');
    expect((await store.embeddings.findModel(next.model))?.status).toBe('building');
    expect((await store.embeddings.missing(next.model, 1000)).length).toBeGreaterThan(0);
    server.failNext(0);

    // Run again: it carries on where it stopped, then switches.
    const result = await reembedChunks(store, next, { batchSize: 40 });
    expect(result.activated).toBe(true);
    expect(result.embedded).toBeLessThan(chunks);
    expect((await store.embeddings.activeModel())?.id).toBe(next.model);
    expect((await store.embeddings.findModel('local-hash-v1'))?.status).toBe('retired');
    expect(await store.embeddings.missing(next.model, 10)).toEqual([]);
    const hits = await store.search.dense(
      { id: next.model, dimensions: next.dimensions },
      await next.embedQuery('staff engineer archetypes'),
      { limit: 5 },
    );
    expect(hits).toHaveLength(5);
    expect(server.requests.every((request) => request.path === '/v1/embeddings')).toBe(true);

    // Nothing left: no call at all.
    const calls = server.requests.length;
    expect(await reembedChunks(store, next)).toEqual({ embedded: 0, activated: false });
    expect(server.requests.length).toBe(calls);
  }, 60_000);

  it('switches to the local semantic models from the stored passages, dense v1 then sparse v2, embedding each as ingestion does', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-reembed-'));
    const dense = await LocalSemanticEmbedder.open(dataDir, 'local-semantic-v1');
    expect((await reembedChunks(store, dense, { batchSize: 100 })).activated).toBe(true);
    expect((await store.embeddings.activeModel())?.id).toBe('local-semantic-v1');

    // A database embedded with v1 moves to v2: sparse vectors in their own column and index.
    const semantic = await LocalSemanticEmbedder.open(dataDir);
    const [passage] = await store.embeddings.missing(semantic.model, 1);
    expect(passage!.source).toBe('starter-notes');
    const result = await reembedChunks(store, semantic, { batchSize: 100 });
    expect(result.activated).toBe(true);
    expect(await store.embeddings.activeModel()).toMatchObject({ id: 'local-semantic-v2', vectorType: 'sparsevec' });
    const stored = await store.embeddings.findCached(semantic.model, [passage!.contentHash]);
    const expected = semantic.embedSparse(embeddingInput(passage!.heading, passage!.text, bylineOf(passage!.author, passage!.source)));
    const got = stored.get(passage!.contentHash)!;
    if (!isSparseEmbedding(got)) throw new Error('expected a sparse vector back from the store');
    expect(got.indices).toEqual(expected.indices);
    expect(got.values.map((value) => Math.round(value * 1e4))).toEqual(expected.values.map((value) => Math.round(value * 1e4)));

    // Search reads it through the model's HNSW index, nearest first.
    const hits = await store.search.dense(
      { id: semantic.model, dimensions: semantic.dimensions },
      semantic.embedSparse('how do I become a staff engineer'),
      { limit: 5 },
    );
    expect(hits).toHaveLength(5);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
    expect(hits[0]!.score).toBeGreaterThan(0.2);
  }, 120_000);
});
