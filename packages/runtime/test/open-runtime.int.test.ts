import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@cairn/core';
import { createEmbedder } from '@cairn/embed';
import { ingestQueueName, startIngestWorker } from '@cairn/ingest/queue';
import {
  createTestDatabase,
  startFakeOpenAIServer,
  startFixtureSite,
  testRedisUrl,
  waitFor,
  type FakeChatBody,
  type FakeOpenAIServer,
} from '@cairn/testing';
import { buildStarterSnapshot, createRetriever, openRuntime, openRuntimeStore, type Runtime } from '../src/index.js';

/** A chat model that situates every numbered passage of a passage-context prompt, as JSON. */
function situate(body: FakeChatBody): string {
  const user = body.messages?.find((message) => message.role === 'user')?.content ?? '';
  const numbers = [...user.matchAll(/<passage n="(\d+)"/g)].map((match) => match[1]!);
  return JSON.stringify(Object.fromEntries(numbers.map((n) => [n, `This section situates passage ${n} in its page.`])));
}

const chatRequests = (server: FakeOpenAIServer) => server.requests.filter((request) => request.path === '/v1/chat/completions').length;

/** The active passages of a source: how many, and how many carry a sentence from the chat model. */
async function situated(runtime: Runtime, source: string): Promise<{ chunks: number; withContext: number }> {
  const [row] = await runtime.store.database.query<{ chunks: number; withContext: number }>(
    `select count(*)::int as chunks, count(c.context)::int as "withContext"
     from chunks c join sources s on s.id = c.source_id where s.name = $1`,
    [source],
  );
  return row!;
}

describe('openRuntime on the embedded database', () => {
  it('loads the starter corpus into an empty database once, and not at all when turned off', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-runtime-'));
    try {
      const off = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'off'), CAIRN_STARTER_CORPUS: 'off' }));
      expect(await off.store.documents.countActive()).toEqual({ documents: 0, chunks: 0 });
      await off.close();

      const lines: string[] = [];
      const first = await openRuntime(loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'on') }), {
        log: (line) => lines.push(line),
        starterSnapshot: false,
      });
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

  it('runs on a store whose opening began before it (as the API starts), and closes that store when the rest fails', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-runtime-'));
    try {
      const config = loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'early') });
      // The starter snapshot for the code as it is (npm ci makes it; made here after an edit).
      await buildStarterSnapshot(await createEmbedder(config));
      const lines: string[] = [];
      const log = (line: string) => lines.push(line);
      const opening = openRuntimeStore(config, { log });
      const runtime = await openRuntime(config, { log, store: opening });
      // The same store, seeded from the snapshot as openRuntime alone would: the starter corpus is there, loaded once.
      expect(runtime.store).toBe((await opening).store);
      expect((await runtime.store.documents.countActive()).documents).toBeGreaterThanOrEqual(30);
      expect(lines.filter((line) => line.startsWith('loaded the starter corpus'))).toEqual([
        expect.stringMatching(/^loaded the starter corpus from its snapshot: \d+ notes, \d+ passages$/),
      ]);
      await runtime.close();

      // A failure after the store opened (a persona file that is not there) closes the store it was given.
      const broken = loadConfig({ CAIRN_DATA_DIR: join(dataDir, 'early'), CAIRN_PERSONA_PATH: join(dataDir, 'missing-persona.md') });
      const given = openRuntimeStore(broken, {});
      await expect(openRuntime(broken, { answers: true, store: given })).rejects.toThrow();
      await expect((await given).store.database.query('select 1')).rejects.toThrow();
      // And the directory opens again, with what the first start loaded.
      const again = await openRuntime(config, { store: openRuntimeStore(config) });
      expect((await again.store.documents.countActive()).documents).toBeGreaterThanOrEqual(30);
      await again.close();
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

  it('gives ingestion the passage-context writer over the chat model with CAIRN_PASSAGE_CONTEXT=llm, and none when off', async () => {
    const server = await startFakeOpenAIServer();
    server.setChatReply(situate);
    const environment = {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.url,
      EMBEDDING_MODEL: 'local-hash-v1',
      CAIRN_ANSWER_MODE: 'extractive',
      CHAT_MODEL: 'context-model',
    };
    try {
      // Off (the default): no writer and no chat model, for an entry point that ingests only.
      const off = await openRuntime({ ...loadConfig({ ...environment, CAIRN_STARTER_CORPUS: 'off' }), dataDir: '' });
      try {
        expect(off.passageContext).toBeUndefined();
        expect(off.chatModel).toBeUndefined();
      } finally {
        await off.close();
      }
      expect(chatRequests(server)).toBe(0);

      // On: the starter corpus loaded at start-up carries the sentences, one call per note.
      const lines: string[] = [];
      const on = await openRuntime(
        {
          ...loadConfig({
            ...environment,
            CAIRN_PASSAGE_CONTEXT: 'llm',
            INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
            INGEST_MAX_CRAWL_DELAY_MS: '0',
          }),
          dataDir: '',
        },
        {
          log: (line) => lines.push(line),
        },
      );
      try {
        expect(on.passageContext?.model).toBe('context-model');
        // Answers are extractive and nothing searches: the writer's is the only chat model.
        expect(on.chatModel).toBeUndefined();
        const { documents } = await on.store.documents.countActive();
        expect(chatRequests(server)).toBe(documents);
        const starter = await situated(on, 'starter-notes');
        expect(starter.chunks).toBeGreaterThan(documents);
        expect(starter.withContext).toBe(starter.chunks);
        expect(lines.filter((line) => line.startsWith('passage context'))).toEqual([]);

        // A run in this process (the API without a queue) crawls with the writer too.
        const site = await startFixtureSite({ syntheticPages: 3 });
        try {
          const source = await on.store.sources.upsert({
            name: 'bench',
            kind: 'web',
            baseUrl: `${site.url}/bench/`,
            seeds: [`${site.url}/sitemap-bench.xml`],
            crawlDelayMs: 0,
            maxPages: 10,
          });
          const before = chatRequests(server);
          const runId = await on.runner.enqueue({ sourceId: source.id, trigger: 'api' });
          if ('idle' in on.runner) await on.runner.idle();
          expect((await on.store.runs.find(runId))?.status).toBe('succeeded');
          const crawled = await situated(on, 'bench');
          expect(crawled.chunks).toBeGreaterThanOrEqual(3);
          expect(crawled.withContext).toBe(crawled.chunks);
          expect(chatRequests(server) - before).toBe(3);
        } finally {
          await site.close();
        }
      } finally {
        await on.close();
      }
    } finally {
      await server.close();
    }
  }, 90_000);
});

