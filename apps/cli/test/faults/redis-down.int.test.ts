import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startFixtureSite, type FixtureSite, type TestDatabase } from '@cairn/testing';
import {
  baseEnvironment,
  request,
  seconds,
  sleep,
  startCairn,
  startPrivateRedis,
  startServe,
  type CairnProcess,
  type PrivateRedis,
} from './services.js';

const pages = 30;
const outageMs = 20_000;

interface Run {
  status: string;
  error: string | null;
  counts: Record<string, number>;
  items: { url: string; outcome: string }[];
}

/**
 * Redis stopped for 20 s under the API and a worker, with runs crawling and waiting: the
 * API stays up (ready again when Redis is), a run asked for during the outage gets a clear
 * 503 rather than a hang or a silent drop, and every run the API answered 202 for completes.
 */
describe('fault: Redis down for 20 s', () => {
  let site: FixtureSite;
  let redis: PrivateRedis;
  let database: TestDatabase;
  let api: CairnProcess | undefined;
  let worker: CairnProcess | undefined;
  let url: string;

  beforeAll(async () => {
    site = await startFixtureSite({ syntheticPages: pages, responseDelayMs: 100 });
    // As docker-compose.yml runs it: an append-only file, so the queue outlives a restart.
    redis = await startPrivateRedis({ persistent: true });
    database = await createTestDatabase('cairn_faults_redis');
    const environment = baseEnvironment({ DATABASE_URL: database.url, REDIS_URL: redis.url, CAIRN_QUEUE_PREFIX: 'faults-redis' });
    ({ process: api, url } = await startServe(environment));
    worker = startCairn(['worker', '--concurrency', '2'], environment);
    await worker.waitForOutput(/worker started/, 90_000);
  }, 120_000);

  afterAll(async () => {
    await worker?.kill();
    await api?.kill();
    await redis?.destroy();
    await database?.drop();
    await site?.close();
  });

  it('recovers the API and the worker on its return, with no accepted run lost', async () => {
    const run = async (id: string): Promise<Run> => (await request(`${url}/v1/ingest/runs/${id}`)).body;
    const sourceIds: string[] = [];
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) {
      const created = await request(`${url}/v1/sources`, {
        body: { name, baseUrl: `${site.url}/bench/`, seeds: [`${site.url}/sitemap-bench.xml`], crawlDelayMs: 0 },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      sourceIds.push(created.body.id);
    }
    expect((await request(`${url}/readyz`)).status).toBe(200);

    // Two runs crawling (concurrency 2) and one waiting in the queue when Redis stops.
    const accepted: string[] = [];
    for (const sourceId of sourceIds.slice(0, 3)) {
      const response = await request(`${url}/v1/ingest/runs`, { body: { sourceId } });
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      accepted.push(response.body.runId);
    }
    const underWay = Date.now();
    while ((await run(accepted[0]!)).items.length < 3) {
      if (Date.now() - underWay > 60_000) throw new Error(`the first run did not get under way:\n${worker!.output()}`);
      await sleep(50);
    }

    await redis.stop();
    const stoppedAt = Date.now();
    const atStop = await Promise.all(accepted.map(async (id) => (await run(id)).status));
    expect(atStop).toEqual(['running', 'running', 'queued']);

    // During the outage: the API answers, says it is not ready, and a new run is refused
    // clearly (or accepted, and then it must complete like the others).
    const readyz = await request(`${url}/readyz`, { timeoutMs: 10_000 });
    expect(readyz).toMatchObject({ status: 503, body: { error: { code: 'not_ready' } } });
    const askedAt = Date.now();
    const during = await request(`${url}/v1/ingest/runs`, { body: { sourceId: sourceIds[3] }, timeoutMs: 15_000 });
    const answeredIn = Date.now() - askedAt;
    expect([202, 503], JSON.stringify(during.body)).toContain(during.status);
    let refusedRun: string | undefined;
    if (during.status === 202) accepted.push(during.body.runId);
    else {
      expect(during.body.error.code).toBe('not_ready');
      // Not left queued with nobody to run it: the run is on record as not started.
      const runs = (await request(`${url}/v1/ingest/runs`)).body.runs as {
        id: string;
        sourceId: string;
        status: string;
        error: string | null;
      }[];
      const refused = runs.find((candidate) => candidate.sourceId === sourceIds[3]);
      expect(refused, JSON.stringify(runs)).toMatchObject({ status: 'failed', error: expect.stringMatching(/queue/) });
      refusedRun = refused!.id;
    }
    expect((await request(`${url}/v1/sources`)).status).toBe(200);
    while (Date.now() - stoppedAt < outageMs) {
      expect(api!.alive(), api!.output().slice(-2000)).toBe(true);
      expect(worker!.alive(), worker!.output().slice(-2000)).toBe(true);
      await sleep(500);
    }
    expect((await request(`${url}/readyz`, { timeoutMs: 10_000 })).status).toBe(503);

    await redis.start();
    const back = Date.now();
    let readyAfter: number | undefined;
    while (Date.now() - back < 30_000) {
      if ((await request(`${url}/readyz`, { timeoutMs: 10_000 })).status === 200) {
        readyAfter = Date.now() - back;
        break;
      }
      await sleep(100);
    }
    expect(readyAfter, `the API was not ready within 30 s of Redis's return:\n${api!.output().slice(-2000)}`).toBeDefined();
    // A run asked for after the return is accepted and crawled too.
    const after = await request(`${url}/v1/ingest/runs`, { body: { sourceId: sourceIds[3] } });
    expect(after.status, JSON.stringify(after.body)).toBe(202);
    accepted.push(after.body.runId);

    const finished = new Map<string, Run & { at: number }>();
    while (finished.size < accepted.length && Date.now() - back < 120_000) {
      for (const id of accepted) {
        if (finished.has(id)) continue;
        const current = await run(id);
        if (['succeeded', 'failed', 'cancelled'].includes(current.status)) finished.set(id, { ...current, at: Date.now() });
      }
      await sleep(200);
    }
    expect(finished.size, `not every accepted run finished:\n${worker!.output().slice(-4000)}`).toBe(accepted.length);
    for (const id of accepted) {
      const result = finished.get(id)!;
      expect(result, `run ${id}:\n${worker!.output().slice(-4000)}`).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
      const pageItems = result.items.filter((item) => item.outcome !== 'skipped');
      expect(pageItems, JSON.stringify(result, null, 1)).toHaveLength(pages);
      expect(new Set(pageItems.map((item) => item.url)).size).toBe(pages);
    }
    if (refusedRun) expect((await run(refusedRun)).items).toHaveLength(0);
    // Every page of every source is stored, once.
    const sources = (await request(`${url}/v1/sources`)).body.sources as { id: string; documents: number }[];
    for (const sourceId of sourceIds) expect(sources.find((source) => source.id === sourceId)?.documents).toBe(pages);
    // When the worker took up work again: its first crawl start after Redis's return.
    const resumed = worker!
      .output()
      .split('\n')
      .map((line) => /^(\S+) run \S+: crawling/.exec(line)?.[1])
      .map((stamp) => (stamp ? new Date(stamp).getTime() : NaN))
      .find((time) => time >= back);
    expect(api!.alive()).toBe(true);
    expect(worker!.alive()).toBe(true);
    const allDone = Math.max(...[...finished.values()].map((result) => result.at)) - back;
    console.log(
      `redis down: ${seconds(outageMs)} outage with 2 runs crawling and 1 waiting; API and worker stayed up; /readyz 503 during; ` +
        `a run asked for during the outage got ${during.status}${during.status === 503 ? ` ${during.body.error.code}` : ''} in ${seconds(answeredIn)}; ` +
        `/readyz 200 ${seconds(readyAfter!)} and the worker crawling again ${seconds(resumed! - back)} after Redis returned; ` +
        `all ${accepted.length} accepted runs succeeded with every page (the last ${seconds(allDone)} after the return), none lost`,
    );
  }, 240_000);
});
