import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import type { Store } from '@cairn/store';
import { type SourceRecord } from '@cairn/store';
import { testRuntimes, type FixtureSite } from '@cairn/testing';
import { runCrawl, type Crawler } from '../src/index.js';
import { openCrawlEnvironment, type CrawlEnvironment } from './crawl-environment.js';

/**
 * Pages found only through links (in no sitemap; each generated post links to the next).
 * A re-crawl's conditional GETs are answered 304, which carries no page: the crawl must
 * follow the links each page held when it was last read, or it finds nothing past the seed
 * and tombstones every other page as missing from a complete crawl.
 */
describe.each(testRuntimes)('re-crawling pages reachable only through links on $name', (runtime) => {
  const pages = 5;
  let site: FixtureSite;
  let crawler: Crawler;
  let store: Store;
  let source: SourceRecord;
  let environment: CrawlEnvironment | undefined;
  const embedder = new LocalHashEmbedder();
  const crawl = () => runCrawl({ store, embedder, ...crawler }, { sources: [source], trigger: 'cli' });

  beforeAll(async () => {
    environment = await openCrawlEnvironment(runtime, { site: { syntheticPages: pages, unlistedSyntheticPages: true } });
    ({ site, crawler, store } = environment);
    source = await store.sources.upsert({
      kind: 'web',
      name: 'chain',
      crawlDelayMs: 0,
      baseUrl: `${site.url}/bench/`,
      seeds: [`${site.url}/bench/1/`],
    });
  }, 60_000);

  afterAll(async () => environment?.close());

  it('finds every page again through the stored links of pages that answer 304, and tombstones none', async () => {
    const first = await crawl();
    expect(first.status).toBe('succeeded');
    expect((await store.documents.countActive()).documents).toBe(pages);

    const requestsBefore = site.requests.length;
    const second = await crawl();
    expect(second.status).toBe('succeeded');
    expect(second.counts).toMatchObject({ fetched: 0, chunksAdded: 0, chunksRemoved: 0, unchanged: pages });
    // Every page was revalidated (304), not fetched whole, and every one is still in search.
    const revalidated = site.requests
      .slice(requestsBefore)
      .filter((request) => request.path.startsWith('/bench/') && request.status === 304);
    expect(revalidated).toHaveLength(pages);
    expect((await store.documents.countActive()).documents).toBe(pages);
    expect((await store.runs.items(second.runId)).filter((item) => item.outcome === 'tombstoned')).toEqual([]);
  });
});
