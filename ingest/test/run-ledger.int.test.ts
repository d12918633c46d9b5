import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import { Store, type RunItemInput } from '@cairn/store';
import { testRuntimes, type FixtureSite } from '@cairn/testing';
import { runCrawl, type Crawler } from '../src/index.js';
import { RunLedger } from '../src/runs/run-ledger.js';
import { openCrawlEnvironment, type CrawlEnvironment } from './crawl-environment.js';

const zero = { discovered: 0, fetched: 0, unchanged: 0, skipped: 0, failed: 0, chunksAdded: 0, chunksRemoved: 0 };

function item(url: string, outcome: RunItemInput['outcome'] = 'changed'): RunItemInput {
  return { url, httpStatus: 200, outcome, chunksAdded: 1, chunksRemoved: 0, embeddingTokens: 10, error: null };
}

describe.each(testRuntimes)('the run ledger on $name', (runtime) => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('records a run from queued to succeeded: its entries in order and its counts summed', async () => {
    const ledger = await RunLedger.create(store.runs, null, 'api');
    expect(await store.runs.find(ledger.runId)).toMatchObject({ status: 'queued', trigger: 'api', sourceId: null, startedAt: null });
    await ledger.start();
    expect(await store.runs.find(ledger.runId)).toMatchObject({ status: 'running', counts: zero, startedAt: expect.any(Date) });
    await ledger.addItems([item('https://a.test/1/'), item('https://a.test/2/')]);
    await ledger.addItems([]);
    await ledger.addItems([item('https://a.test/3/', 'failed')]);
    await ledger.addCounts({ discovered: 3, fetched: 2, chunksAdded: 2 });
    await ledger.addCounts({ fetched: 1, failed: 1 });
    await ledger.finish('succeeded');
    const run = await store.runs.find(ledger.runId);
    expect(run).toMatchObject({ status: 'succeeded', error: null, finishedAt: expect.any(Date) });
    expect(run!.counts).toEqual({ ...zero, discovered: 3, fetched: 3, failed: 1, chunksAdded: 2 });
    expect((await store.runs.items(ledger.runId)).map((entry) => [entry.url, entry.outcome])).toEqual([
      ['https://a.test/1/', 'changed'],
      ['https://a.test/2/', 'changed'],
      ['https://a.test/3/', 'failed'],
    ]);
  });

  it('lets a retried attempt replace the record of the attempt it retries; the abandoned attempt’s late pages stay out', async () => {
    const runId = (await RunLedger.create(store.runs, null, 'schedule')).runId;
    const first = new RunLedger(store.runs, runId);
    await first.start();
    const startedAt = (await store.runs.find(runId))!.startedAt;
    await first.addItems([item('https://a.test/1/'), item('https://a.test/2/')]);
    await first.addCounts({ discovered: 5, fetched: 2, chunksAdded: 2 });

    // The attempt fails: its pages still in flight report after it, and nothing of theirs is written.
    first.abandon();
    await first.addItems([item('https://a.test/late/')]);
    await first.addCounts({ fetched: 1 });
    await first.requeue();
    const queued = await store.runs.find(runId);
    expect(queued).toMatchObject({ status: 'queued', finishedAt: null, counts: { ...zero, discovered: 5, fetched: 2, chunksAdded: 2 } });
    expect(await store.runs.items(runId)).toHaveLength(2);

    const second = new RunLedger(store.runs, runId);
    await second.start();
    expect(await store.runs.find(runId)).toMatchObject({ status: 'running', counts: zero, startedAt });
    expect(await store.runs.items(runId)).toEqual([]);
    await second.addItems([item('https://a.test/1/', 'unchanged'), item('https://a.test/2/', 'unchanged'), item('https://a.test/3/')]);
    await first.addItems([item('https://a.test/later-still/')]);
    await second.addCounts({ discovered: 3, unchanged: 2, fetched: 1, chunksAdded: 1 });
    await first.addCounts({ fetched: 10 });
    await second.finish('failed', 'the embedder went away');

    const run = await store.runs.find(runId);
    expect(run).toMatchObject({ status: 'failed', error: 'the embedder went away', finishedAt: expect.any(Date) });
    expect(run!.counts).toEqual({ ...zero, discovered: 3, unchanged: 2, fetched: 1, chunksAdded: 1 });
    expect((await store.runs.items(runId)).map((entry) => [entry.url, entry.outcome])).toEqual([
      ['https://a.test/1/', 'unchanged'],
      ['https://a.test/2/', 'unchanged'],
      ['https://a.test/3/', 'changed'],
    ]);
  });

  it('still records the status of an abandoned attempt (finished as cancelled here)', async () => {
    const ledger = await RunLedger.create(store.runs, null, 'cli');
    await ledger.start();
    ledger.abandon();
    await ledger.finish('cancelled');
    expect(await store.runs.find(ledger.runId)).toMatchObject({ status: 'cancelled', counts: zero });
  });
});

describe.each(testRuntimes)('a crawl recording its run through the ledger it is given, on $name', (runtime) => {
  let site: FixtureSite;
  let crawler: Crawler;
  let store: Store;
  let environment: CrawlEnvironment | undefined;

  beforeAll(async () => {
    environment = await openCrawlEnvironment(runtime, { site: { syntheticPages: 30 } });
    ({ site, crawler, store } = environment);
  }, 60_000);

  afterAll(async () => environment?.close());

  it('writes its entries and counts in batches of 20, and none once the ledger is abandoned', async () => {
    const source = await store.sources.upsert({
      name: 'bench',
      kind: 'web',
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/sitemap-bench.xml`],
      crawlDelayMs: 0,
    });
    const ledger = await RunLedger.create(store.runs, source.id, 'cli');
    const result = await runCrawl(
      { store, embedder: new LocalHashEmbedder(), ...crawler },
      {
        sources: [source],
        ledger,
        // After the first batch of 20 is written: the rest of the crawl goes on, unrecorded.
        onProgress: (progress) => {
          if (progress.done >= 25) ledger.abandon();
        },
      },
    );
    expect(result).toMatchObject({ runId: ledger.runId, complete: true, counts: { fetched: 30, failed: 0 } });
    expect((await store.documents.countActive()).documents).toBe(30);
    const run = await store.runs.find(ledger.runId);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'cli', sourceId: source.id });
    expect(await store.runs.items(ledger.runId)).toHaveLength(20);
    expect(run!.counts.fetched).toBeGreaterThanOrEqual(20);
    expect(run!.counts.fetched).toBeLessThan(30);
  });
});
