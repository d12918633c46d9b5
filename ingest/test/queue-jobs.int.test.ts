import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder, OpenAIEmbedder } from '@cairn/embed';
import { Store, type RunRecord, type SourceRecord } from '@cairn/store';
import {
  createTestDatabase,
  startFakeOpenAIServer,
  startFixtureSite,
  testRedisUrl,
  waitFor,
  type FakeOpenAIServer,
  type FixtureSite,
  type TestDatabase,
} from '@cairn/testing';
import { createCrawler, loadStarterCorpus, type Crawler } from '../src/index.js';
import { ingestQueueName, jobIdFor, QueueRunner, startIngestWorker } from '../src/queue/index.js';

const finished = (store: Store, runId: string) =>
  waitFor(
    async () => {
      const run = await store.runs.find(runId);
      return run && ['succeeded', 'failed', 'cancelled'].includes(run.status) ? run : undefined;
    },
    60_000,
    `run ${runId} to finish`,
  );

const newCrawler = (sharedPoliteness?: { redisUrl: string; prefix: string }) =>
  createCrawler({
    allowance: ['127.0.0.1'],
    contact: 'https://cairn.invalid/tests',
    maxCrawlDelayMs: 0,
    ...(sharedPoliteness ? { sharedPoliteness } : {}),
  });

describe('the job catalog: fetch-page and reembed jobs, with real Redis, BullMQ and server Postgres', () => {
  let site: FixtureSite;
  let openai: FakeOpenAIServer;
  let testDatabase: TestDatabase;
  let store: Store;
  let crawler: Crawler;
  let source: SourceRecord;
  let runner: QueueRunner;
  let queue: Queue;
  let worker: ReturnType<typeof startIngestWorker>;
  const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    site = await startFixtureSite();
    openai = await startFakeOpenAIServer();
    testDatabase = await createTestDatabase();
    store = await Store.open({ databaseUrl: testDatabase.url });
    crawler = newCrawler();
    source = await store.sources.upsert({ name: 'site', kind: 'web', baseUrl: `${site.url}/`, crawlDelayMs: 0 });
    runner = new QueueRunner(store, { redisUrl: testRedisUrl(), prefix });
    queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix });
    const embedderFor = (model: string) => {
      if (model !== 'openai:text-embedding-3-small@1536') return Promise.reject(new Error(`unknown model ${model}`));
      return OpenAIEmbedder.create({ apiKey: 'sk-test', baseUrl: openai.url, model: 'text-embedding-3-small', maxRetries: 0 });
    };
    worker = startIngestWorker(
      { store, embedder: new LocalHashEmbedder(), crawler, embedderFor },
      { redisUrl: testRedisUrl(), prefix, concurrency: 1 },
    );
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await runner?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await crawler?.close();
    await store?.close();
    await testDatabase?.drop();
    await openai?.close();
    await site?.close();
  });

  it('fetches one page into a run of its own, with its ledger entry', async () => {
    const url = `${site.url}/posts/the-staff-engineer-role/`;
    const runId = await runner.enqueue({ sourceId: source.id, url, trigger: 'api' });
    const run = await finished(store, runId);
    expect(run).toMatchObject({ status: 'succeeded', counts: { discovered: 1, fetched: 1, failed: 0 } });
    expect(run.counts.chunksAdded).toBeGreaterThan(0);
    const items = await store.runs.items(runId);
    expect(items).toEqual([expect.objectContaining({ url, httpStatus: 200, outcome: 'changed', chunksAdded: run.counts.chunksAdded })]);
    expect((await store.documents.findState(source.id, url))?.status).toBe('active');
    // The same page again: a conditional GET, nothing re-embedded.
    const again = await finished(store, await runner.enqueue({ sourceId: source.id, url, trigger: 'api' }));
    expect(again).toMatchObject({ status: 'succeeded', counts: { unchanged: 1, chunksAdded: 0 } });
  });

  it.each([
    ['a 404', '/posts/no-such-post/', /HTTP 404/],
    ['a robots.txt refusal', '/private/draft/', /robots\.txt .*disallows/],
  ])('fails a page job at once on %s (UnrecoverableError: no retry)', async (_, path, reason) => {
    const runId = await runner.enqueue({ sourceId: source.id, url: `${site.url}${path}`, trigger: 'api' });
    const run: RunRecord = await finished(store, runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(reason);
    const job = await waitFor(
      async () => ((await queue.getJobState(runId)) === 'failed' ? queue.getJob(runId) : undefined),
      10_000,
      'the job to fail',
    );
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(reason);
  });

  it('retries a page job with backoff after a transient failure (a 5xx), the run queued again', async () => {
    const runId = await runner.enqueue({ sourceId: source.id, url: `${site.url}/error/`, trigger: 'api' });
    const job = await waitFor(
      async () => ((await queue.getJobState(runId)) === 'delayed' ? queue.getJob(runId) : undefined),
      20_000,
      'the job to wait for its retry',
    );
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/HTTP 500.*tried again/);
    expect((await store.runs.find(runId))?.status).toBe('queued');
    await job?.remove();
  });

  it('re-embeds the stored passages in a reembed job (one per model), and search switches when it is done', async () => {
    await loadStarterCorpus(store, new LocalHashEmbedder());
    await worker.worker.pause();
    const model = 'openai:text-embedding-3-small@1536';
    await runner.enqueueReembed(model);
    await runner.enqueueReembed(model);
    const waiting = (await queue.getJobs(['wait', 'prioritized'])).filter((job) => job.name === 'reembed');
    expect(waiting.map((job) => job.id)).toEqual([jobIdFor('reembed', model)]);
    worker.worker.resume();
    await waitFor(
      async () => ((await store.embeddings.findModel(model))?.status === 'active' ? true : undefined),
      60_000,
      'the new model to be active',
    );
    expect(await store.embeddings.missing(model, 10)).toEqual([]);
    expect(openai.requests.length).toBeGreaterThan(0);

    // A model this worker cannot embed with fails at once.
    await runner.enqueueReembed('nonsense@3');
    const id = jobIdFor('reembed', 'nonsense@3');
    await waitFor(async () => ((await queue.getJob(id)) === undefined ? true : undefined), 10_000, 'the failed job to be removed');
    expect(await store.embeddings.findModel('nonsense@3')).toBeUndefined();
  });
});

