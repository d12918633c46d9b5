import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import { queueOwner, Store, type SourceRecord } from '@cairn/store';
import { createTestDatabase, startFixtureSite, testRedisUrl, waitFor, type FixtureSite, type TestDatabase } from '@cairn/testing';
import { createCrawler, runCrawl, type Crawler } from '../src/index.js';
import { ingestQueueName, QueueRunner, startIngestWorker } from '../src/queue/index.js';

const cli = fileURLToPath(new URL('../../apps/cli/bin/cairn.js', import.meta.url));

/** A real `cairn worker` process on its own database and queue prefix, with a short lock. */
function startWorkerProcess(databaseUrl: string, queuePrefix: string): ChildProcess {
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: testRedisUrl(),
    CAIRN_QUEUE_PREFIX: queuePrefix,
    CAIRN_STARTER_CORPUS: 'off',
    INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
    INGEST_MAX_CRAWL_DELAY_MS: '0',
    LOG_LEVEL: 'error',
  };
  return spawn(process.execPath, [cli, 'worker', '--lock-ms', '2000'], { env, stdio: 'ignore' });
}

/** Every (document, ordinal, content hash) of a source: what "no chunk lost or duplicated" compares. */
async function chunkSignature(store: Store): Promise<string[]> {
  const rows = await store.database.query<{ locator: string; ordinal: number; hash: string }>(
    `select d.locator, c.ordinal, c.content_hash as hash from chunks c join documents d on d.id = c.document_id order by 1, 2`,
  );
  return rows.map((row) => `${row.locator}#${row.ordinal}:${row.hash}`);
}

