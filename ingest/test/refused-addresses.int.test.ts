import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import { Store, type SourceRecord } from '@cairn/store';
import { startFixtureSite, testRuntimes, type FixtureSite } from '@cairn/testing';
import { createCrawler, runCrawl, runPage, type Crawler, type HostResolver } from '../src/index.js';

/*
 * A crawl whose every URL the address guard refuses (the fixture site is on loopback, and
 * private networks are not allowed) fetched nothing: its run fails, saying why, its ledger
 * blames the address and not robots.txt, and the pages it had stored are not tombstoned.
 */

/** Answers `fixture.test` with the fixture site's loopback address, as a DNS would point a name into private space. */
const fixtureResolver: HostResolver = (hostname, _options, callback) => {
  if (hostname === 'fixture.test') setImmediate(() => callback(null, [{ address: '127.0.0.1', family: 4 }]));
  else setImmediate(() => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []));
};

let site: FixtureSite;
/** Private networks refused (the default). */
let strict: Crawler;
/** The fixture site's address allowed, as the other crawl tests have it. */
let allowed: Crawler;

beforeAll(async () => {
  site = await startFixtureSite();
  const contact = 'https://cairn.invalid/tests';
  strict = createCrawler({ allowance: false, contact, maxCrawlDelayMs: 0, resolver: fixtureResolver });
  allowed = createCrawler({ allowance: ['127.0.0.1'], contact, maxCrawlDelayMs: 0, resolver: fixtureResolver });
});

afterAll(async () => {
  await strict?.close();
  await allowed?.close();
  await site?.close();
});

describe.each(testRuntimes)('URLs refused by the address guard on $name', (runtime) => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;
  const embedder = new LocalHashEmbedder();
  const upsert = (name: string, baseUrl: string): Promise<SourceRecord> =>
    store.sources.upsert({ name, kind: 'web', baseUrl, seeds: [`${baseUrl}index.xml`], crawlDelayMs: 0 });

  beforeAll(async () => {
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it.each([
    { by: 'an IP literal', host: () => new URL(site.url).host, reason: /127\.0\.0\.1 is a loopback address/ },
    { by: 'a name resolving to it', host: () => `fixture.test:${new URL(site.url).port}`, reason: /resolves to 127\.0\.0\.1/ },
  ])('a run refused everywhere by $by fails, says why, and fetches nothing', async ({ host, reason }) => {
    const source = await upsert(`refused-${host().replace(/\W/g, '-')}`, `http://${host()}/`);
    const before = site.requests.length;
    const result = await runCrawl({ store, embedder, ...strict }, { sources: [source] });
    expect(site.requests.length).toBe(before);
    const run = await store.runs.find(result.runId);
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/refused/i);
    expect(run?.error).toMatch(reason);
    const items = await store.runs.items(result.runId);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item).toMatchObject({ outcome: 'skipped', error: expect.stringMatching(reason) });
      expect(item.error).not.toMatch(/robots\.txt/);
    }
    expect(result.complete).toBe(false);
  });

  it('keeps the pages an earlier crawl stored: a crawl that fetched nothing tombstones nothing', async () => {
    const source = await upsert('stored-then-refused', `${site.url}/`);
    const first = await runCrawl({ store, embedder, ...allowed }, { sources: [source] });
    expect((await store.runs.find(first.runId))?.status).toBe('succeeded');
    const stored = await store.documents.countActive();
    expect(stored.documents).toBeGreaterThan(0);
    const refused = await runCrawl({ store, embedder, ...strict }, { sources: [source] });
    expect((await store.runs.find(refused.runId))?.status).toBe('failed');
    expect(await store.documents.countActive()).toEqual(stored);
  });

  it('a run that robots.txt refuses everywhere fails too, and names robots.txt', async () => {
    const source = await upsert('disallowed', `${site.url}/`);
    const robots = await (await fetch(`${site.url}/robots.txt`)).text();
    site.setPage('/robots.txt', 'User-agent: *\nDisallow: /\n');
    // A fresh crawler: the other one keeps the site's robots.txt for a day.
    const fresh = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/tests', maxCrawlDelayMs: 0 });
    try {
      const result = await runCrawl({ store, embedder, ...fresh }, { sources: [source] });
      const run = await store.runs.find(result.runId);
      expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/robots\.txt/) });
    } finally {
      site.setPage('/robots.txt', robots);
      await fresh.close();
    }
  });

  it('a one-page run of a refused address fails, blaming the address', async () => {
    const source = await upsert('refused-page', `${site.url}/`);
    const { id: runId } = await store.runs.create(source.id, 'api');
    const url = `${site.url}/posts/running-incident-reviews/`;
    const result = await runPage({ store, embedder, ...strict }, { runId, source, url, final: true });
    expect(result).toMatchObject({ status: 'failed', permanent: true, reason: expect.stringMatching(/loopback address/) });
    const [item] = await store.runs.items(runId);
    expect(item).toMatchObject({ outcome: 'skipped', error: expect.stringMatching(/^Refused to fetch \S+: 127\.0\.0\.1 is a loopback/) });
  });
});
