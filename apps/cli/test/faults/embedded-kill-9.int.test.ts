import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMallocSettings, apiNodeFlags } from '@cairn/core';
import { LocalHashEmbedder } from '@cairn/embed';
import { createCrawler, runCrawl } from '@cairn/ingest';
import { Store } from '@cairn/store';
import { startFixtureSite, type FixtureSite } from '@cairn/testing';
import { baseEnvironment, request, seconds, sleep, startServe, type CairnProcess } from './services.js';

const pages = 90;
const kills = 3;
const finalStatuses = ['succeeded', 'failed', 'cancelled'];

interface Run {
  id: string;
  status: string;
  error: string | null;
  counts: { fetched: number; unchanged: number; failed: number };
  items: { url: string; outcome: string; error: string | null }[];
}

/** Every chunk as document locator, ordinal and content hash, and the counts around them. */
async function chunkSignature(store: Store) {
  const chunks = await store.database.query<{ locator: string; ordinal: number; hash: string }>(
    `select d.locator, c.ordinal, c.content_hash as hash from chunks c join documents d on d.id = c.document_id order by 1, 2`,
  );
  const [counts] = await store.database.query<{ documents: number; rows: number; slots: number; postings: number }>(
    `select (select count(*)::int from documents where status = 'active') as documents,
       (select count(*)::int from chunks) as rows,
       (select count(distinct (document_id, ordinal))::int from chunks) as slots,
       (select count(*)::int from keyword_postings) as postings`,
  );
  return { chunks: chunks.map((row) => `${row.locator}#${row.ordinal}:${row.hash}`), ...counts! };
}

