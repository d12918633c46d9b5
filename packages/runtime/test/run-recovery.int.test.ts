import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@cairn/core';
import { InProcessRunner, InProcessScheduler, interruptedRunError, stoppedByShutdown } from '@cairn/ingest';
import { ingestQueueName, startIngestWorker, type QueueRunner } from '@cairn/ingest/queue';
import type { RunRecord, SourceRecord, Store } from '@cairn/store';
import { createTestDatabase, startFixtureSite, testRedisUrl, waitFor, type FixtureSite, type TestDatabase } from '@cairn/testing';
import { openRuntime, type Runtime } from '../src/index.js';

const pages = 30;
const finalStatuses = ['succeeded', 'failed', 'cancelled'];
const cancelReason = 'cancelled by the test';

const environment = {
  CAIRN_STARTER_CORPUS: 'off',
  INGEST_ALLOW_PRIVATE_NETWORKS: '127.0.0.1',
  INGEST_MAX_CRAWL_DELAY_MS: '0',
};

function addSource(store: Store, site: FixtureSite, name = 'bench'): Promise<SourceRecord> {
  return store.sources.upsert({
    name,
    kind: 'web',
    baseUrl: `${site.url}/bench/`,
    seeds: [`${site.url}/sitemap-bench.xml`],
    crawlDelayMs: 0,
    maxPages: 100,
  });
}

function finished(store: Store, runId: string, timeoutMs = 60_000): Promise<RunRecord> {
  return waitFor(
    async () => {
      const run = await store.runs.find(runId);
      return run && finalStatuses.includes(run.status) ? run : undefined;
    },
    timeoutMs,
    `run ${runId} to finish`,
    50,
  );
}

/** Waits until a run is crawling and has recorded some pages (the ledger is written in batches of 20). */
function underWay(store: Store, runId: string): Promise<RunRecord> {
  return waitFor(
    async () => {
      const run = await store.runs.find(runId);
      if (run && finalStatuses.includes(run.status)) throw new Error(`run ${runId} ended (${run.status}) before the test could stop it`);
      return run?.status === 'running' && (await store.runs.items(runId)).length > 0 ? run : undefined;
    },
    60_000,
    `run ${runId} to be under way`,
    20,
  );
}

/** What a process that died (kill -9) leaves: runs it owned, queued and running, and a heartbeat that stopped. */
async function leaveOrphans(store: Store, sourceId: string, owner: string, heartbeatAgo: string) {
  const running = await store.runs.create(sourceId, 'api', { owner });
  await store.runs.start(running.id);
  await store.runs.addItems(running.id, [
    { url: 'https://a.test/1/', httpStatus: 200, outcome: 'changed', chunksAdded: 2, chunksRemoved: 0, embeddingTokens: 9, error: null },
  ]);
  await store.runs.addCounts(running.id, { discovered: 5, fetched: 1, chunksAdded: 2 });
  const queued = await store.runs.create(sourceId, 'api', { owner });
  await store.database.query(`update ingest_runs set heartbeat_at = now() - $2::interval where id = any($1::uuid[])`, [
    [running.id, queued.id],
    heartbeatAgo,
  ]);
  return { running: running.id, queued: queued.id };
}

