import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder, queryTerms, type Embedder } from '@cairn/embed';
import { Store, type SourceRecord } from '@cairn/store';
import { startFixtureSite, testRuntimes, type FixtureSite } from '@cairn/testing';
import { createCrawler, runCrawl, type Crawler } from '../src/index.js';

class CountingEmbedder extends LocalHashEmbedder implements Embedder {
  calls = 0;
  override async embedDocuments(texts: readonly string[]): Promise<number[][]> {
    this.calls += 1;
    return super.embedDocuments(texts);
  }
}

describe.each(testRuntimes)('crawling the fixture site on $name', (runtime) => {
  let site: FixtureSite;
  let crawler: Crawler;
  let store: Store;
  let drop: () => Promise<void>;
  let source: SourceRecord;
  const embedder = new CountingEmbedder();
  const crawl = () => runCrawl({ store, embedder, ...crawler }, { sources: [source], trigger: 'cli' });

  beforeAll(async () => {
    site = await startFixtureSite();
    crawler = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/tests', maxCrawlDelayMs: 20 });
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
    // The private page is a seed, so that robots.txt (Disallow: /private/) is what keeps it out.
    source = await store.sources.upsert({
      name: 'fixture',
      kind: 'web',
      baseUrl: `${site.url}/`,
      seeds: [`${site.url}/sitemap.xml`, `${site.url}/index.xml`, `${site.url}/private/secret/`],
      crawlDelayMs: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await crawler?.close();
    await site?.close();
    await store?.close();
    await drop?.();
  });

  it('discovers and ingests the site politely: robots.txt obeyed, one User-Agent, canonical URLs', async () => {
    const result = await crawl();
    expect(result.complete).toBe(true);
    const run = await store.runs.find(result.runId);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(result.counts.fetched).toBeGreaterThanOrEqual(10);
    expect(result.counts.failed).toBe(0);
    expect(site.requests.some((request) => request.path.startsWith('/private/'))).toBe(false);
    expect(new Set(site.requests.map((request) => request.headers['user-agent']))).toEqual(new Set(['CairnBot/0.1 (+https://cairn.invalid/tests)']));
    const items = await store.runs.items(result.runId);
    expect(items.find((item) => item.url.includes('/private/'))).toMatchObject({ outcome: 'skipped', error: expect.stringMatching(/robots\.txt/) });
    const locators = await store.documents.locatorsOfSource('fixture');
    expect([...locators.values()]).toContain(`${site.url}/posts/managing-technical-debt/`);
    expect([...locators.values()].every((locator) => !locator.includes('utm_') && !locator.includes('#'))).toBe(true);

    const [hit] = await store.search.keyword(queryTerms('feedback'), { limit: 1, filters: { sources: ['fixture'] } });
    expect(hit!.url).toMatch(new RegExp(`^${site.url}/`));
    expect(hit!.anchor).toBeTruthy();
  });

  it('keeps hidden text and scripts out of the index', async () => {
    const hits = await store.search.keyword(queryTerms('ignore previous instructions'), { limit: 20, filters: { sources: ['fixture'] } });
    for (const hit of hits) expect(hit.text.toLowerCase()).not.toContain('ignore previous instructions');
  });

  it('re-crawls an unchanged site with conditional GETs and no embedding calls', async () => {
    const before = await store.documents.countActive();
    const calls = embedder.calls;
    const requestsBefore = site.requests.length;
    const result = await crawl();
    expect(embedder.calls).toBe(calls);
    expect(result.counts).toMatchObject({ fetched: 0, chunksAdded: 0, chunksRemoved: 0 });
    expect(result.counts.unchanged).toBeGreaterThanOrEqual(10);
    expect(site.requests.slice(requestsBefore).filter((request) => request.path.startsWith('/posts/') && request.status === 304).length).toBeGreaterThanOrEqual(6);
    expect(await store.documents.countActive()).toEqual(before);
  });

  it('re-ingests a changed page and tombstones a page that is gone', async () => {
    const changedPath = '/posts/sizing-engineering-teams/';
    const original = await (await fetch(`${site.url}${changedPath}`)).text();
    site.setPage(changedPath, original.replace('</h2>', '</h2><p>Zeppelin teams of exactly seven engineers rotate the pager weekly.</p>'));
    site.removePage('/blog/running-one-on-ones/', 410);
    const result = await crawl();
    const items = await store.runs.items(result.runId);
    expect(items.find((item) => item.url.endsWith(changedPath))).toMatchObject({ outcome: 'changed', httpStatus: 200 });
    expect(items.find((item) => item.url.endsWith('/blog/running-one-on-ones/'))).toMatchObject({ outcome: 'tombstoned' });
    const [hit] = await store.search.keyword(queryTerms('zeppelin pager'), { limit: 1 });
    expect(hit!.url.startsWith(`${site.url}${changedPath}`)).toBe(true);
    const gone = await store.search.keyword(queryTerms('one-on-ones'), { limit: 50, filters: { sources: ['fixture'] } });
    expect(gone.filter((entry) => entry.url.includes('/blog/running-one-on-ones/'))).toEqual([]);
  });
});