describe('politeness across worker processes', () => {
  let site: FixtureSite;
  let testDatabase: TestDatabase;
  let store: Store;
  let sources: SourceRecord[];

  beforeAll(async () => {
    // Every response takes 15 ms, so that two requests to the host at once would show.
    site = await startFixtureSite({ syntheticPages: 30, responseDelayMs: 15 });
    testDatabase = await createTestDatabase();
    store = await Store.open({ databaseUrl: testDatabase.url });
    sources = [
      await store.sources.upsert({
        name: 'posts',
        kind: 'web',
        baseUrl: `${site.url}/posts/`,
        seeds: [`${site.url}/sitemap-posts.xml`],
        crawlDelayMs: 0,
      }),
      await store.sources.upsert({
        name: 'bench',
        kind: 'web',
        baseUrl: `${site.url}/bench/`,
        seeds: [`${site.url}/sitemap-bench.xml`],
        crawlDelayMs: 0,
      }),
    ];
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await testDatabase?.drop();
    await site?.close();
  });

  /** Two workers, each with its own crawler (as two processes have), crawl the two sources of one host at once. */
  async function crawlWithTwoWorkers(shared: boolean) {
    const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;
    const crawlers = [
      newCrawler(shared ? { redisUrl: testRedisUrl(), prefix } : undefined),
      newCrawler(shared ? { redisUrl: testRedisUrl(), prefix } : undefined),
    ];
    const workers = crawlers.map((crawler) =>
      startIngestWorker({ store, embedder: new LocalHashEmbedder(), crawler }, { redisUrl: testRedisUrl(), prefix, concurrency: 1 }),
    );
    const runner = new QueueRunner(store, { redisUrl: testRedisUrl(), prefix });
    try {
      site.requests.length = 0;
      const runIds = [
        await runner.enqueue({ sourceId: sources[0]!.id, trigger: 'api' }),
        await runner.enqueue({ sourceId: sources[1]!.id, trigger: 'api' }),
      ];
      const runs = [await finished(store, runIds[0]!), await finished(store, runIds[1]!)];
      return { runs, requests: [...site.requests] };
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(crawlers.map((crawler) => crawler.close()));
      await runner.close();
      const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  }

  it('sends one request at a time to a host although two workers crawl it at once', async () => {
    const { runs, requests } = await crawlWithTwoWorkers(true);
    expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
    // The two runs overlapped in time: the test shows something only if they did.
    const [first, second] = runs as [RunRecord, RunRecord];
    expect(first.startedAt! < second.finishedAt! && second.startedAt! < first.finishedAt!).toBe(true);
    expect(requests.length).toBeGreaterThan(40);
    expect(requests.filter((request) => request.concurrent > 0).map((request) => request.path)).toEqual([]);
  }, 120_000);

  it('(the control) without the shared scheduler, two workers do reach the host at once', async () => {
    const { requests } = await crawlWithTwoWorkers(false);
    expect(Math.max(...requests.map((request) => request.concurrent))).toBeGreaterThan(0);
  }, 120_000);
});