describe('the BullMQ ingestion queue, with real Redis and server Postgres', () => {
  let site: FixtureSite;
  let testDatabase: TestDatabase;
  let store: Store;
  let crawler: Crawler;
  let source: SourceRecord;
  const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    site = await startFixtureSite({ syntheticPages: 300 });
    testDatabase = await createTestDatabase();
    store = await Store.open({ databaseUrl: testDatabase.url });
    crawler = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/tests', maxCrawlDelayMs: 0 });
    source = await store.sources.upsert({
      name: 'bench',
      kind: 'web',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      crawlDelayMs: 0,
      maxPages: 400,
      schedule: '0 3 * * 0',
    });
  }, 60_000);

  afterAll(async () => {
    const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await crawler?.close();
    await store?.close();
    await testDatabase?.drop();
    await site?.close();
  });

  it("queues a run that a worker crawls, and keeps the sources' schedules in the queue", async () => {
    const runner = new QueueRunner(store, { redisUrl: testRedisUrl(), prefix });
    const worker = startIngestWorker({ store, embedder: new LocalHashEmbedder(), crawler }, { redisUrl: testRedisUrl(), prefix });
    try {
      expect(await runner.isReady()).toBe(true);
      expect(await runner.syncSchedules()).toBe(1);
      const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix });
      expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([`source:${source.id}`]);
      await queue.close();

      const runId = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
      expect((await store.runs.find(runId))?.status).toMatch(/queued|running/);
      const run = await waitFor(
        async () => {
          const found = await store.runs.find(runId);
          return found?.status === 'succeeded' || found?.status === 'failed' ? found : undefined;
        },
        120_000,
        'the run to finish',
      );
      expect(run).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
      expect(run.counts.fetched).toBe(300);
    } finally {
      await worker.close();
      await runner.close();
    }
  }, 180_000);

  it("drops a deleted source's schedule at the next sync, and a scheduled job for a source that is gone creates no run", async () => {
    const runner = new QueueRunner(store, { redisUrl: testRedisUrl(), prefix: `${prefix}-gone` });
    const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix: `${prefix}-gone` });
    const logs: string[] = [];
    const worker = startIngestWorker(
      { store, embedder: new LocalHashEmbedder(), crawler },
      { redisUrl: testRedisUrl(), prefix: `${prefix}-gone`, log: (line) => logs.push(line) },
    );
    try {
      const doomed = await store.sources.upsert({
        name: 'doomed',
        kind: 'web',
        baseUrl: `${site.url}/bench/`,
        seeds: [`${site.url}/sitemap-bench.xml`],
        schedule: '0 4 * * 0',
      });
      expect(await runner.syncSchedules()).toBe(2);
      await store.sources.delete(doomed.id);
      // A job its schedule had already put in the queue: it runs, and creates nothing.
      await queue.add('scheduled-crawl', { sourceId: doomed.id });
      await waitFor(
        async () => logs.find((line) => line.includes(`scheduled crawl of ${doomed.id} skipped`)),
        30_000,
        'the job to be skipped',
      );
      expect(await store.database.query(`select id from ingest_runs where source_id = $1`, [doomed.id])).toEqual([]);
      expect(logs.filter((line) => /failed/.test(line))).toEqual([]);
      // The next sync removes the deleted source's scheduler, which fired for ever before.
      expect(await runner.syncSchedules()).toBe(1);
      expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([`source:${source.id}`]);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await runner.close();
    }
  }, 60_000);

  it('finishes a run after its worker process is killed (kill -9), with no chunk lost or duplicated', async () => {
    // The reference: the same site crawled start to finish in a database of its own.
    const referenceDatabase = await createTestDatabase();
    const reference = await Store.open({ databaseUrl: referenceDatabase.url });
    try {
      const referenceSource = await reference.sources.upsert({ ...source, name: 'bench' });
      await runCrawl({ store: reference, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [referenceSource] });

      const fresh = await createTestDatabase();
      const crashed = await Store.open({ databaseUrl: fresh.url });
      const startWorker = () => startWorkerProcess(fresh.url, `${prefix}-kill`);
      let worker = startWorker();
      const runner = new QueueRunner(crashed, { redisUrl: testRedisUrl(), prefix: `${prefix}-kill` });
      try {
        const crashedSource = await crashed.sources.upsert({ ...source, name: 'bench' });
        const runId = await runner.enqueue({ sourceId: crashedSource.id, trigger: 'api' });
        await waitFor(async () => ((await crashed.runs.items(runId)).length >= 40 ? true : undefined), 60_000, 'the crawl to be under way');
        worker.kill('SIGKILL');
        await new Promise((resolve) => worker.once('exit', resolve));
        const itemsAtKill = (await crashed.runs.items(runId)).length;
        expect(itemsAtKill).toBeLessThan(300);
        worker = startWorker();
        const run = await waitFor(
          async () => {
            const found = await crashed.runs.find(runId);
            return found?.status === 'succeeded' ? found : undefined;
          },
          120_000,
          'the run to complete after the restart',
        );
        expect(run.status).toBe('succeeded');
        // The record describes the one complete pass: nothing counted twice. Pages stored
        // before the kill answer 304 to the second attempt and count as unchanged.
        const pageItems = (await crashed.runs.items(runId)).filter((item) => item.outcome !== 'skipped');
        expect(pageItems).toHaveLength(300);
        expect(run.counts.failed).toBe(0);
        expect(run.counts.fetched + pageItems.filter((item) => item.httpStatus === 304).length).toBe(300);
        expect(await chunkSignature(crashed)).toEqual(await chunkSignature(reference));
        expect(await crashed.documents.countActive()).toEqual(await reference.documents.countActive());
      } finally {
        worker.kill('SIGTERM');
        await runner.close();
        const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix: `${prefix}-kill` });
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
        await crashed.close();
        await fresh.drop();
      }
    } finally {
      await reference.close();
      await referenceDatabase.drop();
    }
  }, 300_000);

  it('hands the run back to the queue on SIGTERM, exits cleanly, and a new worker completes it', async () => {
    const fresh = await createTestDatabase();
    const database = await Store.open({ databaseUrl: fresh.url });
    const queuePrefix = `${prefix}-term`;
    const startWorker = () => startWorkerProcess(fresh.url, queuePrefix);
    const runner = new QueueRunner(database, { redisUrl: testRedisUrl(), prefix: queuePrefix });
    let worker = startWorker();
    try {
      const termSource = await database.sources.upsert({ ...source, name: 'bench' });
      const runId = await runner.enqueue({ sourceId: termSource.id, trigger: 'api' });
      await waitFor(async () => ((await database.runs.items(runId)).length >= 40 ? true : undefined), 60_000, 'the crawl to be under way');
      const stoppedAt = Date.now();
      worker.kill('SIGTERM');
      const exitCode = await new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
      expect(exitCode).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(25_000);
      expect((await database.runs.find(runId))?.status).toBe('queued');
      worker = startWorker();
      const run = await waitFor(
        async () => {
          const found = await database.runs.find(runId);
          return found?.status === 'succeeded' ? found : undefined;
        },
        120_000,
        'the run to complete after the restart',
      );
      expect(run.counts.failed).toBe(0);
      expect((await database.documents.countActive()).documents).toBe(300);
    } finally {
      worker.kill('SIGTERM');
      await runner.close();
      const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix: queuePrefix });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await database.close();
      await fresh.drop();
    }
  }, 300_000);

  it('ends a queue run whose job is gone, leaves alone one whose job waits and a run of `cairn ingest` in its own process', async () => {
    const sweepPrefix = `${prefix}-sweep`;
    const runner = new QueueRunner(store, { redisUrl: testRedisUrl(), prefix: sweepPrefix });
    const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix: sweepPrefix });
    try {
      const waiting = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
      const lost = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
      // Redis lost the job (restarted without its data): only the run record is left.
      await (await queue.getJob(lost))!.remove();
      const cli = await store.runs.create(source.id, 'cli');
      await store.runs.start(cli.id);
      // Another deployment's queue on the same database (another CAIRN_QUEUE_PREFIX): not this worker's to judge.
      const elsewhere = await store.runs.create(source.id, 'api', { owner: queueOwner(`${sweepPrefix}-elsewhere`) });
      // Scheduled crawls' runs: one whose job (named by the schedule, not the run) waits for a retry, one whose job is gone.
      const scheduledWaiting = await store.runs.create(source.id, 'schedule', { owner: queueOwner(sweepPrefix) });
      await queue.add('scheduled-crawl', { sourceId: source.id, runId: scheduledWaiting.id }, { delay: 3_600_000 });
      const scheduledLost = await store.runs.create(source.id, 'schedule', { owner: queueOwner(sweepPrefix) });
      // A worker of another queue prefix takes none of these jobs; its sweep reads the database and this queue.
      const worker = startIngestWorker(
        { store, embedder: new LocalHashEmbedder(), crawler },
        { redisUrl: testRedisUrl(), prefix: sweepPrefix, concurrency: 1, sweepIntervalMs: 3_600_000, lostJobAfterMs: 0 },
      );
      await worker.worker.pause(true);
      await worker.sweep();
      await worker.close();
      const lostRun = await store.runs.find(lost);
      expect(lostRun?.status).toBe('failed');
      expect(lostRun?.error).toMatch(/its job is gone from the queue/);
      expect((await store.runs.find(waiting))?.status).toBe('queued');
      expect((await store.runs.find(cli.id))?.status).toBe('running');
      expect((await store.runs.find(elsewhere.id))?.status).toBe('queued');
      expect((await store.runs.find(scheduledWaiting.id))?.status).toBe('queued');
      expect(await store.runs.find(scheduledLost.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/its job is gone/) });
      await store.runs.cancel(elsewhere.id, 'test over');
      await store.runs.cancel(scheduledWaiting.id, 'test over');
      await store.runs.finish(cli.id, 'succeeded');
      await store.runs.cancel(waiting, 'test over');
    } finally {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await runner.close();
    }
  }, 60_000);

  it("takes up a scheduled crawl's run in the attempt after a failed one: one run, which ends, where a second was made and the first left queued", async () => {
    const retryPrefix = `${prefix}-schedretry`;
    const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix: retryPrefix });
    const scheduled = await store.sources.upsert({
      name: 'scheduled-retry',
      kind: 'web',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      crawlDelayMs: 0,
      maxPages: 3,
      schedule: '0 5 * * 0',
    });
    // A schedule re-crawls a source crawled once on purpose.
    const first = await store.runs.create(scheduled.id, 'cli');
    await store.runs.finish(first.id, 'succeeded');
    // The first attempt's end cannot be written (the database went away for a moment): the attempt fails.
    const runs = store.runs;
    const finish = runs.finish.bind(runs);
    let failures = 0;
    runs.finish = async (...args) => (failures++ === 0 ? Promise.reject(new Error('Connection terminated unexpectedly')) : finish(...args));
    const worker = startIngestWorker(
      { store, embedder: new LocalHashEmbedder(), crawler },
      { redisUrl: testRedisUrl(), prefix: retryPrefix, concurrency: 1, sweepIntervalMs: 3_600_000 },
    );
    try {
      const job = await queue.add('scheduled-crawl', { sourceId: scheduled.id }, { attempts: 2 });
      await waitFor(
        async () => ((await (await queue.getJob(job.id!))?.getState()) === 'completed' ? true : undefined),
        60_000,
        'the second attempt to complete',
      );
      expect(failures).toBeGreaterThanOrEqual(2);
      const made = await store.database.query<{ id: string; status: string }>(
        `select id, status from ingest_runs where source_id = $1 and trigger = 'schedule'`,
        [scheduled.id],
      );
      expect(made).toEqual([{ id: expect.any(String), status: 'succeeded' }]);
      expect((await queue.getJob(job.id!))?.data).toEqual({ sourceId: scheduled.id, runId: made[0]!.id });
    } finally {
      runs.finish = finish;
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  }, 90_000);

  it('records a run failed when its last attempt failed and could not say so, once the database answers again', async () => {
    const failPrefix = `${prefix}-lastfail`;
    const queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix: failPrefix });
    // The database goes away for the run's writes: every write of a run's end fails until it is back.
    const runs = store.runs;
    let away = true;
    const finish = runs.finish.bind(runs);
    const failUnfinished = runs.failUnfinished.bind(runs);
    runs.finish = async (...args) => (away ? Promise.reject(new Error('Connection terminated unexpectedly')) : finish(...args));
    runs.failUnfinished = async (...args) =>
      away ? Promise.reject(new Error('Connection terminated unexpectedly')) : failUnfinished(...args);
    const gone = await store.sources.upsert({
      name: 'unreachable',
      kind: 'web',
      baseUrl: 'http://127.0.0.1:9/',
      seeds: [],
      crawlDelayMs: 0,
      maxPages: 1,
    });
    try {
      // One attempt, as the last of five would be.
      const { id: runId } = await store.runs.create(gone.id, 'api', { owner: queueOwner(failPrefix) });
      await queue.add('crawl-run', { runId, sourceId: gone.id }, { jobId: runId, attempts: 1 });
      const worker = startIngestWorker(
        { store, embedder: new LocalHashEmbedder(), crawler },
        { redisUrl: testRedisUrl(), prefix: failPrefix, concurrency: 1, sweepIntervalMs: 200, lostJobAfterMs: 3_600_000 },
      );
      try {
        await waitFor(
          async () => ((await (await queue.getJob(runId))?.getState()) === 'failed' ? true : undefined),
          20_000,
          'the last attempt to fail',
        );
        expect((await store.runs.find(runId))?.status).toBe('running');
        away = false;
        await waitFor(
          async () => ((await store.runs.find(runId))?.status === 'failed' ? true : undefined),
          10_000,
          'the run to be recorded failed',
        );
      } finally {
        await worker.close();
      }
    } finally {
      runs.finish = finish;
      runs.failUnfinished = failUnfinished;
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  }, 60_000);
});