describe('ingestion runs that outlive their process, on the embedded database (a data directory)', () => {
  let site: FixtureSite;
  let dataDir: string;

  beforeAll(async () => {
    site = await startFixtureSite({ syntheticPages: pages, responseDelayMs: 30 });
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-run-recovery-'));
  });

  afterAll(async () => {
    await site?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fails the run a dead process was running (with a ledger entry), runs its queued ones, and frees the queue cap', async () => {
    const config = loadConfig({ ...environment, CAIRN_DATA_DIR: join(dataDir, 'crash'), INGEST_MAX_QUEUED_RUNS: '1' });
    const first = await openRuntime(config, { takeUpRuns: true });
    const source = await addSource(first.store, site);
    // A process killed mid-crawl: nothing of it but its records (its heartbeat was fresh then).
    const orphans = await leaveOrphans(first.store, source.id, 'gone-host/4242/dead', '1 second');
    expect(await first.store.runs.countQueued()).toBe(1);
    await first.close();

    const lines: string[] = [];
    const second = await openRuntime(config, { log: (line) => lines.push(line), takeUpRuns: true });
    try {
      const interrupted = await second.store.runs.find(orphans.running);
      expect(interrupted).toMatchObject({ status: 'failed', error: interruptedRunError, finishedAt: expect.any(Date) });
      // What it did before the crash stays on record, and the last entry says why it ended.
      expect(interrupted!.counts).toMatchObject({ fetched: 1, chunksAdded: 2 });
      const items = await second.store.runs.items(orphans.running);
      expect(items.map((item) => [item.url, item.outcome])).toEqual([
        ['https://a.test/1/', 'changed'],
        [source.baseUrl, 'failed'],
      ]);
      expect(items[1]!.error).toBe(interruptedRunError);
      expect(lines).toContainEqual(expect.stringMatching(/^1 ingestion run\(s\) interrupted when their process stopped, now failed: /));
      expect(lines).toContainEqual(expect.stringMatching(/^1 queued ingestion run\(s\) of a process that stopped taken up: /));

      // The queued run is taken up and crawls the whole site.
      const resumed = await finished(second.store, orphans.queued);
      expect(resumed).toMatchObject({ status: 'succeeded', counts: { fetched: pages, failed: 0 } });
      expect(await second.store.runs.countQueued()).toBe(0);
      expect(await second.store.documents.countActive()).toMatchObject({ documents: pages });
    } finally {
      await second.close();
    }
  }, 120_000);

  it('on SIGTERM cancels the run in progress and keeps the waiting ones for the next start; a run taken up after a crash goes back', async () => {
    const config = loadConfig({ ...environment, CAIRN_DATA_DIR: join(dataDir, 'stop') });
    const first = await openRuntime(config, { takeUpRuns: true });
    const source = await addSource(first.store, site);
    const inProgress = await first.runner.enqueue({ sourceId: source.id, trigger: 'api' });
    const waiting = await first.runner.enqueue({ sourceId: source.id, trigger: 'api' });
    await underWay(first.store, inProgress);
    await first.close();

    // A second process takes the waiting run up at start, and stops before it has finished.
    const second = await openRuntime(config, { takeUpRuns: true });
    // Its record says why it stopped, where it said nothing (probe 29, L4).
    expect(await second.store.runs.find(inProgress)).toMatchObject({ status: 'cancelled', error: stoppedByShutdown });
    await underWay(second.store, waiting);
    await second.close();

    const third = await openRuntime(config, { takeUpRuns: true });
    try {
      expect(await finished(third.store, waiting)).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
      expect(await third.store.runs.find(inProgress)).toMatchObject({ status: 'cancelled' });
    } finally {
      await third.close();
    }
  }, 120_000);

  it('cancels a waiting run before it starts and a running one at its next page', async () => {
    const runtime = await openRuntime({ ...loadConfig(environment), dataDir: '' }, { takeUpRuns: true });
    try {
      const source = await addSource(runtime.store, site);
      const runner = runtime.runner as InProcessRunner;
      const running = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
      const waiting = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
      expect(await runtime.store.runs.cancel(waiting, cancelReason)).toMatchObject({ status: 'cancelled', error: cancelReason });
      expect(await runner.cancel(waiting)).toBe(true);
      await underWay(runtime.store, running);
      expect(await runtime.store.runs.cancel(running, cancelReason)).toMatchObject({ status: 'cancelled' });
      const cancelledAt = Date.now();
      await runner.cancel(running);
      await runner.idle();
      const stoppedAfter = Date.now() - cancelledAt;
      const stopped = (await runtime.store.runs.find(running))!;
      // Cancelled for good: the crawl's own end does not overwrite it, and it stopped short of the site.
      expect(stopped).toMatchObject({ status: 'cancelled', error: cancelReason });
      expect(stopped.counts.fetched).toBeLessThan(pages);
      expect(stoppedAfter).toBeLessThan(5000);
      expect(await runtime.store.runs.find(waiting)).toMatchObject({ status: 'cancelled', startedAt: null });
      expect(await runtime.store.runs.cancel(running, cancelReason)).toBeUndefined();
      expect(await runtime.store.runs.start(waiting)).toBe(false);
    } finally {
      await runtime.close();
    }
  }, 120_000);
});

