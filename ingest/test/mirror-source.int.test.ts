import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import type { Store } from '@cairn/store';
import { type SourceRecord } from '@cairn/store';
import { testRuntimes, type FixtureSite } from '@cairn/testing';
import { queryTerms } from '@cairn/text';
import { runCrawl, type Crawler } from '../src/index.js';
import { publicSite, staffengPage } from './staffeng-pages.js';
import { openCrawlEnvironment, type CrawlEnvironment } from './crawl-environment.js';

const archetypes = `${publicSite}guides/staff-archetypes/`;
const strategy = `${publicSite}guides/writing-strategy/`;
const operating = `${publicSite}guides/operating-at-staff/`;

/**
 * A mirror of https://staffeng.example/ under `/mirror/` of the fixture site, as a static
 * build served inside a firewall is: its sitemap, its pages' canonical links and some of
 * their links name the public site, one page has no canonical link and one link is relative.
 */
function serveMirror(site: FixtureSite): void {
  site.setPage(
    '/mirror/sitemap.xml',
    `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${archetypes}</loc></url><url><loc>${strategy}</loc></url><url><loc>${operating}</loc></url></urlset>\n`,
  );
  site.setPage(
    '/mirror/guides/staff-archetypes/',
    staffengPage({ title: 'Staff archetypes', canonical: archetypes, topic: 'Archetypes', links: [strategy, '../operating-at-staff/'] }),
  );
  site.setPage('/mirror/guides/writing-strategy/', staffengPage({ title: 'Writing strategy', canonical: strategy, topic: 'Strategy' }));
  site.setPage('/mirror/guides/operating-at-staff/', staffengPage({ title: 'Operating at staff', canonical: null, topic: 'Operating' }));
}

describe.each(testRuntimes)('crawling a mirror of a public site on $name', (runtime) => {
  let site: FixtureSite;
  let crawler: Crawler;
  let store: Store;
  let environment: CrawlEnvironment | undefined;
  const embedder = new LocalHashEmbedder();
  const crawl = (source: SourceRecord) => runCrawl({ store, embedder, ...crawler }, { sources: [source], trigger: 'cli' });
  const documentsOf = (source: SourceRecord) =>
    store.database.query<{ locator: string; url: string; status: string }>(
      'select locator, url, status from documents where source_id = $1 order by locator',
      [source.id],
    );

  beforeAll(async () => {
    environment = await openCrawlEnvironment(runtime, { maxCrawlDelayMs: 20, prepareSite: serveMirror });
    ({ site, crawler, store } = environment);
  }, 60_000);

  afterAll(async () => environment?.close());

  it('with publicBaseUrl: fetches the mirror, stores and cites every page under its public URL', async () => {
    const source = await store.sources.upsert({
      name: 'staffeng',
      kind: 'web',
      baseUrl: `${site.url}/mirror/`,
      publicBaseUrl: publicSite,
      seeds: [`${site.url}/mirror/sitemap.xml`],
      crawlDelayMs: 0,
    });
    expect((await store.sources.findById(source.id))?.publicBaseUrl).toBe(publicSite);
    const requestsBefore = site.requests.length;
    const result = await crawl(source);
    expect(result).toMatchObject({ status: 'succeeded', complete: true });
    expect(result.counts).toMatchObject({ fetched: 3, skipped: 0, failed: 0 });
    const items = await store.runs.items(result.runId);
    expect(items.filter((item) => item.error?.includes('out of scope'))).toEqual([]);
    // The sitemap's public URLs and the links were followed by fetching the mirror's copies.
    const fetched = site.requests.slice(requestsBefore).map((request) => request.path);
    expect(fetched).toEqual(
      expect.arrayContaining([
        '/mirror/guides/staff-archetypes/',
        '/mirror/guides/writing-strategy/',
        '/mirror/guides/operating-at-staff/',
      ]),
    );
    expect(items.every((item) => item.url.startsWith(site.url))).toBe(true);
    expect(await documentsOf(source)).toEqual([
      { locator: operating, url: operating, status: 'active' },
      { locator: archetypes, url: archetypes, status: 'active' },
      { locator: strategy, url: strategy, status: 'active' },
    ]);
    const [hit] = await store.search.keyword(queryTerms('strategy in practice'), { limit: 1, filters: { sources: ['staffeng'] } });
    expect(hit!.url).toBe(strategy);
  });

  it('re-crawls the mirror unchanged, and tombstones a page gone from it under its public URL', async () => {
    const source = (await store.sources.findByName('staffeng'))!;
    const again = await crawl(source);
    expect(again.counts).toMatchObject({ fetched: 0, unchanged: 3, chunksAdded: 0, failed: 0 });

    site.removePage('/mirror/guides/operating-at-staff/', 404);
    const result = await crawl(source);
    expect(result.counts.failed).toBe(0);
    const documents = await documentsOf(source);
    expect(documents.find((document) => document.locator === operating)).toMatchObject({ status: 'tombstoned' });
    expect(documents.filter((document) => document.status === 'active').map((document) => document.locator)).toEqual([
      archetypes,
      strategy,
    ]);
    site.setPage('/mirror/guides/operating-at-staff/', staffengPage({ title: 'Operating at staff', canonical: null, topic: 'Operating' }));
  });

  it('without publicBaseUrl: pages whose canonical URL is on the public site are skipped as out of scope', async () => {
    const source = await store.sources.upsert({
      name: 'staffeng-plain',
      kind: 'web',
      baseUrl: `${site.url}/mirror/`,
      seeds: [`${site.url}/mirror/guides/staff-archetypes/`],
      crawlDelayMs: 0,
    });
    expect(source.publicBaseUrl).toBeNull();
    const result = await crawl(source);
    const items = await store.runs.items(result.runId);
    expect(items.find((item) => item.url === `${site.url}/mirror/guides/staff-archetypes/`)).toMatchObject({
      outcome: 'skipped',
      error: `canonical URL ${archetypes} is out of scope`,
    });
    // The public link is not followed; the relative one is, and that page (no canonical link) keeps its mirror URL.
    expect(items.some((item) => item.url.includes('writing-strategy'))).toBe(false);
    expect((await documentsOf(source)).map((document) => document.locator)).toEqual([`${site.url}/mirror/guides/operating-at-staff/`]);
  });
});