describe('CAIRN_PASSAGE_CONTEXT=llm with the queue', () => {
  it('gives the worker the writer, so the pages it crawls carry their sentences', async () => {
    const database = await createTestDatabase();
    const server = await startFakeOpenAIServer();
    const site = await startFixtureSite({ syntheticPages: 4 });
    server.setChatReply(situate);
    const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;
    const config = loadConfig({
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      CAIRN_QUEUE_PREFIX: prefix,
      CAIRN_STARTER_CORPUS: 'off',
      INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
      INGEST_MAX_CRAWL_DELAY_MS: '0',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.url,
      EMBEDDING_MODEL: 'local-hash-v1',
      CAIRN_ANSWER_MODE: 'extractive',
      CAIRN_PASSAGE_CONTEXT: 'llm',
      CHAT_MODEL: 'context-model',
    });
    const api = await openRuntime(config);
    // As `cairn worker` opens it: no starter corpus, no answers, no search.
    const workerRuntime = await openRuntime(config, { loadStarter: false });
    const worker = startIngestWorker({ ...workerRuntime }, { redisUrl: testRedisUrl(), prefix, concurrency: 1 });
    const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix });
    try {
      expect(workerRuntime.passageContext?.model).toBe('context-model');
      const source = await api.store.sources.upsert({
        name: 'bench',
        kind: 'web',
        baseUrl: `${site.url}/bench/`,
        seeds: [`${site.url}/sitemap-bench.xml`],
        crawlDelayMs: 0,
        maxPages: 10,
      });
      const runId = await api.runner.enqueue({ sourceId: source.id, trigger: 'api' });
      const run = await waitFor(
        async () => {
          const found = await api.store.runs.find(runId);
          return found && ['succeeded', 'failed', 'cancelled'].includes(found.status) ? found : undefined;
        },
        60_000,
        `run ${runId} to finish`,
      );
      expect(run.status).toBe('succeeded');
      const crawled = await situated(api, 'bench');
      expect(crawled.chunks).toBeGreaterThanOrEqual(4);
      expect(crawled.withContext).toBe(crawled.chunks);
      expect(chatRequests(server)).toBe(4);
    } finally {
      await worker.close();
      await workerRuntime.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await api.close();
      await site.close();
      await server.close();
      await database.drop();
    }
  }, 90_000);
});
