import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import { createCrawler, runCrawl } from '@cairn/ingest';
import { Store } from '@cairn/store';
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

const pages = 60;
const lockMs = 2000;

/** Every chunk, as document locator, ordinal and content hash: what "no chunk lost or duplicated" compares. */
async function chunkSignature(databaseUrl: string): Promise<{ chunks: string[]; documents: number; postings: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const chunks = await client.query<{ locator: string; ordinal: number; hash: string }>(
      `select d.locator, c.ordinal, c.content_hash as hash from chunks c join documents d on d.id = c.document_id order by 1, 2`,
    );
    const documents = await client.query<{ count: string }>(`select count(*) from documents where status = 'active'`);
    const postings = await client.query<{ count: string }>(`select count(*) from keyword_postings`);
    return {
      chunks: chunks.rows.map((row) => `${row.locator}#${row.ordinal}:${row.hash}`),
      documents: Number(documents.rows[0]!.count),
      postings: Number(postings.rows[0]!.count),
    };
  } finally {
    await client.end();
  }
}

/**
 * `kill -9` of the worker in the middle of a crawl that the API queued: a new worker takes
 * the run up when the dead one's lock expires, and the run completes with exactly the
 * chunks of a clean ingest of the same site.
 */
describe('fault: kill -9 of the worker mid-run', () => {
  let site: FixtureSite;
  let redis: PrivateRedis;
  let database: TestDatabase;
  let referenceDatabase: TestDatabase;
  let api: CairnProcess | undefined;
  let url: string;
  const workers: CairnProcess[] = [];
  let environment: Record<string, string>;

  beforeAll(async () => {
    site = await startFixtureSite({ syntheticPages: pages, responseDelayMs: 40 });
    redis = await startPrivateRedis();
    database = await createTestDatabase('cairn_faults_kill');
    referenceDatabase = await createTestDatabase('cairn_faults_kill_ref');
    environment = baseEnvironment({ DATABASE_URL: database.url, REDIS_URL: redis.url, CAIRN_QUEUE_PREFIX: 'faults-kill' });
    ({ process: api, url } = await startServe(environment));
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.kill();
    await api?.kill();
    await redis?.destroy();
    await database?.drop();
    await referenceDatabase?.drop();
    await site?.close();
  });

  const startWorker = () => {
    const worker = startCairn(['worker', '--lock-ms', String(lockMs), '--concurrency', '1'], environment);
    workers.push(worker);
    return worker;
  };

  it('completes the run after a restart, with no chunk lost or duplicated', async () => {
    const body = { name: 'bench', baseUrl: `${site.url}/bench/`, seeds: [`${site.url}/sitemap-bench.xml`], crawlDelayMs: 0, maxPages: 500 };

    // The reference: the same site crawled start to finish into a clean database.
    const reference = await Store.open({ databaseUrl: referenceDatabase.url });
    const crawler = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/tests', maxCrawlDelayMs: 0 });
    try {
      const source = await reference.sources.upsert({ ...body, kind: 'web' });
      const result = await runCrawl({ store: reference, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source] });
      expect(result.counts).toMatchObject({ fetched: pages, failed: 0 });
    } finally {
      await crawler.close();
      await reference.close();
    }

    let worker = startWorker();
    await worker.waitForOutput(/worker started/, 90_000);
    const created = await request(`${url}/v1/sources`, { body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const accepted = await request(`${url}/v1/ingest/runs`, { body: { sourceId: created.body.id } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const runId: string = accepted.body.runId;
    const run = async () => (await request(`${url}/v1/ingest/runs/${runId}`)).body;

    // Mid-run: some pages stored, most still to fetch.
    const deadline = Date.now() + 60_000;
    while ((await run()).items.length < pages / 4) {
      if (Date.now() > deadline) throw new Error(`the crawl did not get under way:\n${worker.output()}`);
      await sleep(50);
    }
    worker.child.kill('SIGKILL');
    const exit = await worker.exited;
    expect(exit.signal).toBe('SIGKILL');
    const atKill = await run();
    expect(atKill.status).toBe('running');
    expect(atKill.items.length).toBeLessThan(pages);

    const killedAt = Date.now();
    const requestsAtKill = site.requests.length;
    const restartedAt = Date.now();
    worker = startWorker();
    let finished:
      { status: string; counts: { fetched: number; failed: number }; items: { outcome: string; httpStatus: number | null }[] } | undefined;
    while (Date.now() - restartedAt < 90_000) {
      const current = await run();
      if (['succeeded', 'failed', 'cancelled'].includes(current.status)) {
        finished = current;
        break;
      }
      await sleep(100);
    }
    const completedAfter = Date.now() - restartedAt;
    const takenUp = new Date(/(\S+) run \S+: crawling bench/.exec(worker.output())?.[1] ?? NaN).getTime() - restartedAt;
    // The first page request after the kill; the dead worker's hold on the host (its lease in Redis) delays it.
    const firstFetch =
      (site.requests.slice(requestsAtKill).find((recorded) => recorded.receivedAt > killedAt && /^\/bench\/\d+\/$/.test(recorded.path))
        ?.receivedAt ?? NaN) - restartedAt;
    expect(finished, `the run did not finish after the restart:\n${worker.output()}`).toBeDefined();
    expect(finished!.status).toBe('succeeded');
    expect(finished!.counts.failed).toBe(0);
    // The record is one complete pass: each page once (stored ones answer 304 this time).
    const pageItems = finished!.items.filter((item) => item.outcome !== 'skipped');
    expect(pageItems).toHaveLength(pages);
    expect(finished!.counts.fetched + pageItems.filter((item) => item.httpStatus === 304).length).toBe(pages);

    const crashed = await chunkSignature(database.url);
    const clean = await chunkSignature(referenceDatabase.url);
    expect(crashed.chunks.length).toBe(clean.chunks.length);
    expect(new Set(crashed.chunks).size).toBe(crashed.chunks.length);
    expect(crashed.chunks).toEqual(clean.chunks);
    expect(crashed.documents).toBe(clean.documents);
    expect(crashed.postings).toBe(clean.postings);
    expect(api!.alive()).toBe(true);
    console.log(
      `kill -9: worker killed after ${atKill.items.length} of ${pages} pages; the restarted worker (--lock-ms ${lockMs}) took the run up ${seconds(takenUp)} after its start, ` +
        `fetched its first page at ${seconds(firstFetch)} and completed the run at ${seconds(completedAfter)}; ` +
        `${crashed.chunks.length} chunks in ${crashed.documents} documents, identical (locator, ordinal, content hash) to a clean ingest: none lost, none duplicated`,
    );
  }, 240_000);
});