describe('ingestion runs that outlive their process, on server Postgres without a queue', () => {
  let site: FixtureSite;
  let database: TestDatabase;

  beforeAll(async () => {
    site = await startFixtureSite({ syntheticPages: pages, responseDelayMs: 30 });
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await site?.close();
    await database?.drop();
  });

  it('takes up only the runs of processes whose heartbeat stopped; live owners, the queue and the CLI keep theirs', async () => {
    const config = loadConfig({ ...environment, DATABASE_URL: database.url, INGEST_MAX_QUEUED_RUNS: '3' });
    const first = await openRuntime(config, { takeUpRuns: true });
    const source = await addSource(first.store, site);
    const dead = await leaveOrphans(first.store, source.id, 'gone-host/1/dead', '10 minutes');
    const alive = await leaveOrphans(first.store, source.id, 'other-host/2/alive', '1 second');
    const queueRun = await first.store.runs.create(source.id, 'api');
    const cliRun = await first.store.runs.create(source.id, 'cli');
    await first.store.runs.start(cliRun.id);
    // The queue cap counts live work only: the live owner's and the queue's, not the dead owner's.
    expect(await first.store.runs.countQueued()).toBe(2);
    await first.close();

    const second = await openRuntime(config, { takeUpRuns: true });
    try {
      expect(await second.store.runs.find(dead.running)).toMatchObject({ status: 'failed', error: interruptedRunError });
      expect(await finished(second.store, dead.queued)).toMatchObject({ status: 'succeeded', counts: { fetched: pages } });
      expect(await second.store.runs.find(alive.running)).toMatchObject({ status: 'running' });
      expect(await second.store.runs.find(alive.queued)).toMatchObject({ status: 'queued' });
      expect(await second.store.runs.find(queueRun.id)).toMatchObject({ status: 'queued' });
      expect(await second.store.runs.find(cliRun.id)).toMatchObject({ status: 'running' });
      // Once the other owner's heartbeat stops too, the next sweep takes its runs.
      await second.store.database.query(`update ingest_runs set heartbeat_at = now() - interval '10 minutes' where owner = $1`, [
        'other-host/2/alive',
      ]);
      const { failed, resumed } = await (second.runner as InProcessRunner).recover();
      expect([failed, resumed]).toEqual([[alive.running], [alive.queued]]);
      expect(await finished(second.store, alive.queued)).toMatchObject({ status: 'succeeded' });
    } finally {
      await second.close();
    }
  }, 120_000);

  it("fires a source's schedule without the queue: one run a firing, however many processes read it", async () => {
    const config = loadConfig({ ...environment, DATABASE_URL: database.url });
    const runtime = await openRuntime(config, {});
    const runners = [0, 1].map(
      () => new InProcessRunner({ store: runtime.store, embedder: runtime.embedder, crawler: runtime.crawler }, { heartbeatMs: 200 }),
    );
    let clock = new Date('2026-12-07T10:00:30Z');
    // Two processes' schedulers on one database, read by hand (a long interval) on a clock the test moves.
    const schedulers = runners.map((runner) => new InProcessScheduler(runtime.store, runner, { intervalMs: 3_600_000, now: () => clock }));
    try {
      const source = await addSource(runtime.store, site, 'bench-scheduled');
      await runtime.store.sources.update(source.id, { schedule: '*/5 * * * *' });
      // Nothing fired between the start and 10:04.
      clock = new Date('2026-12-07T10:04:00Z');
      expect(await Promise.all(schedulers.map((scheduler) => scheduler.check()))).toEqual([[], []]);
      // 10:05 fired, but the source was never crawled: a first crawl is an explicit step.
      clock = new Date('2026-12-07T10:05:20Z');
      expect((await Promise.all(schedulers.map((scheduler) => scheduler.check()))).flat()).toEqual([]);
      expect(await finished(runtime.store, await runners[0]!.enqueue({ sourceId: source.id, trigger: 'api' }))).toMatchObject({
        status: 'succeeded',
      });
      // 10:10 fired: one run of the two readers, marked as scheduled.
      clock = new Date('2026-12-07T10:10:20Z');
      const started = (await Promise.all(schedulers.map((scheduler) => scheduler.check()))).flat();
      expect(started).toHaveLength(1);
      expect(await finished(runtime.store, started[0]!)).toMatchObject({ status: 'succeeded', trigger: 'schedule', sourceId: source.id });
      // Read again before the next firing: nothing more.
      clock = new Date('2026-12-07T10:11:00Z');
      expect((await Promise.all(schedulers.map((scheduler) => scheduler.check()))).flat()).toEqual([]);
      // A firing while a run of the source is still going (a polite crawl longer than the period): none queued behind it.
      const going = await runtime.store.runs.create(source.id, 'cli');
      await runtime.store.runs.start(going.id);
      // (An hour past the database's own clock, so that the earlier scheduled run counts as before this firing.)
      clock = new Date(Date.now() + 3_600_000);
      expect((await Promise.all(schedulers.map((scheduler) => scheduler.check()))).flat()).toEqual([]);
      await runtime.store.runs.finish(going.id, 'succeeded');
      // A source whose schedule is cleared fires no more.
      await runtime.store.sources.update(source.id, { schedule: null });
      clock = new Date('2026-12-07T10:16:00Z');
      expect((await Promise.all(schedulers.map((scheduler) => scheduler.check()))).flat()).toEqual([]);
    } finally {
      for (const scheduler of schedulers) await scheduler.close();
      for (const runner of runners) await runner.close();
      await runtime.close();
    }
  }, 120_000);

  it('stops a run that another process cancelled at its next heartbeat', async () => {
    const config = loadConfig({ ...environment, DATABASE_URL: database.url });
    const runtime = await openRuntime(config, { takeUpRuns: true });
    const runner = new InProcessRunner(
      { store: runtime.store, embedder: runtime.embedder, crawler: runtime.crawler },
      { heartbeatMs: 200 },
    );
    try {
      const source = await addSource(runtime.store, site, 'bench-heartbeat');
      const runId = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
      await underWay(runtime.store, runId);
      // Only the record changes, as when an API replica that does not run the run takes the request.
      await runtime.store.runs.cancel(runId, cancelReason);
      const cancelledAt = Date.now();
      await runner.idle();
      expect(Date.now() - cancelledAt).toBeLessThan(5000);
      const stopped = (await runtime.store.runs.find(runId))!;
      expect(stopped).toMatchObject({ status: 'cancelled', error: cancelReason });
      expect(stopped.counts.fetched).toBeLessThan(pages);
    } finally {
      await runner.close();
      await runtime.close();
    }
  }, 120_000);
});