/** The processes `pid` started (the API that `cairn serve` runs as its child). */
function childrenOf(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return [];
  return readdirSync(tasks).flatMap((task) => readFileSync(`${tasks}/${task}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number));
}

/** A process's environment, as it was started with it. */
function environmentOf(pid: number): Record<string, string> {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
    return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
  } catch {
    return {};
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Whether a process still runs (a zombie nobody has reaped yet has stopped). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * `kill -9` of `cairn serve` on the embedded defaults (PGlite under CAIRN_DATA_DIR, runs in
 * the API process) in the middle of a crawl, three times, each with a run queued behind
 * the one crawling. At each start the run that was crawling ends failed ("interrupted"),
 * the queued one is taken up, and the queue cap (1 here) counts only live work; at the
 * end every run is final and the stored chunks are those of a clean ingest of the site.
 */
describe('fault: kill -9 of the embedded server mid-crawl, three times', () => {
  let site: FixtureSite;
  let dataDir: string;
  let server: CairnProcess | undefined;

  beforeAll(async () => {
    site = await startFixtureSite({ syntheticPages: pages, responseDelayMs: 50 });
    dataDir = await mkdtemp(join(tmpdir(), 'cairn-faults-embedded-'));
  });

  afterAll(async () => {
    await server?.kill();
    await site?.close();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  it('leaves every run final, takes up the queued ones, stores each chunk once and accepts new runs', async () => {
    const body = { name: 'bench', baseUrl: `${site.url}/bench/`, seeds: [`${site.url}/sitemap-bench.xml`], crawlDelayMs: 0, maxPages: 500 };

    // The reference: the same site crawled start to finish into a clean database.
    const reference = await Store.open({});
    const crawler = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/tests', maxCrawlDelayMs: 0 });
    let clean: Awaited<ReturnType<typeof chunkSignature>>;
    try {
      const source = await reference.sources.upsert({ ...body, kind: 'web' });
      const result = await runCrawl({ store: reference, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source] });
      expect(result.counts).toMatchObject({ fetched: pages, failed: 0 });
      clean = await chunkSignature(reference);
    } finally {
      await crawler.close();
      await reference.close();
    }

    const environment = baseEnvironment({ CAIRN_DATA_DIR: dataDir, INGEST_MAX_QUEUED_RUNS: '1' });
    let url: string;
    /** Starts `cairn serve`; resolves with the time to listening, and the API's own figure (its runtime opened, runs recovered). */
    const start = async () => {
      const startedAt = Date.now();
      ({ process: server, url } = await startServe(environment));
      const listening = Date.now() - startedAt;
      const opened = Number((await server.waitForOutput(/listening on \S+ \(.*?\) after (\d+) ms/, 10_000))[1]);
      return { listening, opened };
    };
    const run = async (id: string): Promise<Run> => (await request(`${url}/v1/ingest/runs/${id}`)).body as Run;
    const startRun = async (sourceId: string): Promise<string> => {
      const accepted = await request(`${url}/v1/ingest/runs`, { body: { sourceId } });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
      return accepted.body.runId as string;
    };
    /** Resolves once the run crawls and its ledger holds a first batch of pages (written 20 at a time). */
    const underWay = async (id: string) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const current = await run(id);
        if (finalStatuses.includes(current.status)) throw new Error(`run ${id} ended (${current.status}) before the kill`);
        if (current.status === 'running' && current.items.length >= 20) return current;
        if (Date.now() > deadline) throw new Error(`run ${id} did not get under way:\n${server!.output().slice(-3000)}`);
        await sleep(25);
      }
    };
    const crash = async () => {
      // The API, and whatever else the process started (tsx's esbuild service, say).
      const api = childrenOf(server!.child.pid!);
      expect(api.map(commandLine), 'cairn serve runs the API as a child').toContainEqual(expect.stringContaining('api/bin/cairn-api.js'));
      // ... with the Node flags and allocator settings of npm start (apiNodeFlags, apiMallocSettings).
      const apiPid = api.find((pid) => commandLine(pid).includes('api/bin/cairn-api.js'))!;
      expect(commandLine(apiPid)).toContain(apiNodeFlags.join(' '));
      expect(environmentOf(apiPid)).toMatchObject(apiMallocSettings);
      server!.child.kill('SIGKILL');
      expect((await server!.exited).signal).toBe('SIGKILL');
      // The API follows its parent: the data directory is free once it is gone.
      const deadline = Date.now() + 10_000;
      while (api.some(running)) {
        if (Date.now() > deadline) throw new Error(`the API (or another child: ${api.join(', ')}) outlived cairn serve by 10 s`);
        await sleep(20);
      }
    };

    const first = await start();
    const created = await request(`${url!}/v1/sources`, { body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sourceId: string = created.body.id;

    const interrupted: string[] = [];
    const figures: string[] = [];
    let crawling = await startRun(sourceId);
    for (let kill = 1; kill <= kills; kill += 1) {
      const atKill = await underWay(crawling);
      // A run waits behind the one crawling: with INGEST_MAX_QUEUED_RUNS=1 it fills the queue.
      const waiting = await startRun(sourceId);
      expect((await run(waiting)).status).toBe('queued');
      await crash();
      interrupted.push(crawling);

      const startup = await start();
      // Before the API listens, the dead process's runs are settled: the crawl failed, the queued run taken up.
      const failed = await run(crawling);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/^interrupted: the process running it stopped/);
      expect(failed.items.at(-1)).toMatchObject({ outcome: 'failed', error: failed.error });
      expect(server!.output()).toMatch(/1 ingestion run\(s\) interrupted when their process stopped, now failed/);
      const resumedAt = Date.now();
      let resumed = await run(waiting);
      while (resumed.status === 'queued' && Date.now() - resumedAt < 30_000) {
        await sleep(25);
        resumed = await run(waiting);
      }
      expect(['running', 'succeeded']).toContain(resumed.status);
      figures.push(
        `kill ${kill}: after ${atKill.items.length} of ${pages} pages; listening again ${seconds(startup.listening)} after the restart ` +
          `(the API's start, recovery included: ${seconds(startup.opened)}); ` +
          `the killed run failed ("interrupted") and the queued one crawling ${seconds(Date.now() - resumedAt)} after it listened`,
      );
      crawling = waiting;
    }

    // The run taken up after the last kill completes; a new run is accepted (the cap counts live work only) and completes.
    const waitFinal = async (id: string) => {
      const since = Date.now();
      for (;;) {
        const current = await run(id);
        if (finalStatuses.includes(current.status)) return current;
        if (Date.now() - since > 120_000) throw new Error(`run ${id} did not finish:\n${server!.output().slice(-3000)}`);
        await sleep(100);
      }
    };
    const last = await waitFinal(crawling);
    expect(last).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
    const fresh = await waitFinal(await startRun(sourceId));
    expect(fresh).toMatchObject({ status: 'succeeded', counts: { failed: 0, unchanged: pages } });
    expect(fresh.items.filter((item) => item.outcome === 'changed')).toEqual([]);

    // Cancelling: a finished run is refused with 409, an unknown one with 404.
    const refused = await request(`${url!}/v1/ingest/runs/${fresh.id}/cancel`, { method: 'POST' });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'run_finished' } } });
    const unknown = await request(`${url!}/v1/ingest/runs/00000000-0000-4000-8000-000000000000/cancel`, { method: 'POST' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'run_not_found' } } });

    const runs = (await request(`${url!}/v1/ingest/runs`)).body.runs as Run[];
    expect(runs.filter((candidate) => !finalStatuses.includes(candidate.status))).toEqual([]);
    expect(runs.filter((candidate) => candidate.status === 'failed').map((candidate) => candidate.id)).toEqual(
      expect.arrayContaining(interrupted),
    );
    const sources = (await request(`${url!}/v1/sources`)).body.sources as { name: string; documents: number; chunks: number }[];
    const bench = sources.find((source) => source.name === 'bench')!;

    // A clean stop, then the data directory read as it is.
    server!.child.kill('SIGTERM');
    expect((await server!.exited).code).toBe(0);
    const store = await Store.open({ dataDir });
    let crashed: Awaited<ReturnType<typeof chunkSignature>>;
    try {
      crashed = await chunkSignature(store);
    } finally {
      await store.close();
    }
    // No chunk row twice: one row per (document, ordinal), and no (locator, ordinal, hash) repeated.
    expect(crashed.slots).toBe(crashed.rows);
    expect(new Set(crashed.chunks).size).toBe(crashed.chunks.length);
    expect(crashed.chunks).toEqual(clean.chunks);
    expect(crashed.documents).toBe(clean.documents);
    expect(crashed.postings).toBe(clean.postings);
    expect(bench).toMatchObject({ documents: clean.documents, chunks: clean.chunks.length });
    console.log(
      `embedded kill -9 (PGlite, in-process runs, INGEST_MAX_QUEUED_RUNS=1): first start ${seconds(first.listening)} ` +
        `(the API's own ${seconds(first.opened)}); ${figures.join('; ')}. ` +
        `All ${runs.length} runs final (${interrupted.length} failed as interrupted, the rest succeeded); a new run accepted (202) after the third restart; ` +
        `${crashed.chunks.length} chunks in ${crashed.documents} documents, identical (locator, ordinal, content hash) to a clean ingest: none lost, none duplicated`,
    );
  }, 400_000);
});
