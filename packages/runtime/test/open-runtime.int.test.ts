import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@cairn/core';
import { startFakeOpenAIServer } from '@cairn/testing';
import { createRetriever, openRuntime } from '../src/index.js';

describe('openRuntime on the embedded database', () => {
  it('loads the starter corpus into an empty database once, and not at all when turned off', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-runtime-'));
    try {
      const off = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'off'), CAIRN_STARTER_CORPUS: 'off' }));
      expect(await off.store.documents.countActive()).toEqual({ documents: 0, chunks: 0 });
      await off.close();

      const lines: string[] = [];
      const first = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'on') }), { log: (line) => lines.push(line) });
      const loaded = await first.store.documents.countActive();
      expect(loaded.documents).toBeGreaterThanOrEqual(30);
      expect(lines).toContainEqual(expect.stringMatching(/^loaded the starter corpus: \d+ notes, \d+ passages$/));
      await first.close();

      // Persisted under CAIRN_DATA_DIR: a restart finds the same documents and loads nothing.
      const again: string[] = [];
      const second = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'on') }), { log: (line) => again.push(line) });
      expect(await second.store.documents.countActive()).toEqual(loaded);
      expect(again.filter((line) => line.startsWith('loaded'))).toEqual([]);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('indexes at start-up the vectors an interrupted ingestion run left out of the index', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-runtime-'));
    try {
      const config = loadConfig({ CAIRN_DATA_DIR: dataDir, CAIRN_STARTER_CORPUS: 'off' });
      const first = await openRuntime(config);
      const { embedder, store } = first;
      const source = await store.sources.upsert({ name: 'interrupted', kind: 'directory', baseUrl: 'file:///interrupted' });
      // What a crawl leaves when it is killed before its end: passages stored, their vectors not yet indexed.
      const texts = ['Staff engineers write strategy', 'Managers run one-on-ones', 'Directors plan headcount'];
      const vectors = await embedder.embedDocuments(texts);
      await store.documents.replace(
        {
          sourceId: source.id,
          locator: 'note.md',
          url: 'https://example.test/note',
          kind: 'note',
          title: 'Note',
          author: null,
          publishedAt: null,
          topics: [],
          frameworks: [],
          etag: null,
          lastModified: null,
          contentHash: 'v1',
        },
        texts.map((text, ordinal) => ({
          ordinal,
          headingPath: ['Note'],
          heading: 'Note',
          anchor: null,
          text,
          tokenCount: 4,
          contentHash: `hash-${ordinal}`,
          keywords: new Map([['staff', 0.5]]),
        })),
        { model: embedder.model, vectors: new Map(texts.map((_, ordinal) => [`hash-${ordinal}`, vectors[ordinal]!])) },
      );
      expect(await store.embeddings.countUnindexed()).toEqual(new Map([[embedder.model, 3]]));
      await first.close();

      const lines: string[] = [];
      const second = await openRuntime(config, { log: (line) => lines.push(line) });
      try {
        expect(await second.store.embeddings.countUnindexed()).toEqual(new Map());
        expect(lines).toContainEqual(`indexed 3 vectors of ${embedder.model} that an interrupted run left unindexed (index rebuilt)`);
        const hits = await second.store.search.dense({ id: embedder.model, dimensions: embedder.dimensions }, vectors[1]!, { limit: 1 });
        expect(hits[0]?.text).toBe('Managers run one-on-ones');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('opens the chat model and reads the persona only for an entry point that answers (the worker does neither)', async () => {
    const server = await startFakeOpenAIServer();
    const environment = {
      CAIRN_STARTER_CORPUS: 'off',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.url,
      EMBEDDING_MODEL: 'local-hash-v1',
      CAIRN_ANSWER_MODE: 'llm',
      CAIRN_PERSONA_PATH: join(tmpdir(), 'cairn-no-such-persona.md'),
    };
    try {
      // A persona path that does not exist does not stop what never reads it.
      const worker = await openRuntime({ ...loadConfig(environment), dataDir: '' }, { loadStarter: false });
      try {
        expect(worker.chatModel).toBeUndefined();
        expect(worker.persona).toBeUndefined();
      } finally {
        await worker.close();
      }
      await expect(openRuntime({ ...loadConfig(environment), dataDir: '' }, { answers: true })).rejects.toThrowError(ConfigError);
      const answering = await openRuntime({ ...loadConfig({ ...environment, CAIRN_PERSONA_PATH: '' }), dataDir: '' }, { answers: true });
      try {
        expect(answering.chatModel?.model).toBe(loadConfig(environment).chatModel);
        expect(answering.persona).toMatch(/thought partner/i);
      } finally {
        await answering.close();
      }
    } finally {
      await server.close();
    }
  }, 90_000);

  it("opens the rerank's chat model for an entry point that searches or answers, and builds the reranker CAIRN_RERANK names", async () => {
    const server = await startFakeOpenAIServer();
    const environment = {
      CAIRN_STARTER_CORPUS: 'off',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.url,
      EMBEDDING_MODEL: 'local-hash-v1',
      CAIRN_ANSWER_MODE: 'extractive',
      CAIRN_RERANK: 'llm',
      CHAT_MODEL: 'rerank-model',
    };
    const config = { ...loadConfig(environment), dataDir: '' };
    try {
      // The worker neither searches nor answers: no chat model, and no retriever that needs one.
      const worker = await openRuntime(config, { loadStarter: false });
      try {
        expect(worker.rerankModel).toBeUndefined();
        expect(() => createRetriever(worker)).toThrowError(/CAIRN_RERANK=llm needs a chat model/);
      } finally {
        await worker.close();
      }
      // `cairn search`: answers are extractive, yet the rerank has its model.
      const searching = await openRuntime(config, { search: true });
      try {
        expect(searching.chatModel).toBeUndefined();
        expect(searching.rerankModel?.model).toBe('rerank-model');
        expect(createRetriever(searching).reranker).toBe('llm');
        expect(createRetriever({ ...searching, config: { ...config, rerank: 'features' } }).reranker).toBe('features-v1');
        expect(createRetriever({ ...searching, config: { ...config, rerank: 'off' } }).reranker).toBeNull();
      } finally {
        await searching.close();
      }
      // Generated answers and the rerank share one model, so one concurrency limit (CHAT_MAX_CONCURRENCY).
      const answering = await openRuntime({ ...config, answerMode: 'llm' }, { answers: true });
      try {
        expect(answering.chatModel).toBeDefined();
        expect(answering.rerankModel).toBe(answering.chatModel);
      } finally {
        await answering.close();
      }
      const featuresOnly = await openRuntime({ ...config, rerank: 'features' }, { search: true, answers: true });
      try {
        expect(featuresOnly.rerankModel).toBeUndefined();
        expect(createRetriever(featuresOnly).reranker).toBe('features-v1');
      } finally {
        await featuresOnly.close();
      }
    } finally {
      await server.close();
    }
  }, 90_000);
});