/**
 * A TCP relay in front of the test Postgres that can be cut: every connection through it is
 * dropped and new ones are refused (a database restarted, a network that went away) until it
 * is restored.
 */
async function cuttableRelay(target: string): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  let cut = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = connect(Number(port || 5432), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    cut: () => {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => void (cut = false),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a run whose database goes away, on server Postgres without a queue', () => {
  let site: FixtureSite;
  let database: TestDatabase;

  beforeAll(async () => {
    site = await startFixtureSite({ syntheticPages: pages, responseDelayMs: 60 });
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await site?.close();
    await database?.drop();
  });

  it('ends failed, with the reason, once the database is back: its last write failed with the rest', async () => {
    const relay = await cuttableRelay(database.url);
    const runtime = await openRuntime(loadConfig({ ...environment, DATABASE_URL: relay.url }), { takeUpRuns: true });
    // The run's record read straight from the database, not through the relay.
    const observer = await openRuntime(loadConfig({ ...environment, DATABASE_URL: database.url }), {});
    const runner = new InProcessRunner(
      { store: runtime.store, embedder: runtime.embedder, crawler: runtime.crawler },
      { heartbeatMs: 200 },
    );
    try {
      const source = await addSource(runtime.store, site, 'bench-outage');
      const runId = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
      await underWay(runtime.store, runId);
      relay.cut();
      // The run fails while the database is away: its own record cannot say so yet.
      await runner.idle();
      expect((await observer.store.runs.find(runId))?.status).toBe('running');
      relay.restore();
      const ended = await finished(observer.store, runId, 15_000);
      expect(ended).toMatchObject({ status: 'failed', error: expect.stringMatching(/database|connect|terminat/i) });
    } finally {
      relay.restore();
      await runner.close();
      await runtime.close();
      await observer.close();
      await relay.close();
    }
  }, 120_000);
});

describe('cancelling runs of the BullMQ queue', () => {
  let site: FixtureSite;
  let database: TestDatabase;
  let runtime: Runtime;
  let queue: Queue;
  const prefix = `cairn-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    site = await startFixtureSite({ syntheticPages: pages, responseDelayMs: 30 });
    database = await createTestDatabase();
    runtime = await openRuntime(
      loadConfig({ ...environment, DATABASE_URL: database.url, REDIS_URL: testRedisUrl(), CAIRN_QUEUE_PREFIX: prefix }),
    );
    queue = new Queue(ingestQueueName, { connection: { url: testRedisUrl() }, prefix });
  }, 60_000);

  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await queue?.close();
    await runtime?.close();
    await database?.drop();
    await site?.close();
  });

  it('takes a waiting job out of the queue, and stops a running one at the worker’s next check', async () => {
    const runner = runtime.runner as QueueRunner;
    const source = await addSource(runtime.store, site);
    // No worker yet: the job waits, and the cancellation removes it.
    const waiting = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
    expect(await queue.getJob(waiting)).toBeDefined();
    await runtime.store.runs.cancel(waiting, cancelReason);
    expect(await runner.cancel(waiting)).toBe(true);
    expect(await queue.getJob(waiting)).toBeUndefined();

    const worker = startIngestWorker(
      { store: runtime.store, embedder: runtime.embedder, crawler: runtime.crawler },
      { redisUrl: testRedisUrl(), prefix, concurrency: 1, cancelCheckMs: 200 },
    );
    try {
      const running = await runner.enqueue({ sourceId: source.id, trigger: 'api' });
      await underWay(runtime.store, running);
      await runtime.store.runs.cancel(running, cancelReason);
      // A job the worker holds stays; the worker stops it.
      expect(await runner.cancel(running)).toBe(false);
      const cancelledAt = Date.now();
      const job = await waitFor(
        // The job is read after its state says completed: read before, its return value could be the one it had
        // before it completed (null), a race of the test's, not of the worker's.
        async () => ((await queue.getJobState(running)) === 'completed' ? await queue.getJob(running) : undefined),
        10_000,
        'the cancelled job to complete',
        50,
      );
      expect(Date.now() - cancelledAt).toBeLessThan(5000);
      expect(job.returnvalue).toEqual({ cancelled: true });
      const stopped = (await runtime.store.runs.find(running))!;
      expect(stopped).toMatchObject({ status: 'cancelled', error: cancelReason });
      expect(stopped.counts.fetched).toBeLessThan(pages);

      // A job whose run was cancelled before a worker took it up ends without crawling.
      const late = await runtime.store.runs.create(source.id, 'api');
      await runtime.store.runs.cancel(late.id, cancelReason);
      await queue.add('crawl-run', { runId: late.id, sourceId: source.id }, { jobId: late.id });
      await waitFor(
        async () => ((await (await queue.getJob(late.id))?.getState()) === 'completed' ? true : undefined),
        10_000,
        'the late job',
      );
      expect(await runtime.store.runs.find(late.id)).toMatchObject({ status: 'cancelled', startedAt: null });
    } finally {
      await worker.close();
    }
  }, 120_000);
});
